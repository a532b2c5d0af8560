"""The advice engine: from a scored result and where the person stands to "what next?".

Pure Python on plain frozen dataclasses, like `scoring`: the catalog's roles (`RoleSpec`,
with their career level and disciplines), the moves between them (`roles.paths.Edge`
tuples) and the credentials (`CredentialSpec`) come in as data; `Advice` comes out and is
stored with the result. docs/scoring.md explains the rules with a worked example.

- Placement: the current role, or, without one, a role inferred from years, direct reports
  and skills (and the advice says so).
- Next steps: roles one move away along the catalog's moves, open to the person's
  discipline, never behind them; ranked by track fit, readiness and the stated goal, each
  rank with its reason.
- Further ahead: roles two or more moves away, with the usual route and years.
- Behind you: roles below the person's level, or at it on their own track; never recommended.
- Credentials fitted to the person: none held, none implied by a held one, none meant for
  another discipline, each with the reason it is suggested.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from roles.paths import Edge, find_path

from .dataclass_json import Serialisable
from .scoring import (
    BALANCED,
    DIMENSION_LABELS,
    DIMENSIONS,
    AssessmentResult,
    PersonSpec,
    RoleReadiness,
    RoleSpec,
    gaps_for,
    readiness_band,
)

ADVICE_VERSION = "1"

# Ranking: a next step's score is FIT_WEIGHT x track fit + READINESS_WEIGHT x readiness (both 0-100),
# plus the goal points below. Fit counts more than readiness: which way to go comes first.
FIT_WEIGHT, READINESS_WEIGHT = 0.6, 0.4
GOAL_ROLE_POINTS = 30  # the role the person says they want next
ON_GOAL_ROUTE_POINTS = 15  # a step on the usual route to that role
GOAL_DIRECTION_POINTS = 10  # a role on the track the person says they want
# Further ahead: routes of at most this many moves, and at most this many roles shown.
FURTHER_MAX_MOVES = 3
FURTHER_LIMIT = 4
# Credentials suggested per role. One that asks for more than YEARS_AHEAD years beyond the person's
# is not suggested yet, and a long degree (LONG_PREP_MONTHS or more) not before DEGREE_MIN_YEARS.
CREDENTIALS_PER_ROLE = 2
YEARS_AHEAD = 2
LONG_PREP_MONTHS, DEGREE_MIN_YEARS = 12, 3
# A placement without a current role: the highest role the person is at least this ready for.
PLACEMENT_READINESS = 80

DIRECTION_DIMENSION = {"technical": "technical", "management": "managerial", "project": "project"}


@dataclass(frozen=True, slots=True)
class CredentialSpec:
    """A certification, licence or degree as the advice sees it."""

    slug: str
    name: str
    prep_months: int = 0
    prerequisites: tuple[str, ...] = ()
    min_years_experience: int = 0
    skills: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()  # empty: meant for every discipline
    region: str = ""  # where it is awarded; empty: recognised anywhere


@dataclass(frozen=True, slots=True)
class Step:
    """A role the advice names, with the numbers behind its place and the words for them."""

    slug: str
    name: str
    orientation: str
    level: int
    readiness: int
    band: str
    band_words: str
    fit: float
    score: float
    reason: str
    route: tuple[str, ...] = ()  # role names from the person's role to this one (further ahead)
    years_min: int = 0
    years_max: int = 0
    is_goal: bool = False
    kind: str = ""  # "promotion" or "lateral" for a next step


@dataclass(frozen=True, slots=True)
class RoleRef:
    slug: str
    name: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class CredentialAdvice:
    slug: str
    name: str
    role: str  # the slug of the role it is suggested for
    reason: str


@dataclass(frozen=True, slots=True)
class Advice(Serialisable):
    version: str
    verdict: str  # a dimension or "balanced"
    leading: tuple[str, ...]
    headline: str
    direction_note: str
    placement: RoleRef | None
    placement_inferred: bool
    next_steps: tuple[Step, ...]
    further_ahead: tuple[Step, ...]
    behind: tuple[RoleRef, ...]
    other_disciplines: tuple[RoleRef, ...]
    credentials: tuple[CredentialAdvice, ...]
    notes: tuple[str, ...]

    @property
    def first_step(self) -> Step | None:
        return self.next_steps[0] if self.next_steps else None

    def credentials_for(self, slug: str) -> tuple[CredentialAdvice, ...]:
        return tuple(cred for cred in self.credentials if cred.role == slug)


# --------------------------------------------------------------------------- the rules


def is_open_to(role: RoleSpec, discipline: str | None) -> bool:
    """Whether a role is open to a discipline (a role without disciplines is open to all)."""
    return not role.disciplines or (discipline is not None and discipline in role.disciplines)


def is_behind(role: RoleSpec, *, level: int, orientation: str, current: str | None) -> bool:
    """Behind the person: their current role, any role below their level, or one at their level on their track.

    A lateral move to another track at the same level is not behind: it is a change of
    direction, which a next step may be.
    """
    if role.slug == current:
        return True
    return role.level < level or (role.orientation == orientation and role.level <= level)


def implied_credentials(held: Iterable[str], credentials: Mapping[str, CredentialSpec]) -> frozenset[str]:
    """What holding `held` implies: each held credential's prerequisites, transitively (PE implies EIT)."""
    implied: set[str] = set()
    todo = [slug for slug in held if slug in credentials]
    while todo:
        for prerequisite in credentials[todo.pop()].prerequisites:
            if prerequisite not in implied:
                implied.add(prerequisite)
                if prerequisite in credentials:
                    todo.append(prerequisite)
    return frozenset(implied)


