"""The catalog file: checking it, loading it into the database, exporting it back."""

import copy
import io
from datetime import date
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from roles.catalog_io import (
    NESTED,
    SECTIONS,
    CatalogError,
    catalog_export,
    normalise_catalog,
    read_catalog,
    write_catalog,
)
from roles.models import (
    Certification,
    Discipline,
    InterviewQuestion,
    Progression,
    Role,
    RoleRequirement,
    SalaryFigure,
    Skill,
    SkillArea,
    Source,
    Track,
)
from roles.services import LOAD_ORDER, catalog_load

CATALOG_PATH = Path(settings.BASE_DIR) / "roles" / "data" / "catalog.yaml"
CATALOG_MODELS = (
    Source,
    Discipline,
    Track,
    SkillArea,
    Skill,
    Role,
    RoleRequirement,
    SalaryFigure,
    InterviewQuestion,
    Certification,
    Progression,
)
# One query per table, plus one per prefetched relation (role disciplines, requirements,
# salaries, questions; certification prerequisites, skills, roles, disciplines). See catalog_export.
EXPORT_QUERIES = 16
# The same reads as the export, plus the savepoint around the load (the test runs in a transaction).
UNCHANGED_RELOAD_QUERIES = 18


@pytest.fixture(scope="module")
def real_catalog() -> dict:
    return read_catalog(CATALOG_PATH)


@pytest.fixture
def catalog(real_catalog) -> dict:
    return copy.deepcopy(real_catalog)


def skill(slug: str, area: str) -> dict:
    return {
        "slug": slug,
        "name": slug.title(),
        "area": area,
        **{f"level_{n}": f"{slug} at level {n}" for n in range(1, 6)},
        "actions": [f"practise {slug}"],
    }


def small_catalog() -> dict:
    """A valid catalog with one of nearly everything, for checking the validator."""
    return {
        "format": 1,
        "catalog_version": "test.1",
        "sources": [{"slug": "guide", "title": "A guide"}],
        "disciplines": [{"slug": "software", "name": "Software"}],
        "tracks": [
            {"slug": "technical", "name": "Technical", "orientation": "technical"},
            {"slug": "management", "name": "Management", "orientation": "managerial"},
        ],
        "skill_areas": [{"slug": "technical", "name": "Technical"}, {"slug": "leadership", "name": "Leadership"}],
        "skills": [skill("design", "technical"), skill("budgeting", "leadership")],
        "roles": [
            {
                "slug": "engineer",
                "name": "Engineer",
                "track": "technical",
                "rank": 1,
                "summary": "Builds things.",
                "requirements": [{"skill": "design", "level": 2, "weight": 3}],
            },
            {
                "slug": "engineering-manager",
                "name": "Engineering manager",
                "track": "management",
                "rank": 1,
                "summary": "Leads a team.",
                "disciplines": ["software"],
                "requirements": [{"skill": "budgeting", "level": 3, "weight": 2}],
                "salaries": [
                    {"region": "United States", "currency": "USD", "average": 100, "year": 2024, "source": "guide"}
                ],
                "interview_questions": [{"area": "leadership", "text": "How do you lead?"}],
            },
        ],
        "certifications": [
            {"slug": "eit", "name": "EIT", "proves": "Passed the FE exam.", "prep_months": 3},
            {
                "slug": "pe",
                "name": "PE",
                "kind": "licence",
                "proves": "Licensed.",
                "prep_months": 4,
                "prerequisites": ["eit"],
                "skills": ["design"],
                "roles": ["engineer"],
            },
        ],
        "progressions": [{"from": "engineer", "to": "engineering-manager"}],
    }


def role(catalog: dict, slug: str) -> dict:
    return next(r for r in catalog["roles"] if r["slug"] == slug)


