"""Micro-benchmark of the scoring engine: one response scored against a whole catalog.

Run: .venv/bin/python bench/bench_scoring.py [--iterations N]
Prints one JSON line: per-call mean, median, p99 and min in microseconds of score(), for
a synthetic catalog-sized input (40 items, 20 roles x 10 requirements) and, when
roles/data/catalog.yaml exists, for the real catalog (with the real questionnaire from
assessments/data/questionnaire.yaml when that exists too).

Shared or busy machines make single numbers noisy, so the line also carries
"calibration_us": the time of a fixed pure-Python workload (sum(range(1000))), measured
in the same run. Divide by it to compare runs across machines.
"""

import argparse
import json
import platform
import random
import statistics
import sys
import time
import timeit
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessments.scoring import (  # noqa: E402
    CHOICE,
    DIMENSIONS,
    ENGINE_VERSION,
    LIKERT,
    SKILL,
    DimensionKey,
    ItemSpec,
    PersonSpec,
    RequirementSpec,
    RoleSpec,
    SkillSpec,
    score,
)

CATALOG = ROOT / "roles" / "data" / "catalog.yaml"
QUESTIONNAIRE = ROOT / "assessments" / "data" / "questionnaire.yaml"


def orientation_items(rng: random.Random, count: int) -> list[ItemSpec]:
    """Likert and choice items over the three dimensions, some reverse-keyed, in consistency pairs."""
    items = []
    for n in range(count):
        dim = DIMENSIONS[n % 3]
        other = DIMENSIONS[(n + 1) % 3]
        group = f"group-{n // 2}" if n < count // 2 else ""
        if n % 4 == 3:
            items.append(
                ItemSpec(
                    key=f"o{n}",
                    kind=CHOICE,
                    text=f"Which would you rather do, {n}?",
                    option_a=f"Work on {dim}",
                    option_b=f"Work on {other}",
                    a_keys=(DimensionKey(dim, rng.choice((1.0, 1.5, 2.0))),),
                    b_keys=(DimensionKey(other, 1.0),),
                    consistency_group=group,
                )
            )
        else:
            keys = (DimensionKey(dim, rng.choice((1.0, 1.5, 2.0)), -1 if n % 5 == 0 else 1),)
            if n % 3 == 0:
                keys += (DimensionKey(other, 0.5),)
            items.append(
                ItemSpec(key=f"o{n}", kind=LIKERT, text=f"Statement number {n}.", keys=keys, consistency_group=group)
            )
    return items


def skill_items(skill_slugs: list[str]) -> list[ItemSpec]:
    return [ItemSpec(key=f"s-{slug}", kind=SKILL, text=f"Rate {slug}.", skill=slug) for slug in skill_slugs]


def synthetic(rng: random.Random) -> dict:
    skill_slugs = [f"skill-{n}" for n in range(16)]
    items = orientation_items(rng, 24) + skill_items(skill_slugs)
    roles = [
        RoleSpec(
            slug=f"role-{n}",
            name=f"Role {n}",
            orientation=DIMENSIONS[n % 3],
            typical_years_min=rng.randint(0, 12),
            requirements=tuple(
                RequirementSpec(slug, rng.randint(1, 5), rng.randint(1, 3))
                # 10 requirements, drawn from 20 skills so some are never rated
                for slug in rng.sample([*skill_slugs, *(f"unrated-{k}" for k in range(4))], 10)
            ),
            certifications=("cert-a", "cert-b"),
            rank=n // 3,
        )
        for n in range(20)
    ]
    return {"items": items, "roles": roles, "skills": [SkillSpec(slug, slug.title()) for slug in skill_slugs]}


def _requirements(raw) -> tuple[RequirementSpec, ...]:
    """Requirements as a list of {skill, level, weight} or a mapping skill -> level or -> {level, weight}."""
    if isinstance(raw, dict):
        raw = [
            {"skill": skill, **(value if isinstance(value, dict) else {"level": value})} for skill, value in raw.items()
        ]
    return tuple(RequirementSpec(req["skill"], int(req["level"]), int(req.get("weight", 1))) for req in raw or ())


def from_catalog(rng: random.Random, path: Path) -> dict:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    tracks = {track["slug"]: track.get("orientation", track["slug"]) for track in data.get("tracks", [])}
    track_order = {track["slug"]: n for n, track in enumerate(data.get("tracks", []))}
    certs_by_role: dict[str, list[str]] = {}
    for cert in data.get("certifications", []):
        for role_slug in cert.get("roles", []):
            certs_by_role.setdefault(role_slug, []).append(cert["slug"])
    roles = []
    for raw in data.get("roles", []):
        track = raw.get("track")
        orientation = raw.get("orientation") or tracks.get(
            track if isinstance(track, str) else (track or {}).get("slug")
        )
        roles.append(
            RoleSpec(
                slug=raw["slug"],
                name=raw.get("name", raw["slug"]),
                orientation=orientation,
                typical_years_min=int(raw.get("typical_years_min") or 0),
                typical_years_max=raw.get("typical_years_max"),
                requirements=_requirements(raw.get("requirements")),
                certifications=tuple(raw.get("certifications") or certs_by_role.get(raw["slug"], ())),
                rank=track_order.get(track, 0) * 100 + int(raw.get("rank") or 0),
            )
        )
    names = [SkillSpec(skill["slug"], skill.get("name", skill["slug"])) for skill in data.get("skills", [])]
    if QUESTIONNAIRE.exists():
        questionnaire = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8")) or {}
        items = [ItemSpec.from_dict(item) for section in questionnaire.get("sections", []) for item in section["items"]]
    else:
        skill_slugs = sorted({req.skill for role in roles for req in role.requirements})
        items = orientation_items(rng, 24) + skill_items(skill_slugs)
    return {"items": items, "roles": roles, "skills": names}


def measure(inputs: dict, iterations: int, rng: random.Random) -> dict:
    items = inputs["items"]
    person = PersonSpec(years_experience=7, current_role=None, held_certifications=frozenset({"cert-a"}))
    # A handful of different realistic responses, cycled, with one unanswered item each.
    responses = []
    for _ in range(8):
        answers = {item.key: rng.randint(1, 5) for item in items}
        answers.pop(rng.choice(items).key)
        responses.append(answers)
    call = {"items": items, "roles": inputs["roles"], "skills": inputs["skills"], "person": person}
    for answers in responses * 50:  # warm-up
        score(answers=answers, **call)
    timings = []
    for n in range(iterations):
        answers = responses[n % len(responses)]
        start = time.perf_counter()
        score(answers=answers, **call)
        timings.append((time.perf_counter() - start) * 1e6)
    timings.sort()
    calibration = min(timeit.repeat("sum(range(1000))", number=100, repeat=20)) / 100 * 1e6
    return {
        "items": len(items),
        "roles": len(inputs["roles"]),
        "requirements": sum(len(role.requirements) for role in inputs["roles"]),
        "iterations": iterations,
        "mean_us": round(statistics.fmean(timings), 1),
        "median_us": round(statistics.median(timings), 1),
        "p99_us": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 1),
        "min_us": round(timings[0], 1),
        "calibration_us": round(calibration, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(20250327)
    report = {
        "benchmark": "scoring",
        "engine_version": ENGINE_VERSION,
        "python": platform.python_version(),
        "synthetic": measure(synthetic(rng), args.iterations, rng),
        "catalog": measure(from_catalog(rng, CATALOG), args.iterations, rng) if CATALOG.exists() else None,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