def credentials_for_role(
    *,
    role: RoleSpec,
    person: PersonSpec,
    credentials: Mapping[str, CredentialSpec],
    gap_skills: Sequence[str] = (),
    limit: int = CREDENTIALS_PER_ROLE,
) -> tuple[CredentialAdvice, ...]:
    """The credentials worth suggesting to `person` for `role`, best first, each with its reason.

    Never one they hold, one a held credential implies, or one meant for other disciplines.
    Best first: the most of the role's skill gaps (`gap_skills`) it builds, then the
    shortest preparation. Plans (plans/proposals.py) use the same rule.
    """
    held = frozenset(person.held_certifications)
    excluded = held | implied_credentials(held, credentials)
    gaps = list(gap_skills)

    def fits(cred: CredentialSpec | None) -> bool:
        return (
            cred is not None
            and cred.slug not in excluded
            and (not cred.disciplines or person.discipline in cred.disciplines)
            and (not cred.region or not person.region or person.region == cred.region)
            and cred.min_years_experience <= person.years_experience + YEARS_AHEAD
            and (cred.prep_months < LONG_PREP_MONTHS or person.years_experience >= DEGREE_MIN_YEARS)
        )

    candidates, seen = [], set()
    for slug in role.certifications:
        cred = credentials.get(slug)
        if cred is not None and cred.slug not in excluded and any(p not in excluded for p in cred.prerequisites):
            # Not yet: the first credential on the way to it comes first (EIT before PE).
            cred = next((credentials.get(p) for p in cred.prerequisites if fits(credentials.get(p))), None)
        if not fits(cred) or cred.slug in seen:
            continue
        seen.add(cred.slug)
        covers = [skill for skill in gaps if skill in cred.skills]
        candidates.append((-len(covers), cred.prep_months, cred.slug, cred, covers))
    candidates.sort(key=lambda c: c[:3])
    advice = []
    for _n, _months, _slug, cred, covers in candidates[:limit]:
        first_needed = [
            credentials[slug].name for slug in cred.prerequisites if slug not in excluded and slug in credentials
        ]
        reason = _credential_reason(cred, role, person, covers, first_needed)
        advice.append(CredentialAdvice(cred.slug, cred.name, role.slug, reason))
    return tuple(advice)


