"""The calibration rule (assessments.calibration): examples, then the properties it promises for any ratings."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from assessments import calibration
from assessments.calibration import MANAGER, PEERS, SELF, calibrate, calibrate_skill
from assessments.scoring import ItemSpec, PersonSpec, RequirementSpec, RoleSpec, score

PROPERTIES = settings(max_examples=200, deadline=None)

self_levels = st.integers(min_value=10, max_value=50).map(lambda tenths: tenths / 10)
manager_levels = st.integers(min_value=1, max_value=5)
peer_means = st.floats(min_value=1, max_value=5, allow_nan=False)
peer_counts = st.integers(min_value=calibration.PEERS_MIN, max_value=8)
maybe = st.none().__or__


@st.composite
def ratings(draw):
    """Any combination of the three sources for one skill (possibly none)."""
    return {
        "self_level": draw(maybe(self_levels)),
        "manager_level": draw(maybe(manager_levels)),
        "peers": draw(maybe(st.tuples(peer_means, peer_counts))),
    }


def missing_sources(given_ratings):
    return [key for key, value in given_ratings.items() if value is None]


def with_source(given_ratings, source, level):
    """`given_ratings` plus `source` at `level` (as the source can give it: a manager gives whole levels)."""
    if source == "self_level":
        return {**given_ratings, "self_level": level}
    if source == "manager_level":
        return {**given_ratings, "manager_level": level}
    return {**given_ratings, "peers": (level, calibration.PEERS_MIN)}


# --- Examples -------------------------------------------------------------------------------------


def test_a_lone_self_rating_is_kept_as_given_and_labelled_as_such():
    skill = calibrate_skill("design", self_level=4.0)

    assert (skill.level, skill.uncertainty, skill.sources, skill.leniency) == (4.0, 1.0, (SELF,), 0.0)
    assert skill.self_only and skill.label == "self-rating only"


def test_a_self_rating_above_the_manager_counts_at_the_managers_level():
    skill = calibrate_skill("design", self_level=4.5, manager_level=3)

    # The 1.5 levels above the manager are taken for leniency: (1 x 3 + 2 x 3) / 3.
    assert (skill.level, skill.leniency, skill.label) == (3.0, 1.5, "self and manager")
    # 1 / sqrt(3) = 0.58, plus half of the 0.5 by which the 1.5 spread exceeds one level.
    assert skill.uncertainty == 0.8


def test_a_self_rating_below_the_others_counts_as_given():
    skill = calibrate_skill("design", self_level=2.0, manager_level=4, peers=(3.5, 4))

    # (1 x 2 + 2 x 4 + 2 x 3.5) / 5 = 3.4
    assert (skill.level, skill.leniency, skill.label) == (3.4, 0.0, "self, manager and 4 peers")
    assert skill.uncertainty == round(1 / 5**0.5 + 0.5, 1)


def test_fewer_than_three_peers_are_not_counted_at_all():
    skill = calibrate_skill("design", self_level=3.0, peers=(5.0, calibration.PEERS_MIN - 1))

    assert skill.sources == (SELF,) and skill.peer_level is None and skill.peer_count == 0


def test_a_manager_alone_is_labelled_and_an_unrated_skill_is_left_out():
    found = calibrate(self_levels={"a": 3.0}, manager={"b": 2, "c": None})

    assert [(s.skill, s.level, s.label) for s in found.skills] == [
        ("a", 3.0, "self-rating only"),
        ("b", 2.0, "manager only"),
    ]
    assert found.agreements == () and not found.self_only


@pytest.mark.parametrize("bad", [0.9, 5.1, float("nan"), "4", True])
def test_a_level_out_of_range_is_refused(bad):
    with pytest.raises(calibration.CalibrationError):
        calibrate_skill("design", self_level=bad)


def test_agreement_is_counted_per_pair_of_sources_on_the_skills_both_rated():
    found = calibrate(
        self_levels={"a": 3.0, "b": 4.0, "c": 2.0},
        manager={"a": 4, "b": 2, "d": 3},
        peers={"a": (3.0, 3), "b": (2.5, 5), "c": (2.0, 2)},  # c: two peers, not counted
    )

    words = [agreement.words for agreement in found.agreements]
    assert words == [
        "self and manager agree on 1 of 2 skills",
        "self and peers agree on 1 of 2 skills",
        "manager and peers agree on 2 of 2 skills",
    ]
    basis = found.basis(["a", "c", "e"])
    assert (basis.required, basis.rated, basis.self_only, basis.with_others) == (3, 2, 1, 1)


def test_readiness_on_calibrated_levels_is_the_engines_own_rule():
    role = RoleSpec("senior", "Senior", "technical", requirements=(RequirementSpec("design", 4, 1),))
    rate_design = ItemSpec(key="rate-design", kind="skill", text="How well do you design?", skill="design")
    result = score(items=[rate_design], answers={"rate-design": 4}, roles=[role], person=PersonSpec())
    found = calibrate(self_levels={"design": 4.0}, manager={"design": 3})

    after = calibration.role_readiness(result=result, calibration=found, roles=[role])
    rows = calibration.compare_roles(
        before=result, after=after, calibration=found, roles={"senior": role}, slugs=["senior", "gone"]
    )

    # Orientation neutral (50): factor 4/5 + 1/5 x 50/60 = 29/30. Self 4 meets the role: 96; calibrated
    # design 3.0 is one level short, half its credit: 48.
    assert after.skill_levels == {"design": 3.0} and after.orientation == result.orientation
    assert [(row.slug, row.self_readiness, row.readiness) for row in rows] == [("senior", 96, 48)]
    assert rows[0].basis.words.startswith("1 of 1 skills rated by someone besides the self-assessment")


# --- Properties -----------------------------------------------------------------------------------


@PROPERTIES
@given(ratings())
def test_levels_and_uncertainty_are_bounded(given_ratings):
    skill = calibrate_skill("s", **given_ratings)
    assume(skill is not None)

    assert 1.0 <= skill.level <= 5.0
    assert 0 < skill.uncertainty <= calibration.BASE_UNCERTAINTY + 2.0
    given_levels = [v for v in (skill.self_level, skill.manager_level, skill.peer_level) if v is not None]
    assert min(given_levels) <= skill.level <= max(given_levels)


@PROPERTIES
@given(ratings())
def test_the_same_ratings_give_the_same_calibration(given_ratings):
    assert calibrate_skill("s", **given_ratings) == calibrate_skill("s", **dict(given_ratings))


@PROPERTIES
@given(self_levels)
def test_a_lone_self_rating_is_always_labelled_and_unchanged(level):
    skill = calibrate_skill("s", self_level=level)
    found = calibrate(self_levels={"s": level})

    assert skill.self_only and skill.label == "self-rating only" and skill.level == level
    assert found.self_only and found.sources == (SELF,)


@PROPERTIES
@given(ratings(), st.data())
def test_adding_a_source_that_agrees_exactly_never_moves_the_level(given_ratings, data):
    before = calibrate_skill("s", **given_ratings)
    missing = missing_sources(given_ratings)
    assume(before is not None and missing)
    source = data.draw(st.sampled_from(missing))
    if source == "manager_level":
        assume(before.level == int(before.level))  # a manager gives whole levels only

    after = calibrate_skill("s", **with_source(given_ratings, source, before.level))

    assert after.level == before.level


@PROPERTIES
@given(ratings(), st.data())
def test_adding_a_source_that_agrees_never_widens_the_uncertainty(given_ratings, data):
    """Agrees: within AGREE_WITHIN of every source already there (the pages' meaning of agreement)."""
    before = calibrate_skill("s", **given_ratings)
    missing = missing_sources(given_ratings)
    assume(before is not None and missing)
    levels = [v for v in (before.self_level, before.manager_level, before.peer_level) if v is not None]
    low, high = max(levels) - calibration.AGREE_WITHIN, min(levels) + calibration.AGREE_WITHIN
    source = data.draw(st.sampled_from(missing))
    if source == "manager_level":
        candidates = [n for n in range(1, 6) if low <= n <= high]
        assume(candidates)
        level = data.draw(st.sampled_from(candidates))
    else:
        tenths = [t for t in range(10, 51) if low <= t / 10 <= high]
        assume(tenths)
        level = data.draw(st.sampled_from(tenths)) / 10

    after = calibrate_skill("s", **with_source(given_ratings, source, level))

    assert after.uncertainty <= before.uncertainty
    assert len(after.sources) == len(before.sources) + 1


@PROPERTIES
@given(self_levels, manager_levels, st.tuples(peer_means, peer_counts))
def test_others_below_the_self_rating_never_leave_the_level_above_their_mean(self_level, manager_level, peers):
    """The leniency rule: a self-rating can pull the level down to itself, never up past the others."""
    skill = calibrate_skill("s", self_level=self_level, manager_level=manager_level, peers=peers)
    others = (2 * manager_level + 2 * skill.peer_level) / 4

    assert skill.level <= max(others, self_level) + 0.05 + 1e-9  # half a tenth: the rounding
    if self_level >= others:
        assert abs(skill.level - others) <= 0.05 + 1e-9


@PROPERTIES
@given(
    st.dictionaries(st.sampled_from("abcdef"), self_levels), st.dictionaries(st.sampled_from("abcdef"), manager_levels)
)
def test_every_rated_skill_is_calibrated_once_and_agreements_count_what_both_rated(self_levels_by_skill, manager):
    found = calibrate(self_levels=self_levels_by_skill, manager=manager)

    assert sorted(skill.skill for skill in found.skills) == sorted(set(self_levels_by_skill) | set(manager))
    both = set(self_levels_by_skill) & set(manager)
    pairs = {(a.first, a.second): a for a in found.agreements}
    if both:
        assert pairs[(SELF, MANAGER)].compared == len(both)
        assert 0 <= pairs[(SELF, MANAGER)].agreed <= len(both)
    else:
        assert (SELF, MANAGER) not in pairs
    assert (SELF, PEERS) not in pairs and (MANAGER, PEERS) not in pairs
    assert found.self_only == (not manager)
    assert all((MANAGER in skill.sources) == (skill.skill in manager) for skill in found.skills)
