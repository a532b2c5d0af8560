"""Property tests for the scoring engine: what must hold for any questionnaire, answers and catalog."""

import json
import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import (
    DIMENSIONS,
    ORIENTATION_TARGET,
    AssessmentResult,
    DimensionKey,
    ItemSpec,
    PersonSpec,
    RequirementSpec,
    RoleSpec,
    score,
)

SKILLS = ("design", "budget", "coaching", "risk")
PROPERTIES = settings(max_examples=50, deadline=None)

weights = st.one_of(
    st.integers(min_value=1, max_value=3),
    st.floats(min_value=0.01, max_value=10, allow_nan=False, allow_infinity=False),
)
directions = st.sampled_from((1, -1))
answer_values = st.integers(min_value=1, max_value=5)


@st.composite
def dimension_keys(draw, dimensions):
    return tuple(DimensionKey(dim, draw(weights), draw(directions)) for dim in dimensions)


@st.composite
def items(draw, key):
    kind = draw(st.sampled_from(("likert", "choice", "skill")))
    group = draw(st.sampled_from(("", "", "g1", "g2")))
    if kind == "skill":
        return ItemSpec(key=key, kind=kind, text=f"Rate {key}.", skill=draw(st.sampled_from(SKILLS)))
    dims = draw(st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=3, unique=True))
    if kind == "likert":
        return ItemSpec(
            key=key, kind=kind, text=f"Item {key}.", keys=draw(dimension_keys(dims)), consistency_group=group
        )
    split = draw(st.integers(min_value=0, max_value=len(dims)))
    return ItemSpec(
        key=key,
        kind=kind,
        text=f"Item {key}?",
        option_a="A",
        option_b="B",
        a_keys=draw(dimension_keys(dims[:split])),
        b_keys=draw(dimension_keys(dims[split:])),
        consistency_group=group,
    )


@st.composite
def questionnaires(draw, min_items=1):
    count = draw(st.integers(min_value=min_items, max_value=8))
    return [draw(items(f"q{n}")) for n in range(count)]


@st.composite
def answers_for(draw, questionnaire, all_answered=False):
    keys = [item.key for item in questionnaire]
    answered = keys if all_answered else draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    return {key: draw(answer_values) for key in answered}


@st.composite
def roles(draw, slug="role"):
    skills = draw(st.lists(st.sampled_from(SKILLS), unique=True, max_size=len(SKILLS)))
    years_min = draw(st.integers(min_value=0, max_value=12))
    return RoleSpec(
        slug=slug,
        name=slug.title(),
        orientation=draw(st.sampled_from(DIMENSIONS)),
        typical_years_min=years_min,
        typical_years_max=draw(st.none() | st.integers(min_value=years_min, max_value=20)),
        requirements=tuple(
            RequirementSpec(skill, draw(st.integers(1, 5)), draw(st.integers(1, 3))) for skill in skills
        ),
        certifications=tuple(draw(st.lists(st.sampled_from(("pmp", "pe", "csm")), unique=True))),
        rank=draw(st.integers(min_value=0, max_value=5)),
    )


@st.composite
def catalogs(draw):
    return [draw(roles(f"role-{n}")) for n in range(draw(st.integers(min_value=0, max_value=4)))]


people = st.builds(
    PersonSpec,
    years_experience=st.integers(min_value=0, max_value=30),
    current_role=st.sampled_from((None, "role-0", "elsewhere")),
    held_certifications=st.frozensets(st.sampled_from(("pmp", "pe", "csm"))),
)


@st.composite
def scenarios(draw, min_items=1):
    questionnaire = draw(questionnaires(min_items))
    return {
        "items": questionnaire,
        "answers": draw(answers_for(questionnaire)),
        "roles": draw(catalogs()),
        "person": draw(people),
    }


def one_decimal(value: float) -> bool:
    return math.isclose(value * 10, round(value * 10), abs_tol=1e-9)


@PROPERTIES
@given(scenarios())
def test_every_output_number_stays_in_range(scenario):
    result = score(**scenario)
    for value in result.orientation.values():
        assert 0 <= value <= 100 and one_decimal(value)
    for level in result.skill_levels.values():
        assert 1 <= level <= 5 and one_decimal(level)
    assert len(result.readiness) == len(scenario["roles"])
    for role in result.readiness:
        assert isinstance(role.readiness, int) and 0 <= role.readiness <= 100
        for credit in (role.skills_credit, role.experience_credit, role.orientation_credit):
            assert 0 <= credit <= 1
        assert len(role.top_gaps) <= 3
    readiness = [role.readiness for role in result.readiness]
    assert readiness == sorted(readiness, reverse=True)


