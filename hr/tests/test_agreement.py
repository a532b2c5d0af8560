"""hr/agreement.py: agreement, self-leniency, small-group and complementary suppression, calibration prompts."""

from hypothesis import given
from hypothesis import strategies as st

from hr import agreement
from hr.agreement import PersonRatings, report, withheld

NAMES = {"python": "Python", "design": "System design"}


def team_of(manager_id: int, size: int, *, self_level: float, manager_level: int, start: int = 0, skills=("python",)):
    return [
        PersonRatings(
            start + n, manager_id, f"Manager {manager_id}", dict.fromkeys(skills, (self_level, manager_level))
        )
        for n in range(size)
    ]


def test_a_pair_agrees_within_one_level_and_leniency_is_self_minus_manager():
    people = [
        PersonRatings(1, 9, "M", {"python": (4.0, 3)}),  # 1 above: agrees
        PersonRatings(2, 9, "M", {"python": (5.0, 3)}),  # 2 above: self higher
        PersonRatings(3, 9, "M", {"python": (1.5, 3)}),  # 1.5 below: manager higher
        PersonRatings(4, 9, "M", {"python": (3.0, 3)}),
        PersonRatings(5, 9, "M", {"python": (2.9, 4)}),  # 1.1 below (tenths, not float noise)
    ]

    overall = report(people, skill_names=NAMES).overall

    assert (overall.people, overall.pairs, overall.agreed, overall.self_higher, overall.manager_higher) == (
        5,
        5,
        2,
        1,
        2,
    )
    assert overall.agreement == 40.0
    assert overall.leniency == round((1 + 2 - 1.5 + 0 - 1.1) / 5, 2)


def test_no_figure_for_fewer_than_five_people():
    result = report(team_of(1, 4, self_level=4.0, manager_level=4), skill_names=NAMES)

    assert result.overall.withheld and result.overall.agreement is None and result.overall.leniency is None
    assert all(t.withheld for t in result.teams + result.skills)


def test_five_people_are_enough():
    result = report(team_of(1, 5, self_level=4.0, manager_level=4), skill_names=NAMES)

    assert result.overall.agreement == 100.0 and result.teams[0].agreement == 100.0
    assert result.skills[0].label == "Python"


def test_a_small_team_is_withheld_with_the_next_smallest_so_the_total_does_not_give_it_away():
    people = (
        team_of(1, 3, self_level=5.0, manager_level=1)
        + team_of(2, 6, self_level=4.0, manager_level=4, start=100)
        + team_of(3, 9, self_level=4.0, manager_level=4, start=200)
    )

    teams = {t.key: t for t in report(people, skill_names=NAMES).teams}

    assert teams[1].withheld and teams[2].withheld  # total minus team 3 would otherwise be team 1
    assert not teams[3].withheld and teams[3].agreement == 100.0


def test_withheld_groups_always_cover_five_people_and_are_never_alone():
    assert withheld({"a": 2, "b": 2, "c": 30}) == {"a", "b", "c"}  # a + b is 4 people: one more is needed
    assert withheld({"a": 1, "b": 7, "c": 8}) == {"a", "b"}
    assert withheld({"a": 3}) == {"a"}
    assert withheld({"a": 5, "b": 6}) == set()


@given(st.dictionaries(st.integers(0, 30), st.integers(1, 20), max_size=12))
def test_suppression_never_leaves_one_small_group_recoverable(sizes):
    hidden = withheld(sizes)

    assert all(key in hidden for key, size in sizes.items() if size < agreement.MIN_GROUP)
    if hidden:
        assert len(hidden) >= 2 or hidden == set(sizes)
        assert sum(sizes[k] for k in hidden) >= agreement.MIN_GROUP or hidden == set(sizes)


def test_a_rarely_rated_skill_is_withheld_with_its_complement():
    people = team_of(1, 6, self_level=4.0, manager_level=4, skills=("python", "design"))
    people += [PersonRatings(50, 1, "Manager 1", {"rust": (3.0, 3)})]

    skills = {t.key: t for t in report(people, skill_names=NAMES).skills}

    assert skills["rust"].withheld
    assert sum(t.withheld for t in skills.values()) >= 2


def test_a_manager_far_from_their_peers_is_a_calibration_prompt():
    people = (
        team_of(1, 5, self_level=3.0, manager_level=5)  # rates 2 levels above self
        + team_of(2, 5, self_level=3.0, manager_level=3, start=100)
        + team_of(3, 5, self_level=3.0, manager_level=3, start=200)
        + team_of(4, 5, self_level=3.5, manager_level=3, start=300)
    )

    prompts = report(people, skill_names=NAMES).prompts

    assert [(p.manager_id, p.gap, p.peers_gap, p.direction) for p in prompts] == [(1, 2.0, 0.0, "higher")]


def test_no_prompt_without_three_peers_to_compare_with():
    people = (
        team_of(1, 5, self_level=3.0, manager_level=5)
        + team_of(2, 5, self_level=3.0, manager_level=3, start=100)
        + team_of(3, 5, self_level=3.0, manager_level=3, start=200)
    )

    assert report(people, skill_names=NAMES).prompts == ()


def test_a_withheld_team_is_neither_prompted_nor_a_peer():
    people = (
        team_of(1, 2, self_level=3.0, manager_level=5)
        + team_of(2, 5, self_level=3.0, manager_level=3, start=100)
        + team_of(3, 5, self_level=3.0, manager_level=3, start=200)
        + team_of(4, 5, self_level=3.0, manager_level=3, start=300)
        + team_of(5, 5, self_level=3.0, manager_level=3, start=400)
    )

    assert all(p.manager_id != 1 for p in report(people, skill_names=NAMES).prompts)
