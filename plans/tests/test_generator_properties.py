"""Property tests for the plan generator: whatever the gaps, credentials, path and horizon,
the plan keeps its promises (dates in the window, in order, prerequisites first, one milestone per gap)."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careerpath.dates import add_months
from plans.generator import (
    CERTIFICATION,
    HORIZON_MAX,
    HORIZON_MIN,
    MIN_LEAD,
    ROLE,
    SKILL,
    CredentialInput,
    PlanRequest,
    Proposal,
    SkillGapInput,
    StepInput,
    generate,
)

GOAL = "goal-role"
ACTIONS = ("Lead a design review", "Find a mentor", "Own a small budget", "Run a retrospective", "Read the P&L")


@st.composite
def skill_gaps(draw):
    count = draw(st.integers(0, 15))
    gaps = []
    for n in range(count):
        current = draw(st.one_of(st.just(0.0), st.integers(1, 5).map(float), st.floats(0, 5, allow_nan=False)))
        gaps.append(
            SkillGapInput(
                skill=f"skill-{n}",
                name=f"Skill {n}",
                current=current,
                required=draw(st.integers(1, 5)),
                weight=draw(st.integers(1, 3)),
                actions=tuple(draw(st.lists(st.sampled_from(ACTIONS), max_size=5))),
            )
        )
    return tuple(gaps)


@st.composite
def credential_catalogs(draw):
    """An acyclic catalog: credential n may only need credentials with a smaller number."""
    count = draw(st.integers(0, 10))
    catalog = {}
    for n in range(count):
        prerequisites = draw(st.lists(st.integers(0, n - 1), unique=True, max_size=3)) if n else []
        catalog[f"cred-{n}"] = CredentialInput(
            slug=f"cred-{n}",
            name=f"Credential {n}",
            kind=draw(st.sampled_from(["certification", "licence", "degree"])),
            prep_months=draw(st.integers(0, 36)),
            prerequisites=tuple(f"cred-{p}" for p in prerequisites),
            min_years_experience=draw(st.integers(0, 12)),
        )
    recommended = draw(st.lists(st.sampled_from(sorted(catalog)), unique=True)) if catalog else []
    held = draw(st.frozensets(st.sampled_from(sorted(catalog)))) if catalog else frozenset()
    return catalog, tuple(catalog[slug] for slug in recommended), held


@st.composite
def paths(draw):
    count = draw(st.integers(0, 4))
    steps = []
    for n in range(count):
        years_min = draw(st.integers(0, 10))
        slug = GOAL if n == count - 1 else f"role-{n}"
        steps.append(StepInput(slug, f"Role {n}", years_min, years_min + draw(st.integers(0, 10))))
    return tuple(steps)


@st.composite
def requests(draw):
    catalog, recommended, held = draw(credential_catalogs())
    return PlanRequest(
        start=draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))),
        horizon_months=draw(st.one_of(st.none(), st.integers(HORIZON_MIN, HORIZON_MAX))),
        years_experience=draw(st.integers(0, 40)),
        goal_slug=GOAL,
        goal_name="Goal Role",
        skill_gaps=draw(skill_gaps()),
        credentials=recommended,
        catalog_credentials=catalog,
        held_credentials=held,
        experience_gap_years=draw(st.integers(0, 30)),
        steps=draw(paths()),
    )


def needed_credentials(request: PlanRequest) -> set[str]:
    """The recommended credentials not held and, recursively, their prerequisites not held."""
    needed: set[str] = set()
    todo = [c.slug for c in request.credentials]
    while todo:
        slug = todo.pop()
        if slug in request.held_credentials or slug in needed:
            continue
        needed.add(slug)
        todo.extend(request.catalog_credentials[slug].prerequisites)
    return needed


@settings(max_examples=100, deadline=None)
@given(requests())
def test_every_due_date_falls_within_the_plan_window(request):
    proposal = generate(request)

    assert proposal.ends_on == add_months(request.start, proposal.horizon_months)
    assert HORIZON_MIN <= proposal.horizon_months <= HORIZON_MAX
    for milestone in proposal.milestones:
        assert request.start + MIN_LEAD <= milestone.due_date <= proposal.ends_on


@settings(max_examples=100, deadline=None)
@given(requests())
def test_orders_run_from_one_to_n_following_the_due_dates(request):
    proposal = generate(request)

    dates = [m.due_date for m in proposal.milestones]
    assert [m.order for m in proposal.milestones] == list(range(1, len(dates) + 1))
    assert dates == sorted(dates)


@settings(max_examples=100, deadline=None)
@given(requests())
def test_every_prerequisite_is_due_no_later_than_what_needs_it(request):
    proposal = generate(request)

    due = {m.subject_slug: m for m in proposal.milestones if m.kind == CERTIFICATION}
    for slug, milestone in due.items():
        for prerequisite in request.catalog_credentials[slug].prerequisites:
            if prerequisite in due:
                assert due[prerequisite].due_date <= milestone.due_date
                assert due[prerequisite].order < milestone.order


@settings(max_examples=100, deadline=None)
@given(requests())
def test_exactly_the_needed_credentials_appear_once_each(request):
    proposal = generate(request)

    slugs = [m.subject_slug for m in proposal.milestones if m.kind == CERTIFICATION]
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == needed_credentials(request)


@settings(max_examples=100, deadline=None)
@given(requests())
def test_every_open_skill_gap_appears_once_and_met_skills_never(request):
    proposal = generate(request)

    skills = [m for m in proposal.milestones if m.kind == SKILL]
    open_gaps = {gap.skill: gap for gap in request.skill_gaps if gap.current < gap.required}
    assert sorted(m.subject_slug for m in skills) == sorted(open_gaps)
    for milestone in skills:
        gap = open_gaps[milestone.subject_slug]
        assert milestone.to_level == gap.required
        assert milestone.from_level is None or 1 <= milestone.from_level < milestone.to_level
        assert milestone.actions == gap.actions[:3]


@settings(max_examples=100, deadline=None)
@given(requests())
def test_the_goal_role_is_the_last_milestone_and_each_step_appears_in_path_order(request):
    proposal = generate(request)

    roles = [m.subject_slug for m in proposal.milestones if m.kind == ROLE]
    assert roles == [step.slug for step in request.steps]
    if request.steps:
        assert proposal.milestones[-1].subject_slug == GOAL
        assert proposal.milestones[-1].kind == ROLE


@settings(max_examples=100, deadline=None)
@given(requests())
def test_a_proposal_survives_a_round_trip_through_a_dict(request):
    proposal = generate(request)

    assert Proposal.from_dict(proposal.to_dict()) == proposal


@settings(deadline=None)
@given(requests(), st.one_of(st.integers(max_value=HORIZON_MIN - 1), st.integers(min_value=HORIZON_MAX + 1)))
def test_a_horizon_out_of_range_is_always_refused(request, horizon):
    with pytest.raises(ValueError, match="horizon"):
        generate(PlanRequest(**{**_fields(request), "horizon_months": horizon}))


def _fields(request: PlanRequest) -> dict:
    return {name: getattr(request, name) for name in PlanRequest.__dataclass_fields__}
