"""Unit tests for the scoring engine: one rule per test, plain data in and out."""

import json
import math
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from assessments.scoring import (
    BALANCE_MARGIN,
    BALANCED,
    ENGINE_VERSION,
    AssessmentResult,
    DimensionKey,
    ItemSpec,
    PersonSpec,
    RequirementSpec,
    RoleGaps,
    RoleSpec,
    ScoringError,
    SkillSpec,
    gaps_for,
    score,
)

TECH, MGMT, PROJ = "technical", "managerial", "project"


def likert(key, dimension=TECH, weight=1.0, direction=1, group="", text=None):
    return ItemSpec(
        key=key,
        kind="likert",
        text=text or f"Statement {key}.",
        keys=(DimensionKey(dimension, weight, direction),),
        consistency_group=group,
    )


def choice(key, a_dim=MGMT, b_dim=TECH, a_weight=1.0, b_weight=1.0):
    return ItemSpec(
        key=key,
        kind="choice",
        text=f"Choice {key}?",
        option_a="Lead the team",
        option_b="Build the system",
        a_keys=(DimensionKey(a_dim, a_weight),),
        b_keys=(DimensionKey(b_dim, b_weight),),
    )


def skill_item(key, skill):
    return ItemSpec(key=key, kind="skill", text=f"Rate your {skill}.", skill=skill)


def role(slug="r", orientation=TECH, years=0, reqs=(), certs=(), rank=0, name=None):
    return RoleSpec(
        slug=slug,
        name=name or slug.title(),
        orientation=orientation,
        typical_years_min=years,
        requirements=tuple(RequirementSpec(*req) for req in reqs),
        certifications=tuple(certs),
        rank=rank,
    )


# --------------------------------------------------------------------------- orientation


def test_agreeing_fully_with_a_positively_keyed_item_gives_100():
    result = score(items=[likert("q")], answers={"q": 5})
    assert result.orientation[TECH] == 100.0


@pytest.mark.parametrize(("answer", "expected"), [(1, 0.0), (2, 25.0), (3, 50.0), (4, 75.0), (5, 100.0)])
def test_each_likert_step_moves_a_single_item_dimension_by_25_points(answer, expected):
    assert score(items=[likert("q")], answers={"q": answer}).orientation[TECH] == expected


def test_reverse_keyed_item_counts_agreement_against_the_dimension():
    result = score(items=[likert("q", direction=-1)], answers={"q": 5})
    assert result.orientation[TECH] == 0.0


def test_heavier_items_count_more():
    # 50 + 50 x (2 x 2 - 1 x 2) / (2 x 2 + 2 x 1) = 66.67
    items = [likert("heavy", weight=2.0), likert("light", weight=1.0)]
    result = score(items=items, answers={"heavy": 5, "light": 1})
    assert result.orientation[TECH] == 66.7


def test_choice_toward_option_a_scores_a_keys_up_and_b_keys_down():
    result = score(items=[choice("c")], answers={"c": 1})
    assert result.orientation[MGMT] == 100.0
    assert result.orientation[TECH] == 0.0


def test_choice_toward_option_b_scores_b_keys_up_and_a_keys_down():
    result = score(items=[choice("c")], answers={"c": 4})
    assert result.orientation[TECH] == 75.0
    assert result.orientation[MGMT] == 25.0


def test_choice_with_no_preference_leaves_both_dimensions_at_50():
    result = score(items=[choice("c")], answers={"c": 3})
    assert result.orientation == {TECH: 50.0, MGMT: 50.0, PROJ: 50.0}


def test_unanswered_items_are_left_out_of_the_score():
    items = [likert("answered"), likert("skipped")]
    result = score(items=items, answers={"answered": 5})
    assert result.orientation[TECH] == 100.0


def test_dimension_without_answered_items_is_50():
    result = score(items=[likert("q", PROJ)], answers={})
    assert result.orientation == {TECH: 50.0, MGMT: 50.0, PROJ: 50.0}