def _credential_reason(
    cred: CredentialSpec, role: RoleSpec, person: PersonSpec, covers: Sequence[str], first_needed: Sequence[str]
) -> str:
    if cred.slug not in role.certifications:
        parts = [f"The first step toward a credential the catalog names for {role.name}"]
    else:
        parts = [f"The catalog names it as a help toward {role.name}"]
    if covers:
        parts.append(f"it builds {len(covers)} of the skills you are short of for that role")
    if cred.prep_months:
        parts.append(f"preparation takes about {_months(cred.prep_months)}")
    reason = "; ".join(parts) + "."
    if first_needed:
        reason += " It needs the " + " and the ".join(first_needed) + " first."
    if cred.region and not person.region:
        reason += f" It is awarded in the {cred.region}; your profile does not say where you work."
    if cred.min_years_experience > person.years_experience:
        reason += (
            f" It usually asks for {cred.min_years_experience} years of experience first; "
            f"you have {person.years_experience}."
        )
    return reason


def _months(months: int) -> str:
    if months % 12 == 0 and months >= 12:
        years = months // 12
        return "a year" if years == 1 else f"{years} years"
    return "a month" if months == 1 else f"{months} months"


# --------------------------------------------------------------------------- advise


def advise(
    *,
    result: AssessmentResult,
    roles: Sequence[RoleSpec],
    moves: Iterable[tuple],
    credentials: Mapping[str, CredentialSpec] | Iterable[CredentialSpec] = (),
) -> Advice:
    """What the person should do next, from their scored result and the catalog."""
    person = result.person
    by_slug = {role.slug: role for role in roles}
    readiness = {row.slug: row for row in result.readiness}
    edges = [Edge(*move) for move in moves]
    if not isinstance(credentials, Mapping):
        credentials = {cred.slug: cred for cred in credentials}
    notes: list[str] = []

    placement, inferred = _placement(result, by_slug, readiness, notes)
    level = placement.level if placement else 0
    track = placement.orientation if placement else ""
    current = placement.slug if placement else None

    def behind(role: RoleSpec) -> bool:
        return placement is not None and is_behind(role, level=level, orientation=track, current=current)

    if person.discipline is None:
        notes.append("Your profile does not say your discipline, so only roles open to every discipline are suggested.")
    other_disciplines = tuple(
        RoleRef(role.slug, role.name, "For " + " and ".join(role.disciplines) + " engineering only.")
        for role in sorted(roles, key=lambda r: (r.level, r.name))
        if not is_open_to(role, person.discipline) and not behind(role)
    )
    goal = by_slug.get(person.goal_role) if person.goal_role else None
    goal_route: set[str] = set()
    if goal is not None and current and goal.slug != current:
        path = find_path(edges, current, goal.slug)
        if path is not None:
            goal_route = set(path.slugs[1:])
        if behind(goal):
            notes.append(f"You said you want {goal.name} next; that role is not ahead of where you are now.")
        elif not is_open_to(goal, person.discipline):
            notes.append(f"You said you want {goal.name} next; the catalog keeps it for other disciplines.")

    ranker = _Ranker(result, person, goal, goal_route)
    next_steps: list[Step] = []
    if current:
        seen = set()
        for edge in sorted(edges, key=lambda e: e.to_slug):
            role = by_slug.get(edge.to_slug)
            if edge.from_slug != current or role is None or edge.to_slug in seen:
                continue
            if behind(role) or not is_open_to(role, person.discipline) or role.slug not in readiness:
                continue
            seen.add(role.slug)
            next_steps.append(ranker.step(role, readiness[role.slug], kind=edge.kind, years=(edge[3], edge[4])))
    next_steps.sort(key=_order)

    further: list[Step] = []
    if current:
        near = {step.slug for step in next_steps} | {current}
        for role in roles:
            if role.slug in near or behind(role) or not is_open_to(role, person.discipline):
                continue
            if role.slug not in readiness:
                continue
            path = find_path(edges, current, role.slug)
            if path is None or len(path) < 2 or (len(path) > FURTHER_MAX_MOVES and role is not goal):
                continue
            route = tuple(by_slug[slug].name if slug in by_slug else slug for slug in path.slugs)
            further.append(ranker.step(role, readiness[role.slug], route=route, years=(path.years_min, path.years_max)))
        further.sort(key=_order)
        shown = further[:FURTHER_LIMIT]
        if goal is not None and any(s.slug == goal.slug for s in further[FURTHER_LIMIT:]):
            shown.append(next(s for s in further if s.slug == goal.slug))
        further = shown

    behind_refs = tuple(
        RoleRef(role.slug, role.name)
        for role in sorted(roles, key=lambda r: (-r.level, r.name))
        if behind(role) and role.slug != current and is_open_to(role, person.discipline)
    )

    # Credentials for the first two next steps on the person's leading tracks, and for the goal.
    suggested: list[CredentialAdvice] = []
    leading_steps = [step for step in next_steps if step.orientation in result.leading][:2]
    goal_steps = [step for step in (*next_steps, *further) if step.is_goal and step not in leading_steps][:1]
    for step in [*leading_steps, *goal_steps]:
        role = by_slug[step.slug]
        gap_skills = [gap.skill for gap in gaps_for(result, role).skill_gaps]
        suggested.extend(credentials_for_role(role=role, person=person, credentials=credentials, gap_skills=gap_skills))

    best = result.leading[0]
    if placement is not None and not any(step.orientation == best for step in next_steps):
        label = DIMENSION_LABELS[best].lower()
        if placement.orientation == best:
            notes.append(
                f"The catalog has no step up on the {label} track from {placement.name}: you are at the top of "
                "that ladder. Growing your scope and influence in the role you have is a fine next step; the moves "
                "below change direction."
            )
        elif not next_steps:
            notes.append(f"The catalog has no usual move from {placement.name}.")
    headline, direction_note = _verdict_words(result, person)
    return Advice(
        version=ADVICE_VERSION,
        verdict=result.best_fit,
        leading=result.leading,
        headline=headline,
        direction_note=direction_note,
        placement=RoleRef(placement.slug, placement.name) if placement else None,
        placement_inferred=inferred,
        next_steps=tuple(next_steps),
        further_ahead=tuple(further),
        behind=behind_refs,
        other_disciplines=other_disciplines,
        credentials=tuple(suggested),
        notes=tuple(notes),
    )


