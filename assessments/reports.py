"""What the result pages show, built from a result's stored data alone (pure).

Nothing here reads the live catalog: a result is shown exactly as it was scored,
even after HR renames or deletes a role.
"""

from dataclasses import dataclass
from typing import Any

from . import charts, scoring
from .advice import Advice

DIMENSION_LABELS = {**scoring.DIMENSION_LABELS, scoring.BALANCED: "Balanced"}
DIMENSION_BLURBS = {
    "technical": "deepening expertise and solving hard problems yourself",
    "managerial": "leading people and growing teams and organisations",
    "project": "leading projects and programmes to delivery",
}


def lean_words(dimension: str, score: float) -> str:
    """What a track score says, in words that match it: toward, neither, or away from (50 is neutral)."""
    what = DIMENSION_BLURBS[dimension]
    if score >= 60:
        return f"Leaning toward {what}"
    if score > 40:
        return f"Neither toward nor away from {what}"
    return f"Leaning away from {what}"


@dataclass(frozen=True)
class StoredResult:
    result: scoring.AssessmentResult
    roles: dict[str, scoring.RoleSpec]
    skills: dict[str, str]
    certifications: dict[str, str]
    advice: Advice | None = None

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> "StoredResult":
        return cls(
            result=scoring.AssessmentResult.from_dict(data["result"]),
            roles={role["slug"]: scoring.RoleSpec.from_dict(role) for role in data["roles"]},
            skills=dict(data.get("skills", {})),
            certifications=dict(data.get("certifications", {})),
            advice=Advice.from_dict(data["advice"]) if data.get("advice") else None,
        )

    def matches(self, limit: int = 5) -> list[scoring.RoleReadiness]:
        return [role for role in self.result.readiness if not role.is_current][:limit]

    def listed_matches(self) -> list[scoring.RoleReadiness]:
        """The matches a result page lists: every role with the advice, the closest six before it."""
        return self.matches(6) if self.advice is None else self.matches(len(self.result.readiness))

    def default_target(self) -> str | None:
        """The advice's first next step; for results scored before the advice, the closest match."""
        if self.advice is not None:
            first = self.advice.first_step or (self.advice.further_ahead[0] if self.advice.further_ahead else None)
            return first.slug if first else None
        matches = self.matches(1)
        return matches[0].slug if matches else None

    def gaps(self, slug: str) -> scoring.RoleGaps:
        return scoring.gaps_for(self.result, self.roles[slug], skills=self.skills)

    def radar(self, slug: str) -> charts.RadarChart | None:
        role = self.roles[slug]
        if len(role.requirements) < 3:
            return None
        axes = [
            charts.RadarAxis(
                label=self.skills.get(req.skill, req.skill),
                value=self.result.skill_levels.get(req.skill, 0.0),
                target=req.level,
            )
            for req in role.requirements
        ]
        return charts.radar(axes)

    def skill_rows(self, slug: str) -> list[dict[str, Any]]:
        """The chart's text alternative: each required skill with the person's and the role's level."""
        rows = []
        for req in self.roles[slug].requirements:
            current = self.result.skill_levels.get(req.skill)
            rows.append(
                {
                    "name": self.skills.get(req.skill, req.skill),
                    "current": current,
                    "required": req.level,
                    "met": current is not None and current >= req.level,
                }
            )
        return rows


@dataclass(frozen=True)
class Change:
    label: str
    before: float | None
    after: float | None

    @property
    def delta(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


def compare(earlier: StoredResult, later: StoredResult, *, roles_limit: int = 8) -> dict[str, list[Change]]:
    """What moved between two results: orientation, skill levels, readiness for the roles in both."""
    orientation = [
        Change(DIMENSION_LABELS[dim], earlier.result.orientation.get(dim), later.result.orientation.get(dim))
        for dim in scoring.DIMENSIONS
    ]
    skill_slugs = sorted(set(earlier.result.skill_levels) | set(later.result.skill_levels))
    names = {**earlier.skills, **later.skills}
    skills = [
        Change(names.get(slug, slug), earlier.result.skill_levels.get(slug), later.result.skill_levels.get(slug))
        for slug in skill_slugs
    ]
    skills.sort(key=lambda c: (-(abs(c.delta) if c.delta is not None else 0), c.label))
    before = {role.slug: role for role in earlier.result.readiness}
    readiness = [
        Change(role.name, before[role.slug].readiness, role.readiness)
        for role in later.result.readiness
        if role.slug in before
    ][:roles_limit]
    return {"orientation": orientation, "skills": skills, "readiness": readiness}