def test_orientation_is_rounded_to_one_decimal_only_at_the_end():
    # 50 + 50 x (1 + 1 + 1) / 18 = 58.33..; rounding each item first would give 3 x 5.6 = 58.8
    items = [likert(f"q{n}", weight=3.0) for n in range(3)]
    answers = {"q0": 4, "q1": 4, "q2": 3}
    result = score(items=items, answers=answers)
    assert result.orientation[TECH] == round(50 + 50 * 6 / 18, 1) == 66.7
    items = [likert(f"q{n}") for n in range(3)]
    result = score(items=items, answers={"q0": 4, "q1": 3, "q2": 3})
    assert result.orientation[TECH] == 58.3


# --------------------------------------------------------------------------- best fit


def test_clear_lead_is_the_best_fit():
    items = [likert("t", TECH), likert("m", MGMT)]
    result = score(items=items, answers={"t": 5, "m": 3})
    assert result.best_fit == TECH
    assert result.leading == (TECH,)
    assert "lean to technical (100 of 100), clearly ahead of management (50)" in result.explanations.best_fit


def test_top_two_within_the_margin_are_balanced_and_both_named():
    # technical 62.5, project 56.25 -> 56.3: 6.2 points apart
    items = [likert("t1", TECH), likert("t2", TECH), likert("p1", PROJ), likert("p2", PROJ, weight=3.0)]
    result = score(items=items, answers={"t1": 4, "t2": 3, "p1": 4, "p2": 3})
    assert result.orientation[TECH] == 62.5
    assert result.orientation[PROJ] == 56.3
    assert result.best_fit == BALANCED
    assert result.leading == (TECH, PROJ)
    assert "Balanced between technical (62) and project leadership (56)" in result.explanations.best_fit
    assert "leaning slightly toward technical" in result.explanations.best_fit


def test_a_lead_of_exactly_the_margin_is_still_balanced():
    items = [likert("t", TECH), likert("t2", TECH), likert("t3", TECH), likert("t4", TECH, weight=1.0 / 3)]
    # 50 + 50 x 1 / (2 + 2 + 2 + 2/3) = 57.5
    result = score(items=items, answers={"t": 4, "t2": 3, "t3": 3, "t4": 3})
    assert result.orientation[TECH] == 57.5
    assert BALANCE_MARGIN == 7.5
    assert result.best_fit == BALANCED


def test_a_lead_just_over_the_margin_is_not_balanced():
    # 50 + 50 x 1 / 6 = 58.3: 8.3 ahead of the others
    items = [likert("t", TECH), likert("t2", TECH), likert("t3", TECH)]
    result = score(items=items, answers={"t": 4, "t2": 3, "t3": 3})
    assert result.best_fit == TECH


# --------------------------------------------------------------------------- skill levels


def test_skill_level_is_the_average_of_its_ratings():
    items = [skill_item("a", "design"), skill_item("b", "design"), skill_item("c", "budget")]
    result = score(items=items, answers={"a": 3, "b": 4, "c": 2})
    assert result.skill_levels == {"design": 3.5, "budget": 2.0}


def test_skill_level_rounds_halves_up_to_one_decimal():
    items = [skill_item(f"s{n}", "design") for n in range(4)]
    result = score(items=items, answers={"s0": 4, "s1": 4, "s2": 4, "s3": 5})  # 4.25
    assert result.skill_levels["design"] == 4.3


def test_skill_items_do_not_move_orientation():
    result = score(items=[skill_item("s", "design")], answers={"s": 5})
    assert result.orientation == {TECH: 50.0, MGMT: 50.0, PROJ: 50.0}


# --------------------------------------------------------------------------- readiness


