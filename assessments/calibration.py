"""Calibrated skill levels: the self-assessment beside a manager's rating and peers' aggregate (pure).

Plain data in, frozen dataclasses out, no ORM: callers pass the self-assessment's skill levels
(1-5, one decimal), the manager's levels (whole levels; None or absent: not observed) and the
peers' aggregate per skill, (mean level, how many answered), which counts only from PEERS_MIN
answers on. The rule, its reasons and a worked example are in docs/scoring.md
("Calibrated readiness"); assessments/tests/test_calibration_doc.py recomputes that example.

Per skill, with the levels in tenths:
- the sources' weights are fixed: the self-rating 1, the manager 2, the peers' mean 2;
- leniency: where another source exists and the self-rating is above the others' weighted
  mean, the excess is taken for leniency and not counted: the self-rating counts at the
  others' mean. A self-rating at or below the others counts as given;
- the calibrated level is the weighted mean, rounded half up to one decimal;
- the uncertainty (plus or minus, in levels) is BASE_UNCERTAINTY / sqrt(total weight), plus
  half of however far the sources' spread (highest minus lowest level) exceeds AGREE_WITHIN.

Readiness on calibrated levels is `scoring.with_skill_levels`, the engine's own rule.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from . import scoring

SELF, MANAGER, PEERS = "self", "manager", "peers"
SOURCES = (SELF, MANAGER, PEERS)
# How much each source counts. Self-ratings agree with supervisors' far less than peers' and
# supervisors' agree with each other (docs/scoring.md), so the self-rating counts least.
WEIGHTS = {SELF: 1, MANAGER: 2, PEERS: 2}
# Peers' ratings count (and are shown) only as an aggregate of at least this many answers.
PEERS_MIN = 3
# Two sources agree when they are at most this many levels apart (teams.comparison uses it too).
AGREE_WITHIN = 1.0
# Plus or minus this many levels for one rating of weight 1 (a lone self-rating).
BASE_UNCERTAINTY = 1.0

_AGREE_TENTHS = round(AGREE_WITHIN * 10)
_PAIRS = ((SELF, MANAGER), (SELF, PEERS), (MANAGER, PEERS))


class CalibrationError(ValueError):
    """A level out of 1-5, or not a number; a peer count below zero."""


@dataclass(frozen=True, slots=True)
class CalibratedSkill:
    """One skill's calibrated level and what it rests on. Levels 1-5; `sources` in SOURCES order."""

    skill: str
    name: str
    level: float
    uncertainty: float  # plus or minus, in levels
    sources: tuple[str, ...]
    self_level: float | None = None
    manager_level: int | None = None
    peer_level: float | None = None  # the peers' mean, one decimal, when PEERS_MIN or more answered
    peer_count: int = 0
    leniency: float = 0.0  # levels of the self-rating above the others' mean that were not counted
    spread: float = 0.0  # highest minus lowest source level

    @property
    def self_only(self) -> bool:
        return self.sources == (SELF,)

    @property
    def label(self) -> str:
        """What the level rests on, in words: "self-rating only", "self and manager", ..."""
        if self.self_only:
            return "self-rating only"
        names = [_source_words(source, self.peer_count) for source in self.sources]
        if len(names) == 1:
            return f"{names[0]} only"
        return ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def agree(self) -> bool:
        """Every source within AGREE_WITHIN of every other (a lone source agrees with itself)."""
        return self.spread <= AGREE_WITHIN


@dataclass(frozen=True, slots=True)
class Agreement:
    """On how many of the skills both rated two sources agree (at most AGREE_WITHIN apart)."""

    first: str
    second: str
    agreed: int
    compared: int

    @property
    def words(self) -> str:
        noun = "skill" if self.compared == 1 else "skills"
        return f"{self.first} and {self.second} agree on {self.agreed} of {self.compared} {noun}"


