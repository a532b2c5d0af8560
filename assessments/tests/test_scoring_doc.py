"""The worked example in docs/scoring.md, recomputed: the page's numbers must be the engine's numbers."""

import json
import re
from pathlib import Path

import pytest

from assessments.scoring import ENGINE_VERSION, ItemSpec, PersonSpec, RoleSpec, gaps_for, score

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
BLOCK = re.compile(r"<!-- scoring-example:(?P<name>[a-z]+) -->\s*```json\n(?P<body>.*?)\n```", re.DOTALL)


def example_blocks() -> dict[str, dict]:
    blocks = {match["name"]: json.loads(match["body"]) for match in BLOCK.finditer(DOC.read_text(encoding="utf-8"))}
    assert set(blocks) == {"input", "expected"}, "docs/scoring.md needs one input and one expected block"
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
            "points": {
                "skills": round(60 * row.skills_credit, 1),
                "experience": round(20 * row.experience_credit, 1),
                "orientation": round(20 * row.orientation_credit, 1),
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
