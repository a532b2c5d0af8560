"""The plan generator: an engineer's gaps for a target role in, dated milestones out.

Pure Python on plain frozen dataclasses: no ORM, no Django. Callers (the plans
views) turn catalog and assessment rows into a `PlanRequest`, call `generate()`,
and store each `ProposedMilestone` as a `plans.models.Milestone` row. How the
dates are chosen, with a worked example, is in docs/plans.md. Change
GENERATOR_VERSION whenever a change here can change a generated plan.

Internally every date is first an offset in months from the start (a float),
then turned into a calendar date by `_date_at`, which never goes backwards as the
offset grows. That is what keeps prerequisites due no later than what needs them
after scaling and clamping.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from assessments.dataclass_json import Serialisable
from careerpath.dates import add_months

GENERATOR_VERSION = "1.1"

# Milestone kinds: the values of plans.models.Milestone.Kind (not imported: this module stays Django-free).
SKILL, CERTIFICATION, EXPERIENCE, ROLE, CUSTOM = "skill", "certification", "experience", "role", "custom"
RENEWAL = "renewal"
KINDS = (SKILL, CERTIFICATION, EXPERIENCE, ROLE, CUSTOM, RENEWAL)
# Between milestones due on the same day: skills, then experience, credentials, renewals, role moves, the
# person's own.
KIND_RANK = {SKILL: 0, EXPERIENCE: 1, CERTIFICATION: 2, RENEWAL: 3, ROLE: 4, CUSTOM: 5}

HORIZON_MIN, HORIZON_MAX = 1, 240
DEFAULT_HORIZON_MIN, DEFAULT_HORIZON_MAX = 6, 120
LEVEL_MIN, LEVEL_MAX = 1, 5
WEIGHT_MIN, WEIGHT_MAX = 1, 3
# Nothing is due sooner than this after the start: a plan needs a little room to begin.
MIN_LEAD = timedelta(days=14)
# Skill milestones are spread over this share of the horizon, leaving the rest for the role moves.
SKILL_SHARE = 2 / 3
# How many of a skill's catalog actions a milestone carries.
ACTIONS_PER_SKILL = 3


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, slots=True)
class SkillGapInput:
    """A skill the target role expects. current is the self-rating (0 = not rated), required 1-5, weight 1-3."""

    skill: str
    name: str
    current: float
    required: int
    weight: int
    actions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CredentialInput:
    """A certification, licence or degree; prerequisites are other credentials' slugs."""

    slug: str
    name: str
    kind: str
    prep_months: int
    prerequisites: tuple[str, ...] = ()
    min_years_experience: int = 0


@dataclass(frozen=True, slots=True)
class RenewalInput:
    """A held credential's next renewal (plans/renewals.py works the date out), every cycle_months."""

    slug: str
    name: str
    due_date: date
    cycle_months: int


@dataclass(frozen=True, slots=True)
class StepInput:
    """One move along the path, into the role `slug`, typically taking years_min to years_max years."""

    slug: str
    name: str
    years_min: int
    years_max: int

    @property
    def typical_years(self) -> float:
        return (self.years_min + self.years_max) / 2


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """Everything the generator needs. `credentials` are the recommended ones the person lacks;
    `catalog_credentials` holds every credential by slug so prerequisites can be looked up;
    `steps` are the moves from the current role, in order, the last into the goal role
    (empty when no move is needed). horizon_months None means "choose for me"."""

    start: date
    horizon_months: int | None
    years_experience: int
    goal_slug: str
    goal_name: str
    skill_gaps: tuple[SkillGapInput, ...] = ()
    credentials: tuple[CredentialInput, ...] = ()
    catalog_credentials: Mapping[str, CredentialInput] = field(default_factory=dict)
    held_credentials: frozenset[str] = frozenset()
    experience_gap_years: int = 0
    steps: tuple[StepInput, ...] = ()
    # What the goal role expects people to have done that is not a skill or a credential (the catalog's).
    experiences: tuple[str, ...] = ()
    # Held credentials' next renewals; those due within the plan's window become milestones.
    renewals: tuple[RenewalInput, ...] = ()


# --------------------------------------------------------------------------- outputs


