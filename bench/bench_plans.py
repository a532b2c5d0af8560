"""Micro-benchmark of the plan generator: one realistic advancement plan generated many times.

Run: .venv/bin/python bench/bench_plans.py [--iterations N]
Prints one JSON line: per-plan mean, median and p99 in microseconds, for a request with
20 skill gaps, 5 recommended credentials (two of them needing prerequisites that are
pulled in), an experience gap and a 3-step path; once with a horizon that fits and once
with a short horizon that forces the schedule to be squeezed.
"""

import argparse
import json
import platform
import random
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from plans.generator import (  # noqa: E402
    GENERATOR_VERSION,
    CredentialInput,
    PlanRequest,
    SkillGapInput,
    StepInput,
    generate,
)


def realistic_request(rng: random.Random) -> PlanRequest:
    skill_gaps = tuple(
        SkillGapInput(
            skill=f"skill-{n}",
            name=f"Skill {n}",
            current=rng.choice((0.0, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5)),
            required=rng.randint(3, 5),
            weight=rng.randint(1, 3),
            actions=tuple(f"Suggested action {k} for skill {n}" for k in range(rng.randint(2, 5))),
        )
        for n in range(20)
    )
    catalog = {
        c.slug: c
        for c in (
            CredentialInput("eit", "Engineer in Training", "licence", 3),
            CredentialInput("pe", "Professional Engineer", "licence", 4, ("eit",), 4),
            CredentialInput("capm", "Certified Associate in Project Management", "certification", 2),
            CredentialInput("pmp", "Project Management Professional", "certification", 3, ("capm",), 3),
            CredentialInput("csm", "Certified ScrumMaster", "certification", 1),
            CredentialInput("six-sigma", "Six Sigma Green Belt", "certification", 2),
            CredentialInput("mem", "Master of Engineering Management", "degree", 18),
        )
    }
    recommended = tuple(catalog[slug] for slug in ("pe", "pmp", "csm", "six-sigma", "mem"))
    return PlanRequest(
        start=date(2025, 3, 27),
        horizon_months=96,  # the path takes 7.5 years typically: everything fits
        years_experience=2,
        goal_slug="engineering-manager",
        goal_name="Engineering Manager",
        skill_gaps=skill_gaps,
        credentials=recommended,
        catalog_credentials=catalog,
        held_credentials=frozenset({"csm"}),
        experience_gap_years=3,
        steps=(
            StepInput("senior-engineer", "Senior Engineer", 2, 4),
            StepInput("tech-lead", "Tech Lead", 1, 3),
            StepInput("engineering-manager", "Engineering Manager", 2, 3),
        ),
    )


def measure(request: PlanRequest, iterations: int) -> dict:
    proposal = generate(request)
    for _ in range(200):  # warm-up
        generate(request)
    timings = []
    for _ in range(iterations):
        start = time.perf_counter()
        generate(request)
        timings.append((time.perf_counter() - start) * 1e6)
    timings.sort()
    return {
        "horizon_months": proposal.horizon_months,
        "milestones": len(proposal.milestones),
        "notes": len(proposal.notes),
        "iterations": iterations,
        "mean_us": round(statistics.fmean(timings), 1),
        "median_us": round(statistics.median(timings), 1),
        "p99_us": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    args = parser.parse_args()
    request = realistic_request(random.Random(20250327))
    report = {
        "benchmark": "plans",
        "generator_version": GENERATOR_VERSION,
        "python": platform.python_version(),
        "fits": measure(request, args.iterations),
        "squeezed": measure(replace(request, horizon_months=12), args.iterations),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