@dataclass(frozen=True, slots=True)
class Basis:
    """What a set of skills (a role's requirements) rests on."""

    required: int
    rated: int  # by at least one source
    self_only: int  # rated by the self-assessment alone
    agreements: tuple[Agreement, ...]

    @property
    def with_others(self) -> int:
        return self.rated - self.self_only

    @property
    def words(self) -> str:
        if not self.rated:
            return "no skill it asks for is rated yet"
        if self.with_others == 0:
            return "the self-rating only"
        parts = [f"{self.with_others} of {self.required} skills rated by someone besides the self-assessment"]
        parts += [agreement.words for agreement in self.agreements]
        if self.self_only:
            parts.append(f"{self.self_only} on the self-rating only")
        return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class Calibration:
    """Every skill any source rated, in the order given (self-assessment's skills first)."""

    skills: tuple[CalibratedSkill, ...]
    agreements: tuple[Agreement, ...]  # the pairs of sources that rated a skill in common

    def levels(self) -> dict[str, float]:
        return {skill.skill: skill.level for skill in self.skills}

    @property
    def sources(self) -> tuple[str, ...]:
        used = {source for skill in self.skills for source in skill.sources}
        return tuple(source for source in SOURCES if source in used)

    @property
    def label(self) -> str:
        """The sources used on any skill, in words: "self and manager", "self, manager and peers"."""
        names = list(self.sources)
        return names[0] if len(names) <= 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def self_only(self) -> bool:
        """Nothing but the self-assessment: the levels are the self-ratings, and the page says so."""
        return self.sources in ((SELF,), ())

    def skill(self, slug: str) -> CalibratedSkill | None:
        return next((skill for skill in self.skills if skill.skill == slug), None)

    def basis(self, slugs: Iterable[str]) -> Basis:
        """What the levels of `slugs` (say, a role's required skills) rest on."""
        wanted = list(dict.fromkeys(slugs))
        rated = [skill for slug in wanted if (skill := self.skill(slug)) is not None]
        return Basis(
            required=len(wanted),
            rated=len(rated),
            self_only=sum(skill.self_only for skill in rated),
            agreements=_agreements(rated),
        )


@dataclass(frozen=True, slots=True)
class RoleCalibration:
    """A role's readiness on the self-ratings alone and on the calibrated levels, and what it rests on."""

    slug: str
    name: str
    self_readiness: int
    readiness: int
    band: str
    band_words: str
    basis: Basis

    @property
    def change(self) -> int:
        return self.readiness - self.self_readiness


# --------------------------------------------------------------------------- the rule


def calibrate_skill(
    skill: str,
    *,
    name: str = "",
    self_level: float | None = None,
    manager_level: int | None = None,
    peers: tuple[float, int] | None = None,
) -> CalibratedSkill | None:
    """One skill's calibrated level from whichever sources rated it; None when none did."""
    tenths: dict[str, int] = {}
    if self_level is not None:
        tenths[SELF] = _tenths(self_level, f"self level of {skill!r}")
    if manager_level is not None:
        tenths[MANAGER] = _tenths(manager_level, f"manager level of {skill!r}")
    peer_count = 0
    if peers is not None:
        mean, count = peers
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise CalibrationError(f"Peer count of {skill!r} must be a whole number >= 0, not {count!r}.")
        if count >= PEERS_MIN:
            tenths[PEERS] = _tenths(mean, f"peers' mean level of {skill!r}")
            peer_count = count
    if not tenths:
        return None
    sources = tuple(source for source in SOURCES if source in tenths)
    counted: dict[str, Fraction] = {source: Fraction(value) for source, value in tenths.items()}
    leniency = Fraction(0)
    others = [source for source in sources if source != SELF]
    if SELF in tenths and others:
        consensus = Fraction(sum(WEIGHTS[s] * tenths[s] for s in others), sum(WEIGHTS[s] for s in others))
        if tenths[SELF] > consensus:
            leniency = tenths[SELF] - consensus
            counted[SELF] = consensus
    total = sum(WEIGHTS[source] for source in sources)
    exact = sum(WEIGHTS[source] * counted[source] for source in sources) / total
    level = _half_up(exact)
    spread = max(tenths.values()) - min(tenths.values())
    uncertainty = BASE_UNCERTAINTY / math.sqrt(total) + max(0, spread - _AGREE_TENTHS) / 20
    return CalibratedSkill(
        skill=skill,
        name=name or skill,
        level=level / 10,
        uncertainty=math.floor(uncertainty * 10 + 0.5) / 10,
        sources=sources,
        self_level=tenths[SELF] / 10 if SELF in tenths else None,
        manager_level=manager_level if manager_level is not None else None,
        peer_level=tenths[PEERS] / 10 if PEERS in tenths else None,
        peer_count=peer_count,
        leniency=_half_up(leniency) / 10,
        spread=spread / 10,
    )