@dataclass(frozen=True, slots=True)
class ProposedMilestone:
    kind: str
    title: str
    description: str
    actions: tuple[str, ...]
    due_date: date
    subject_slug: str
    from_level: int | None
    to_level: int | None
    order: int


@dataclass(frozen=True, slots=True)
class Proposal(Serialisable):
    generator_version: str
    horizon_months: int
    ends_on: date
    milestones: tuple[ProposedMilestone, ...]
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- dates


def _date_at(start: date, months: float) -> date:
    """The date `months` (0 or more, possibly fractional) after start; never earlier for a larger offset.

    Whole months are calendar months (`add_months`); the fraction is spread over the days
    between that date and the same day a month later.
    """
    whole = int(months)
    base = add_months(start, whole)
    fraction = months - whole
    if not fraction:
        return base
    span = (add_months(start, whole + 1) - base).days
    return base + timedelta(days=round(fraction * span))


def _pretty_years(years: float) -> str:
    return f"{years:g} year" if years == 1 else f"{years:g} years"


def default_horizon_months(steps: Iterable[StepInput], experience_gap_years: int) -> int:
    """Months for a plan when the person chooses none: the typical time along the path
    (the middle of each move's range, added up), or the missing experience if that is longer,
    kept between 6 months and 10 years."""
    path_months = sum(step.typical_years for step in steps) * 12
    months = math.ceil(max(path_months, max(experience_gap_years, 0) * 12))
    return min(DEFAULT_HORIZON_MAX, max(DEFAULT_HORIZON_MIN, months))


# --------------------------------------------------------------------------- validation


def _is_int(value: object) -> bool:
    return type(value) is int  # not bool, which is an int too


def _validate(request: PlanRequest) -> None:
    if request.horizon_months is not None and (
        not _is_int(request.horizon_months) or not HORIZON_MIN <= request.horizon_months <= HORIZON_MAX
    ):
        raise ValueError(
            f"The horizon must be a whole number of months from {HORIZON_MIN} to {HORIZON_MAX}, "
            f"not {request.horizon_months!r}."
        )
    if not _is_int(request.years_experience) or request.years_experience < 0:
        raise ValueError(f"Years of experience must be a whole number of 0 or more, not {request.years_experience!r}.")
    if not _is_int(request.experience_gap_years) or request.experience_gap_years < 0:
        raise ValueError(
            f"The experience gap must be a whole number of 0 or more, not {request.experience_gap_years!r}."
        )
    # Messages are only built on failure: this runs on every plan, for every skill and credential.
    seen: set[str] = set()
    for gap in request.skill_gaps:
        if gap.skill in seen:
            raise ValueError(f"Skill {gap.skill!r} is listed twice; give each skill gap once.")
        seen.add(gap.skill)
        if type(gap.required) is not int or not LEVEL_MIN <= gap.required <= LEVEL_MAX:
            raise ValueError(
                f"Skill {gap.skill!r}: the required level must be {LEVEL_MIN}-{LEVEL_MAX}, not {gap.required!r}."
            )
        if type(gap.weight) is not int or not WEIGHT_MIN <= gap.weight <= WEIGHT_MAX:
            raise ValueError(f"Skill {gap.skill!r}: the weight must be {WEIGHT_MIN}-{WEIGHT_MAX}, not {gap.weight!r}.")
        if type(gap.current) not in (float, int) or not 0 <= gap.current <= LEVEL_MAX:
            raise ValueError(
                f"Skill {gap.skill!r}: the current level must be 0 (not rated) to {LEVEL_MAX}, not {gap.current!r}."
            )
    for step in request.steps:
        if not (_is_int(step.years_min) and _is_int(step.years_max)) or not 0 <= step.years_min <= step.years_max:
            raise ValueError(
                f"The move into {step.slug!r} needs 0 <= years_min <= years_max, "
                f"not {step.years_min!r}-{step.years_max!r}."
            )
    if request.steps and request.steps[-1].slug != request.goal_slug:
        raise ValueError(
            f"The path must end at the goal role {request.goal_slug!r}, but its last move is into "
            f"{request.steps[-1].slug!r}."
        )


# --------------------------------------------------------------------------- credentials


