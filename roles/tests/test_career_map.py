import re
from itertools import pairwise

import pytest
from hypothesis import given
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
    MapRole("manager", "Engineering Manager", "management", 2, "/roles/manager/"),
    MapRole("director", "Director of Engineering", "management", 3, "/roles/director/"),
    MapRole("pm", "Project Manager", "project", 2, "/roles/pm/"),
]
MOVES = [
    MapMove("engineer", "senior", "promotion"),
    MapMove("senior", "staff", "promotion"),
    MapMove("senior", "manager", "lateral"),
    MapMove("manager", "director", "promotion"),
    MapMove("senior", "pm", "lateral"),
]


def _layout(**kwargs):
    return layout_career_map(kwargs.get("tracks", TRACKS), kwargs.get("roles", ROLES), kwargs.get("moves", MOVES))


def _points(d: str) -> list[tuple[float, float]]:
    """The end points of an SVG path made of M, L, C, H and V commands."""
    points, x, y = [], 0.0, 0.0
    for cmd, args in re.findall(r"([MLCHV])([^MLCHV]*)", d):
        nums = [float(n) for n in args.split()]
        if cmd in "MLC":
            x, y = nums[-2], nums[-1]
        elif cmd == "H":
            x = nums[0]
        else:
            y = nums[0]
        points.append((x, y))
    return points


def test_tracks_are_columns_side_by_side_in_the_given_order():
    career_map = _layout()

    xs = [c.x for c in career_map.columns]
    assert [c.slug for c in career_map.columns] == ["technical", "management", "project"]
    assert xs == sorted(xs)
    assert all(a.x + a.width < b.x for a, b in zip(career_map.columns, career_map.columns[1:], strict=False))


def test_every_role_is_a_node_in_its_tracks_column():
    career_map = _layout()

    assert {n.slug for n in career_map.nodes} == {r.slug for r in ROLES}
    for node in career_map.nodes:
        column = next(c for c in career_map.columns if c.slug == node.track_slug)
        assert column.x <= node.x and node.right <= column.x + column.width


def test_higher_ranks_sit_higher_and_equal_ranks_line_up_across_tracks():
    career_map = _layout()
    y = {n.slug: n.y for n in career_map.nodes}

    assert y["staff"] < y["senior"] < y["engineer"]
    assert y["senior"] == y["manager"] == y["pm"]
    assert y["staff"] == y["director"]


def test_nodes_fit_inside_the_drawing_and_never_overlap():
    career_map = _layout()

    for node in career_map.nodes:
        assert node.x >= 0 and node.right <= career_map.width
        assert node.y >= 0 and node.bottom <= career_map.height
    for a in career_map.nodes:
        for b in career_map.nodes:
            if a is not b:
                assert a.right <= b.x or b.right <= a.x or a.bottom <= b.y or b.bottom <= a.y


def test_roles_sharing_a_rank_on_one_track_are_stacked_in_their_rung():
    roles = [*ROLES, MapRole("rd-manager", "R&D Manager", "management", 2)]

    career_map = _layout(roles=roles)

    manager, rd = career_map.node("manager"), career_map.node("rd-manager")
    assert manager.x == rd.x
    assert manager.bottom < rd.y
    assert (manager.slot, rd.slot) == (0, 1)
    # The whole row grows, and every role of that rank sits inside its band.
    senior = career_map.node("senior")
    assert senior.row_top == manager.y and senior.row_bottom == rd.bottom
    assert manager.y < senior.cy < rd.bottom
    assert all(c.width == Geometry().node_width for c in career_map.columns)


def test_a_promotion_from_below_a_stack_bows_around_the_roles_in_the_way():
    roles = [*ROLES, MapRole("rd-manager", "R&D Manager", "management", 2)]
    moves = [MapMove("rd-manager", "director", "promotion")]  # the engineering manager sits above it

    career_map = _layout(roles=roles, moves=moves)

    (arrow,) = career_map.arrows
    rd, director = career_map.node("rd-manager"), career_map.node("director")
    points = _points(arrow.d)
    assert points[0][0] == rd.x and points[-1][0] == director.x  # left sides
    assert " C" in arrow.d


def test_a_move_between_roles_of_one_rung_bows_out_to_the_right():
    roles = [*ROLES, MapRole("rd-manager", "R&D Manager", "management", 2)]
    moves = [MapMove("manager", "rd-manager", "lateral")]

    career_map = _layout(roles=roles, moves=moves)

    (arrow,) = career_map.arrows
    manager, rd = career_map.node("manager"), career_map.node("rd-manager")
    points = _points(arrow.d)
    assert points[0] == (manager.right, manager.cy) and points[-1] == (rd.right, rd.cy)
    control_x = float(arrow.d.split("C")[1].split()[0])
    assert manager.right < control_x < manager.right + Geometry().column_gap / 2 * 4 / 3


def test_a_move_that_exists_both_ways_is_one_arrow_with_two_heads():
    moves = [*MOVES, MapMove("manager", "senior", "lateral")]

    career_map = _layout(moves=moves)

    between = [a for a in career_map.arrows if {a.from_slug, a.to_slug} == {"senior", "manager"}]
    assert len(between) == 1
    assert between[0].both_ways
    assert not any(a.both_ways for a in career_map.arrows if a is not between[0])


