"""The worked example in docs/scoring.md, recomputed: the page's numbers must be the engine's numbers."""

import json
import re
from pathlib import Path

import pytest

from assessments.advice import CredentialSpec, advise
from assessments.scoring import ENGINE_VERSION, ItemSpec, PersonSpec, RoleSpec, gaps_for, score

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
BLOCK = re.compile(r"<!-- scoring-example:(?P<name>[a-z-]+) -->\s*```json\n(?P<body>.*?)\n```", re.DOTALL)


def example_blocks() -> dict[str, dict]:
    blocks = {match["name"]: json.loads(match["body"]) for match in BLOCK.finditer(DOC.read_text(encoding="utf-8"))}
    assert set(blocks) == {"input", "expected", "advice-input", "advice-expected"}, (
        "docs/scoring.md needs the scoring and the advice examples' input and expected blocks"
    )
    return blocks


@pytest.fixture(scope="module")
def example():
    blocks = example_blocks()
    data = blocks["input"]
    roles = [RoleSpec.from_dict(role) for role in data["roles"]]
    result = score(
        items=[ItemSpec.from_dict(item) for item in data["items"]],
        answers=data["answers"],
        roles=roles,
        person=PersonSpec.from_dict(data["person"]),
        skills=data["skills"],
    )
    return {"result": result, "roles": {role.slug: role for role in roles}, "expected": blocks["expected"]}


def test_doc_example_uses_the_current_engine_version(example):
    assert example["expected"]["engine_version"] == example["result"].engine_version == ENGINE_VERSION


def test_doc_example_orientation_best_fit_and_skill_levels(example):
    result, expected = example["result"], example["expected"]
    assert result.orientation == expected["orientation"]
    assert result.best_fit == expected["best_fit"]
    assert result.skill_levels == expected["skill_levels"]


def test_doc_example_movers(example):
    result, expected = example["result"], example["expected"]
    explained = {dim.dimension: dim for dim in result.explanations.dimensions}
    for dimension, movers in expected["movers"].items():
        assert [[mover.item, mover.points] for mover in explained[dimension].movers] == movers


def test_doc_example_consistency_flags(example):
    flags = [[flag.group, flag.item_a, flag.item_b] for flag in example["result"].consistency_flags]
    assert flags == example["expected"]["consistency_flags"]


def test_doc_example_readiness_points_and_top_gaps(example):
    rows = [
        {
            "role": row.slug,
            "readiness": row.readiness,
            "credits": {
                "skills": round(row.skills_credit, 3),
                "experience": round(row.experience_credit, 3),
                "orientation": round(row.orientation_credit, 3),
            },
            "top_gaps": [[gap.key, gap.points] for gap in row.top_gaps],
        }
        for row in example["result"].readiness
    ]
    assert rows == example["expected"]["readiness"]


def test_doc_example_gaps(example):
    expected = example["expected"]["gaps"]
    gaps = gaps_for(example["result"], example["roles"][expected["role"]])
    assert [[gap.skill, gap.shortfall, gap.weight, gap.rated] for gap in gaps.skill_gaps] == expected["skill_gaps"]
    assert list(gaps.missing_certifications) == expected["missing_certifications"]
    assert gaps.experience_gap_years == expected["experience_gap_years"]
    assert gaps.orientation_gap == expected["orientation_gap"]


def test_doc_example_advice():
    blocks = example_blocks()
    data, extra = blocks["input"], blocks["advice-input"]
    roles = [RoleSpec.from_dict({**role, "level": extra["levels"].get(role["slug"], 1)}) for role in data["roles"]]
    roles += [RoleSpec.from_dict(role) for role in extra["roles"]]
    result = score(
        items=[ItemSpec.from_dict(item) for item in data["items"]],
        answers=data["answers"],
        roles=roles,
        person=PersonSpec.from_dict(extra["person"]),
        skills=data["skills"],
    )
    credentials = [
        CredentialSpec(**{**cred, **{k: tuple(cred.get(k, ())) for k in ("prerequisites", "skills", "disciplines")}})
        for cred in extra["credentials"]
    ]
    advice = advise(result=result, roles=roles, moves=extra["moves"], credentials=credentials)
    expected = blocks["advice-expected"]
    assert [[s.slug, s.score, s.readiness] for s in advice.next_steps] == expected["next_steps"]
    assert [[s.slug, list(s.route), s.years_min, s.years_max] for s in advice.further_ahead] == expected[
        "further_ahead"
    ]
    assert [ref.slug for ref in advice.behind] == expected["behind"]
    assert [ref.slug for ref in advice.other_disciplines] == expected["other_disciplines"]
    assert [[cred.slug, cred.role] for cred in advice.credentials] == expected["credentials"]
