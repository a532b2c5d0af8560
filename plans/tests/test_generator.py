"""Unit tests for the pure plan generator (plans/generator.py). No database needed."""

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from careerpath.dates import add_months
from plans.generator import (
    CERTIFICATION,
    EXPERIENCE,
    GENERATOR_VERSION,
    MIN_LEAD,
    ROLE,
    SKILL,
    CredentialInput,
    PlanRequest,
    Proposal,
    SkillGapInput,
    StepInput,
    default_horizon_months,
    generate,
)

START = date(2025, 3, 10)

EIT = CredentialInput("eit", "Engineer in Training", "licence", prep_months=3)
PE = CredentialInput(
    "pe", "Professional Engineer", "licence", prep_months=4, prerequisites=("eit",), min_years_experience=4
)
PMP = CredentialInput("pmp", "Project Management Professional", "certification", prep_months=3, min_years_experience=3)
CAPM = CredentialInput("capm", "Certified Associate in Project Management", "certification", prep_months=2)
CATALOG = {c.slug: c for c in (EIT, PE, PMP, CAPM)}

LEAD = StepInput("tech-lead", "Tech Lead", 2, 4)
MANAGER = StepInput("engineering-manager", "Engineering Manager", 2, 3)


def gap(skill, current, required, weight=1, actions=()):
    return SkillGapInput(skill, skill.replace("-", " ").title(), current, required, weight, tuple(actions))


def make_request(**overrides) -> PlanRequest:
    values = {
        "start": START,
        "horizon_months": 120,
        "years_experience": 10,
        "goal_slug": MANAGER.slug,
        "goal_name": MANAGER.name,
        "catalog_credentials": CATALOG,
        "steps": (LEAD, MANAGER),
    }
    values.update(overrides)
    return PlanRequest(**values)


def of_kind(proposal: Proposal, kind: str):
    return [m for m in proposal.milestones if m.kind == kind]


def by_subject(proposal: Proposal, slug: str):
    (milestone,) = [m for m in proposal.milestones if m.subject_slug == slug]
    return milestone


# --------------------------------------------------------------------------- skills


def test_every_open_skill_gap_becomes_exactly_one_milestone():
    gaps = (gap("budgeting", 2, 4), gap("negotiation", 0, 3), gap("mentoring", 3.5, 4, weight=3))

    proposal = generate(make_request(skill_gaps=gaps))

    skills = of_kind(proposal, SKILL)
    assert sorted(m.subject_slug for m in skills) == ["budgeting", "mentoring", "negotiation"]
    assert [(m.from_level, m.to_level) for m in sorted(skills, key=lambda m: m.subject_slug)] == [
        (2, 4),
        (3, 4),
        (None, 3),
    ]


def test_skills_already_at_or_above_the_requirement_get_no_milestone():
    gaps = (gap("budgeting", 4, 4), gap("design", 4.5, 3), gap("mentoring", 2.9, 3))

    proposal = generate(make_request(skill_gaps=gaps))

    assert [m.subject_slug for m in of_kind(proposal, SKILL)] == ["mentoring"]


def test_skill_titles_say_raise_from_a_level_or_build_when_not_rated():
    gaps = (gap("budgeting", 2.5, 4), gap("negotiation", 0, 3), gap("coaching", 0.5, 2))

    proposal = generate(make_request(skill_gaps=gaps))

    assert by_subject(proposal, "budgeting").title == "Raise Budgeting from level 2 to 4"
    assert by_subject(proposal, "negotiation").title == "Build Negotiation to level 3"
    assert by_subject(proposal, "coaching").title == "Build Coaching to level 2"
    assert by_subject(proposal, "coaching").from_level is None


def test_skill_description_names_the_role_and_the_weight_only_when_it_counts_more():
    proposal = generate(make_request(skill_gaps=(gap("budgeting", 2, 4, weight=3), gap("design", 1, 2, weight=1))))

    heavy, light = by_subject(proposal, "budgeting"), by_subject(proposal, "design")
    assert "Engineering Manager role expects Budgeting at level 4" in heavy.description
    assert "counts 3×" in heavy.description
    assert "counts" not in light.description
    assert "not rated" not in heavy.description
    assert "you rated yourself 2" in heavy.description