def ready(reqs=(), answers=None, years=0, person_years=0, orientation_answer=None, skills_rated=()):
    """Score one technical role; orientation_answer sets the technical score through one likert item."""
    answers = dict(answers or {})
    rated = {*skills_rated, *(key.removeprefix("s-") for key in answers)}
    items = [skill_item(f"s-{slug}", slug) for slug in sorted(rated)] + [likert("o", TECH)]
    if orientation_answer is not None:
        answers["o"] = orientation_answer
    result = score(items=items, answers=answers, roles=[role(years=years, reqs=reqs)], person=PersonSpec(person_years))
    return result.readiness[0]


def test_everything_met_is_exactly_100():
    row = ready(reqs=[("design", 3, 2)], answers={"s-design": 3}, years=4, person_years=4, orientation_answer=5)
    assert row.readiness == 100
    assert (row.skills_credit, row.experience_credit, row.orientation_credit) == (1.0, 1.0, 1.0)
    assert row.top_gaps == ()
    assert "Every requirement is met." in row.explanation


def test_a_skill_one_level_short_earns_half_its_credit():
    row = ready(reqs=[("design", 4, 1)], answers={"s-design": 3}, skills_rated=["design"], orientation_answer=5)
    assert row.skills_credit == 0.5
    assert row.readiness == 50  # skills gate: 100 x 1/2 x 1 x 1


def test_a_skill_two_levels_short_earns_nothing():
    row = ready(reqs=[("design", 4, 1)], answers={"s-design": 2}, skills_rated=["design"], orientation_answer=5)
    assert row.skills_credit == 0.0
    assert row.readiness == 0


def test_skill_above_its_level_earns_no_extra_credit():
    reqs = [("design", 2, 1), ("budget", 4, 1)]
    answers = {"s-design": 5, "s-budget": 3}
    row = ready(reqs=reqs, answers=answers, skills_rated=["design", "budget"], orientation_answer=5)
    assert row.skills_credit == 0.75  # (1 + 0.5) / 2: the spare design level makes up nothing


def test_requirement_weights_weigh_the_skill_credit():
    reqs = [("design", 4, 3), ("budget", 4, 1)]
    answers = {"s-design": 4, "s-budget": 3}
    row = ready(reqs=reqs, answers=answers, skills_rated=["design", "budget"], orientation_answer=5)
    assert row.skills_credit == (3 * 1 + 1 * 0.5) / 4


def test_unrated_skill_counts_as_level_zero_and_is_flagged():
    row = ready(reqs=[("design", 3, 1)], orientation_answer=5)
    assert row.skills_credit == 0.0
    assert row.readiness == 0  # skills gate: nothing met is nothing ready, whatever the years and orientation
    assert row.top_gaps[0].key == "design"
    assert row.top_gaps[0].label == "design (not rated)"
    assert "design not rated, level 3 expected (−100 points)" in row.explanation


def test_role_without_requirements_gives_full_skill_credit():
    assert ready(orientation_answer=5).skills_credit == 1.0


@pytest.mark.parametrize(
    ("typical", "years", "credit"), [(0, 0, 1.0), (6, 3, 0.5), (6, 6, 1.0), (6, 20, 1.0), (4, 0, 0.0)]
)
def test_experience_credit_is_years_over_typical_minimum_capped_at_1(typical, years, credit):
    assert ready(years=typical, person_years=years, orientation_answer=5).experience_credit == credit


@pytest.mark.parametrize(("answer", "credit"), [(5, 1.0), (4, 1.0), (3, 50 / 60), (2, 25 / 60), (1, 0.0)])
def test_orientation_credit_is_the_role_dimension_score_over_60_capped_at_1(answer, credit):
    assert ready(orientation_answer=answer).orientation_credit == pytest.approx(credit)


def test_readiness_is_the_exact_product_floored():
    # skills: 2.5 of 3 is half a level short -> credit 3/4; experience 2/3; orientation 25/60
    items = [skill_item("a", "design"), skill_item("b", "design"), likert("o", TECH)]
    result = score(
        items=items,
        answers={"a": 2, "b": 3, "o": 2},
        roles=[role(years=3, reqs=[("design", 3, 1)])],
        person=PersonSpec(2),
    )
    row = result.readiness[0]
    assert row.skills_credit == 0.75
    exact = (
        100
        * Fraction(3, 4)
        * (Fraction(3, 4) + Fraction(1, 4) * Fraction(2, 3))
        * (Fraction(4, 5) + Fraction(1, 5) * Fraction(25, 60))
    )
    assert row.readiness == math.floor(exact) == 60


