"""The persona suite's file (personas.yaml) is well formed against the questionnaire and the catalog.

These checks are about the file's integrity only: keys, slugs, answers and the shape of each
expectation. They never run the scoring engine; the expectations were written from the
descriptions, and what the engine makes of them is tested elsewhere.
"""

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
PERSONAS_PATH = Path(__file__).with_name("personas.yaml")
QUESTIONNAIRE_PATH = ROOT / "assessments" / "data" / "questionnaire.yaml"
CATALOG_PATH = ROOT / "roles" / "data" / "catalog.yaml"

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TRACKS = {"technical", "management", "project"}
DIRECTIONS = TRACKS | {"undecided"}
PROFILE_KEYS = {
    "discipline",
    "current_role",
    "years_experience",
    "certifications",
    "goal_role",
    "goal_direction",
    "direct_reports",
    "budget_owner",
}
EXPECTED_KEYS = {"track", "balanced_ok", "next_roles", "not_credentials"}
# A credential that a held one implies: a PE holder has passed the FE exam (EIT).
IMPLIED = {"pe": {"eit"}}


def load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


PERSONAS = load(PERSONAS_PATH)
QUESTIONNAIRE = load(QUESTIONNAIRE_PATH)
CATALOG = load(CATALOG_PATH)
ITEM_KEYS = [item["key"] for section in QUESTIONNAIRE["sections"] for item in section["items"]]
ROLES = {role["slug"]: role for role in CATALOG["roles"]}
DISCIPLINES = {d["slug"] for d in CATALOG["disciplines"]}
CREDENTIALS = {c["slug"] for c in CATALOG["certifications"]}
MOVES: dict[str, set[str]] = {}
for move in CATALOG["progressions"]:
    MOVES.setdefault(move["from"], set()).add(move["to"])


def persona_id(persona: dict) -> str:
    return persona.get("key", "?")


def below_or_same(role: str, current: str) -> bool:
    """Whether `role` is `current` or a lower rung of the same track."""
    a, b = ROLES[role], ROLES[current]
    return role == current or (a["track"] == b["track"] and a["rank"] < b["rank"])


def roles_ahead(current: str | None) -> set[str]:
    """Roles that could be a next step: higher rungs of the same track and moves out of the role."""
    if current is None:
        return set(ROLES)
    track, rank = ROLES[current]["track"], ROLES[current]["rank"]
    higher = {slug for slug, role in ROLES.items() if role["track"] == track and role["rank"] > rank}
    return (higher | MOVES.get(current, set())) - {slug for slug in ROLES if below_or_same(slug, current)}


def test_the_suite_has_at_least_32_personas_with_unique_kebab_case_keys():
    keys = [persona_id(p) for p in PERSONAS]

    assert len(PERSONAS) >= 32
    assert [k for k, n in Counter(keys).items() if n > 1] == []
    assert [k for k in keys if not KEBAB.match(k)] == []


def test_the_suite_spreads_over_disciplines_tracks_and_years():
    disciplines = {p["profile"]["discipline"] for p in PERSONAS}
    tracks = Counter(p["expected"]["track"] for p in PERSONAS)
    years = [p["profile"]["years_experience"] for p in PERSONAS]
    current = {p["profile"]["current_role"] for p in PERSONAS}

    assert disciplines == DISCIPLINES
    assert all(tracks[t] >= 5 for t in TRACKS), tracks
    assert min(years) == 0 and max(years) >= 25
    assert None in current
    assert any(p["expected"]["balanced_ok"] for p in PERSONAS)


@pytest.mark.parametrize("persona", PERSONAS, ids=persona_id)
def test_the_persona_has_every_field(persona):
    assert set(persona) == {"key", "description", "profile", "expected", "answers"}
    assert set(persona["profile"]) == PROFILE_KEYS
    assert set(persona["expected"]) == EXPECTED_KEYS
    sentences = re.findall(r"[.!?](?:\s|$)", persona["description"].strip())
    assert 3 <= len(sentences) <= 6, "a description of 3-6 sentences"


@pytest.mark.parametrize("persona", PERSONAS, ids=persona_id)
def test_every_item_of_the_questionnaire_is_answered_1_to_5_and_nothing_else(persona):
    answers = persona["answers"]

    assert sorted(answers) == sorted(ITEM_KEYS)
    assert {k: v for k, v in answers.items() if not (isinstance(v, int) and 1 <= v <= 5)} == {}


@pytest.mark.parametrize("persona", PERSONAS, ids=persona_id)
def test_the_profile_uses_slugs_from_the_catalog(persona):
    profile = persona["profile"]

    assert profile["discipline"] in DISCIPLINES
    assert profile["current_role"] is None or profile["current_role"] in ROLES
    assert profile["goal_role"] is None or profile["goal_role"] in ROLES
    assert set(profile["certifications"]) <= CREDENTIALS
    assert profile["goal_direction"] in DIRECTIONS
    assert isinstance(profile["years_experience"], int) and 0 <= profile["years_experience"] <= 30
    assert isinstance(profile["direct_reports"], int) and profile["direct_reports"] >= 0
    assert isinstance(profile["budget_owner"], bool)


@pytest.mark.parametrize("persona", PERSONAS, ids=persona_id)
def test_the_expectation_is_well_formed(persona):
    expected, profile = persona["expected"], persona["profile"]
    current, next_roles = profile["current_role"], expected["next_roles"]

    assert expected["track"] in TRACKS
    assert isinstance(expected["balanced_ok"], bool)
    assert set(next_roles) <= set(ROLES)
    assert len(set(next_roles)) == len(next_roles)
    # Two to four next roles; fewer only when the catalog has fewer ahead (a VP has only CTO).
    assert min(2, len(roles_ahead(current))) <= len(next_roles) <= 4
    assert set(expected["not_credentials"]) <= CREDENTIALS


@pytest.mark.parametrize("persona", PERSONAS, ids=persona_id)
def test_no_next_role_is_behind_the_person_or_closed_to_their_discipline(persona):
    profile = persona["profile"]
    current, discipline = profile["current_role"], profile["discipline"]
    next_roles = persona["expected"]["next_roles"]

    if current is not None:
        assert [r for r in next_roles if below_or_same(r, current)] == []
    closed = [r for r in next_roles if ROLES[r]["disciplines"] and discipline not in ROLES[r]["disciplines"]]
    assert closed == []


@pytest.mark.parametrize("persona", PERSONAS, ids=persona_id)
def test_held_and_implied_credentials_are_never_to_be_recommended(persona):
    held = set(persona["profile"]["certifications"])
    implied = set().union(*(IMPLIED.get(c, set()) for c in held))

    assert held | implied <= set(persona["expected"]["not_credentials"])