def scaled_catalog(base: dict, factor: int) -> dict:
    """`factor` copies of every entry (tracks excepted: one per orientation), slugs suffixed."""
    result = copy.deepcopy(base)
    clean = normalise_catalog(base)

    def rename(section, entry, suffix):
        entry = copy.deepcopy(entry)
        for f in section.fields:
            value = entry.get(f.name)
            if f.kind == "slug" or (f.kind == "ref" and value and f.target != "tracks"):
                entry[f.name] = f"{value}-{suffix}"
            elif f.kind == "refs":
                entry[f.name] = [f"{v}-{suffix}" for v in value]
            elif f.kind == "nested":
                entry[f.name] = [rename(NESTED[f.target], sub, suffix) for sub in value]
        return entry

    for copy_number in range(2, factor + 1):
        for name, section in SECTIONS.items():
            if name != "tracks":
                result[name] += [rename(section, entry, f"x{copy_number}") for entry in clean[name]]
    return result


def keyed(catalog: dict) -> dict:
    """The catalog with every list turned into a mapping by natural key, so order doesn't count."""

    def entry(section, e):
        return {
            k: {NESTED[f.target].key_of(sub): sub for sub in v} if (f := section.field(k)).kind == "nested" else v
            for k, v in e.items()
        }

    return {name: {s.key_of(e): entry(s, e) for e in catalog[name]} for name, s in SECTIONS.items()}


def snapshot() -> dict:
    """Every catalog row's (model, pk) -> updated_at."""
    return {
        (model.__name__, pk): updated
        for model in CATALOG_MODELS
        for pk, updated in model.objects.values_list("pk", "updated_at")
    }


def delete_catalog() -> None:
    for model in (Progression, InterviewQuestion, SalaryFigure, RoleRequirement, Certification, Role, Skill):
        model.objects.all().delete()
    for model in (SkillArea, Track, Discipline, Source):
        model.objects.all().delete()


def exported_yaml(**kwargs) -> str:
    stream = io.StringIO()
    write_catalog(catalog_export(**kwargs), stream)
    return stream.getvalue()


# --- Checking -----------------------------------------------------------------------------


def test_the_small_catalog_is_valid():
    normalise_catalog(small_catalog())


def test_normalising_fills_in_defaults_and_positions():
    clean = normalise_catalog(small_catalog())

    engineer = role(clean, "engineer")
    assert engineer["disciplines"] == []
    assert engineer["typical_years_max"] is None
    assert engineer["source"] is None
    assert [s["order"] for s in clean["skills"]] == [1, 2]
    assert clean["certifications"][0]["kind"] == "certification"
    assert clean["progressions"][0]["kind"] == "promotion"


def _em(data):
    return role(data, "engineering-manager")


def _engineer(data):
    return role(data, "engineer")


