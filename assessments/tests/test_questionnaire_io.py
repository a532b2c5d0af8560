"""The questionnaire file: checking (each message names its entry), export and writing."""

import copy
import io
from decimal import Decimal

import pytest
import yaml

from assessments.models import Item, ItemKey, Questionnaire, QuestionnaireVersion
from assessments.questionnaire_io import (
    QuestionnaireError,
    canonical_weight,
    normalise_questionnaire,
    questionnaire_export,
    read_questionnaire,
    write_questionnaire,
)
from assessments.versioning import questionnaire_load
from roles.tests.factories import SkillFactory

SKILLS = ("communication", "scheduling")


def questionnaire_data() -> dict:
    """A small valid file: two sections with every kind of item, a reverse-keyed twin and a two-key item."""
    return {
        "format": 1,
        "questionnaire": {"slug": "self-check", "name": "Self check", "description": "A short one."},
        "version": {"intro": "Answer honestly.", "estimated_minutes": 3, "change_note": "First."},
        "sections": [
            {
                "title": "What you enjoy",
                "intro": "",
                "items": [
                    {
                        "key": "enjoy-depth",
                        "kind": "likert",
                        "text": "I like hard technical problems.",
                        "keys": [{"dimension": "technical", "weight": 1, "direction": 1}],
                        "consistency_group": "depth",
                    },
                    {
                        "key": "depth-is-dull",
                        "kind": "likert",
                        "text": "Deep technical work bores me.",
                        "keys": [
                            {"dimension": "technical", "weight": 1, "direction": -1},
                            {"dimension": "managerial", "weight": 0.5},
                        ],
                        "consistency_group": "depth",
                    },
                    {
                        "key": "meeting-or-problem",
                        "kind": "choice",
                        "text": "Which would you rather do?",
                        "option_a": "Lead a meeting",
                        "option_b": "Solve a problem alone",
                        "a_keys": [{"dimension": "managerial", "weight": 1.5, "direction": 1}],
                        "b_keys": [{"dimension": "technical", "weight": 1, "direction": 1}],
                    },
                ],
            },
            {
                "title": "Your skills",
                "items": [
                    {"key": "rate-communication", "kind": "skill", "skill": "communication", "text": "Explaining."},
                    {
                        "key": "rate-scheduling",
                        "kind": "skill",
                        "skill": "scheduling",
                        "text": "Planning.",
                        "required": False,
                    },
                ],
            },
        ],
    }


def errors_of(data, **kwargs) -> list[str]:
    with pytest.raises(QuestionnaireError) as info:
        normalise_questionnaire(data, **kwargs)
    return info.value.errors


def item(data: dict, section: int, index: int) -> dict:
    return data["sections"][section]["items"][index]


# --- Checking ----------------------------------------------------------------------------


def test_a_valid_file_normalises_to_canonical_form():
    result = normalise_questionnaire(questionnaire_data())

    two_keys = result["sections"][0]["items"][1]
    assert two_keys["keys"] == [
        {"dimension": "technical", "weight": 1, "direction": -1},
        {"dimension": "managerial", "weight": 0.5, "direction": 1},
    ]
    assert result["sections"][1]["intro"] == ""
    assert result["sections"][1]["items"][1] == {
        "key": "rate-scheduling",
        "kind": "skill",
        "text": "Planning.",
        "skill": "scheduling",
        "required": False,
    }


def test_keys_are_put_in_dimension_order_whatever_order_the_file_uses():
    data = questionnaire_data()
    item(data, 0, 1)["keys"].reverse()

    keys = normalise_questionnaire(data)["sections"][0]["items"][1]["keys"]

    assert [k["dimension"] for k in keys] == ["technical", "managerial"]


def test_unknown_kind_is_named():
    data = questionnaire_data()
    item(data, 0, 0)["kind"] = "slider"

    assert errors_of(data) == [
        "sections[#1].items[enjoy-depth].kind: unknown kind 'slider' (expected one of: likert, choice, skill)"
    ]


def test_likert_without_keys_is_refused():
    data = questionnaire_data()
    del item(data, 0, 0)["keys"]
    data["sections"][0]["items"][1]["keys"] = []

    assert errors_of(data) == [
        "sections[#1].items[enjoy-depth]: a likert item needs 'keys': at least one dimension it counts toward",
        "sections[#1].items[depth-is-dull]: a likert item needs 'keys': at least one dimension it counts toward",
    ]


def test_choice_without_an_option_is_refused():
    data = questionnaire_data()
    del item(data, 0, 2)["option_b"]
    item(data, 0, 2)["option_a"] = "  "

    assert errors_of(data) == [
        "sections[#1].items[meeting-or-problem].option_a: required, but empty",
        "sections[#1].items[meeting-or-problem]: missing required key 'option_b'",
    ]


