import pytest
from hypothesis import given
from hypothesis import strategies as st

from roles.paths import Edge, Path, find_path, reachable

# A small ladder: engineer → senior → staff → principal on the technical side,
# senior → manager sideways, manager → director.
LADDER = [
    ("engineer", "senior", "promotion", 2, 4),
    ("senior", "staff", "promotion", 3, 5),
    ("staff", "principal", "promotion", 3, 6),
    ("senior", "manager", "lateral", 1, 2),
    ("manager", "director", "promotion", 3, 5),
]


def test_find_path_follows_promotions_up_a_track():
    path = find_path(LADDER, "engineer", "principal")

    assert path.slugs == ["engineer", "senior", "staff", "principal"]
    assert path.years_min == 2 + 3 + 3
    assert path.years_max == 4 + 5 + 6
    assert path.typical_years == 3 + 4 + 4.5
    assert not path.has_lateral


def test_find_path_uses_lateral_moves_to_change_track():
    path = find_path(LADDER, "engineer", "director")

    assert path.slugs == ["engineer", "senior", "manager", "director"]
    assert [step.kind for step in path.steps] == ["promotion", "lateral", "promotion"]
    assert path.has_lateral


def test_find_path_prefers_fewer_typical_years_over_fewer_steps():
    edges = [
        ("a", "d", "promotion", 8, 10),  # one long step: 9 typical years
        ("a", "b", "promotion", 1, 3),  # three short steps: 2 + 2 + 2 = 6
        ("b", "c", "promotion", 1, 3),
        ("c", "d", "promotion", 2, 2),
    ]

    path = find_path(edges, "a", "d")

    assert path.slugs == ["a", "b", "c", "d"]
    assert path.typical_years == 6


def test_find_path_breaks_ties_in_years_by_fewer_steps():
    edges = [
        ("a", "b", "promotion", 1, 1),
        ("b", "c", "promotion", 1, 1),
        ("c", "d", "promotion", 1, 1),
        ("a", "x", "promotion", 1, 2),  # 1.5 + 1.5 = 3 years, same as the route above
        ("x", "d", "promotion", 1, 2),
    ]

    path = find_path(edges, "a", "d")

    assert path.slugs == ["a", "x", "d"]
    assert len(path) == 2


def test_find_path_returns_none_when_the_goal_is_unreachable():
    assert find_path(LADDER, "principal", "engineer") is None
    assert find_path(LADDER, "engineer", "no-such-role") is None
    assert find_path([], "engineer", "senior") is None


def test_find_path_from_a_role_to_itself_is_an_empty_path():
    path = find_path(LADDER, "staff", "staff")

    assert path == Path(start="staff", goal="staff", steps=())
    assert path.slugs == ["staff"]
    assert path.years_min == path.years_max == 0


def test_find_path_does_not_loop_on_cycles():
    edges = [
        ("a", "b", "lateral", 1, 1),
        ("b", "a", "lateral", 1, 1),
        ("b", "c", "promotion", 2, 3),
    ]

    assert find_path(edges, "a", "c").slugs == ["a", "b", "c"]


def test_find_path_rejects_an_edge_with_a_backwards_years_range():
    with pytest.raises(ValueError, match="years range"):
        find_path([("a", "b", "promotion", 4, 2)], "a", "b")


def test_find_path_returns_edges_as_named_tuples():
    step = find_path(LADDER, "senior", "manager").steps[0]

    assert step == Edge("senior", "manager", "lateral", 1, 2)
    assert step.typical_years == 1.5


def test_reachable_lists_every_role_a_sequence_of_moves_leads_to():
    assert reachable(LADDER, "engineer") == {"senior", "staff", "principal", "manager", "director"}
    assert reachable(LADDER, "manager") == {"director"}
    assert reachable(LADDER, "principal") == set()


def test_reachable_never_includes_the_start_even_through_a_cycle():
    edges = [("a", "b", "lateral", 1, 1), ("b", "a", "lateral", 1, 1)]

    assert reachable(edges, "a") == {"b"}


# --- Properties ---------------------------------------------------------------

slugs = st.sampled_from(["a", "b", "c", "d", "e", "f"])
edge_lists = st.lists(
    st.tuples(slugs, slugs, st.sampled_from(["promotion", "lateral"]), st.integers(0, 5), st.integers(0, 5)).map(
        lambda t: (t[0], t[1], t[2], min(t[3], t[4]), max(t[3], t[4]))
    ),
    max_size=15,
)


@given(edges=edge_lists, start=slugs, goal=slugs)
def test_a_path_exists_exactly_when_the_goal_is_reachable(edges, start, goal):
    path = find_path(edges, start, goal)

    if start == goal:
        assert path is not None
    else:
        assert (path is not None) == (goal in reachable(edges, start))


def _best_by_brute_force(edges, start, goal):
    """(typical years, steps) of the best simple path, by trying them all."""
    best = None

    def walk(node, visited, years, steps):
        nonlocal best
        if node == goal:
            best = min(best or (years, steps), (years, steps))
            return
        for edge in edges:
            if edge[0] == node and edge[1] not in visited:
                walk(edge[1], visited | {edge[1]}, years + (edge[3] + edge[4]) / 2, steps + 1)

    walk(start, {start}, 0, 0)
    return best


@given(edges=edge_lists, start=slugs, goal=slugs)
def test_a_found_path_is_a_chain_of_given_edges_and_no_route_is_quicker_or_shorter(edges, start, goal):
    path = find_path(edges, start, goal)
    if path is None or start == goal:
        return
    assert path.slugs[0] == start and path.slugs[-1] == goal
    for came_from, step in zip(path.slugs, path.steps, strict=False):
        assert step.from_slug == came_from
        assert tuple(step) in edges
    assert (path.typical_years, len(path)) == _best_by_brute_force(edges, start, goal)