def _order(step: Step) -> tuple:
    """Rank: score, then fit, then readiness, then the quicker move, then the name (all shown on the page)."""
    return (-step.score, -step.fit, -step.readiness, step.years_min, step.name, step.slug)


def _placement(
    result: AssessmentResult,
    by_slug: Mapping[str, RoleSpec],
    readiness: Mapping[str, RoleReadiness],
    notes: list[str],
) -> tuple[RoleSpec | None, bool]:
    person = result.person
    if person.current_role and person.current_role in by_slug:
        return by_slug[person.current_role], False
    # No current role: the highest role on the likeliest ladder that the person's years reach
    # and that they are nearly ready for; people with direct reports are placed on management.
    dimension = "managerial" if person.direct_reports else "technical"
    ladder = sorted(
        (
            role
            for role in by_slug.values()
            if role.orientation == dimension and is_open_to(role, person.discipline) and role.slug in readiness
        ),
        key=lambda r: (r.level, r.rank, r.slug),
    )
    if not ladder:
        return None, True
    placed = ladder[0]
    for role in ladder:
        if role.typical_years_min <= person.years_experience and readiness[role.slug].readiness >= PLACEMENT_READINESS:
            placed = role
    empty = not person.years_experience and person.discipline is None
    if empty:
        notes.append(
            f"Your profile is empty, so the advice assumes you are starting out: 0 years of experience, placed as "
            f"{placed.name}. Fill in your profile for advice about where you really stand."
        )
    else:
        reports = f" and {person.direct_reports} direct reports" if person.direct_reports else ""
        notes.append(
            f"Your profile does not give a current role, so you are placed as {placed.name} from your "
            f"{person.years_experience} years of experience{reports} and your skills. Set your current role "
            "on your profile for advice from where you really are."
        )
    return placed, True