def test_choice_without_any_keys_is_refused():
    data = questionnaire_data()
    item(data, 0, 2)["a_keys"] = []
    del item(data, 0, 2)["b_keys"]

    assert errors_of(data) == [
        "sections[#1].items[meeting-or-problem]: a choice item needs a_keys, b_keys or both, "
        "or its answer counts for nothing"
    ]


@pytest.mark.parametrize("weight", [0, -1, 0.0])
def test_weight_must_be_positive(weight):
    data = questionnaire_data()
    item(data, 0, 1)["keys"][1]["weight"] = weight

    assert errors_of(data) == [
        f"sections[#1].items[depth-is-dull].keys[#2].weight: must be greater than 0, got {weight!r}"
    ]


@pytest.mark.parametrize(
    ("weight", "message"),
    [
        (0.125, "must be at most 99.99 with at most two decimals, got 0.125"),
        (100, "must be at most 99.99 with at most two decimals, got 100"),
        ("heavy", "expected a number, got text 'heavy'"),
        (True, "expected a number, got true/false True"),
    ],
)
def test_weight_must_fit_the_column(weight, message):
    data = questionnaire_data()
    item(data, 0, 2)["a_keys"][0]["weight"] = weight

    assert errors_of(data) == [f"sections[#1].items[meeting-or-problem].a_keys[#1].weight: {message}"]


@pytest.mark.parametrize("direction", [0, 2, -2, "-1", True])
def test_direction_must_be_plus_or_minus_one(direction):
    data = questionnaire_data()
    item(data, 0, 0)["keys"][0]["direction"] = direction

    assert errors_of(data) == [
        "sections[#1].items[enjoy-depth].keys[#1].direction: must be 1, or -1 for a reverse-keyed statement, "
        f"got {direction!r}"
    ]


def test_unknown_dimension_and_a_dimension_keyed_twice_are_named():
    data = questionnaire_data()
    item(data, 0, 1)["keys"][1]["dimension"] = "technical"
    item(data, 0, 0)["keys"][0]["dimension"] = "artistic"

    assert errors_of(data) == [
        "sections[#1].items[enjoy-depth].keys[#1].dimension: unknown dimension 'artistic' "
        "(expected one of: technical, managerial, project)",
        "sections[#1].items[depth-is-dull].keys[#2].dimension: 'technical' is keyed twice in keys",
    ]


def test_duplicate_item_keys_are_refused_across_sections():
    data = questionnaire_data()
    item(data, 1, 1)["key"] = "enjoy-depth"

    assert errors_of(data) == [
        "sections[#2].items[enjoy-depth]: duplicate key 'enjoy-depth' (already used in sections[#1]); "
        "keys are unique in a version"
    ]


def test_unknown_skill_is_named_with_the_load_catalog_hint():
    errors = errors_of(questionnaire_data(), known_skills={"communication"})

    assert errors == [
        "sections[#2].items[rate-scheduling].skill: unknown skill 'scheduling': the catalog has no skill with "
        "this slug (run `manage.py load_catalog` first, or fix the slug)"
    ]


def test_missing_fields_are_each_named():
    data = questionnaire_data()
    del data["questionnaire"]["name"]
    del item(data, 0, 0)["text"]
    del item(data, 1, 0)["skill"]
    del item(data, 1, 1)["kind"]
    del data["sections"][1]["title"]

    assert errors_of(data) == [
        "questionnaire: missing required key 'name'",
        "sections[#1].items[enjoy-depth]: missing required key 'text'",
        "sections[#2]: missing required key 'title'",
        "sections[#2].items[rate-communication]: missing required key 'skill'",
        "sections[#2].items[rate-scheduling]: missing required key 'kind'",
    ]


def test_an_item_without_a_key_is_named_by_position():
    data = questionnaire_data()
    del item(data, 0, 2)["key"]

    assert errors_of(data) == ["sections[#1].items[#3]: missing required key 'key'"]


def test_fields_of_another_kind_are_refused():
    data = questionnaire_data()
    item(data, 0, 0)["option_a"] = "Something"
    item(data, 1, 0)["keys"] = [{"dimension": "technical"}]

    assert errors_of(data) == [
        "sections[#1].items[enjoy-depth].option_a: only choice items take 'option_a', not likert items",
        "sections[#2].items[rate-communication].keys: only likert items take 'keys', not skill items",
    ]


def test_unknown_keys_and_wrong_format_are_refused():
    data = questionnaire_data()
    data["format"] = 2
    data["extra"] = True
    item(data, 0, 0)["weight"] = 2

    errors = errors_of(data)

    assert "format: expected 1, got 2" in errors
    assert any(e.startswith("questionnaire file: unknown key 'extra'") for e in errors)
    assert any(e.startswith("sections[#1].items[enjoy-depth]: unknown key 'weight'") for e in errors)


def test_a_consistency_group_of_one_item_is_refused():
    data = questionnaire_data()
    del item(data, 0, 1)["consistency_group"]

    assert errors_of(data) == [
        "sections[#1].items[enjoy-depth].consistency_group: 'depth' has no other item; "
        "a group compares at least two items"
    ]