def test_skill_milestones_carry_up_to_three_of_the_catalog_actions_in_order():
    actions = ("Own a small budget", "Read the quarterly P&L", "Shadow the finance partner", "Take a course")
    proposal = generate(make_request(skill_gaps=(gap("budgeting", 2, 4, actions=actions), gap("design", 1, 2))))

    assert by_subject(proposal, "budgeting").actions == actions[:3]
    assert by_subject(proposal, "design").actions == ()


def test_bigger_weighted_gaps_come_first_and_skills_fill_only_two_thirds_of_the_horizon():
    gaps = (gap("small", 3, 4, weight=1), gap("huge", 1, 5, weight=3), gap("medium", 2, 4, weight=2))

    proposal = generate(make_request(skill_gaps=gaps, horizon_months=36, steps=(), goal_slug="x"))

    skills = of_kind(proposal, SKILL)
    assert [m.subject_slug for m in skills] == ["huge", "medium", "small"]
    assert skills[-1].due_date == add_months(START, 24)
    assert skills[0].due_date == add_months(START, 8)


# --------------------------------------------------------------------------- credentials


def test_a_credential_pulls_in_its_missing_prerequisite_which_comes_first():
    proposal = generate(make_request(credentials=(PE,)))

    credentials = of_kind(proposal, CERTIFICATION)
    assert [m.subject_slug for m in credentials] == ["eit", "pe"]
    eit, pe = credentials
    assert pe.due_date >= add_months(eit.due_date, PE.prep_months) - timedelta(days=1)
    assert "You need it before Professional Engineer" in eit.description
    assert "Recommended for the Engineering Manager role" in pe.description


def test_a_held_prerequisite_is_not_pulled_in():
    proposal = generate(make_request(credentials=(PE,), held_credentials=frozenset({"eit"})))

    assert [m.subject_slug for m in of_kind(proposal, CERTIFICATION)] == ["pe"]


def test_held_recommended_credentials_are_left_out():
    proposal = generate(make_request(credentials=(PE, PMP), held_credentials=frozenset({"eit", "pe"})))

    assert [m.subject_slug for m in of_kind(proposal, CERTIFICATION)] == ["pmp"]


def test_prerequisites_are_pulled_in_recursively_in_dependency_order():
    a = CredentialInput("a", "A", "certification", 2)
    b = CredentialInput("b", "B", "certification", 2, prerequisites=("a",))
    c = CredentialInput("c", "C", "certification", 2, prerequisites=("b",))
    proposal = generate(make_request(credentials=(c,), catalog_credentials={"a": a, "b": b, "c": c}))

    credentials = of_kind(proposal, CERTIFICATION)
    assert [m.subject_slug for m in credentials] == ["a", "b", "c"]
    assert [m.due_date for m in credentials] == [add_months(START, 2), add_months(START, 4), add_months(START, 6)]


def test_each_credential_description_gives_its_preparation_time():
    proposal = generate(make_request(credentials=(PE,)))

    assert "about 3 months" in by_subject(proposal, "eit").description
    assert "about 4 months" in by_subject(proposal, "pe").description
    assert "4 years of professional experience" in by_subject(proposal, "pe").description


def test_a_minimum_of_experience_delays_the_credential():
    # Two years in, PMP asks for three: one year of waiting, then three months of preparation.
    proposal = generate(make_request(credentials=(PMP,), years_experience=2))

    assert by_subject(proposal, "pmp").due_date == add_months(START, 12 + 3)


def test_a_credential_without_experience_rules_is_due_after_its_preparation():
    proposal = generate(make_request(credentials=(PMP,), years_experience=8))

    assert by_subject(proposal, "pmp").due_date == add_months(START, 3)


def test_experience_and_prerequisites_both_hold_back_a_credential():
    # PE: EIT first (3 months) and 4 years of experience (from 1, so 3 years away), then 4 months.
    proposal = generate(make_request(credentials=(PE,), years_experience=1))

    assert by_subject(proposal, "eit").due_date == add_months(START, 3)
    assert by_subject(proposal, "pe").due_date == add_months(START, 36 + 4)


