"""The career map's layout (roles.career_map): one ladder per track, arrows that can be followed."""

import re
from itertools import combinations, pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roles.career_map import Geometry, MapMove, MapRole, MapTrack, layout_career_map, wrap_name

TRACKS = [
    MapTrack("technical", "Technical", "technical"),
    MapTrack("management", "Management", "managerial"),
    MapTrack("project", "Project", "project"),
]
ROLES = [
    MapRole("engineer", "Engineer", "technical", 1, "/roles/engineer/", "0–2 years"),
    MapRole("senior", "Senior Engineer", "technical", 2, "/roles/senior/"),
    MapRole("staff", "Staff Engineer", "technical", 3, "/roles/staff/"),
    MapRole("architect", "Systems Architect", "technical", 3, "/roles/architect/"),
    MapRole("principal", "Principal Engineer", "technical", 4, "/roles/principal/"),
    MapRole("manager", "Engineering Manager", "management", 2, "/roles/manager/"),
    MapRole("quality", "Quality Manager", "management", 2, "/roles/quality/"),
    MapRole("director", "Director of Engineering", "management", 3, "/roles/director/"),
    MapRole("pm", "Project Manager", "project", 2, "/roles/pm/"),
]
MOVES = [
    MapMove("engineer", "senior", "promotion"),
    MapMove("senior", "staff", "promotion"),
    MapMove("senior", "architect", "promotion"),
    MapMove("staff", "architect", "lateral"),
    MapMove("architect", "staff", "lateral"),
    MapMove("staff", "principal", "promotion"),
    MapMove("architect", "principal", "promotion"),
    MapMove("engineer", "principal", "promotion"),  # skips rungs
    MapMove("senior", "manager", "lateral"),
    MapMove("manager", "director", "promotion"),
    MapMove("quality", "director", "promotion"),
    MapMove("manager", "quality", "lateral"),
    MapMove("senior", "pm", "lateral"),
    MapMove("pm", "director", "promotion"),
]


def _layout(tracks=TRACKS, roles=ROLES, moves=MOVES):
    return layout_career_map(tracks, roles, moves, Geometry())