BAD_INPUTS = [
    (
        "level out of range",
        lambda d: _em(d)["requirements"][0].update(level=7),
        "roles[engineering-manager].requirements[budgeting]: level 7 is outside 1-5",
    ),
    (
        "weight out of range",
        lambda d: _em(d)["requirements"][0].update(weight=0),
        "roles[engineering-manager].requirements[budgeting]: weight 0 is outside 1-3",
    ),
    (
        "unknown skill",
        lambda d: _engineer(d)["requirements"].append({"skill": "welding", "level": 2}),
        "roles[engineer].requirements[welding].skill: unknown skill 'welding'",
    ),
    ("unknown track", lambda d: _engineer(d).update(track="ic"), "roles[engineer].track: unknown track 'ic'"),
    (
        "unknown discipline",
        lambda d: _em(d)["disciplines"].append("nautical"),
        "roles[engineering-manager].disciplines: unknown discipline 'nautical'",
    ),
    (
        "unknown progression target",
        lambda d: d["progressions"].append({"from": "engineer", "to": "astronaut"}),
        "progressions[engineer->astronaut].to: unknown role 'astronaut'",
    ),
    (
        "unknown salary source",
        lambda d: _em(d)["salaries"][0].update(source="rumour"),
        "roles[engineering-manager].salaries[#1].source: unknown source 'rumour'",
    ),
    (
        "duplicate slug",
        lambda d: d["roles"].append(copy.deepcopy(_engineer(d))),
        "roles[engineer]: duplicate (slug=engineer is also entry #1)",
    ),
    (
        "duplicate requirement",
        lambda d: _engineer(d)["requirements"].append({"skill": "design", "level": 3}),
        "roles[engineer].requirements[design]: duplicate (skill=design is also entry #1)",
    ),
    (
        "duplicate progression",
        lambda d: d["progressions"].append({"from": "engineer", "to": "engineering-manager"}),
        "progressions[engineer->engineering-manager]: duplicate",
    ),
    (
        "duplicate salary figure, both without a year",
        lambda d: _em(d)["salaries"].extend(
            [{"region": "United States", "currency": "USD", "low": 1, "year": None, "source": "guide"}] * 2
        ),
        "roles[engineering-manager].salaries[#3]: duplicate (region=United States, currency=USD, year=None",
    ),
    (
        "missing required key",
        lambda d: _engineer(d).pop("summary"),
        "roles[engineer]: missing required key 'summary'",
    ),
    (
        "salary without a source",
        lambda d: _em(d)["salaries"][0].pop("source"),
        "roles[engineering-manager].salaries[#1]: missing required key 'source'",
    ),
    ("unknown key", lambda d: _engineer(d).update(levle=3), "roles[engineer]: unknown key 'levle'"),
    ("unknown section", lambda d: d.update(people=[]), "people: unknown section"),
    ("wrong format", lambda d: d.update(format=2), "format: expected 1, got 2"),
    ("missing version", lambda d: d.pop("catalog_version"), "catalog_version: required"),
    (
        "text where a number belongs",
        lambda d: _engineer(d).update(rank="one"),
        "roles[engineer].rank: expected a whole number, got text 'one'",
    ),
    (
        "a date YAML parsed from an unquoted value",
        lambda d: d["sources"][0].update(published=date(2025, 3, 27)),
        "sources[guide].published: expected text, got date",
    ),
    (
        "not a slug",
        lambda d: d["disciplines"][0].update(slug="Software Engineering"),
        "disciplines[Software Engineering].slug: 'Software Engineering' is not a slug",
    ),
    (
        "unknown choice",
        lambda d: d["tracks"][0].update(orientation="sideways"),
        "tracks[technical].orientation: 'sideways' is not one of: technical, managerial, project",
    ),
    (
        "two tracks with one orientation",
        lambda d: d["tracks"][1].update(orientation="technical"),
        "tracks[management].orientation: 'technical' is already the orientation of track 'technical'",
    ),
    (
        "too long for the column",
        lambda d: d["disciplines"][0].update(name="x" * 101),
        "disciplines[software].name: is 101 characters long; at most 100 fit",
    ),
    (
        "slug too long for the column",
        lambda d: d["sources"][0].update(slug="s" * 51),
        "is 51 characters long; at most 50 fit",
    ),
    (
        "years the wrong way round",
        lambda d: _engineer(d).update(typical_years_min=5, typical_years_max=2),
        "roles[engineer]: typical_years_max (2) is below typical_years_min (5)",
    ),
    (
        "salary with no figure",
        lambda d: _em(d)["salaries"][0].pop("average"),
        "roles[engineering-manager].salaries[#1]: give at least one of average, median, low or high",
    ),
    (
        "salary range the wrong way round",
        lambda d: _em(d)["salaries"][0].update(low=200, high=100),
        "roles[engineering-manager].salaries[#1]: high (100) is below low (200)",
    ),
    (
        "currency not an ISO code",
        lambda d: _em(d)["salaries"][0].update(currency="usd"),
        "roles[engineering-manager].salaries[#1].currency: 'usd' is not an ISO 4217 code",
    ),
    (
        "progression to itself",
        lambda d: d["progressions"].append({"from": "engineer", "to": "engineer"}),
        "progressions[engineer->engineer]: a role cannot progress to itself",
    ),
    (
        "prerequisite cycle",
        lambda d: d["certifications"][0].update(prerequisites=["pe"]),
        "cycle: ",
    ),
    (
        "bad URL",
        lambda d: d["sources"][0].update(url="not a url"),
        "sources[guide].url: 'not a url' is not a valid URL",
    ),
    (
        "a list where text belongs",
        lambda d: _engineer(d).update(summary=["one", "two"]),
        "roles[engineer].summary: expected text, got a list",
    ),
    (
        "blank line in a list",
        lambda d: _engineer(d).update(responsibilities=["Design things", ""]),
        "roles[engineer].responsibilities[2]: expected non-empty text",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), [b[1:] for b in BAD_INPUTS], ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_rejected_naming_the_entry(mutate, message):
    data = small_catalog()
    mutate(data)

    with pytest.raises(CatalogError) as caught:
        normalise_catalog(data)

    assert message in str(caught.value)


def test_every_problem_is_reported_at_once():
    data = small_catalog()
    _engineer(data)["rank"] = 0
    _em(data)["track"] = "nowhere"

    with pytest.raises(CatalogError) as caught:
        normalise_catalog(data)

    assert len(caught.value.errors) == 2
    assert "roles[engineer]: rank 0 is outside" in str(caught.value)
    assert "roles[engineering-manager].track: unknown track 'nowhere'" in str(caught.value)


def test_reading_a_missing_file_is_a_catalog_error(tmp_path):
    with pytest.raises(CatalogError, match="cannot read"):
        read_catalog(tmp_path / "absent.yaml")


def test_reading_a_file_that_is_not_yaml_is_a_catalog_error(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("roles: [unclosed\n", encoding="utf-8")

    with pytest.raises(CatalogError, match="is not valid YAML"):
        read_catalog(path)


def test_reading_a_yaml_list_is_a_catalog_error(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")

    with pytest.raises(CatalogError, match="expected a mapping"):
        read_catalog(path)


# --- Loading ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_loading_creates_every_entry_of_the_file(catalog):
    report = catalog_load(data=catalog)

    clean = normalise_catalog(catalog)
    assert Role.objects.count() == len(clean["roles"]) == report.sections["roles"].created
    assert Skill.objects.count() == len(clean["skills"])
    assert RoleRequirement.objects.count() == sum(len(r["requirements"]) for r in clean["roles"])
    assert SalaryFigure.objects.count() == sum(len(r["salaries"]) for r in clean["roles"])
    assert InterviewQuestion.objects.count() == sum(len(r["interview_questions"]) for r in clean["roles"])
    assert Progression.objects.count() == len(clean["progressions"])
    assert all(c.updated == 0 and c.unchanged == 0 for c in report.sections.values())
    pe = Certification.objects.get(slug="pe")
    assert list(pe.prerequisites.values_list("slug", flat=True)) == ["eit"]


@pytest.mark.django_db
def test_loading_the_same_file_twice_changes_nothing(catalog):
    catalog_load(data=catalog)
    before = snapshot()

    report = catalog_load(data=catalog)

    counts = {name: (c.created, c.updated, c.removed) for name, c in report.sections.items()}
    assert counts == dict.fromkeys(LOAD_ORDER, (0, 0, 0))
    assert report.sections["roles"].unchanged == len(catalog["roles"])
    assert not report.changed
    assert snapshot() == before  # same rows, and not one updated_at moved


@pytest.mark.django_db
def test_a_dry_run_reports_what_it_would_do_and_saves_nothing(catalog):
    report = catalog_load(data=catalog, dry_run=True)

    assert report.dry_run
    assert report.sections["roles"].created == len(catalog["roles"])
    assert report.sections["progressions"].created == len(catalog["progressions"])
    assert all(model.objects.count() == 0 for model in CATALOG_MODELS)


@pytest.mark.django_db
def test_a_dry_run_over_a_loaded_catalog_reports_the_edit_without_saving_it(catalog):
    catalog_load(data=catalog)
    role(catalog, "cto")["summary"] = "Changed."

    report = catalog_load(data=catalog, dry_run=True)

    assert report.sections["roles"].updated == 1
    assert Role.objects.get(slug="cto").summary != "Changed."


@pytest.mark.django_db
def test_an_edit_in_the_file_updates_exactly_that_row(catalog):
    catalog_load(data=catalog)
    before = snapshot()
    requirement = next(r for r in role(catalog, "engineering-manager")["requirements"] if r["skill"] == "budgeting")
    requirement["level"] += 1

    report = catalog_load(data=catalog)

    counts = {name: (c.created, c.updated, c.removed) for name, c in report.sections.items()}
    assert counts == {name: (0, 1 if name == "requirements" else 0, 0) for name in LOAD_ORDER}
    row = RoleRequirement.objects.get(role__slug="engineering-manager", skill__slug="budgeting")
    assert row.level == requirement["level"]
    after = snapshot()
    moved = {key for key in before if after[key] != before[key]}
    assert moved == {("RoleRequirement", row.pk)}


@pytest.mark.django_db
def test_rows_the_file_does_not_mention_are_kept(catalog):
    catalog_load(data=catalog)
    track = Track.objects.get(slug="technical")
    hr_role = Role.objects.create(slug="hr-only", name="Added by HR", track=track, rank=9, summary="Local role.")
    manager = Role.objects.get(slug="engineering-manager")
    source = Source.objects.first()
    hr_salary = SalaryFigure.objects.create(
        role=manager, region="Spain", currency="EUR", average=70000, year=2026, source=source
    )
    hr_question = InterviewQuestion.objects.create(role=manager, area=SkillArea.objects.first(), text="Local question?")

    report = catalog_load(data=catalog)

    assert not report.changed
    assert Role.objects.filter(pk=hr_role.pk).exists()
    assert SalaryFigure.objects.filter(pk=hr_salary.pk).exists()
    assert InterviewQuestion.objects.filter(pk=hr_question.pk).exists()


@pytest.mark.django_db
def test_a_roles_requirements_and_disciplines_are_made_to_match_the_file(catalog):
    catalog_load(data=catalog)
    manager = Role.objects.get(slug="engineering-manager")
    RoleRequirement.objects.create(role=manager, skill=Skill.objects.get(slug="innovation"), level=2)
    manager.disciplines.add(Discipline.objects.get(slug="civil"))

    report = catalog_load(data=catalog)

    assert report.sections["requirements"].removed == 1
    assert report.sections["roles"].updated == 1
    assert not manager.requirements.filter(skill__slug="innovation").exists()
    assert list(manager.disciplines.all()) == []


@pytest.mark.django_db
def test_certification_sets_are_made_to_match_the_file(catalog):
    catalog_load(data=catalog)
    pe = next(c for c in catalog["certifications"] if c["slug"] == "pe")
    pe["skills"] = ["technical-depth"]
    pe["prerequisites"] = []
    pe["roles"] = ["principal-engineer", "cto"]

    report = catalog_load(data=catalog)

    assert report.sections["certifications"].updated == 1
    row = Certification.objects.get(slug="pe")
    assert list(row.skills.values_list("slug", flat=True)) == ["technical-depth"]
    assert not row.prerequisites.exists()
    assert sorted(row.roles.values_list("slug", flat=True)) == ["cto", "principal-engineer"]


@pytest.mark.django_db
def test_text_edited_in_the_admin_with_windows_line_endings_counts_as_unchanged(catalog):
    catalog_load(data=catalog)
    engineer = Role.objects.get(slug="engineer")
    engineer.responsibilities = engineer.responsibilities.replace("\n", "\r\n") + "\r\n"
    engineer.save()

    report = catalog_load(data=catalog)

    assert report.sections["roles"].updated == 0


@pytest.mark.django_db
def test_an_invalid_file_loads_nothing(catalog):
    role(catalog, "cto")["requirements"][0]["level"] = 9

    with pytest.raises(CatalogError, match=r"roles\[cto\]\.requirements\[.*\]: level 9 is outside 1-5"):
        catalog_load(data=catalog)

    assert Role.objects.count() == 0


@pytest.mark.django_db
def test_a_track_orientation_held_by_a_track_outside_the_file_is_reported(catalog):
    Track.objects.create(slug="individual", name="IC", orientation=Track.Orientation.TECHNICAL)

    with pytest.raises(CatalogError, match=r"tracks\[technical\]\.orientation: 'technical' already belongs"):
        catalog_load(data=catalog)

    assert Role.objects.count() == 0


# --- Exporting -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_exporting_a_loaded_file_gives_back_the_file(catalog):
    catalog_load(data=catalog)

    exported = catalog_export(catalog_version=catalog["catalog_version"])

    # Same entries; the export orders lists by natural keys, the file in its own order.
    clean = normalise_catalog(catalog)
    assert keyed(exported) == keyed(clean)


@pytest.mark.django_db
def test_export_then_load_into_an_empty_database_gives_an_identical_export(catalog):
    catalog_load(data=catalog)
    # HR edits in the admin must survive the trip too.
    Role.objects.filter(slug="cto").update(summary="Edited by HR:\n  with a second line, ünïcode and a # sign.")
    first = exported_yaml(catalog_version="2026.12.1")
    delete_catalog()

    report = catalog_load(data=yaml.safe_load(first))

    assert report.sections["roles"].created == len(catalog["roles"])
    assert exported_yaml(catalog_version="2026.12.1") == first


@pytest.mark.django_db
def test_written_yaml_is_block_style_unicode_and_keeps_key_order(catalog):
    catalog_load(data=catalog)
    Source.objects.filter(slug="advance-in-engineering-2025").update(publisher="Müller & Søn")

    text = exported_yaml()

    assert text.index("format: 1") < text.index("catalog_version:") < text.index("sources:") < text.index("roles:")
    assert "Müller & Søn" in text
    assert "{" not in text  # no flow-style mappings
    first_role = text[text.index("\nroles:") :]
    assert first_role.index("slug:") < first_role.index("name:") < first_role.index("track:")


@pytest.mark.django_db
def test_export_query_count_is_the_same_for_a_ten_times_bigger_catalog(catalog, django_assert_num_queries):
    catalog_load(data=catalog)
    with django_assert_num_queries(EXPORT_QUERIES):
        small = catalog_export()

    catalog_load(data=scaled_catalog(catalog, 10))
    with django_assert_num_queries(EXPORT_QUERIES):
        big = catalog_export()

    assert len(big["roles"]) == 10 * len(small["roles"])
    assert sum(len(r["requirements"]) for r in big["roles"]) == 10 * sum(len(r["requirements"]) for r in small["roles"])


@pytest.mark.django_db
def test_reloading_an_unchanged_catalog_takes_the_same_queries_at_ten_times_the_size(
    catalog, django_assert_num_queries
):
    catalog_load(data=catalog)
    with django_assert_num_queries(UNCHANGED_RELOAD_QUERIES):
        catalog_load(data=catalog)

    big = scaled_catalog(catalog, 10)
    catalog_load(data=big)
    with django_assert_num_queries(UNCHANGED_RELOAD_QUERIES):
        report = catalog_load(data=big)

    assert report.sections["roles"].unchanged == 10 * len(catalog["roles"])


def test_the_format_docs_describe_every_section_and_field():
    text = (Path(settings.BASE_DIR) / "docs" / "catalog.md").read_text(encoding="utf-8")

    for name, section in {**SECTIONS, **NESTED}.items():
        assert f"### {name}" in text or f"**{name}**" in text, name
        for f in section.fields:
            if not f.name.startswith("level_"):
                assert f"`{f.name}`" in text, (name, f.name)
    assert "`level_1` ... `level_5`" in text