def test_a_tiny_orientation_shortfall_keeps_readiness_below_100():
    # technical = 50 + 50 x 1 / (2 + 2 x 1.525) = 59.9: factor 4/5 + 1/5 x 599/600, just under 1
    items = [likert("a", TECH, weight=1.0), likert("b", TECH, weight=1.525)]
    result = score(items=items, answers={"a": 4, "b": 3}, roles=[role()])
    assert result.orientation[TECH] == 59.9
    assert result.readiness[0].readiness == 99


def test_roles_are_ranked_by_readiness_then_fit_then_rank_then_slug():
    items = [likert("t", TECH), likert("m", MGMT), skill_item("s", "design")]
    roles = [
        role("b-tech", TECH, rank=2),
        role("a-tech", TECH, rank=2),
        role("first-tech", TECH, rank=1),
        role("mgmt", MGMT),
        role("demanding", TECH, reqs=[("design", 5, 1)]),
    ]
    # technical 100, managerial 75: every role without requirements reaches 100
    result = score(items=items, answers={"t": 5, "m": 4, "s": 1}, roles=roles)
    assert [row.slug for row in result.readiness] == ["first-tech", "a-tech", "b-tech", "mgmt", "demanding"]


def test_current_role_is_marked():
    result = score(items=[], answers={}, roles=[role("a"), role("b")], person=PersonSpec(3, "b"))
    assert [row.is_current for row in sorted(result.readiness, key=lambda row: row.slug)] == [False, True]


def test_top_gaps_are_the_three_costing_most_points():
    reqs = [("a", 5, 1), ("b", 5, 3), ("c", 2, 1), ("d", 4, 2)]
    items = [skill_item(f"s-{x}", x) for x in "abcd"] + [likert("o", TECH)]
    answers = {"s-a": 4, "s-b": 1, "s-c": 1, "s-d": 2, "o": 4}
    result = score(items=items, answers=answers, roles=[role(reqs=reqs, years=10)], person=PersonSpec(5))
    row = result.readiness[0]
    # experience factor 3/4 + 1/4 x 5/10 = 7/8; orientation 1. Points each shortfall alone costs:
    # b 100 x 3/7 x 1 x 7/8 = 37.5, d 100 x 2/7 x 1 x 7/8 = 25.0,
    # a and c 100 x 1/7 x 1/2 x 7/8 = 6.25 each (a first, as listed);
    # experience 100 x skills (1/7 x (1/2 + 1/2)) x 1/8 = 1.8
    assert [(gap.key, gap.points) for gap in row.top_gaps] == [("b", 37.5), ("d", 25.0), ("a", 6.3)]
    assert "b at level 1 where 5 is expected (−38 points)" in row.explanation
    assert "0 of 4 skills at the level the role expects (4 a whole level or more short)" in row.explanation


# --------------------------------------------------------------------------- gaps


def test_gaps_are_sorted_by_weighted_shortfall():
    target = role(reqs=[("a", 5, 1), ("b", 4, 3), ("c", 3, 2), ("d", 2, 1)])
    items = [skill_item(f"s-{x}", x) for x in "abcd"]
    result = score(items=items, answers={"s-a": 2, "s-b": 3, "s-c": 2, "s-d": 4})
    gaps = gaps_for(result, target, skills=[SkillSpec("b", "Budgeting")])
    # weighted shortfalls: a 1 x 3 = 3, b 3 x 1 = 3, c 2 x 1 = 2; d is met
    assert [(gap.skill, gap.weight * gap.shortfall) for gap in gaps.skill_gaps] == [("a", 3), ("b", 3), ("c", 2)]
    assert gaps.skill_gaps[1].name == "Budgeting"