def _segments(d: str) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The straight pieces of an SVG path made of M, H and V commands."""
    points, x, y = [], 0.0, 0.0
    for cmd, args in re.findall(r"([MHV])([^MHV]*)", d):
        nums = [float(n) for n in args.split()]
        if cmd == "M":
            x, y = nums
        elif cmd == "H":
            x = nums[0]
        else:
            y = nums[0]
        points.append((x, y))
    return list(pairwise(points))


def test_each_track_is_its_own_diagram_holding_its_own_roles_in_order():
    career_map = _layout()

    assert [d.slug for d in career_map.diagrams] == ["technical", "management", "project"]
    for diagram in career_map.diagrams:
        assert {n.slug for n in diagram.nodes} == {r.slug for r in ROLES if r.track_slug == diagram.slug}


def test_higher_ranks_sit_higher_and_roles_never_overlap():
    for diagram in _layout().diagrams:
        for upper, lower in pairwise(diagram.nodes):
            assert upper.rank >= lower.rank
            assert upper.bottom < lower.y
        for node in diagram.nodes:
            assert node.x >= 0 and node.right <= diagram.width and node.bottom <= diagram.height


def test_a_diagram_draws_only_moves_inside_its_track_and_lists_the_others_under_the_track_they_leave():
    career_map = _layout()

    technical = career_map.diagrams[0]
    drawn = {(a.from_slug, a.to_slug) for a in technical.arrows}
    assert ("senior", "manager") not in drawn and ("senior", "pm") not in drawn
    assert {(c.from_slug, c.to_slug, c.to_track_name, c.kind) for c in technical.away} == {
        ("senior", "manager", "Management", "lateral"),
        ("senior", "pm", "Project", "lateral"),
    }
    assert [(c.from_slug, c.to_slug) for c in career_map.diagrams[2].away] == [("pm", "director")]
    for diagram in career_map.diagrams:
        slugs = {n.slug for n in diagram.nodes}
        assert all(a.from_slug in slugs and a.to_slug in slugs for a in diagram.arrows)


def test_every_move_is_drawn_or_listed_once_and_a_move_both_ways_is_one_arrow_with_two_heads():
    career_map = _layout()

    drawn = [(a.from_slug, a.to_slug) for a in career_map.arrows]
    both = [a for a in career_map.arrows if a.both_ways]
    assert [(a.kind, {a.from_slug, a.to_slug}) for a in both] == [("lateral", {"staff", "architect"})]
    expected = {(m.from_slug, m.to_slug) for m in MOVES}
    covered = (
        set(drawn) | {(a.to_slug, a.from_slug) for a in both} | {(c.from_slug, c.to_slug) for c in career_map.crossings}
    )
    assert covered == expected
    assert len(drawn) == len(set(drawn))


def test_a_promotion_to_the_role_right_above_runs_straight_up_between_the_two():
    diagram = _layout().diagrams[0]
    nodes = {n.slug: n for n in diagram.nodes}
    [up] = [a for a in diagram.arrows if (a.from_slug, a.to_slug) == ("engineer", "senior")]

    assert up.route == "straight"
    assert up.start == (nodes["engineer"].cx, nodes["engineer"].y)
    assert up.end == (nodes["senior"].cx, nodes["senior"].bottom)


def test_other_promotions_run_on_the_left_and_lateral_moves_on_the_right():
    for arrow in _layout().arrows:
        if arrow.route == "straight":
            assert arrow.kind == "promotion" and arrow.span[1] - arrow.span[0] == 1
        else:
            assert arrow.route == ("left" if arrow.kind == "promotion" else "right")


def _check_layout(career_map) -> None:
    """The properties that make any route followable."""
    for diagram in career_map.diagrams:
        nodes = {n.slug: n for n in diagram.nodes}
        column_left = min((n.x for n in diagram.nodes), default=0)
        column_right = max((n.right for n in diagram.nodes), default=0)
        ends = [point for a in diagram.arrows for point in (a.start, a.end)]
        # No two arrows share an end point.
        assert len(ends) == len(set(ends)), diagram.slug
        for a in diagram.arrows:
            if a.route == "straight":
                assert a.span[1] - a.span[0] == 1
                continue
            # Lanes run beside the column, never through a role.
            assert a.lane_x < column_left if a.route == "left" else a.lane_x > column_right
            assert 0 <= a.lane_x <= diagram.width
            # Each end touches its role's side.
            for slug, point in ((a.from_slug, a.start), (a.to_slug, a.end)):
                node = nodes[slug]
                assert point[0] == (node.x if a.route == "left" else node.right)
                assert node.y < point[1] < node.bottom
        # Arrows on one side whose stretches of the column overlap (or share a role) never share a lane.
        for a, b in combinations([a for a in diagram.arrows if a.route != "straight"], 2):
            if a.route == b.route and not (a.span[1] < b.span[0] or b.span[1] < a.span[0]):
                assert a.lane != b.lane, (a, b)
        # Arrows leaving one side of a role never cross each other on their way to their lanes.
        for a, b in combinations([a for a in diagram.arrows if a.route != "straight"], 2):
            if a.route != b.route:
                continue
            for (p1, p2), (q1, q2) in ((s, t) for s in _segments(a.d) for t in _segments(b.d)):
                if p1[1] == p2[1] and q1[0] == q2[0]:  # a's horizontal piece, b's vertical one
                    horizontal, vertical = (p1, p2), (q1, q2)
                elif q1[1] == q2[1] and p1[0] == p2[0]:
                    horizontal, vertical = (q1, q2), (p1, p2)
                else:
                    continue
                shared_role = {a.from_slug, a.to_slug} & {b.from_slug, b.to_slug}
                crosses = min(horizontal[0][0], horizontal[1][0]) < vertical[0][0] < max(
                    horizontal[0][0], horizontal[1][0]
                ) and min(vertical[0][1], vertical[1][1]) < horizontal[0][1] < max(vertical[0][1], vertical[1][1])
                nested_or_apart = not (a.span[0] < b.span[0] < a.span[1] < b.span[1]) and not (
                    b.span[0] < a.span[0] < b.span[1] < a.span[1]
                )
                if shared_role or nested_or_apart:
                    assert not crosses, (a, b)


def test_the_example_catalog_is_laid_out_so_every_route_can_be_followed():
    _check_layout(_layout())


def test_the_order_within_a_rank_makes_promotions_straight_where_it_can():
    roles = [
        MapRole("a", "A", "technical", 1),
        MapRole("b1", "B1", "technical", 2),
        MapRole("b2", "B2", "technical", 2),
        MapRole("c", "C", "technical", 3),
    ]
    # b2 is promoted to c, a to b2: with b2 first in its rank the first would bend; reordered, neither does.
    moves = [MapMove("a", "b1", "promotion"), MapMove("b2", "c", "promotion")]
    diagram = _layout(tracks=TRACKS[:1], roles=roles, moves=moves).diagrams[0]

    assert [n.slug for n in diagram.nodes] == ["c", "b2", "b1", "a"]
    assert all(a.route == "straight" for a in diagram.arrows)


def test_moves_to_roles_not_on_the_map_are_left_out():
    career_map = _layout(moves=[*MOVES, MapMove("senior", "ghost", "promotion")])

    assert all("ghost" not in (a.to_slug, a.from_slug) for a in career_map.arrows)
    assert all(c.to_slug != "ghost" for c in career_map.crossings)


def test_a_role_on_an_unknown_track_is_an_error():
    with pytest.raises(ValueError, match="not on the map"):
        _layout(roles=[MapRole("x", "X", "nowhere", 1)], moves=[])


def test_an_empty_track_gives_an_empty_diagram_with_a_size():
    diagram = _layout(roles=[], moves=[]).diagrams[0]

    assert diagram.nodes == () and diagram.arrows == ()
    assert diagram.width > 0 and diagram.height > 0


def test_long_names_wrap_onto_two_lines_and_are_cut_after_that():
    assert wrap_name("Mechanical Engineering Manager", 24, 2) == ["Mechanical Engineering", "Manager"]
    lines = wrap_name("Vice President of Engineering and Research and Development Operations", 24, 2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(len(line) <= 24 for line in lines)


def test_name_lines_and_years_sit_inside_their_node():
    engineer = _layout().node("engineer")

    assert [text for text, _ in engineer.lines] == ["Engineer"]
    for _, baseline in engineer.lines:
        assert engineer.y < baseline < engineer.years_y < engineer.bottom


ROLE_CELLS = st.lists(
    st.tuples(st.sampled_from(["technical", "management"]), st.integers(1, 5)), min_size=1, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(ROLE_CELLS, st.data())
def test_any_catalog_is_laid_out_so_every_route_can_be_followed(cells, data):
    roles = [MapRole(f"r{i}", f"Role {i}", track, rank) for i, (track, rank) in enumerate(cells)]
    pairs = [(a, b) for a in roles for b in roles if a is not b]
    chosen = data.draw(st.lists(st.sampled_from(pairs), max_size=20, unique=True)) if pairs else []
    moves = [
        MapMove(
            a.slug, b.slug, "promotion" if b.rank > a.rank else data.draw(st.sampled_from(["lateral", "promotion"]))
        )
        for a, b in chosen
    ]

    career_map = _layout(tracks=TRACKS[:2], roles=roles, moves=moves)

    assert len(career_map.nodes) == len(roles)
    _check_layout(career_map)
