"""What the bundled catalog (roles/data/catalog.yaml) says: checks on its content, not its format."""

import re
from collections import Counter, defaultdict, deque
from itertools import pairwise
from pathlib import Path
from statistics import mean

import pytest
from django.conf import settings

from roles.catalog_io import normalise_catalog, read_catalog

CATALOG_PATH = Path(settings.BASE_DIR) / "roles" / "data" / "catalog.yaml"
ENTRY_ROLE = "engineer"

REQUIRED = {
    "disciplines": {"software", "mechanical", "electrical", "civil", "chemical", "industrial", "other"},
    "tracks": {"technical", "management", "project"},
    "skill_areas": {"technical", "project-management", "communication", "leadership", "business"},
    "skills": {
        # management track (University of San Diego)
        "communication",
        "strategic-planning",
        "decision-making",
        "leadership",
        "delegation",
        # technical track (University of San Diego)
        "attention-to-detail",
        "problem-solving",
        "analytical-thinking",
        "creativity",
        "innovation",
        # named across the sources
        "technical-depth",
        "system-design",
        "budgeting",
        "scheduling",
        "risk-assessment",
        "conflict-resolution",
        "stakeholder-communication",
        "hiring",
        "mentoring-coaching",
        "process-optimisation",
        "business-acumen",
    },
    "roles": {
        "engineer",
        "senior-engineer",
        "staff-engineer",
        "principal-engineer",
        "systems-architect",
        "tech-lead",
        "engineering-manager",
        "senior-engineering-manager",
        "engineering-director",
        "vp-engineering",
        "cto",
        "engineering-project-manager",
        "program-manager",
        "rd-manager",
        "process-engineering-manager",
        "quality-manager",
        "engineering-operations-manager",
        "mechanical-engineering-manager",
    },
    "certifications": {"pmp", "eit", "pe", "cpe", "csm", "lean-six-sigma-green-belt", "mem", "mba-technical"},
}


@pytest.fixture(scope="module")
def catalog() -> dict:
    return normalise_catalog(read_catalog(CATALOG_PATH))


@pytest.fixture(scope="module")
def roles(catalog) -> dict[str, dict]:
    return {r["slug"]: r for r in catalog["roles"]}


@pytest.fixture(scope="module")
def skill_area(catalog) -> dict[str, str]:
    return {s["slug"]: s["area"] for s in catalog["skills"]}


def average_level(role: dict) -> float:
    return mean(r["level"] for r in role["requirements"])


@pytest.mark.parametrize("section", sorted(REQUIRED))
def test_the_required_entries_exist(catalog, section):
    slugs = {entry["slug"] for entry in catalog[section]}

    assert REQUIRED[section] <= slugs, REQUIRED[section] - slugs


def test_each_track_has_its_orientation(catalog):
    orientations = {t["slug"]: t["orientation"] for t in catalog["tracks"]}

    assert orientations == {"technical": "technical", "management": "managerial", "project": "project"}


def test_every_skill_describes_five_levels_and_offers_three_to_five_actions(catalog):
    for skill in catalog["skills"]:
        levels = [skill[f"level_{n}"] for n in range(1, 6)]
        assert all(len(text) > 30 for text in levels), skill["slug"]
        assert len(set(levels)) == 5, skill["slug"]
        assert 3 <= len(skill["actions"]) <= 5, skill["slug"]
        assert skill["description"], skill["slug"]


def test_every_role_expects_six_to_twelve_skills_at_levels_1_to_5_with_weights_1_to_3(roles):
    for slug, role in roles.items():
        assert 6 <= len(role["requirements"]) <= 12, slug
        assert all(1 <= r["level"] <= 5 for r in role["requirements"]), slug
        assert all(1 <= r["weight"] <= 3 for r in role["requirements"]), slug


def test_every_role_names_two_to_four_experiences_that_fit_a_milestone_title(roles):
    from plans.models import Milestone

    longest = Milestone._meta.get_field("title").max_length
    for slug, role in roles.items():
        assert 2 <= len(role["experiences"]) <= 4, slug
        assert all(10 < len(text) <= longest for text in role["experiences"]), slug
        assert len(set(role["experiences"])) == len(role["experiences"]), slug


def test_every_role_is_reachable_from_the_entry_role(catalog, roles):
    moves = defaultdict(set)
    for move in catalog["progressions"]:
        moves[move["from"]].add(move["to"])
    reached, queue = {ENTRY_ROLE}, deque([ENTRY_ROLE])
    while queue:
        for target in moves[queue.popleft()] - reached:
            reached.add(target)
            queue.append(target)

    assert reached == set(roles)


def test_promotions_raise_the_average_level_expected(catalog, roles):
    for move in catalog["progressions"]:
        if move["kind"] == "promotion":
            assert average_level(roles[move["to"]]) > average_level(roles[move["from"]]), move


def test_ranks_on_one_track_rise_with_the_level_expected(roles):
    for track in ("technical", "management", "project"):
        by_rank = defaultdict(list)
        for role in roles.values():
            if role["track"] == track:
                by_rank[role["rank"]].append(average_level(role))
        for lower, higher in pairwise(sorted(by_rank)):
            assert max(by_rank[lower]) < min(by_rank[higher]), (track, lower, higher)


def test_technical_roles_weigh_technical_skills_most(roles, skill_area):
    for slug, role in roles.items():
        if role["track"] != "technical":
            continue
        weight = Counter()
        for requirement in role["requirements"]:
            weight[skill_area[requirement["skill"]]] += requirement["weight"]
        assert weight.most_common(1)[0][0] == "technical", slug


