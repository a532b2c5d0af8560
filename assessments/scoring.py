"""The scoring engine: answers in, orientation, skill levels and role readiness out.

Pure Python on plain frozen dataclasses: no ORM, no Django. Callers turn database
rows into the `*Spec` inputs, call `score()`, and store `AssessmentResult.to_dict()`.
The method, its constants and a worked example are in docs/scoring.md; change
ENGINE_VERSION whenever a change here can change a stored result.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from .dataclass_json import Serialisable

ENGINE_VERSION = "2.0"

DIMENSIONS = ("technical", "managerial", "project")
BALANCED = "balanced"
# One name per dimension, used by every page: the track each dimension stands for.
DIMENSION_LABELS = {"technical": "Technical", "managerial": "Management", "project": "Project leadership"}

LIKERT, CHOICE, SKILL = "likert", "choice", "skill"
ITEM_KINDS = (LIKERT, CHOICE, SKILL)

ANSWER_MIN, ANSWER_MAX, NEUTRAL = 1, 5, 3
LEVEL_MIN, LEVEL_MAX = 1, 5

# Best fit is "balanced" when the top two dimensions are this close (points out of 100).
BALANCE_MARGIN = 7.5
# An orientation score at or above this earns the full orientation credit for a role.
ORIENTATION_TARGET = 60
# Skills gate readiness: readiness = 100 x skills x experience factor x orientation factor.
# A skill requirement one level short earns half its credit, two levels short none.
SHORTFALL_ZERO_TENTHS = 20
# The factors run from these floors (no experience, no orientation) up to 1.
EXPERIENCE_FLOOR = Fraction(3, 4)
ORIENTATION_FLOOR = Fraction(4, 5)
# Readiness in words: the lowest readiness of each band, best first.
READINESS_BANDS = (
    (93, "ready-now", "ready now"),
    (80, "within-a-year", "ready within about a year"),
    (60, "two-to-three-years", "two to three years away"),
    (0, "stretch", "a stretch for now"),
)
# Two answers to items of one consistency group this far apart (direction-adjusted) are flagged.
CONSISTENCY_THRESHOLD = 3
# How many answers an explanation names per dimension, and gaps per role.
TOP_MOVERS = 3
TOP_GAPS = 3

LIKERT_WORDS = {1: "strongly disagree", 2: "disagree", 3: "neither agree nor disagree", 4: "agree", 5: "strongly agree"}


class ScoringError(ValueError):
    """The inputs can't be scored: an answer out of range, an unknown item, a malformed spec."""


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class DimensionKey:
    """An item counts toward `dimension` with `weight`; direction -1 means reverse-keyed."""

    dimension: str
    weight: float
    direction: int = 1

    def __post_init__(self):
        _check_key(self)


@dataclass(frozen=True, slots=True)
class ItemSpec(Serialisable):
    """One questionnaire item.

    likert: agreement 1-5 with `text`, counted toward `keys`.
    choice: preference 1-5 between `option_a` (1) and `option_b` (5); 3 is no preference.
            Leaning to A counts toward `a_keys`, leaning to B toward `b_keys`.
    skill:  self-rating 1-5 of `skill` against its level descriptors; no orientation keys.
    Items sharing a non-empty `consistency_group` measure the same thing.
    """

    key: str
    kind: str
    text: str
    keys: tuple[DimensionKey, ...] = ()
    option_a: str = ""
    option_b: str = ""
    a_keys: tuple[DimensionKey, ...] = ()
    b_keys: tuple[DimensionKey, ...] = ()
    skill: str | None = None
    consistency_group: str = ""
    # (dimension, sign x weight, weight) per key, worked out once; see _signed_keys.
    signed: tuple[tuple[str, float, float], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "signed", _signed_keys(self))


@dataclass(frozen=True, slots=True)
class RequirementSpec:
    """A role expects `skill` at `level` (1-5); `weight` (1-3) is how much it counts."""

    skill: str
    level: int
    weight: int = 1

    def __post_init__(self):
        _check_requirement(self)