def test_gaps_list_unrated_skills_as_not_rated():
    gaps = gaps_for(score(items=[], answers={}), role(reqs=[("design", 3, 1)]))
    assert gaps.skill_gaps[0].rated is False
    assert gaps.skill_gaps[0].current == 0.0
    assert gaps.skill_gaps[0].shortfall == 3


def test_gaps_list_recommended_certifications_not_held():
    target = role(certs=["pmp", "pe", "csm"])
    result = score(items=[], answers={}, person=PersonSpec(0, None, frozenset({"pe"})))
    assert gaps_for(result, target).missing_certifications == ("pmp", "csm")


def test_gaps_give_the_experience_and_orientation_still_to_go():
    target = role(orientation=MGMT, years=8)
    result = score(items=[likert("m", MGMT)], answers={"m": 2}, person=PersonSpec(5))
    gaps = gaps_for(result, target)
    assert gaps.experience_gap_years == 3
    assert gaps.orientation_gap == 35.0


def test_gaps_can_be_computed_from_plain_skill_levels():
    gaps = gaps_for({"design": 2.5}, role(reqs=[("design", 4, 2)], years=2), person=PersonSpec(5))
    assert gaps.skill_gaps[0].shortfall == 1.5
    assert gaps.experience_gap_years == 0


# --------------------------------------------------------------------------- explanations


def test_dimension_explanation_names_the_answers_that_moved_it_most():
    items = [
        likert("small", TECH, weight=0.5, text="I like tidy code."),
        likert("big", TECH, weight=2.0, text="I want to stay hands-on."),
        likert("reverse", TECH, direction=-1, text="I find deep technical work dull."),
        likert("neutral", TECH, text="I read papers."),
        likert("fourth", TECH, weight=0.25, text="I enjoy debugging."),
    ]
    answers = {"small": 5, "big": 5, "reverse": 2, "neutral": 3, "fourth": 4}
    result = score(items=items, answers=answers)
    explanation = result.explanations.dimensions[0]
    assert explanation.dimension == TECH
    assert [mover.item for mover in explanation.movers] == ["big", "small", "reverse"]
    assert explanation.movers[0].answer_words == "strongly agree"
    assert explanation.movers[2].answer_words == "disagree"
    assert explanation.movers[2].points > 0  # disagreeing with a reverse-keyed item raises the score
    assert "“I want to stay hands-on.”: strongly agree (+" in explanation.summary


def test_mover_points_add_up_to_the_distance_from_50():
    items = [likert("a", TECH, weight=2.0), likert("b", TECH, direction=-1)]
    result = score(items=items, answers={"a": 4, "b": 4})
    explanation = result.explanations.dimensions[0]
    # 16.67 - 8.33: each figure is rounded to one decimal, so allow 0.05 per figure
    total = sum(mover.points for mover in explanation.movers)
    assert total == pytest.approx(result.orientation[TECH] - 50, abs=0.05 * 3)


def test_choice_answers_are_explained_with_the_option_chosen():
    result = score(items=[choice("c")], answers={"c": 2})
    mover = result.explanations.dimensions[1].movers[0]
    assert mover.answer_words == "somewhat prefer “Lead the team”"


def test_dimension_without_answers_says_so():
    result = score(items=[], answers={})
    assert "No answered item measures it" in result.explanations.dimensions[2].summary


def test_role_explanation_gives_every_component():
    row = ready(
        reqs=[("design", 4, 1)],
        answers={"s-design": 3},
        skills_rated=["design"],
        years=4,
        person_years=4,
        orientation_answer=5,
    )
    assert row.explanation.startswith("R: A stretch for now (readiness 50 of 100).")
    assert "0 of 1 skills at the level the role expects (1 a whole level or more short)" in row.explanation
    assert "4 years of experience against a typical 4+" in row.explanation
    assert "technical orientation 100 (a lean of 60 counts in full)" in row.explanation


