"""The calibration example in docs/scoring.md, recomputed: the page's numbers must be the engine's."""

import json
import re

import pytest

from assessments import calibration

from .test_scoring_doc import DOC
from .test_scoring_doc import example as example  # the fixture: the scored person of the first example

BLOCK = re.compile(r"<!-- calibration-example:(?P<name>[a-z-]+) -->\s*```json\n(?P<body>.*?)\n```", re.DOTALL)


@pytest.fixture(scope="module")
def blocks():
    found = {match["name"]: json.loads(match["body"]) for match in BLOCK.finditer(DOC.read_text(encoding="utf-8"))}
    assert set(found) == {"input", "expected"}, "docs/scoring.md needs the calibration example's input and expected"
    return found


@pytest.fixture(scope="module")
def calibrated(example, blocks):
    given = blocks["input"]
    return calibration.calibrate(
        self_levels=example["result"].skill_levels,
        manager=given["manager"],
        peers={slug: tuple(pair) for slug, pair in given["peers"].items()},
    )


def test_doc_calibration_levels_uncertainty_sources_and_leniency(calibrated, blocks):
    found = {
        skill.skill: {
            "level": skill.level,
            "uncertainty": skill.uncertainty,
            "sources": list(skill.sources),
            "leniency": skill.leniency,
        }
        for skill in calibrated.skills
    }
    assert found == blocks["expected"]["skills"]


def test_doc_calibration_agreements(calibrated, blocks):
    found = [[a.first, a.second, a.agreed, a.compared] for a in calibrated.agreements]
    assert found == blocks["expected"]["agreements"]


def test_doc_calibration_readiness_before_and_after(example, calibrated, blocks):
    result, roles = example["result"], example["roles"]
    after = calibration.role_readiness(result=result, calibration=calibrated, roles=list(roles.values()))
    rows = calibration.compare_roles(
        before=result, after=after, calibration=calibrated, roles=roles, slugs=blocks["expected"]["readiness"]
    )
    assert {row.slug: [row.self_readiness, row.readiness] for row in rows} == blocks["expected"]["readiness"]
