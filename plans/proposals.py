"""Turn a result and a chosen target into a plan proposal: the path, then the generator.

This module gathers plain data from the database and hands it to the two pure
pieces, `roles.paths.find_path` and `plans.generator.generate`.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.utils import timezone

from assessments import reports, scoring
from assessments.advice import credentials_for_role
from assessments.models import Result
from assessments.selectors import advice_inputs, role_spec
from assessments.services import person_spec_for
from roles.models import Role
from roles.paths import find_path
from roles.selectors import progression_edges

from . import generator, selectors


@dataclass(frozen=True)
class PathStep:
    slug: str
    name: str
    kind: str  # "start", "promotion" or "lateral"
    years_min: int = 0
    years_max: int = 0


@dataclass(frozen=True)
class PathInfo:
    current_slug: str | None
    current_name: str | None
    steps: tuple[PathStep, ...]  # the start first when known, the target last
    message: str = ""  # why no path was found, when none was

    @property
    def found(self) -> bool:
        return not self.message

    @property
    def intermediate(self) -> tuple[PathStep, ...]:
        """Roles that can be a first goal: every step after the start (the target included)."""
        return tuple(step for step in self.steps if step.kind != "start")


@dataclass(frozen=True)
class ProposalContext:
    target: Role
    goal: Role
    path: PathInfo
    proposal: generator.Proposal
    gaps: scoring.RoleGaps
    notes: tuple[str, ...] = field(default_factory=tuple)
    # every credential by slug, as the generator took them (the plan forms check dates against them)
    catalog_credentials: dict[str, generator.CredentialInput] = field(default_factory=dict)


class CatalogReads:
    """What a proposal reads from the catalog, each part read once when first needed.

    A page makes one proposal (or two) and reads only what it uses; the demo organisation
    (demo/management/commands/seed_demo.py) holds one for thousands of proposals, with the
    role specs it has read already.
    """

    def __init__(self, role_specs: dict[str, scoring.RoleSpec] | None = None):
        self._role_specs = dict(role_specs or {})

    @cached_property
    def role_names(self) -> dict[str, str]:
        return selectors.role_names()

    @cached_property
    def edges(self):
        return progression_edges()

    @cached_property
    def skill_actions(self) -> dict[str, list[str]]:
        return selectors.skill_actions()

    @cached_property
    def credentials(self) -> dict[str, generator.CredentialInput]:
        return selectors.credential_inputs()

    @cached_property
    def credential_specs(self):
        return advice_inputs()[1]

    def role_spec(self, role: Role) -> scoring.RoleSpec:
        if role.slug not in self._role_specs:
            self._role_specs[role.slug] = role_spec(role)
        return self._role_specs[role.slug]


def path_to(*, current_slug: str | None, target: Role, reads: CatalogReads | None = None) -> PathInfo:
    reads = reads or CatalogReads()
    names = reads.role_names
    if not current_slug or current_slug not in names:
        return PathInfo(
            None,
            None,
            (PathStep(target.slug, target.name, "promotion"),),
            "Set your current role on your profile to see the usual route to this role.",
        )
    start = PathStep(current_slug, names[current_slug], "start")
    if current_slug == target.slug:
        return PathInfo(current_slug, names[current_slug], (start,))
    route = find_path(reads.edges, current_slug, target.slug)
    if route is None:
        return PathInfo(
            current_slug,
            names[current_slug],
            (start, PathStep(target.slug, target.name, "promotion")),
            f"The catalog has no usual route from {names[current_slug]} to {target.name}. The plan below still "
            "closes the skill and credential gaps; ask HR if your organisation knows a route.",
        )
    steps = [start] + [
        PathStep(edge.to_slug, names.get(edge.to_slug, edge.to_slug), edge.kind, edge.years_min, edge.years_max)
        for edge in route.steps
    ]
    return PathInfo(current_slug, names[current_slug], tuple(steps))


def build_proposal(
    *,
    result: Result,
    target: Role,
    goal: Role | None = None,
    horizon_months: int | None = None,
    person: scoring.PersonSpec | None = None,
    start: date | None = None,
    reads: CatalogReads | None = None,
) -> ProposalContext:
    """The generated (unsaved) plan from `result` toward `goal` (default: the target itself), from `start`
    (default: today).

    `person` defaults to the result's owner as their profile is now; `reads` to a fresh CatalogReads.
    """
    reads = reads or CatalogReads()
    stored = reports.StoredResult.from_data(result.data)
    # Skill levels come from the result; years, current role and credentials from the profile as it is now.
    person = person or person_spec_for(result.user)
    path = path_to(current_slug=person.current_role, target=target, reads=reads)
    goal = goal or target
    if goal.slug not in {step.slug for step in path.intermediate}:
        goal = target  # a first goal must lie on the route
    steps_to_goal: list[PathStep] = []
    for step in path.intermediate:
        steps_to_goal.append(step)
        if step.slug == goal.slug:
            break

    gaps = scoring.gaps_for(stored.result, reads.role_spec(goal), person=person, skills=stored.skills)
    actions = reads.skill_actions
    catalog_credentials = reads.credentials
    request = generator.PlanRequest(
        start=start or timezone.localdate(),
        horizon_months=horizon_months,
        years_experience=person.years_experience,
        goal_slug=goal.slug,
        goal_name=goal.name,
        skill_gaps=tuple(
            generator.SkillGapInput(
                skill=gap.skill,
                name=gap.name,
                current=gap.current,
                required=gap.required,
                weight=gap.weight,
                actions=tuple(actions.get(gap.skill, ())),
            )
            for gap in gaps.skill_gaps
        ),
        credentials=tuple(
            catalog_credentials[cred.slug]
            for cred in credentials_for_role(
                role=reads.role_spec(goal),
                person=person,
                credentials=reads.credential_specs,
                gap_skills=[gap.skill for gap in gaps.skill_gaps],
            )
            if cred.slug in catalog_credentials
        ),
        catalog_credentials=catalog_credentials,
        held_credentials=person.held_certifications,
        experience_gap_years=gaps.experience_gap_years,
        experiences=tuple(goal.experience_list),
        renewals=selectors.renewal_inputs(user=result.user, today=timezone.localdate()),
        steps=tuple(
            generator.StepInput(step.slug, step.name, step.years_min, max(step.years_min, step.years_max))
            for step in steps_to_goal
            if path.found
        ),
    )
    return ProposalContext(
        target=target,
        goal=goal,
        path=path,
        proposal=generator.generate(request),
        gaps=gaps,
        catalog_credentials=catalog_credentials,
    )