# --------------------------------------------------------------------------- consistency


def test_strong_agreement_with_a_statement_and_its_reverse_is_flagged():
    items = [
        likert("likes", TECH, group="hands-on", text="I want to keep writing code."),
        likert("dislikes", TECH, direction=-1, group="hands-on", text="I would be glad to stop writing code."),
    ]
    result = score(items=items, answers={"likes": 5, "dislikes": 5})
    (flag,) = result.consistency_flags
    assert (flag.group, flag.item_a, flag.item_b) == ("hands-on", "likes", "dislikes")
    assert "I want to keep writing code." in flag.message
    assert "I would be glad to stop writing code." in flag.message


def test_consistent_answers_to_reversed_twins_are_not_flagged():
    items = [likert("a", TECH, group="g"), likert("b", TECH, direction=-1, group="g")]
    assert score(items=items, answers={"a": 5, "b": 1}).consistency_flags == ()
    assert score(items=items, answers={"a": 4, "b": 3}).consistency_flags == ()  # 2 apart: under the threshold


def test_same_direction_twins_answered_far_apart_are_flagged():
    items = [likert("a", MGMT, group="g"), likert("b", MGMT, group="g")]
    assert len(score(items=items, answers={"a": 5, "b": 2}).consistency_flags) == 1


def test_twins_are_compared_on_the_dimension_they_share():
    # b leans to managerial with more weight but shares technical (reverse-keyed) with a
    b = ItemSpec(
        key="b",
        kind="likert",
        text="I'd rather manage than code.",
        keys=(DimensionKey(MGMT, 2.0), DimensionKey(TECH, 1.0, -1)),
        consistency_group="g",
    )
    items = [likert("a", TECH, group="g"), b]
    assert score(items=items, answers={"a": 5, "b": 1}).consistency_flags == ()
    assert len(score(items=items, answers={"a": 5, "b": 5}).consistency_flags) == 1


def test_flags_do_not_change_scores():
    grouped = [likert("a", TECH, group="g"), likert("b", TECH, direction=-1, group="g")]
    plain = [likert("a", TECH), likert("b", TECH, direction=-1)]
    answers = {"a": 5, "b": 5}
    flagged, unflagged = score(items=grouped, answers=answers), score(items=plain, answers=answers)
    assert flagged.consistency_flags and not unflagged.consistency_flags
    assert flagged.orientation == unflagged.orientation


# --------------------------------------------------------------------------- validation


def test_scoring_error_is_a_value_error():
    assert issubclass(ScoringError, ValueError)


@pytest.mark.parametrize("bad", [0, 6, -1, "3", 3.0, True, None])
def test_answers_outside_1_to_5_are_rejected(bad):
    with pytest.raises(ScoringError, match="whole number from 1 to 5"):
        score(items=[likert("q")], answers={"q": bad})


def test_answers_to_unknown_items_are_rejected():
    with pytest.raises(ScoringError, match="unknown item 'nope'"):
        score(items=[likert("q")], answers={"nope": 3})


@pytest.mark.parametrize("direction", [0, 2, -2, True])
def test_direction_other_than_plus_or_minus_one_is_rejected(direction):
    with pytest.raises(ScoringError, match="direction must be"):
        score(items=[likert("q", direction=direction)], answers={})


@pytest.mark.parametrize("weight", [0, -1.0, float("nan"), float("inf"), "1"])
def test_weight_must_be_a_positive_number(weight):
    with pytest.raises(ScoringError, match="weight must be"):
        score(items=[likert("q", weight=weight)], answers={})


def test_unknown_dimension_is_rejected():
    with pytest.raises(ScoringError, match="unknown dimension"):
        DimensionKey("salary", 1.0)