def test_an_unknown_prerequisite_is_refused_with_its_name():
    broken = replace(PE, prerequisites=("fe-exam",))

    with pytest.raises(ValueError, match=r"'pe' needs 'fe-exam', which is not in the catalog"):
        generate(make_request(credentials=(broken,), catalog_credentials={"pe": broken}))


def test_a_prerequisite_cycle_is_refused_naming_the_loop():
    a = CredentialInput("a", "A", "certification", 1, prerequisites=("b",))
    b = CredentialInput("b", "B", "certification", 1, prerequisites=("a",))

    with pytest.raises(ValueError, match=r"cycle: a → b → a"):
        generate(make_request(credentials=(a,), catalog_credentials={"a": a, "b": b}))


def test_a_cycle_through_a_held_credential_does_not_matter():
    a = CredentialInput("a", "A", "certification", 1, prerequisites=("b",))
    b = CredentialInput("b", "B", "certification", 1, prerequisites=("a",))

    proposal = generate(make_request(credentials=(a,), catalog_credentials={"a": a, "b": b}, held_credentials={"b"}))

    assert [m.subject_slug for m in of_kind(proposal, CERTIFICATION)] == ["a"]


def test_a_prerequisite_with_a_bad_preparation_time_is_refused_when_pulled_in():
    broken_eit = replace(EIT, prep_months=-3)

    with pytest.raises(ValueError, match="'eit': prep_months must be 0 or more, not -3"):
        generate(make_request(credentials=(PE,), catalog_credentials={**CATALOG, "eit": broken_eit}))


def test_a_bad_catalog_entry_no_plan_needs_is_not_checked():
    untouched = CredentialInput("old", "Old", "certification", prep_months=-1)

    proposal = generate(make_request(credentials=(PMP,), catalog_credentials={**CATALOG, "old": untouched}))

    assert [m.subject_slug for m in of_kind(proposal, CERTIFICATION)] == ["pmp"]


# --------------------------------------------------------------------------- experience and roles


def test_an_experience_gap_gets_one_milestone_due_when_the_years_are_reached():
    proposal = generate(make_request(years_experience=3, experience_gap_years=2))

    (experience,) = of_kind(proposal, EXPERIENCE)
    assert experience.title == "Reach 5 years of professional experience"
    assert experience.due_date == add_months(START, 24)


def test_no_experience_milestone_without_a_gap():
    assert of_kind(generate(make_request(experience_gap_years=0)), EXPERIENCE) == []


def test_role_steps_are_due_at_the_cumulative_typical_years_and_the_goal_is_last():
    # Tech Lead after 3 years (2-4), then Engineering Manager 2.5 years (2-3) later.
    proposal = generate(make_request())

    lead, manager = of_kind(proposal, ROLE)
    assert (lead.title, lead.subject_slug) == ("Move into Tech Lead", "tech-lead")
    assert lead.due_date == add_months(START, 36)
    assert manager.due_date == add_months(START, 66)
    assert proposal.milestones[-1] == manager
    assert "goal of this plan" in manager.description


def test_the_goal_stays_last_when_a_credential_takes_longer_than_the_path():
    slow = CredentialInput("mba", "MBA", "degree", prep_months=30)
    proposal = generate(make_request(steps=(MANAGER,), credentials=(slow,)))

    assert proposal.milestones[-1].subject_slug == MANAGER.slug
    assert proposal.milestones[-1].due_date >= by_subject(proposal, "mba").due_date


def test_an_already_qualified_person_gets_only_the_role_steps():
    proposal = generate(
        make_request(
            skill_gaps=(gap("budgeting", 4, 4), gap("design", 5, 3)),
            credentials=(PMP,),
            held_credentials=frozenset({"pmp"}),
            years_experience=12,
            experience_gap_years=0,
        )
    )

    assert [m.kind for m in proposal.milestones] == [ROLE, ROLE]
    assert [m.subject_slug for m in proposal.milestones] == [LEAD.slug, MANAGER.slug]


def test_without_steps_there_is_no_role_milestone():
    proposal = generate(make_request(steps=(), skill_gaps=(gap("budgeting", 1, 3),)))

    assert [m.kind for m in proposal.milestones] == [SKILL]