def _validate_credential(credential: CredentialInput) -> None:
    """Checked when a plan uses the credential, so a catalog entry no plan touches costs nothing."""
    if type(credential.prep_months) is not int or credential.prep_months < 0:
        raise ValueError(
            f"Credential {credential.slug!r}: prep_months must be 0 or more, not {credential.prep_months!r}."
        )
    if type(credential.min_years_experience) is not int or credential.min_years_experience < 0:
        raise ValueError(
            f"Credential {credential.slug!r}: min_years_experience must be 0 or more, "
            f"not {credential.min_years_experience!r}."
        )


def _credentials_to_earn(request: PlanRequest) -> list[CredentialInput]:
    """The recommended credentials not held, plus every prerequisite not held (recursively),
    prerequisites before the credentials that need them. Raises ValueError on unknown slugs or cycles."""
    catalog = request.catalog_credentials
    recommended = {credential.slug: credential for credential in request.credentials}
    ordered: list[CredentialInput] = []
    done: set[str] = set()
    visiting: list[str] = []  # the chain being explored, to name a cycle

    def visit(credential: CredentialInput) -> None:
        if credential.slug in done:
            return
        _validate_credential(credential)
        if credential.slug in visiting:
            cycle = [*visiting[visiting.index(credential.slug) :], credential.slug]
            raise ValueError(f"Credential prerequisites form a cycle: {' → '.join(cycle)}.")
        visiting.append(credential.slug)
        for slug in credential.prerequisites:
            if slug in request.held_credentials:
                continue
            prerequisite = catalog.get(slug) or recommended.get(slug)
            if prerequisite is None:
                raise ValueError(f"Credential {credential.slug!r} needs {slug!r}, which is not in the catalog.")
            visit(prerequisite)
        visiting.pop()
        done.add(credential.slug)
        ordered.append(credential)

    for credential in request.credentials:
        if credential.slug not in request.held_credentials:
            visit(credential)
    return ordered


def _credential_offsets(request: PlanRequest, credentials: list[CredentialInput]) -> dict[str, float]:
    """Months from the start when each credential can be held: after its prerequisites and after
    the person reaches its experience rule, plus its preparation. `credentials` is prerequisites-first."""
    offsets: dict[str, float] = {}
    for credential in credentials:
        after_prerequisites = max((offsets[slug] for slug in credential.prerequisites if slug in offsets), default=0.0)
        years_to_wait = max(0, credential.min_years_experience - request.years_experience)
        offsets[credential.slug] = max(after_prerequisites, years_to_wait * 12.0) + credential.prep_months
    return offsets


# --------------------------------------------------------------------------- milestone text


def _skill_text(gap: SkillGapInput, goal_name: str) -> tuple[str, str, int | None]:
    from_level = math.floor(gap.current) or None
    if from_level is None:
        title = f"Build {gap.name} to level {gap.required}"
        now = "you have not rated yourself on it yet" if gap.current == 0 else f"you rated yourself {gap.current:g}"
    else:
        title = f"Raise {gap.name} from level {from_level} to {gap.required}"
        now = f"you rated yourself {gap.current:g}"
    description = f"The {goal_name} role expects {gap.name} at level {gap.required}; {now}."
    if gap.weight > 1:
        description += f" It counts {gap.weight}× in that role's readiness score."
    return title, description, from_level


def _credential_text(
    credential: CredentialInput, request: PlanRequest, recommended: set[str], needed_by: dict[str, list[str]]
) -> tuple[str, str, tuple[str, ...]]:
    title = f"Earn {credential.name}"
    months = f"{credential.prep_months} month" if credential.prep_months == 1 else f"{credential.prep_months} months"
    parts = []
    if credential.slug in recommended:
        parts.append(f"Recommended for the {request.goal_name} role.")
    if needed_by.get(credential.slug):
        parts.append(f"You need it before {', '.join(needed_by[credential.slug])}.")
    parts.append(f"Preparation usually takes about {months}.")
    if credential.min_years_experience:
        parts.append(
            f"It usually asks for {_pretty_years(credential.min_years_experience)} of professional experience first."
        )
    actions = (
        "Check the current eligibility rules, fees and dates with the issuer.",
        f"Block out study time for the {months} before the due date.",
    )
    return title, " ".join(parts), actions


# --------------------------------------------------------------------------- the generator