@st.composite
def one_item_raised(draw):
    """A questionnaire, answers, one keyed item and two answers to it, low < high."""
    questionnaire = draw(questionnaires())
    keyed = [item for item in questionnaire if item.kind != "skill"]
    extra = draw(items("extra").filter(lambda item: item.kind != "skill"))
    questionnaire.append(extra)
    keyed.append(extra)
    item = draw(st.sampled_from(keyed))
    low = draw(st.integers(min_value=1, max_value=4))
    high = draw(st.integers(min_value=low + 1, max_value=5))
    return questionnaire, draw(answers_for(questionnaire)), item, low, high


@PROPERTIES
@given(one_item_raised())
def test_raising_an_answer_moves_each_keyed_dimension_only_its_way(case):
    questionnaire, answers, item, low, high = case
    before = score(items=questionnaire, answers={**answers, item.key: low}).orientation
    after = score(items=questionnaire, answers={**answers, item.key: high}).orientation
    toward = {key.dimension: key.direction for key in item.keys + item.b_keys}
    toward |= {key.dimension: -key.direction for key in item.a_keys}  # a higher answer leans away from A
    for dim in DIMENSIONS:
        if dim not in toward:
            assert after[dim] == before[dim]
        elif toward[dim] > 0:
            assert after[dim] >= before[dim]
        else:
            assert after[dim] <= before[dim]


@PROPERTIES
@given(questionnaires().flatmap(lambda q: st.tuples(st.just(q), st.just({item.key: 3 for item in q}))))
def test_all_middle_answers_give_exactly_50_everywhere(case):
    questionnaire, answers = case
    result = score(items=questionnaire, answers=answers)
    assert result.orientation == dict.fromkeys(DIMENSIONS, 50.0)


@st.composite
def one_role_scenarios(draw):
    """A role, skill items for all its skills (some unanswered) and orientation items."""
    role = draw(roles())
    questionnaire = [ItemSpec(key=f"s-{skill}", kind="skill", text=skill, skill=skill) for skill in SKILLS]
    questionnaire += draw(questionnaires())
    questionnaire = list({item.key: item for item in questionnaire}.values())
    return {
        "items": questionnaire,
        "answers": draw(answers_for(questionnaire)),
        "roles": [role],
        "person": draw(people),
    }


@PROPERTIES
@given(one_role_scenarios())
def test_readiness_is_100_exactly_when_every_requirement_is_met(scenario):
    result = score(**scenario)
    (role,) = scenario["roles"]
    levels = result.skill_levels
    all_met = (
        all(levels.get(req.skill, 0) >= req.level for req in role.requirements)
        and scenario["person"].years_experience >= role.typical_years_min
        and result.orientation[role.orientation] >= ORIENTATION_TARGET
    )
    assert (result.readiness[0].readiness == 100) == all_met


@PROPERTIES
@given(one_role_scenarios())
def test_readiness_is_the_floor_of_the_exact_gated_product(scenario):
    result = score(**scenario)
    (role,) = scenario["roles"]
    levels = {slug: Fraction(level).limit_denominator(10) for slug, level in result.skill_levels.items()}
    total = sum(req.weight for req in role.requirements)

    def credit(level, required):  # met: 1; one level short: 1/2; two or more short: 0
        return min(1, max(0, 1 - (required - level) / 2))

    skills = (
        sum(req.weight * credit(levels.get(req.skill, Fraction(0)), req.level) for req in role.requirements) / total
        if total
        else 1
    )
    years = scenario["person"].years_experience
    experience = min(Fraction(years, role.typical_years_min), 1) if role.typical_years_min else 1
    fit = Fraction(result.orientation[role.orientation]).limit_denominator(10)
    orientation = min(fit / ORIENTATION_TARGET, 1)
    row = result.readiness[0]
    assert (row.skills_credit, row.experience_credit, row.orientation_credit) == (
        float(skills),
        float(experience),
        float(orientation),
    )
    exact = (
        100 * skills * (Fraction(3, 4) + Fraction(1, 4) * experience) * (Fraction(4, 5) + Fraction(1, 5) * orientation)
    )
    assert row.readiness == math.floor(exact)


@PROPERTIES
@given(one_role_scenarios(), st.sampled_from(SKILLS), st.integers(min_value=1, max_value=4))
def test_readiness_never_falls_when_a_skill_rating_rises(scenario, skill, low):
    rated = {**scenario["answers"], f"s-{skill}": low}
    raised = {**scenario["answers"], f"s-{skill}": low + 1}
    before = score(**{**scenario, "answers": rated}).readiness[0].readiness
    after = score(**{**scenario, "answers": raised}).readiness[0].readiness
    assert after >= before


@PROPERTIES
@given(scenarios())
def test_result_round_trips_through_json(scenario):
    result = score(**scenario)
    data = json.loads(json.dumps(result.to_dict()))
    assert AssessmentResult.from_dict(data) == result