def test_a_path_that_does_not_end_at_the_goal_is_refused():
    with pytest.raises(ValueError, match="must end at the goal role"):
        generate(make_request(steps=(MANAGER, LEAD)))


# --------------------------------------------------------------------------- dates, order and the horizon


def full_request(**overrides):
    return make_request(
        years_experience=1,
        experience_gap_years=4,
        skill_gaps=tuple(gap(f"skill-{n}", n % 3, 4, weight=n % 3 + 1) for n in range(12)),
        credentials=(PE, PMP, CAPM),
        **overrides,
    )


@pytest.mark.parametrize("horizon", [1, 6, 24, 66, 240])
def test_all_dates_fall_within_the_horizon_and_the_orders_follow_the_dates(horizon):
    proposal = generate(full_request(horizon_months=horizon))

    dates = [m.due_date for m in proposal.milestones]
    assert proposal.ends_on == add_months(START, horizon)
    assert all(START + MIN_LEAD <= due <= proposal.ends_on for due in dates)
    assert dates == sorted(dates)
    assert [m.order for m in proposal.milestones] == list(range(1, len(dates) + 1))
    assert proposal.milestones[-1].subject_slug == MANAGER.slug


def test_nothing_is_due_in_the_first_two_weeks():
    instant = CredentialInput("instant", "Instant", "certification", prep_months=0)

    proposal = generate(make_request(credentials=(instant,), steps=()))

    assert by_subject(proposal, "instant").due_date == START + timedelta(days=14)


def test_ties_on_a_date_are_ordered_by_kind_then_title():
    # In a one-month plan (31 days from 10 March) the first two of four skills (days 5 and 10) and both
    # instant credentials are all moved to day 14.
    quick = CredentialInput("b-quick", "B quick", "certification", prep_months=0)
    also_quick = CredentialInput("a-quick", "A quick", "certification", prep_months=0)
    skills = (gap("x", 1, 4, weight=3), gap("y", 1, 3, weight=2), gap("z", 1, 2), gap("w", 1, 2))
    proposal = generate(make_request(horizon_months=1, credentials=(quick, also_quick), skill_gaps=skills, steps=()))

    first_day = [m.title for m in proposal.milestones if m.due_date == START + MIN_LEAD]
    assert first_day == ["Raise X from level 1 to 4", "Raise Y from level 1 to 3", "Earn A quick", "Earn B quick"]


def test_on_a_tie_a_prerequisite_still_comes_before_what_needs_it():
    z = CredentialInput("z", "Z first", "certification", prep_months=0)
    a = CredentialInput("a", "A second", "certification", prep_months=0, prerequisites=("z",))
    proposal = generate(make_request(credentials=(a,), catalog_credentials={"a": a, "z": z}, steps=()))

    assert [m.title for m in proposal.milestones] == ["Earn Z first", "Earn A second"]
    assert proposal.milestones[0].due_date == proposal.milestones[1].due_date


def test_a_schedule_longer_than_the_horizon_is_squeezed_in_proportion_with_a_note():
    # The credentials need 1 year of waiting + EIT/PE chain: PE due at 36 + 4 = 40 months naturally.
    proposal = generate(make_request(credentials=(PE,), years_experience=1, steps=(), horizon_months=20))

    eit, pe = of_kind(proposal, CERTIFICATION)
    assert pe.due_date == add_months(START, 20)
    # EIT's 3 months become 1.5: 10 April plus half of April's 30 days.
    assert eit.due_date == date(2025, 4, 25)
    assert proposal.notes == (
        "The credentials usually take 40 months to qualify for and prepare; they have been squeezed into your "
        "20-month horizon — consider a longer one.",
    )


def test_credentials_that_only_need_preparation_say_so_in_the_note():
    slow = CredentialInput("mba", "MBA", "degree", prep_months=30)

    proposal = generate(make_request(credentials=(slow,), steps=(), horizon_months=24))

    assert proposal.notes == (
        "The credentials usually take 30 months to prepare; they have been squeezed into your 24-month horizon "
        "— consider a longer one.",
    )