def test_moves_both_ways_of_different_kinds_stay_two_arrows():
    moves = [*MOVES, MapMove("manager", "senior", "promotion")]

    career_map = _layout(moves=moves)

    between = [a for a in career_map.arrows if {a.from_slug, a.to_slug} == {"senior", "manager"}]
    assert sorted(a.kind for a in between) == ["lateral", "promotion"]
    assert not any(a.both_ways for a in between)


def test_a_promotion_runs_from_the_top_of_one_rung_to_the_bottom_of_the_next():
    career_map = _layout()
    arrow = next(a for a in career_map.arrows if (a.from_slug, a.to_slug) == ("engineer", "senior"))
    engineer, senior = career_map.node("engineer"), career_map.node("senior")

    assert arrow.kind == "promotion"
    assert _points(arrow.d) == [(engineer.cx, engineer.y), (senior.cx, senior.bottom)]


def test_a_lateral_move_to_the_next_column_joins_the_facing_sides():
    career_map = _layout()
    arrow = next(a for a in career_map.arrows if a.to_slug == "manager")
    senior, manager = career_map.node("senior"), career_map.node("manager")

    assert arrow.kind == "lateral"
    start, end = _points(arrow.d)[0], _points(arrow.d)[-1]
    assert start[0] == senior.right and senior.y < start[1] < senior.bottom
    assert end == (manager.x, manager.cy)


def test_arrows_sharing_a_side_of_a_role_leave_from_separate_points_without_crossing():
    roles = [*ROLES, MapRole("architect", "Architect", "management", 3)]
    moves = [
        MapMove("senior", "manager", "lateral"),
        MapMove("senior", "architect", "lateral"),  # higher up: should leave above the other
        MapMove("senior", "pm", "lateral"),
    ]

    career_map = _layout(roles=roles, moves=moves)

    starts = {a.to_slug: _points(a.d)[0] for a in career_map.arrows}
    assert len(set(starts.values())) == 3
    senior = career_map.node("senior")
    assert all(x == senior.right and senior.y < y < senior.bottom for x, y in starts.values())
    assert starts["architect"][1] < starts["pm"][1] < starts["manager"][1]  # pm's detour runs above manager


def test_a_move_past_a_column_runs_through_gutters_and_row_gaps_not_across_roles():
    career_map = _layout()
    arrow = next(a for a in career_map.arrows if a.to_slug == "pm")
    pm = career_map.node("pm")
    points = _points(arrow.d)

    assert points[-1] == (pm.x, pm.cy)
    assert len(points) > 2
    for (x1, y1), (x2, y2) in pairwise(points):
        assert x1 == x2 or y1 == y2  # straight runs only
        for node in career_map.nodes:  # none through the inside of a role
            crosses_x = min(x1, x2) < node.right and max(x1, x2) > node.x
            crosses_y = min(y1, y2) < node.bottom and max(y1, y2) > node.y
            assert not (crosses_x and crosses_y), node.slug


def test_a_promotion_skipping_a_rung_bows_out_beside_the_column():
    roles = [*ROLES, MapRole("principal", "Principal Engineer", "technical", 4)]
    moves = [MapMove("senior", "principal", "promotion")]

    career_map = _layout(roles=roles, moves=moves)

    (arrow,) = career_map.arrows
    senior, principal = career_map.node("senior"), career_map.node("principal")
    points = _points(arrow.d)
    assert points[0] == (senior.x, senior.cy) and points[-1] == (principal.x, principal.cy)
    control_x = float(arrow.d.split("C")[1].split()[0])
    assert 0 < control_x < senior.x  # out in the gutter on the left, inside the drawing


def test_moves_to_roles_not_on_the_map_are_left_out():
    career_map = _layout(moves=[*MOVES, MapMove("senior", "somewhere-else", "lateral")])

    assert len(career_map.arrows) == len(MOVES)


def test_a_role_on_an_unknown_track_is_an_error():
    with pytest.raises(ValueError, match="not on the map"):
        _layout(roles=[MapRole("x", "X", "research", 1)])


def test_an_empty_catalog_gives_an_empty_drawing_with_a_size():
    career_map = layout_career_map([], [], [])

    assert career_map.nodes == () and career_map.arrows == ()
    assert career_map.width > 0 and career_map.height > 0


def test_long_names_wrap_onto_two_lines_and_are_cut_after_that():
    assert wrap_name("Mechanical Engineering Manager", 24, 2) == ["Mechanical Engineering", "Manager"]
    lines = wrap_name("Vice President of Engineering and Research and Development Operations", 24, 2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(len(line) <= 24 for line in lines)


def test_name_lines_and_years_sit_inside_their_node():
    career_map = _layout()
    engineer = career_map.node("engineer")

    assert [text for text, _ in engineer.lines] == ["Engineer"]
    for _, baseline in engineer.lines:
        assert engineer.y < baseline < engineer.years_y < engineer.bottom


@given(
    st.lists(
        st.tuples(st.sampled_from(["technical", "management", "project"]), st.integers(1, 6)), min_size=1, max_size=20
    )
)
def test_any_catalog_lays_out_without_overlaps(cells):
    roles = [MapRole(f"r{i}", f"Role {i}", track, rank) for i, (track, rank) in enumerate(cells)]

    career_map = _layout(roles=roles, moves=[])

    assert len(career_map.nodes) == len(roles)
    for a in career_map.nodes:
        assert a.right <= career_map.width and a.bottom <= career_map.height
        for b in career_map.nodes:
            if a is not b:
                assert a.right <= b.x or b.right <= a.x or a.bottom <= b.y or b.bottom <= a.y