def test_empty_sections_and_questionnaires_are_refused():
    data = questionnaire_data()
    data["sections"][1]["items"] = []
    assert errors_of(data) == ["sections[#2].items: at least one item is needed"]

    data["sections"] = []
    assert errors_of(data) == ["sections: at least one section is needed"]


def test_text_too_long_for_its_column_is_refused():
    data = questionnaire_data()
    item(data, 0, 2)["option_b"] = "x" * 301

    assert errors_of(data) == [
        "sections[#1].items[meeting-or-problem].option_b: is 301 characters long; at most 300 fit"
    ]


def test_every_problem_is_reported_at_once():
    data = questionnaire_data()
    item(data, 0, 0)["kind"] = "slider"
    item(data, 0, 1)["keys"][0]["weight"] = 0
    item(data, 1, 1)["key"] = "not a slug"

    assert len(errors_of(data)) == 3


@pytest.mark.parametrize(("weight", "expected"), [(1, 1), (1.0, 1), (0.5, 0.5), (2.25, 2.25)])
def test_weights_are_written_without_needless_decimals(weight, expected):
    assert canonical_weight(weight) == expected
    assert canonical_weight(Decimal(str(weight)).quantize(Decimal("0.01"))) == expected


# --- Reading and writing -----------------------------------------------------------------


def test_reading_a_missing_or_broken_file_raises_a_clear_error(tmp_path):
    with pytest.raises(QuestionnaireError, match="cannot read"):
        read_questionnaire(tmp_path / "nope.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("sections: [\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="is not valid YAML"):
        read_questionnaire(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="expected a mapping"):
        read_questionnaire(listed)


def test_written_file_reads_back_to_the_same_canonical_form(tmp_path):
    canonical = normalise_questionnaire(questionnaire_data())
    path = tmp_path / "q.yaml"
    with path.open("w", encoding="utf-8") as stream:
        write_questionnaire(canonical, stream)

    assert normalise_questionnaire(read_questionnaire(path)) == canonical
    assert "- {dimension: technical, weight: 1, direction: -1}" in path.read_text(encoding="utf-8")


# --- Export from the database ------------------------------------------------------------


@pytest.fixture
def skills(db):
    return {slug: SkillFactory(slug=slug) for slug in SKILLS}


@pytest.mark.django_db
def test_export_gives_back_what_was_loaded(skills):
    outcome = questionnaire_load(data=questionnaire_data())

    exported = questionnaire_export(version=outcome.version)

    assert exported == normalise_questionnaire(questionnaire_data())
    assert ItemKey.objects.get(item__key="meeting-or-problem", option="a").weight == pytest.approx(1.5)


@pytest.mark.django_db
def test_export_load_into_an_empty_database_export_is_identical(skills):
    first = questionnaire_export(version=questionnaire_load(data=questionnaire_data()).version)
    first_text = io.StringIO()
    write_questionnaire(first, first_text)

    # Empty the questionnaire tables (the catalog stays), then load the exported text.
    Questionnaire.objects.all().delete()
    assert not QuestionnaireVersion.objects.exists()
    second = questionnaire_export(version=questionnaire_load(data=yaml.safe_load(first_text.getvalue())).version)
    second_text = io.StringIO()
    write_questionnaire(second, second_text)

    assert second == first
    assert second_text.getvalue() == first_text.getvalue()


@pytest.mark.django_db
def test_export_orders_by_position_even_with_gaps_in_order_numbers(skills):
    version = questionnaire_load(data=questionnaire_data()).version
    # Gaps and a swap, as admin edits could leave them (a draft would be edited like this).
    Item.objects.filter(key="enjoy-depth").update(order=30)
    Item.objects.filter(key="meeting-or-problem").update(order=10)

    keys = [i["key"] for i in questionnaire_export(version=version)["sections"][0]["items"]]

    assert keys == ["depth-is-dull", "meeting-or-problem", "enjoy-depth"]


def bigger_data(copies: int) -> dict:
    data = questionnaire_data()
    extra = []
    for n in range(copies):
        for entry in copy.deepcopy(data["sections"][0]["items"]):
            entry["key"] = f"{entry['key']}-{n}"
            if "consistency_group" in entry:
                entry["consistency_group"] = f"{entry['consistency_group']}-{n}"
            extra.append(entry)
    data["sections"].append({"title": "More", "items": extra})
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("copies", [1, 10])
def test_export_query_count_does_not_grow_with_the_questionnaire(skills, copies, django_assert_num_queries):
    loaded = questionnaire_load(data=bigger_data(copies)).version
    version = QuestionnaireVersion.objects.select_related("questionnaire").get(pk=loaded.pk)

    # sections, items (with their skill), item keys
    with django_assert_num_queries(3):
        exported = questionnaire_export(version=version)

    assert len(exported["sections"][2]["items"]) == 3 * copies