def test_a_long_path_and_experience_gap_are_noted_when_squeezed():
    proposal = generate(make_request(horizon_months=12, experience_gap_years=3, years_experience=2))

    assert len(proposal.notes) == 2
    assert "moves along your path usually take about 5.5 years" in proposal.notes[0]
    assert "another 3 years of experience" in proposal.notes[1]
    lead, manager = of_kind(proposal, ROLE)
    # Squeezed in proportion: 36 of 66 months becomes 36/66 of 12 months (about 6.5 months).
    assert add_months(START, 6) <= lead.due_date <= add_months(START, 7)
    assert manager.due_date == add_months(START, 12)


def test_what_fits_but_is_moved_along_with_the_rest_is_noted_too():
    # The 66-month path is squeezed into 24 months; the one-year experience gap fits but moves with it.
    proposal = generate(make_request(horizon_months=24, experience_gap_years=1, years_experience=4))

    assert proposal.notes[1] == (
        "To keep everything in order, the other dated milestones have been brought forward in the same "
        "proportion, to about 36% of their usual time."
    )
    (experience,) = of_kind(proposal, EXPERIENCE)
    assert add_months(START, 4) < experience.due_date < add_months(START, 5)


def test_a_schedule_that_fits_gets_no_note_and_is_not_squeezed():
    proposal = generate(make_request(credentials=(PMP,), years_experience=5, horizon_months=120))

    assert proposal.notes == ()
    assert by_subject(proposal, "pmp").due_date == add_months(START, 3)


# --------------------------------------------------------------------------- default horizon


def test_the_default_horizon_is_the_typical_time_along_the_path():
    assert default_horizon_months((LEAD, MANAGER), 0) == 66  # 3 + 2.5 years


def test_the_default_horizon_covers_a_longer_experience_gap():
    assert default_horizon_months((StepInput("x", "X", 1, 2),), 4) == 48


@pytest.mark.parametrize(
    ("steps", "gap_years", "expected"),
    [((), 0, 6), ((StepInput("x", "X", 0, 0),), 0, 6), ((StepInput("x", "X", 10, 20),), 0, 120), ((), 15, 120)],
)
def test_the_default_horizon_is_kept_between_six_months_and_ten_years(steps, gap_years, expected):
    assert default_horizon_months(steps, gap_years) == expected


def test_no_horizon_means_the_default_one_with_a_note():
    proposal = generate(make_request(horizon_months=None))

    assert proposal.horizon_months == 66
    assert proposal.ends_on == add_months(START, 66)
    assert proposal.notes == (
        "No horizon was chosen, so the plan spans 66 months, from the usual time along your path and the "
        "experience you still need (at least 6 months, at most 10 years).",
    )


# --------------------------------------------------------------------------- output


def test_a_proposal_round_trips_through_json():
    proposal = generate(full_request(horizon_months=30))

    data = json.loads(json.dumps(proposal.to_dict()))

    assert Proposal.from_dict(data) == proposal
    assert data["generator_version"] == GENERATOR_VERSION
    assert data["milestones"][0]["due_date"] == proposal.milestones[0].due_date.isoformat()