@dataclass(frozen=True, slots=True)
class RoleSpec(Serialisable):
    """A catalog role. `orientation` is its track's dimension; `rank` breaks ranking ties."""

    slug: str
    name: str
    orientation: str
    typical_years_min: int = 0
    typical_years_max: int | None = None
    requirements: tuple[RequirementSpec, ...] = ()
    certifications: tuple[str, ...] = ()
    rank: int = 0
    # Career level comparable across tracks (1 = entry), and the disciplines the role is open to (empty: all).
    level: int = 1
    disciplines: tuple[str, ...] = ()
    # Worked out once: sum of requirement weights, and per requirement (skill, level in tenths, weight);
    # see _role_readiness.
    total_weight: int = field(init=False, repr=False, compare=False)
    steps: tuple[tuple[str, int, int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        _check_role(self)
        object.__setattr__(self, "total_weight", sum(req.weight for req in self.requirements))
        steps = tuple((req.skill, 10 * req.level, req.weight) for req in self.requirements)
        object.__setattr__(self, "steps", steps)


@dataclass(frozen=True, slots=True)
class SkillSpec:
    """A skill's display name, for explanations."""

    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class PersonSpec(Serialisable):
    """What the engine needs to know about the person besides their answers."""

    years_experience: int = 0
    current_role: str | None = None
    held_certifications: frozenset[str] = frozenset()
    # For the advice (assessments/advice.py): discipline slug, the role and direction the person
    # says they want next, and how many people report to them now.
    discipline: str | None = None
    goal_role: str | None = None
    goal_direction: str = "undecided"
    direct_reports: int = 0
    region: str = ""  # where they work, as the catalog's credentials name regions; "" when not said

    def __post_init__(self):
        _check_person(self)


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True, slots=True)
class Mover:
    """One answer's effect on a dimension score, in points out of 100."""

    item: str
    text: str
    answer: int
    answer_words: str
    points: float


@dataclass(frozen=True, slots=True)
class DimensionExplanation:
    dimension: str
    score: float
    summary: str
    movers: tuple[Mover, ...] = ()


@dataclass(frozen=True, slots=True)
class Explanations:
    best_fit: str
    dimensions: tuple[DimensionExplanation, ...]


@dataclass(frozen=True, slots=True)
class Gap:
    """Something holding a role's readiness down, and the readiness points it costs.

    kind is "skill" (key = skill slug), "experience" or "orientation" (key = dimension).
    """

    kind: str
    key: str
    label: str
    current: float
    required: float
    points: float


@dataclass(frozen=True, slots=True)
class RoleReadiness:
    """How ready the person is for one role (0-100) and why.

    The credits are in [0, 1]; readiness = floor(60 skills + 20 experience + 20 orientation).
    fit is the person's orientation score for the role's dimension (the first tie-breaker).
    """

    slug: str
    name: str
    orientation: str
    readiness: int
    fit: float
    skills_credit: float
    experience_credit: float
    orientation_credit: float
    explanation: str
    top_gaps: tuple[Gap, ...] = ()
    is_current: bool = False


@dataclass(frozen=True, slots=True)
class ConsistencyFlag:
    """Two items of one consistency group answered in opposite ways. Flags never change scores."""

    group: str
    item_a: str
    item_b: str
    message: str


@dataclass(frozen=True, slots=True)
class AssessmentResult(Serialisable):
    """Everything one scoring run produced. `readiness` is ranked, best first, and lists every role.

    best_fit is a dimension, or "balanced"; `leading` names the one or two dimensions behind it.
    """

    engine_version: str
    orientation: dict[str, float]
    best_fit: str
    leading: tuple[str, ...]
    skill_levels: dict[str, float]
    readiness: tuple[RoleReadiness, ...]
    explanations: Explanations
    consistency_flags: tuple[ConsistencyFlag, ...]
    person: PersonSpec = field(default_factory=PersonSpec)

    def role(self, slug: str) -> RoleReadiness:
        for role in self.readiness:
            if role.slug == slug:
                return role
        raise KeyError(slug)


@dataclass(frozen=True, slots=True)
class SkillGap:
    skill: str
    name: str
    current: float
    required: int
    weight: int
    shortfall: float
    rated: bool = True


@dataclass(frozen=True, slots=True)
class RoleGaps(Serialisable):
    """What stands between the person and a target role. Skill gaps: largest weight x shortfall first."""

    role: str
    name: str
    skill_gaps: tuple[SkillGap, ...]
    missing_certifications: tuple[str, ...]
    experience_gap_years: int
    orientation_gap: float


# --------------------------------------------------------------------------- validation
# The input dataclasses check themselves when built, so an invalid spec can't reach
# score(); score() itself checks what only a whole call can: answers and duplicates.


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _signed_keys(item: ItemSpec) -> tuple[tuple[str, float, float], ...]:
    """Check an item and return (dimension, sign x weight, weight) per key.

    The sign folds in the direction and, for choice items, which option the key
    belongs to: a_keys count toward A, i.e. toward low answers, so they are negated.
    A contribution is then always sign x weight x (answer - 3).
    """
    where = f"Item {item.key!r}"
    if item.kind not in ITEM_KINDS:
        raise ScoringError(f"{where}: kind must be one of {', '.join(ITEM_KINDS)}, not {item.kind!r}.")
    if item.kind == SKILL:
        if not item.skill:
            raise ScoringError(f"{where}: a skill item needs the skill it rates.")
        if item.keys or item.a_keys or item.b_keys:
            raise ScoringError(f"{where}: a skill item has no orientation keys.")
        return ()
    if item.kind == LIKERT:
        if item.a_keys or item.b_keys:
            raise ScoringError(f"{where}: a likert item uses keys, not a_keys/b_keys.")
        if not item.keys:
            raise ScoringError(f"{where}: a likert item needs at least one dimension key.")
        signed = [(key, 1) for key in item.keys]
    else:
        if not item.option_a or not item.option_b:
            raise ScoringError(f"{where}: a choice item needs both option_a and option_b.")
        if item.keys:
            raise ScoringError(f"{where}: a choice item uses a_keys/b_keys, not keys.")
        if not item.a_keys and not item.b_keys:
            raise ScoringError(f"{where}: a choice item needs a_keys or b_keys.")
        signed = [(key, -1) for key in item.a_keys] + [(key, 1) for key in item.b_keys]
    seen: set[str] = set()
    result = []
    for key, side in signed:
        if not isinstance(key, DimensionKey):
            raise ScoringError(f"{where}: keys must be DimensionKey, not {key!r}.")
        if key.dimension in seen:
            raise ScoringError(f"{where}: dimension {key.dimension!r} is keyed more than once.")
        seen.add(key.dimension)
        result.append((key.dimension, side * key.direction * key.weight, key.weight))
    return tuple(result)


def _check_key(key: DimensionKey) -> None:
    where = f"Dimension key {key.dimension!r}"
    if key.dimension not in DIMENSIONS:
        raise ScoringError(f"{where}: unknown dimension; use one of {', '.join(DIMENSIONS)}.")
    if key.direction not in (1, -1) or isinstance(key.direction, bool):
        raise ScoringError(f"{where}: direction must be +1 or -1, not {key.direction!r}.")
    if isinstance(key.weight, bool) or not isinstance(key.weight, int | float):
        raise ScoringError(f"{where}: weight must be a number, not {key.weight!r}.")
    if not math.isfinite(key.weight) or key.weight <= 0:
        raise ScoringError(f"{where}: weight must be a positive number, not {key.weight!r}.")


def _check_answers(answers: Mapping[str, int], known: Mapping[str, ItemSpec]) -> None:
    for key, value in answers.items():
        if key not in known:
            raise ScoringError(f"Answer to unknown item {key!r}.")
        if not _is_int(value) or not ANSWER_MIN <= value <= ANSWER_MAX:
            raise ScoringError(f"Answer to {key!r} must be a whole number from 1 to 5, not {value!r}.")


def _check_role(role: RoleSpec) -> None:
    where = f"Role {role.slug!r}"
    if role.orientation not in DIMENSIONS:
        raise ScoringError(f"{where}: orientation must be one of {', '.join(DIMENSIONS)}, not {role.orientation!r}.")
    if not _is_int(role.typical_years_min) or role.typical_years_min < 0:
        raise ScoringError(f"{where}: typical_years_min must be a whole number >= 0.")
    if role.typical_years_max is not None and (
        not _is_int(role.typical_years_max) or role.typical_years_max < role.typical_years_min
    ):
        raise ScoringError(f"{where}: typical_years_max must be empty or >= typical_years_min.")
    if not _is_int(role.level) or role.level < 1:
        raise ScoringError(f"{where}: level must be a whole number >= 1, not {role.level!r}.")
    skills: set[str] = set()
    for req in role.requirements:
        if not isinstance(req, RequirementSpec):
            raise ScoringError(f"{where}: requirements must be RequirementSpec, not {req!r}.")
        if req.skill in skills:
            raise ScoringError(f"{where}: skill {req.skill!r} is required twice.")
        skills.add(req.skill)


def _check_requirement(req: RequirementSpec) -> None:
    where = f"Requirement {req.skill!r}"
    if not _is_int(req.level) or not LEVEL_MIN <= req.level <= LEVEL_MAX:
        raise ScoringError(f"{where}: level must be a whole number from 1 to 5, not {req.level!r}.")
    if not _is_int(req.weight) or req.weight < 1:
        raise ScoringError(f"{where}: weight must be a whole number >= 1, not {req.weight!r}.")


GOAL_DIRECTIONS = ("undecided", "technical", "management", "project")


def _check_person(person: PersonSpec) -> None:
    if not _is_int(person.years_experience) or person.years_experience < 0:
        raise ScoringError(f"years_experience must be a whole number >= 0, not {person.years_experience!r}.")
    if person.goal_direction not in GOAL_DIRECTIONS:
        raise ScoringError(
            f"goal_direction must be one of {', '.join(GOAL_DIRECTIONS)}, not {person.goal_direction!r}."
        )
    if not _is_int(person.direct_reports) or person.direct_reports < 0:
        raise ScoringError(f"direct_reports must be a whole number >= 0, not {person.direct_reports!r}.")


# --------------------------------------------------------------------------- helpers


def _tenths(value: float) -> int:
    """A score already rounded to one decimal, as a whole number of tenths (57.5 -> 575)."""
    return round(value * 10)


def _round1(value: float) -> float:
    """Round to one decimal, halves up (56.25 -> 56.3). Monotone: a larger value never rounds lower."""
    return math.floor(value * 10 + 0.5) / 10


def _years(role: RoleSpec) -> str:
    if role.typical_years_max is None:
        return f"{role.typical_years_min}+"
    return f"{role.typical_years_min}-{role.typical_years_max}"


def _answer_words(item: ItemSpec, value: int) -> str:
    if item.kind == LIKERT:
        return LIKERT_WORDS[value]
    if item.kind == CHOICE:
        if value == NEUTRAL:
            return "no clear preference"
        strength = "strongly" if value in (ANSWER_MIN, ANSWER_MAX) else "somewhat"
        return f"{strength} prefer “{item.option_a if value < NEUTRAL else item.option_b}”"
    return f"level {value} of 5"


def _skill_names(skills: Iterable[SkillSpec] | Mapping[str, str]) -> dict[str, str]:
    if isinstance(skills, Mapping):
        return dict(skills)
    return {skill.slug: skill.name for skill in skills}


# --------------------------------------------------------------------------- scoring


def score(
    *,
    items: Sequence[ItemSpec],
    answers: Mapping[str, int],
    roles: Sequence[RoleSpec] = (),
    person: PersonSpec | None = None,
    skills: Iterable[SkillSpec] | Mapping[str, str] = (),
) -> AssessmentResult:
    """Score one response against the catalog. Raises ScoringError on invalid input.

    Unanswered items are left out. `skills` gives display names (slug -> name); a
    skill without one is shown by its slug.
    """
    person = person or PersonSpec()
    by_key: dict[str, ItemSpec] = {}
    for item in items:
        if item.key in by_key:
            raise ScoringError(f"Item key {item.key!r} is used twice.")
        by_key[item.key] = item
    _check_answers(answers, by_key)
    if len({role.slug for role in roles}) != len(roles):
        raise ScoringError("Role slugs must be unique.")
    names = _skill_names(skills)

    orientation, dimension_explanations = _orientation(items, answers)
    best_fit, leading, best_fit_text = _best_fit(orientation)
    skill_tenths = _skill_tenths(items, answers)
    return AssessmentResult(
        engine_version=ENGINE_VERSION,
        orientation=orientation,
        best_fit=best_fit,
        leading=leading,
        skill_levels={slug: tenths / 10 for slug, tenths in skill_tenths.items()},
        readiness=_ranked_readiness(roles, orientation, skill_tenths, person, names),
        explanations=Explanations(best_fit=best_fit_text, dimensions=dimension_explanations),
        consistency_flags=_consistency_flags(items, answers),
        person=person,
    )


def _ranked_readiness(
    roles: Sequence[RoleSpec],
    orientation: Mapping[str, float],
    skill_tenths: Mapping[str, int],
    person: PersonSpec,
    names: Mapping[str, str],
) -> tuple[RoleReadiness, ...]:
    """Every role's readiness, best first (ties: track fit, then the catalog's rank, then the slug)."""
    ranked = sorted(
        (_role_readiness(role, orientation, skill_tenths, person, names) for role in roles),
        key=lambda pair: (-pair[0].readiness, -pair[0].fit, pair[1], pair[0].slug),
    )
    return tuple(readiness for readiness, _rank in ranked)


def with_skill_levels(
    result: AssessmentResult,
    levels: Mapping[str, float],
    *,
    roles: Sequence[RoleSpec],
    skills: Iterable[SkillSpec] | Mapping[str, str] = (),
) -> AssessmentResult:
    """`result` with other skill levels (1-5, one decimal) and every role's readiness worked out again on them.

    Orientation, person and explanations stay as scored; the readiness is the very rule
    `score()` applies (used by assessments.calibration for levels that others' ratings
    have calibrated). Levels are rounded half up to one decimal, as the engine keeps them.
    """
    tenths = {}
    for slug, level in levels.items():
        if not LEVEL_MIN <= level <= LEVEL_MAX:
            raise ScoringError(f"Skill level for {slug!r} must be from 1 to 5, not {level!r}.")
        tenths[slug] = math.floor(level * 10 + 0.5)
    if len({role.slug for role in roles}) != len(roles):
        raise ScoringError("Role slugs must be unique.")
    return replace(
        result,
        skill_levels={slug: value / 10 for slug, value in tenths.items()},
        readiness=_ranked_readiness(roles, result.orientation, tenths, result.person, _skill_names(skills)),
    )


def _orientation(
    items: Sequence[ItemSpec], answers: Mapping[str, int]
) -> tuple[dict[str, float], tuple[DimensionExplanation, ...]]:
    """score = 50 + 50 x sum(sign x weight x (answer - 3)) / sum(2 x weight), per dimension."""
    total = dict.fromkeys(DIMENSIONS, 0.0)
    span = dict.fromkeys(DIMENSIONS, 0.0)
    contributions: dict[str, list[tuple[ItemSpec, int, float]]] = {dim: [] for dim in DIMENSIONS}
    for item in items:
        value = answers.get(item.key)
        if value is None:
            continue
        for dim, sign_weight, weight in item.signed:
            contribution = sign_weight * (value - NEUTRAL)
            total[dim] += contribution
            span[dim] += 2 * weight
            contributions[dim].append((item, value, contribution))

    scores: dict[str, float] = {}
    explanations = []
    for dim in DIMENSIONS:
        raw = 50 + 50 * total[dim] / span[dim] if span[dim] else 50.0
        scores[dim] = _round1(min(max(raw, 0.0), 100.0))
        moved = sorted((c for c in contributions[dim] if c[2]), key=lambda c: -abs(c[2]))[:TOP_MOVERS]
        movers = tuple(
            Mover(item.key, item.text, value, _answer_words(item, value), _round1(50 * c / span[dim]))
            for item, value, c in moved
        )
        explanations.append(_dimension_explanation(dim, scores[dim], len(contributions[dim]), movers))
    return scores, tuple(explanations)


def _dimension_explanation(dim: str, value: float, answered: int, movers: tuple[Mover, ...]) -> DimensionExplanation:
    head = f"{DIMENSION_LABELS[dim]}: {value:.0f} of 100"
    if not answered:
        summary = f"{head}. No answered item measures it, so it stays at the neutral 50."
    elif not movers:
        summary = f"{head}. Every answer about it was neutral, so it stays at 50."
    else:
        moved = "; ".join(f"“{m.text}”: {m.answer_words} ({_signed_points(m.points)})" for m in movers)
        plural = "s" if answered > 1 else ""
        summary = f"{head}, from {answered} answer{plural} (50 is neutral). Moved most by {moved}."
    return DimensionExplanation(dimension=dim, score=value, summary=summary, movers=movers)


def _signed_points(points: float) -> str:
    whole = math.floor(abs(points) + 0.5)
    if not whole:
        return "under one point"
    return f"{'+' if points > 0 else '−'}{whole}"


def _best_fit(orientation: Mapping[str, float]) -> tuple[str, tuple[str, ...], str]:
    """The leading dimension, or balanced when the top two are within BALANCE_MARGIN.

    `leading` always starts with the dimension ahead (by score, then DIMENSIONS order), so a
    balanced verdict still says which way it leans.
    """
    first, second = sorted(DIMENSIONS, key=lambda dim: (-orientation[dim], DIMENSIONS.index(dim)))[:2]
    lead = _tenths(orientation[first]) - _tenths(orientation[second])
    one, two = DIMENSION_LABELS[first].lower(), DIMENSION_LABELS[second].lower()
    if lead <= _tenths(BALANCE_MARGIN):
        leaning = f"leaning slightly toward {one}" if lead >= 10 else "with neither ahead"
        text = (
            f"Balanced between {one} ({orientation[first]:.0f}) and {two} ({orientation[second]:.0f}), "
            f"{leaning}: roles on either track may suit you."
        )
        return BALANCED, (first, second), text
    text = (
        f"Your answers lean to {one} ({orientation[first]:.0f} of 100), "
        f"clearly ahead of {two} ({orientation[second]:.0f})."
    )
    return first, (first,), text


def _skill_tenths(items: Sequence[ItemSpec], answers: Mapping[str, int]) -> dict[str, int]:
    """Average self-rating per skill, rounded half up to one decimal, in tenths (3.5 -> 35)."""
    ratings: dict[str, list[int]] = {}
    for item in items:
        if item.kind == SKILL and item.key in answers:
            ratings.setdefault(item.skill, []).append(answers[item.key])
    # round(10 x sum / n), halves up, in integers: (20 x sum + n) // (2n)
    return {slug: (20 * sum(values) + len(values)) // (2 * len(values)) for slug, values in ratings.items()}


def _role_readiness(
    role: RoleSpec,
    orientation: Mapping[str, float],
    skill_tenths: Mapping[str, int],
    person: PersonSpec,
    names: Mapping[str, str],
) -> tuple[RoleReadiness, int]:
    """readiness = floor(100 x skills x experience factor x orientation factor); returns (it, rank).

    Skills gate the result: experience and orientation scale the skills credit instead of
    adding to it, so a role is never well on its way while a third of its skills are short.
    skills = sum(weight x credit) / sum(weight), where a requirement's credit is 1 when met,
    1/2 one level short and 0 two or more levels short (linear between, in tenths of a level);
    experience factor = 3/4 + 1/4 x min(years, typical minimum) / typical minimum;
    orientation factor = 4/5 + 1/5 x min(fit, 60) / 60. Every part is an exact fraction, so
    readiness is 100 exactly when every skill, the years and the orientation are met.
    """
    # Whole numbers throughout (Fraction is several times slower): each factor is num / den.
    total_weight = role.total_weight
    skills_num, skills_den = (0, SHORTFALL_ZERO_TENTHS * total_weight) if total_weight else (1, 1)
    shortfalls: list[tuple[str, int, int, int, int]] = []  # (skill, level, tenths, weight, credit in 20ths)
    for skill, needed, weight in role.steps:
        tenths = skill_tenths.get(skill, 0)
        credit = _requirement_credit(tenths, needed)
        skills_num += weight * credit
        if tenths < needed:
            shortfalls.append((skill, needed // 10, tenths, weight, credit))
    years_min = role.typical_years_min
    years = min(person.years_experience, years_min)
    # A factor floor + (1 - floor) x share, with floor = p / q and share = a / b, is (p b + (q - p) a) / (q b).
    p, q = EXPERIENCE_FLOOR.numerator, EXPERIENCE_FLOOR.denominator
    exp_num, exp_den = (p * years_min + (q - p) * years, q * years_min) if years_min else (1, 1)
    fit = orientation[role.orientation]
    target = 10 * ORIENTATION_TARGET
    fit_tenths = min(_tenths(fit), target)
    p, q = ORIENTATION_FLOOR.numerator, ORIENTATION_FLOOR.denominator
    orient_num, orient_den = p * target + (q - p) * fit_tenths, q * target
    denominator = skills_den * exp_den * orient_den
    readiness = 100 * skills_num * exp_num * orient_num // denominator

    # What each shortfall costs: the readiness points it alone takes away (numerators over `denominator`).
    costs: list[tuple[int, int, Any]] = []
    for skill, level, tenths, weight, credit in shortfalls:
        lost = 100 * weight * (SHORTFALL_ZERO_TENTHS - credit) * exp_num * orient_num
        costs.append((-lost, len(costs), (skill, level, tenths)))
    if exp_num < exp_den:
        costs.append((-(100 * skills_num * (exp_den - exp_num) * orient_num), len(costs), "experience"))
    if orient_num < orient_den:
        costs.append((-(100 * skills_num * exp_num * (orient_den - orient_num)), len(costs), "orientation"))
    costs.sort()
    costs = [cost for cost in costs if cost[0] < 0]  # a shortfall that costs nothing now holds nothing back
    gaps = [_gap(what, _round1(-loss / denominator), role, person, fit, names) for loss, _n, what in costs[:TOP_GAPS]]
    top_gaps = tuple(gap for gap, _words in gaps)
    held_back = "; ".join(words for _gap, words in gaps)
    met = len(role.steps) - len(shortfalls)
    far = sum(1 for _s, level, tenths, _w, _c in shortfalls if 10 * level - tenths >= 10)
    skills_words = f"{met} of {len(role.steps)} skills at the level the role expects"
    if far:
        skills_words += f" ({far} a whole level or more short)"
    explanation = (
        f"{role.name}: {readiness_words(readiness)} (readiness {readiness} of 100). {skills_words}; "
        f"{_plural(person.years_experience, 'year')} of experience against a typical {_years(role)}; "
        f"{DIMENSION_LABELS[role.orientation].lower()} orientation {fit:.0f} (a lean of {ORIENTATION_TARGET} "
        "counts in full). " + (f"Held back most by: {held_back}." if gaps else "Every requirement is met.")
    )
    readiness_row = RoleReadiness(
        slug=role.slug,
        name=role.name,
        orientation=role.orientation,
        readiness=readiness,
        fit=fit,
        skills_credit=skills_num / skills_den,
        experience_credit=years / years_min if years_min else 1.0,
        orientation_credit=fit_tenths / target,
        explanation=explanation,
        top_gaps=top_gaps,
        is_current=role.slug == person.current_role,
    )
    return readiness_row, role.rank


def _requirement_credit(tenths: int, needed: int) -> int:
    """A requirement's credit in SHORTFALL_ZERO_TENTHS-ths: all of it when met, falling by one per
    tenth of a level short, to none two levels short."""
    if tenths >= needed:
        return SHORTFALL_ZERO_TENTHS
    return max(0, SHORTFALL_ZERO_TENTHS - (needed - tenths))


def readiness_band(readiness: int) -> tuple[str, str]:
    """(key, words) of the band a readiness falls in: "ready-now", "within-a-year", ..."""
    for floor, key, words in READINESS_BANDS:
        if readiness >= floor:
            return key, words
    return READINESS_BANDS[-1][1], READINESS_BANDS[-1][2]


def readiness_words(readiness: int) -> str:
    return readiness_band(readiness)[1].capitalize()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _level(value: float) -> str:
    return f"{value:g}"


def _gap(
    what: Any, points: float, role: RoleSpec, person: PersonSpec, fit: float, names: Mapping[str, str]
) -> tuple[Gap, str]:
    """A top gap, and the words for it in the role's explanation."""
    lost = f"−{points:.0f} points" if points >= 0.5 else "under one point"
    if what == "experience":
        years = person.years_experience
        gap = Gap("experience", "experience", "Experience", float(years), role.typical_years_min, points)
        return gap, f"{_plural(years, 'year')} of experience where {role.typical_years_min} is typical ({lost})"
    if what == "orientation":
        label = f"{DIMENSION_LABELS[role.orientation]} orientation"
        gap = Gap("orientation", role.orientation, label, fit, ORIENTATION_TARGET, points)
        return gap, f"{label} of {fit:.0f} where {ORIENTATION_TARGET} counts in full ({lost})"
    skill, level, tenths = what
    name = names.get(skill, skill)
    if not tenths:
        gap = Gap("skill", skill, f"{name} (not rated)", 0.0, level, points)
        return gap, f"{name} not rated, level {level} expected ({lost})"
    gap = Gap("skill", skill, name, tenths / 10, level, points)
    return gap, f"{name} at level {_level(tenths / 10)} where {level} is expected ({lost})"


def _consistency_flags(items: Sequence[ItemSpec], answers: Mapping[str, int]) -> tuple[ConsistencyFlag, ...]:
    """Flag pairs in a group whose answers, read in one common direction, are >= 3 apart."""
    groups: dict[str, list[ItemSpec]] = {}
    for item in items:
        if item.consistency_group and item.key in answers:
            groups.setdefault(item.consistency_group, []).append(item)
    flags = []
    for group, members in groups.items():
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                a, b = _aligned(first, second, answers)
                if abs(a - b) >= CONSISTENCY_THRESHOLD:
                    words_a = _answer_words(first, answers[first.key])
                    words_b = _answer_words(second, answers[second.key])
                    message = (
                        f"“{first.text}” ({words_a}) and “{second.text}” ({words_b}) measure the same thing "
                        "but your answers point opposite ways. Worth a second look."
                    )
                    flags.append(ConsistencyFlag(group, first.key, second.key, message))
    return tuple(flags)


def _aligned(first: ItemSpec, second: ItemSpec, answers: Mapping[str, int]) -> tuple[int, int]:
    """Both answers read in one direction: toward the dimension both items key most heavily.

    Without a shared dimension each item is read toward its own heaviest key; skill
    items (no keys) are read as rated.
    """
    keys_a = {dim: sign_weight for dim, sign_weight, _weight in first.signed}
    keys_b = {dim: sign_weight for dim, sign_weight, _weight in second.signed}
    shared = [dim for dim in DIMENSIONS if dim in keys_a and dim in keys_b]
    if shared:
        dim = max(shared, key=lambda d: abs(keys_a[d]) + abs(keys_b[d]))
        sign_a, sign_b = keys_a[dim], keys_b[dim]
    else:
        sign_a = max(keys_a.values(), key=abs, default=1)
        sign_b = max(keys_b.values(), key=abs, default=1)

    def read(item: ItemSpec, sign: float) -> int:
        value = answers[item.key]
        return value if sign > 0 else ANSWER_MIN + ANSWER_MAX - value

    return read(first, sign_a), read(second, sign_b)


# --------------------------------------------------------------------------- gaps


def gaps_for(
    source: AssessmentResult | Mapping[str, float],
    role: RoleSpec,
    *,
    person: PersonSpec | None = None,
    orientation: Mapping[str, float] | None = None,
    skills: Iterable[SkillSpec] | Mapping[str, str] = (),
) -> RoleGaps:
    """What stands between the person and `role`: skill gaps (largest weight x shortfall first),
    missing recommended certifications, years of experience and orientation points still to go.

    `source` is a result (its skill levels, orientation and person are used) or a
    mapping of skill slug -> level, with `person` and `orientation` given alongside.
    """
    if isinstance(source, AssessmentResult):
        levels = source.skill_levels
        person = person or source.person
        orientation = orientation or source.orientation
    else:
        levels = source
    person = person or PersonSpec()
    names = _skill_names(skills)
    skill_gaps = [
        SkillGap(
            skill=req.skill,
            name=names.get(req.skill, req.skill),
            current=levels.get(req.skill, 0.0),
            required=req.level,
            weight=req.weight,
            shortfall=_round1(req.level - levels.get(req.skill, 0.0)),
            rated=req.skill in levels,
        )
        for req in role.requirements
        if levels.get(req.skill, 0.0) < req.level
    ]
    skill_gaps.sort(key=lambda gap: (-gap.weight * gap.shortfall, gap.skill))
    fit = (orientation or {}).get(role.orientation, 50.0)
    return RoleGaps(
        role=role.slug,
        name=role.name,
        skill_gaps=tuple(skill_gaps),
        missing_certifications=tuple(slug for slug in role.certifications if slug not in person.held_certifications),
        experience_gap_years=max(0, role.typical_years_min - person.years_experience),
        orientation_gap=_round1(max(0.0, ORIENTATION_TARGET - fit)),
    )