def test_managers_need_leadership_and_communication(roles):
    for slug, role in roles.items():
        if role["track"] != "management" or role["rank"] < 2:
            continue
        levels = {r["skill"]: r["level"] for r in role["requirements"]}
        assert levels.get("leadership", 0) >= 3, slug
        assert "communication" in levels or "stakeholder-communication" in levels, slug


def test_the_entry_role_and_the_tracks_lateral_moves_exist(catalog):
    moves = {(m["from"], m["to"]): m["kind"] for m in catalog["progressions"]}

    assert moves[("engineer", "senior-engineer")] == "promotion"
    assert moves[("senior-engineer", "tech-lead")] == "lateral"
    assert moves[("tech-lead", "senior-engineer")] == "lateral"
    assert moves[("staff-engineer", "engineering-manager")] == "lateral"
    assert moves[("engineering-project-manager", "engineering-manager")] == "lateral"
    assert moves[("engineering-manager", "engineering-project-manager")] == "lateral"
    assert moves[("tech-lead", "engineering-manager")] == "promotion"


def test_every_salary_figure_has_a_source_currency_and_a_figure(roles):
    figures = [s for role in roles.values() for s in role["salaries"]]

    assert figures
    for figure in figures:
        assert figure["source"], figure
        assert len(figure["currency"]) == 3, figure
        assert any(figure[k] is not None for k in ("average", "median", "low", "high")), figure
        assert figure["note"], figure  # says what the figure is (base or total pay, what's missing)


def test_every_role_has_a_pay_figure_with_a_source_that_says_where_and_when(roles, catalog):
    sources = {s["slug"]: s for s in catalog["sources"]}

    for role in roles.values():
        assert role["salaries"], f"{role['slug']} has no pay figure"
        for figure in role["salaries"]:
            assert figure["source"] in sources, (role["slug"], figure)
            assert figure["region"], (role["slug"], figure)


BLS_CODE = re.compile(r"\b(\d{2}-\d{4})\b")


def test_bls_figures_are_medians_that_name_their_occupation_link_it_and_say_they_are_a_proxy(roles, catalog):
    bls = {s["slug"]: s for s in catalog["sources"] if s["publisher"] == "US Bureau of Labor Statistics"}
    used = set()

    for role in roles.values():
        for figure in role["salaries"]:
            source = bls.get(figure["source"])
            if source is None:
                continue
            used.add(source["slug"])
            code = BLS_CODE.search(source["title"])[1]
            assert figure["median"] and figure["average"] is None, (role["slug"], figure)
            assert figure["year"] and str(figure["year"]) in source["title"], (role["slug"], figure)
            assert figure["region"] == "United States" and figure["currency"] == "USD"
            assert code in figure["note"] and "proxy" in figure["note"].lower(), (role["slug"], figure)
            assert source["url"] == f"https://www.bls.gov/oes/{figure['year']}/may/oes{code.replace('-', '')}.htm"
    assert used == set(bls), f"BLS sources no figure uses: {set(bls) - used}"


def test_salary_figures_without_a_year_say_so(roles):
    for role in roles.values():
        for figure in role["salaries"]:
            if figure["year"] is None:
                assert "no year" in figure["note"], (role["slug"], figure)


def test_the_engineering_manager_has_pay_figures_for_each_region_the_guide_covers(roles):
    regions = {(s["region"], s["currency"]) for s in roles["engineering-manager"]["salaries"]}

    assert regions >= {
        ("United States", "USD"),
        ("United Kingdom", "GBP"),
        ("Germany", "EUR"),
        ("Australia", "AUD"),
        ("India", "INR"),
    }


def test_pe_requires_eit(catalog):
    credentials = {c["slug"]: c for c in catalog["certifications"]}

    assert credentials["pe"]["prerequisites"] == ["eit"]
    assert credentials["pe"]["kind"] == "licence"
    assert credentials["pe"]["min_years_experience"] >= credentials["eit"]["min_years_experience"]


def test_every_credential_builds_skills_and_helps_roles(catalog):
    for credential in catalog["certifications"]:
        assert credential["skills"], credential["slug"]
        assert credential["roles"], credential["slug"]
        assert credential["issuer"], credential["slug"]


def test_the_engineering_manager_interview_covers_the_four_areas_the_guide_names(roles):
    areas = Counter(q["area"] for q in roles["engineering-manager"]["interview_questions"])

    assert set(areas) >= {"project-management", "communication", "leadership", "technical"}
    assert all(q["source"] for q in roles["engineering-manager"]["interview_questions"])


def test_management_project_and_senior_technical_roles_have_two_to_four_questions_per_area(roles):
    for slug, role in roles.items():
        if slug in ("engineer", "engineering-manager"):
            continue
        areas = Counter(q["area"] for q in role["interview_questions"])
        assert len(areas) >= 2, slug
        assert all(2 <= n <= 4 for n in areas.values()), (slug, areas)


def test_every_source_is_cited_and_every_fact_cites_a_known_source(catalog):
    cited = Counter()
    for role in catalog["roles"]:
        cited[role["source"]] += 1
        for part in ("salaries", "interview_questions"):
            cited.update(entry["source"] for entry in role[part])
    cited.update(c["source"] for c in catalog["certifications"])
    cited.update(m["source"] for m in catalog["progressions"])
    del cited[None]

    assert set(cited) == {s["slug"] for s in catalog["sources"]}