@dataclass(slots=True)
class _Draft:
    kind: str
    title: str
    description: str
    actions: tuple[str, ...]
    months: float  # offset from the start, before clamping to the plan's window
    subject_slug: str = ""
    from_level: int | None = None
    to_level: int | None = None
    sequence: int = 0  # tie-break within a kind: priority for skills, prerequisite depth, path order


def generate(request: PlanRequest) -> Proposal:
    """Turn a person's gaps for a role into dated, ordered milestones within the plan's horizon."""
    _validate(request)
    notes: list[str] = []
    horizon = request.horizon_months
    if horizon is None:
        horizon = default_horizon_months(request.steps, request.experience_gap_years)
        notes.append(
            f"No horizon was chosen, so the plan spans {horizon} months, from the usual time along your path "
            "and the experience you still need (at least 6 months, at most 10 years)."
        )
    ends_on = add_months(request.start, horizon)

    # 1. The natural schedule of everything that takes real time: credentials, experience, role moves.
    timed: list[_Draft] = []
    credentials = _credentials_to_earn(request)
    credential_offsets = _credential_offsets(request, credentials)
    needed_by: dict[str, list[str]] = {}
    for credential in credentials:
        for slug in credential.prerequisites:
            needed_by.setdefault(slug, []).append(credential.name)
    # On a tie, a credential follows everything below it in its prerequisite chain, then goes by title.
    depth: dict[str, int] = {}
    for credential in credentials:
        depth[credential.slug] = 1 + max((depth[slug] for slug in credential.prerequisites if slug in depth), default=0)
    recommended = {credential.slug for credential in request.credentials}
    for credential in credentials:
        title, description, actions = _credential_text(credential, request, recommended, needed_by)
        timed.append(
            _Draft(
                CERTIFICATION,
                title,
                description,
                actions,
                credential_offsets[credential.slug],
                credential.slug,
                sequence=depth[credential.slug],
            )
        )

    experience_months = request.experience_gap_years * 12.0
    if request.experience_gap_years:
        target_years = request.years_experience + request.experience_gap_years
        timed.append(
            _Draft(
                EXPERIENCE,
                f"Reach {target_years} years of professional experience",
                f"The {request.goal_name} role usually asks for {_pretty_years(target_years)} of experience; "
                f"you have {_pretty_years(request.years_experience)}.",
                (
                    "Keep a running record of your projects, your part in them and their results.",
                    "Ask for work that stretches you toward the role, so the years also build what it needs.",
                ),
                experience_months,
            )
        )

    path_months = 0.0
    step_drafts: list[_Draft] = []
    for n, step in enumerate(request.steps):
        path_months += step.typical_years * 12
        is_goal = n == len(request.steps) - 1
        years = (
            _pretty_years(step.years_min)
            if step.years_min == step.years_max
            else f"{step.years_min}–{step.years_max} years"
        )
        description = f"This move usually takes {years}."
        if is_goal:
            description += f" {step.name} is the goal of this plan."
        step_drafts.append(
            _Draft(
                ROLE,
                f"Move into {step.name}",
                description,
                (
                    f"Tell your manager you are working toward {step.name} and agree what would show you are ready.",
                    f"Ask people already working as {step.name} what made the difference for them.",
                ),
                path_months,
                step.slug,
                sequence=n,
            )
        )
    timed.extend(step_drafts)

    # 2. Squeeze the natural schedule into the horizon when it runs past it, keeping its order.
    natural_end = max((draft.months for draft in timed), default=0.0)
    if natural_end > horizon:
        scale = horizon / natural_end
        for draft in timed:
            draft.months *= scale
        notes.extend(_squeeze_notes(request, horizon, credentials, credential_offsets, experience_months, path_months))

    # 3. Skills spread evenly over the first two thirds, the biggest weighted gaps first.
    open_gaps = [gap for gap in request.skill_gaps if gap.current < gap.required]
    open_gaps.sort(key=lambda gap: (-gap.weight * (gap.required - gap.current), -gap.required, gap.name, gap.skill))
    skill_drafts = []
    for n, gap in enumerate(open_gaps):
        title, description, from_level = _skill_text(gap, request.goal_name)
        skill_drafts.append(
            _Draft(
                SKILL,
                title,
                description,
                tuple(gap.actions[:ACTIONS_PER_SKILL]),
                horizon * SKILL_SHARE * (n + 1) / len(open_gaps),
                gap.skill,
                from_level,
                gap.required,
                sequence=n,
            )
        )

    # 3b. What the role expects people to have done, spread evenly over the whole horizon.
    experiences = list(dict.fromkeys(text.strip() for text in request.experiences if text.strip()))
    experience_drafts = [
        _Draft(
            EXPERIENCE,
            text,
            f"The {request.goal_name} role usually expects people to have done this; it is experience you build "
            "at work rather than a skill you rate or a credential you earn.",
            (
                "Tell your manager you want this experience and ask where the next chance to get it is.",
                "Keep a short record of what you did and what came of it, for your next review.",
            ),
            horizon * (n + 1) / (len(experiences) + 1),
            sequence=n,
        )
        for n, text in enumerate(experiences)
    ]

    # 4. The goal comes last: no earlier than everything else in the plan.
    drafts = [*skill_drafts, *experience_drafts, *timed]
    if step_drafts:
        step_drafts[-1].months = max(draft.months for draft in drafts)

    earliest = request.start + MIN_LEAD
    dated = [
        (ends_on if draft.months >= horizon else max(earliest, _date_at(request.start, draft.months)), draft)
        for draft in drafts
    ]
    for n, renewal in enumerate(request.renewals):
        if request.start <= renewal.due_date <= ends_on:
            dated.append(
                (
                    renewal.due_date,
                    _Draft(
                        RENEWAL,
                        f"Renew {renewal.name}",
                        f"{renewal.name} is renewed every {renewal.cycle_months} months from when you earned it; "
                        "this is the next renewal.",
                        ("Check the issuer's current renewal rules and what they count, well before the date.",),
                        0.0,
                        renewal.slug,
                        sequence=n,
                    ),
                )
            )
    dated.sort(key=lambda pair: (pair[0], KIND_RANK[pair[1].kind], pair[1].sequence, pair[1].title))
    milestones = tuple(
        ProposedMilestone(
            kind=draft.kind,
            title=draft.title,
            description=draft.description,
            actions=draft.actions,
            due_date=due,
            subject_slug=draft.subject_slug,
            from_level=draft.from_level,
            to_level=draft.to_level,
            order=n,
        )
        for n, (due, draft) in enumerate(dated, start=1)
    )
    return Proposal(GENERATOR_VERSION, horizon, ends_on, milestones, tuple(notes))