def test_choice_without_both_options_is_rejected():
    with pytest.raises(ScoringError, match="option_a and option_b"):
        ItemSpec(key="c", kind="choice", text="?", option_a="A", b_keys=(DimensionKey(TECH, 1.0),))


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"kind": "likert"}, "at least one dimension key"),
        ({"kind": "free-text"}, "kind must be one of"),
        ({"kind": "skill"}, "needs the skill it rates"),
        ({"kind": "skill", "skill": "design", "keys": (DimensionKey(TECH, 1.0),)}, "has no orientation keys"),
        ({"kind": "likert", "keys": (DimensionKey(TECH, 1.0), DimensionKey(TECH, 2.0))}, "keyed more than once"),
        ({"kind": "choice", "option_a": "A", "option_b": "B"}, "needs a_keys or b_keys"),
    ],
)
def test_malformed_items_are_rejected(spec, message):
    with pytest.raises(ScoringError, match=message):
        ItemSpec(key="x", text="?", **spec)


def test_duplicate_item_keys_are_rejected():
    with pytest.raises(ScoringError, match="used twice"):
        score(items=[likert("q"), likert("q")], answers={})


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: role(orientation="sales"), "orientation must be"),
        (lambda: role(reqs=[("design", 6, 1)]), "level must be"),
        (lambda: role(reqs=[("design", 3, 0)]), "weight must be"),
        (lambda: role(reqs=[("design", 3, 1), ("design", 2, 1)]), "required twice"),
        (lambda: role(years=-1), "typical_years_min"),
        (lambda: PersonSpec(-2), "years_experience"),
    ],
)
def test_malformed_roles_and_people_are_rejected(build, message):
    with pytest.raises(ScoringError, match=message):
        build()


def test_duplicate_role_slugs_are_rejected():
    with pytest.raises(ScoringError, match="unique"):
        score(items=[], answers={}, roles=[role("a"), role("a")])


# --------------------------------------------------------------------------- output


def full_result() -> AssessmentResult:
    items = [
        likert("a", TECH, group="g"),
        likert("b", TECH, direction=-1, group="g"),
        choice("c"),
        skill_item("s", "design"),
    ]
    roles = [role("t", TECH, years=5, reqs=[("design", 4, 2), ("budget", 3, 1)], certs=["pe"]), role("m", MGMT)]
    person = PersonSpec(3, "t", frozenset({"pe", "pmp"}))
    return score(items=items, answers={"a": 5, "b": 5, "c": 2, "s": 3}, roles=roles, person=person)


def test_result_records_the_engine_version():
    assert full_result().engine_version == ENGINE_VERSION == "2.0"


def test_result_round_trips_through_json_exactly():
    result = full_result()
    data = json.loads(json.dumps(result.to_dict()))
    assert AssessmentResult.from_dict(data) == result
    assert AssessmentResult.from_dict(data).to_dict() == result.to_dict()


def test_role_gaps_round_trip_through_json_exactly():
    result = full_result()
    gaps = gaps_for(result, role("t", TECH, years=5, reqs=[("design", 4, 2)], certs=["pe", "csm"]))
    assert RoleGaps.from_dict(json.loads(json.dumps(gaps.to_dict()))) == gaps


def test_input_specs_round_trip_through_dicts():
    item = choice("c")
    target = role("t", reqs=[("design", 4, 2)], certs=["pe"], years=3)
    person = PersonSpec(4, "t", frozenset({"pe"}))
    assert ItemSpec.from_dict(json.loads(json.dumps(item.to_dict()))) == item
    assert RoleSpec.from_dict(json.loads(json.dumps(target.to_dict()))) == target
    assert PersonSpec.from_dict(json.loads(json.dumps(person.to_dict()))) == person


def test_results_are_frozen():
    result = full_result()
    with pytest.raises(AttributeError):
        result.best_fit = TECH
    with pytest.raises(AttributeError):
        result.readiness[0].readiness = 100


def test_engine_imports_no_django():
    root = Path(__file__).resolve().parents[2]
    code = "import sys, assessments.scoring; print(any(m.split('.')[0] == 'django' for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
