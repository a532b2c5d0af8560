"""The real questionnaire file (assessments/data/questionnaire.yaml) against the real catalog file."""

from collections import Counter
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from assessments.models import QuestionnaireVersion
from assessments.questionnaire_io import DEFAULT_PATH, iter_items, normalise_questionnaire, questionnaire_export
from assessments.versioning import questionnaire_load

CATALOG_PATH = Path(settings.BASE_DIR) / "roles" / "data" / "catalog.yaml"
DIMENSIONS = ("technical", "managerial", "project")


@pytest.fixture(scope="module")
def content() -> dict:
    return normalise_questionnaire(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def catalog() -> dict:
    return yaml.safe_load(CATALOG_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def items(content) -> list[dict]:
    return [item for _, item in iter_items(content)]


def all_keys(item: dict) -> list[dict]:
    return [*item.get("keys", []), *item.get("a_keys", []), *item.get("b_keys", [])]


def test_the_file_is_valid_against_the_skills_of_the_catalog_file(catalog):
    skills = {skill["slug"] for skill in catalog["skills"]}

    normalise_questionnaire(yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")), known_skills=skills)


def test_it_has_five_sections_and_at_least_thirty_items(content, items):
    assert len(content["sections"]) == 5
    assert len(items) >= 30
    assert content["questionnaire"]["slug"] == "career-self-assessment"


def test_it_fits_in_about_ten_minutes(content, items):
    # Rough reading and answering times: a statement 10 s, a choice between two options 15 s,
    # a skill rating against five level descriptions 15 s.
    seconds = {"likert": 10, "choice": 15, "skill": 15}
    total = sum(seconds[item["kind"]] for item in items)

    assert content["version"]["estimated_minutes"] == 10
    assert 8 * 60 <= total <= 12 * 60


def test_item_keys_are_unique_slugs(items):
    counts = Counter(item["key"] for item in items)

    assert [key for key, n in counts.items() if n > 1] == []


def test_every_kind_of_item_is_used(items):
    assert {item["kind"] for item in items} == {"likert", "choice", "skill"}


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_each_dimension_has_at_least_six_keyed_items_including_reverse_keyed_ones(items, dimension):
    keyed = [item for item in items if any(k["dimension"] == dimension for k in all_keys(item))]
    reverse = [
        item
        for item in items
        if item["kind"] == "likert" and any(k["dimension"] == dimension and k["direction"] == -1 for k in item["keys"])
    ]

    assert len(keyed) >= 6
    assert len(reverse) >= 1


def test_some_items_count_toward_two_dimensions_with_different_weights(items):
    mixed = [
        item["key"]
        for item in items
        for keys in (item.get("keys", []), item.get("a_keys", []), item.get("b_keys", []))
        if len({k["dimension"] for k in keys}) >= 2 and len({k["weight"] for k in keys}) >= 2
    ]

    assert len(mixed) >= 3


def test_consistency_groups_pair_an_item_with_its_reverse_keyed_twin(items):
    groups: dict[str, list[dict]] = {}
    for item in items:
        if item.get("consistency_group"):
            groups.setdefault(item["consistency_group"], []).append(item)

    assert len(groups) >= 3
    for group, members in groups.items():
        assert len(members) >= 2, group
        directions = {k["direction"] for member in members for k in member.get("keys", [])}
        assert directions == {1, -1}, f"{group}: expect one statement and its reverse-keyed twin"


def test_every_rated_skill_exists_in_the_catalog_file(items, catalog):
    catalog_skills = {skill["slug"] for skill in catalog["skills"]}
    rated = {item["skill"] for item in items if item["kind"] == "skill"}

    assert rated - catalog_skills == set()


def test_every_skill_a_role_requires_is_rated(items, catalog):
    required = {req["skill"] for role in catalog["roles"] for req in role.get("requirements") or []}
    rated = {item["skill"] for item in items if item["kind"] == "skill"}

    assert required - rated == set()


def test_skill_items_are_grouped_by_the_four_areas_managers_are_judged_on(content, catalog):
    area_of = {skill["slug"]: skill["area"] for skill in catalog["skills"]}
    areas_per_section = [
        {area_of[item["skill"]] for item in section["items"] if item["kind"] == "skill"}
        for section in content["sections"]
    ]

    assert areas_per_section[3] == {"technical", "project-management"}
    assert {"communication", "leadership"} <= areas_per_section[4]


@pytest.mark.django_db
def test_the_file_loads_on_the_real_catalog_and_exports_back_unchanged(catalog):
    from roles.services import catalog_load

    catalog_load(data=catalog)

    outcome = questionnaire_load(data=yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8")))
    version = QuestionnaireVersion.objects.select_related("questionnaire").get(pk=outcome.version.pk)

    assert version.is_active
    assert questionnaire_export(version=version) == normalise_questionnaire(
        yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    )
    assert not questionnaire_load(data=yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))).changed


def leaning_answers(items: list[dict], dimension: str) -> dict[str, int]:
    """Answers of someone who leans fully toward `dimension` and is neutral about the rest."""
    answers = {}
    for item in items:
        value = 3
        if item["kind"] == "likert":
            directions = [k["direction"] for k in item["keys"] if k["dimension"] == dimension]
            if directions:
                value = 5 if directions[0] == 1 else 1
        elif item["kind"] == "choice":
            if any(k["dimension"] == dimension for k in item["a_keys"]):
                value = 1
            elif any(k["dimension"] == dimension for k in item["b_keys"]):
                value = 5
        answers[item["key"]] = value
    return answers


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_someone_leaning_toward_one_dimension_is_scored_as_fitting_it(items, dimension):
    from assessments.scoring import ItemSpec, score

    specs = [ItemSpec.from_dict(item) for item in items]

    result = score(items=specs, answers=leaning_answers(items, dimension))

    assert result.best_fit == dimension
    assert result.orientation[dimension] >= 75
    assert result.consistency_flags == ()


def test_agreeing_with_every_statement_is_flagged_in_every_consistency_group(items):
    from assessments.scoring import ItemSpec, score

    specs = [ItemSpec.from_dict(item) for item in items]
    groups = {item["consistency_group"] for item in items if item.get("consistency_group")}

    result = score(items=specs, answers={item["key"]: 5 for item in items})

    assert {flag.group for flag in result.consistency_flags} == groups