def test_skill_levels_always_rise_as_the_milestone_table_requires():
    gaps = tuple(gap(f"s{n}-{req}", n / 4, req) for n in range(21) for req in (1, 3, 5) if n / 4 < req)

    proposal = generate(make_request(skill_gaps=gaps))

    for milestone in of_kind(proposal, SKILL):
        assert 1 <= milestone.to_level <= 5
        assert milestone.from_level is None or milestone.from_level < milestone.to_level


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"horizon_months": 0}, "horizon must be a whole number of months from 1 to 240, not 0"),
        ({"horizon_months": 241}, "horizon must be a whole number of months from 1 to 240, not 241"),
        ({"skill_gaps": (gap("budgeting", 1, 3, weight=4),)}, "'budgeting': the weight must be 1-3, not 4"),
        ({"skill_gaps": (gap("budgeting", 1, 3, weight=0),)}, "'budgeting': the weight must be 1-3, not 0"),
        ({"skill_gaps": (gap("budgeting", 1, 6),)}, "'budgeting': the required level must be 1-5, not 6"),
        ({"skill_gaps": (gap("budgeting", 1, 0),)}, "'budgeting': the required level must be 1-5, not 0"),
        ({"skill_gaps": (gap("budgeting", 5.5, 3),)}, "'budgeting': the current level must be 0"),
        ({"skill_gaps": (gap("budgeting", -1, 3),)}, "'budgeting': the current level must be 0"),
        ({"skill_gaps": (gap("budgeting", 1, 3), gap("budgeting", 2, 4))}, "'budgeting' is listed twice"),
        ({"years_experience": -1}, "Years of experience must be a whole number of 0 or more"),
        ({"experience_gap_years": -2}, "experience gap must be a whole number of 0 or more"),
        ({"credentials": (replace(PMP, prep_months=-1),)}, "'pmp': prep_months must be 0 or more"),
        ({"steps": (StepInput("engineering-manager", "EM", 3, 2),)}, "needs 0 <= years_min <= years_max"),
    ],
)
def test_invalid_requests_are_refused_with_a_clear_message(overrides, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        generate(make_request(**overrides))


# --------------------------------------------------------------------------- the documented example


def test_the_worked_example_in_the_docs_matches_the_generator():
    eit = CredentialInput("eit", "Engineer in Training", "licence", 3)
    pe = CredentialInput("pe", "Professional Engineer licence", "licence", 4, ("eit",), 4)
    pmp = CredentialInput("pmp", "Project Management Professional", "certification", 3, (), 3)
    request = PlanRequest(
        start=date(2025, 9, 1),
        horizon_months=None,
        years_experience=3,
        goal_slug="engineering-manager",
        goal_name="Engineering Manager",
        skill_gaps=(
            SkillGapInput("budgeting", "Budgeting", 2, 4, 2),
            SkillGapInput("delegation", "Delegation", 0, 3, 1),
            SkillGapInput("stakeholder-communication", "Stakeholder communication", 3.5, 4, 3),
            SkillGapInput("technical-depth", "Technical depth", 4, 3, 1),
        ),
        credentials=(pe, pmp),
        catalog_credentials={"eit": eit, "pe": pe, "pmp": pmp},
        experience_gap_years=2,
        steps=(StepInput("engineering-manager", "Engineering Manager", 2, 5),),
    )
    doc = (Path(__file__).resolve().parents[2] / "docs" / "plans.md").read_text(encoding="utf-8")
    table = doc.split("### Worked example", 1)[1]
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in table.splitlines()
        if line.startswith("| ") and line[2].isdigit()
    ]

    proposal = generate(request)

    assert proposal.horizon_months == 42
    assert rows == [[str(m.order), m.due_date.isoformat(), m.kind, m.title] for m in proposal.milestones]
    squeezed = generate(replace(request, horizon_months=24))
    assert squeezed.milestones[-1].due_date == date(2027, 9, 1)
    assert len(squeezed.notes) == 2
    assert "about 57% of their usual time" in squeezed.notes[1]


# --- Experience the role expects ------------------------------------------------------


def test_each_experience_the_role_expects_becomes_a_milestone_before_the_goal():
    expects = ("Lead a project end to end", "Mentor someone", "Own a budget")

    proposal = generate(make_request(experiences=expects, horizon_months=24))

    experiences = [m for m in of_kind(proposal, EXPERIENCE) if m.title in expects]
    assert [m.title for m in experiences] == list(expects)
    assert [m.due_date for m in experiences] == [add_months(START, 6), add_months(START, 12), add_months(START, 18)]
    goal = of_kind(proposal, ROLE)[-1]
    assert all(m.due_date <= goal.due_date and m.order < goal.order for m in experiences)
    assert all("Engineering Manager role usually expects" in m.description for m in experiences)


def test_blank_and_repeated_experiences_are_left_out():
    proposal = generate(make_request(experiences=("Own a budget", "  ", "Own a budget ")))

    assert [m.title for m in of_kind(proposal, EXPERIENCE)] == ["Own a budget"]


def test_no_experiences_means_the_plan_of_before():
    assert generate(make_request()) == generate(make_request(experiences=()))