class _Ranker:
    def __init__(self, result: AssessmentResult, person: PersonSpec, goal: RoleSpec | None, goal_route: set[str]):
        self.result = result
        self.person = person
        self.goal = goal
        self.goal_route = goal_route
        self.wanted = DIRECTION_DIMENSION.get(person.goal_direction)
        ordered = sorted(DIMENSIONS, key=lambda d: (-result.orientation[d], DIMENSIONS.index(d)))
        self.best = ordered[0]

    def step(
        self,
        role: RoleSpec,
        row: RoleReadiness,
        *,
        kind: str = "",
        route: tuple[str, ...] = (),
        years: tuple[int, int] = (0, 0),
    ) -> Step:
        fit = self.result.orientation[role.orientation]
        score = FIT_WEIGHT * fit + READINESS_WEIGHT * row.readiness
        is_goal = self.goal is not None and role.slug == self.goal.slug
        reasons = [self._fit_words(role.orientation, fit)]
        if is_goal:
            score += GOAL_ROLE_POINTS
            reasons.insert(0, "The role you said you want next")
        elif role.slug in self.goal_route:
            score += ON_GOAL_ROUTE_POINTS
            reasons.insert(0, f"On the usual route to {self.goal.name}, the role you want")
        if self.wanted == role.orientation:
            score += GOAL_DIRECTION_POINTS
            reasons.append("on the track you said you want")
        band, band_words = readiness_band(row.readiness)
        reasons.append(band_words)
        reason = "; ".join(reasons)
        return Step(
            slug=role.slug,
            name=role.name,
            orientation=role.orientation,
            level=role.level,
            readiness=row.readiness,
            band=band,
            band_words=band_words,
            fit=fit,
            score=round(score, 1),
            reason=reason[0].upper() + reason[1:] + ".",
            route=route,
            years_min=years[0],
            years_max=years[1],
            is_goal=is_goal,
            kind=kind,
        )

    def _fit_words(self, orientation: str, fit: float) -> str:
        label = DIMENSION_LABELS[orientation].lower()
        if orientation == self.best:
            return f"your strongest fit ({label} {fit:.0f})"
        if self.result.best_fit == BALANCED and orientation in self.result.leading:
            return f"one of your two close fits ({label} {fit:.0f})"
        if fit >= 60:
            return f"a good fit ({label} {fit:.0f})"
        if fit >= 40:
            return f"a middling fit ({label} {fit:.0f})"
        return f"a weak fit ({label} {fit:.0f})"


def _verdict_words(result: AssessmentResult, person: PersonSpec) -> tuple[str, str]:
    """The verdict in one sentence, and what the stated direction adds to it."""
    orientation = result.orientation
    ordered = sorted(DIMENSIONS, key=lambda d: (-orientation[d], DIMENSIONS.index(d)))
    scores = ", ".join(f"{DIMENSION_LABELS[d].lower()} {orientation[d]:.0f}" for d in ordered)
    if result.best_fit == BALANCED:
        first, second = result.leading
        lead = orientation[first] - orientation[second]
        leaning = f", leaning toward {DIMENSION_LABELS[first].lower()}" if lead >= 1 else ""
        headline = (
            f"You are balanced between the {DIMENSION_LABELS[first].lower()} and "
            f"{DIMENSION_LABELS[second].lower()} tracks{leaning} ({scores})."
        )
    else:
        headline = f"The {DIMENSION_LABELS[result.best_fit].lower()} track fits you best ({scores})."
    wanted = DIRECTION_DIMENSION.get(person.goal_direction)
    note = ""
    if wanted:
        label = DIMENSION_LABELS[wanted].lower()
        if wanted == ordered[0]:
            note = f"That matches the direction you said you want ({label})."
        elif result.best_fit == BALANCED and wanted in result.leading:
            note = f"You said you want {label}, so roles on that track come first among close matches."
        else:
            note = (
                f"You said you want {label}, which your answers support less ({label} {orientation[wanted]:.0f}); "
                "roles on that track get a little extra weight, but it is worth talking over with someone you trust."
            )
    return headline, note