def calibrate(
    *,
    self_levels: Mapping[str, float],
    manager: Mapping[str, int | None] | None = None,
    peers: Mapping[str, tuple[float, int]] | None = None,
    names: Mapping[str, str] | None = None,
) -> Calibration:
    """Every skill's calibrated level: the self-assessment's skills in their order, then the others' skills."""
    manager = manager or {}
    peers = peers or {}
    names = names or {}
    slugs = list(dict.fromkeys([*self_levels, *manager, *peers]))
    skills = []
    for slug in slugs:
        calibrated = calibrate_skill(
            slug,
            name=names.get(slug, ""),
            self_level=self_levels.get(slug),
            manager_level=manager.get(slug),
            peers=peers.get(slug),
        )
        if calibrated is not None:
            skills.append(calibrated)
    return Calibration(skills=tuple(skills), agreements=_agreements(skills))


def role_readiness(
    *,
    result: scoring.AssessmentResult,
    calibration: Calibration,
    roles: Sequence[scoring.RoleSpec],
    skills: Mapping[str, str] | Iterable[scoring.SkillSpec] = (),
) -> scoring.AssessmentResult:
    """The result with its skill levels replaced by the calibrated ones and readiness worked out again."""
    return scoring.with_skill_levels(result, calibration.levels(), roles=roles, skills=skills)


def compare_roles(
    *,
    before: scoring.AssessmentResult,
    after: scoring.AssessmentResult,
    calibration: Calibration,
    roles: Mapping[str, scoring.RoleSpec],
    slugs: Iterable[str],
) -> tuple[RoleCalibration, ...]:
    """For each of `slugs` both results scored: readiness before and after calibration, and its basis."""
    rows = []
    for slug in dict.fromkeys(slugs):
        if slug not in roles:
            continue
        try:
            was, now = before.role(slug), after.role(slug)
        except KeyError:
            continue
        band, words = scoring.readiness_band(now.readiness)
        basis = calibration.basis(req.skill for req in roles[slug].requirements)
        rows.append(RoleCalibration(slug, now.name, was.readiness, now.readiness, band, words, basis))
    return tuple(rows)


# --------------------------------------------------------------------------- helpers


def _tenths(value: float, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CalibrationError(f"The {what} must be a number from 1 to 5, not {value!r}.")
    if not scoring.LEVEL_MIN <= value <= scoring.LEVEL_MAX:
        raise CalibrationError(f"The {what} must be from 1 to 5, not {value!r}.")
    return math.floor(value * 10 + 0.5)


def _half_up(value: Fraction) -> int:
    """A non-negative fraction rounded half up to a whole number, exactly."""
    return math.floor(value + Fraction(1, 2))


def _source_words(source: str, peer_count: int) -> str:
    if source == PEERS:
        return f"{peer_count} peers"
    return source


def _agreements(skills: Sequence[CalibratedSkill]) -> tuple[Agreement, ...]:
    levels = {
        SELF: lambda s: s.self_level,
        MANAGER: lambda s: s.manager_level,
        PEERS: lambda s: s.peer_level,
    }
    found = []
    for first, second in _PAIRS:
        compared = agreed = 0
        for skill in skills:
            a, b = levels[first](skill), levels[second](skill)
            if a is None or b is None:
                continue
            compared += 1
            agreed += abs(round(a * 10) - round(b * 10)) <= _AGREE_TENTHS
        if compared:
            found.append(Agreement(first, second, agreed, compared))
    return tuple(found)