def _squeeze_notes(
    request: PlanRequest,
    horizon: int,
    credentials: list[CredentialInput],
    credential_offsets: dict[str, float],
    experience_months: float,
    path_months: float,
) -> list[str]:
    """Say which parts of the natural schedule did not fit the horizon."""
    notes = []
    longer = "consider a longer one"
    if path_months > horizon:
        notes.append(
            f"The moves along your path usually take about {_pretty_years(round(path_months / 12, 1))}; "
            f"they have been squeezed into your {horizon}-month horizon — {longer}."
        )
    credential_months = max(credential_offsets.values(), default=0.0)
    if credential_months > horizon:
        waits = any(credential.min_years_experience > request.years_experience for credential in credentials)
        what = "to qualify for and prepare" if waits else "to prepare"
        notes.append(
            f"The credentials usually take {math.ceil(credential_months)} months {what}; "
            f"they have been squeezed into your {horizon}-month horizon — {longer}."
        )
    if experience_months > horizon:
        notes.append(
            f"Gaining another {_pretty_years(request.experience_gap_years)} of experience takes longer than your "
            f"{horizon}-month horizon; its milestone has been brought forward to fit, but the years can't be "
            f"hurried — {longer}."
        )
    parts = {
        "path": path_months > 0,
        "credentials": bool(credential_offsets),
        "experience": experience_months > 0,
    }
    over = {
        "path": path_months > horizon,
        "credentials": credential_months > horizon,
        "experience": experience_months > horizon,
    }
    if any(present and not over[part] for part, present in parts.items()):
        share = round(100 * horizon / max(path_months, credential_months, experience_months))
        notes.append(
            f"To keep everything in order, the other dated milestones have been brought forward in the same "
            f"proportion, to about {share}% of their usual time."
        )
    return notes
