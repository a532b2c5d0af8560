"""The career map's layout: where each role and arrow goes in the ladder diagram.

Pure: plain data in (tracks, roles, moves), plain data out (coordinates and SVG
path strings); the template only draws what this computes. Tracks are columns
side by side in the order given. Rows are ranks, shared by every column so the
same rank lines up across tracks, with the highest rank at the top: the ladder
is climbed upwards. Roles of one track with the same rank are stacked in their
rung, so a column stays one role wide and the text stays readable.

Arrows: a promotion to the next rung runs straight up when nothing is in the
way; otherwise, and for moves between roles of the same rung, it bows out into
the gutter beside the column (rank changes on the left, same-rung moves on the
right). Moves between tracks leave from the side of a role facing the other
track; when a column lies between the two they run along the gutters and a gap
between rows, never across another role. A move that exists both ways is one
arrow with two heads. Arrows sharing a side of a role are spread along it.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from textwrap import wrap


@dataclass(frozen=True)
class MapTrack:
    slug: str
    name: str
    orientation: str = ""


@dataclass(frozen=True)
class MapRole:
    slug: str
    name: str
    track_slug: str
    rank: int
    url: str = ""
    years: str = ""


@dataclass(frozen=True)
class MapMove:
    from_slug: str
    to_slug: str
    kind: str  # "promotion" or "lateral"


@dataclass(frozen=True)
class Geometry:
    node_width: int = 210
    node_height: int = 64
    stack_gap: int = 14
    column_gap: int = 120
    row_gap: int = 44
    margin: int = 56
    header_height: int = 44
    line_height: int = 17
    chars_per_line: int = 24
    max_name_lines: int = 2


@dataclass(frozen=True)
class Column:
    slug: str
    name: str
    orientation: str
    x: int
    width: int
    label_x: float
    label_y: int


@dataclass(frozen=True)
class Node:
    slug: str
    name: str
    url: str
    track_slug: str
    track_name: str
    orientation: str
    rank: int
    row: int
    slot: int  # place in its rung's stack, 0 at the top
    stack_size: int
    row_top: int  # the band of the rung's row, for routing through the gaps around it
    row_bottom: int
    column: int
    x: int
    y: int
    width: int
    height: int
    lines: tuple[tuple[str, int], ...]  # (text, baseline y) for the wrapped name
    years: str
    years_y: int

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2

    @property
    def bottom(self) -> int:
        return self.y + self.height

    @property
    def right(self) -> int:
        return self.x + self.width


@dataclass(frozen=True)
class Arrow:
    from_slug: str
    to_slug: str
    kind: str
    d: str  # SVG path data
    both_ways: bool = False  # the same move exists in reverse: draw a head at each end


@dataclass(frozen=True)
class CareerMap:
    width: int
    height: int
    columns: tuple[Column, ...]
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]

    def node(self, slug: str) -> Node:
        return next(n for n in self.nodes if n.slug == slug)


def wrap_name(name: str, width: int, max_lines: int) -> list[str]:
    """`name` in at most `max_lines` lines of about `width` characters, the last cut with an ellipsis."""
    lines = wrap(name, width) or [""]
    if len(lines) > max_lines:
        kept = lines[:max_lines]
        kept[-1] = kept[-1][: width - 1].rstrip() + "…"
        return kept
    return lines


def _fmt(value: float) -> str:
    return f"{value:g}"


def layout_career_map(
    tracks: Sequence[MapTrack],
    roles: Sequence[MapRole],
    moves: Sequence[MapMove],
    geometry: Geometry = Geometry(),
) -> CareerMap:
    g = geometry
    track_index = {t.slug: i for i, t in enumerate(tracks)}
    for role in roles:
        if role.track_slug not in track_index:
            raise ValueError(f"Role {role.slug!r} is on track {role.track_slug!r}, which is not on the map.")

    # Rows: every distinct rank, highest first; as tall as the biggest stack in them.
    ranks = sorted({r.rank for r in roles}, reverse=True)
    by_cell: dict[tuple[str, int], list[MapRole]] = defaultdict(list)
    for role in roles:
        by_cell[(role.track_slug, role.rank)].append(role)
    stack_of_rank = {rank: max(len(v) for (_, r), v in by_cell.items() if r == rank) for rank in ranks}

    columns: list[Column] = []
    x = g.margin
    for t in tracks:
        columns.append(
            Column(
                slug=t.slug,
                name=t.name,
                orientation=t.orientation,
                x=x,
                width=g.node_width,
                label_x=x + g.node_width / 2,
                label_y=g.margin // 2 + g.header_height // 2 + 6,
            )
        )
        x += g.node_width + g.column_gap
    total_width = (x - g.column_gap + g.margin) if tracks else 2 * g.margin

    row_band: dict[int, tuple[int, int]] = {}
    y = g.margin // 2 + g.header_height
    for rank in ranks:
        height = stack_of_rank[rank] * g.node_height + (stack_of_rank[rank] - 1) * g.stack_gap
        row_band[rank] = (y, y + height)
        y += height + g.row_gap
    total_height = (y - g.row_gap if ranks else y) + g.margin

    nodes: list[Node] = []
    for (track_slug, rank), cell in by_cell.items():
        column = columns[track_index[track_slug]]
        top, bottom = row_band[rank]
        used = len(cell) * g.node_height + (len(cell) - 1) * g.stack_gap
        first_y = top + (bottom - top - used) // 2
        for slot, role in enumerate(cell):
            node_y = first_y + slot * (g.node_height + g.stack_gap)
            name_lines = wrap_name(role.name, g.chars_per_line, g.max_name_lines)
            text_rows = len(name_lines) + (1 if role.years else 0)
            first_baseline = node_y + (g.node_height - text_rows * g.line_height) / 2 + g.line_height - 4
            lines = tuple((text, int(first_baseline + i * g.line_height)) for i, text in enumerate(name_lines))
            nodes.append(
                Node(
                    slug=role.slug,
                    name=role.name,
                    url=role.url,
                    track_slug=track_slug,
                    track_name=column.name,
                    orientation=column.orientation,
                    rank=rank,
                    row=ranks.index(rank),
                    slot=slot,
                    stack_size=len(cell),
                    row_top=top,
                    row_bottom=bottom,
                    column=track_index[track_slug],
                    x=column.x,
                    y=node_y,
                    width=g.node_width,
                    height=g.node_height,
                    lines=lines,
                    years=role.years,
                    years_y=int(first_baseline + len(name_lines) * g.line_height),
                )
            )
    nodes.sort(key=lambda n: (n.column, n.row, n.slot))
    node_by_slug = {n.slug: n for n in nodes}

    # One arrow per pair of roles: a move that also exists in reverse, of the same kind,
    # is drawn once with a head at each end.
    kinds = {(m.from_slug, m.to_slug): m.kind for m in moves}
    routes = []
    merged: set[tuple[str, str]] = set()
    for move in moves:
        a, b = node_by_slug.get(move.from_slug), node_by_slug.get(move.to_slug)
        if a is None or b is None or a is b or (a.slug, b.slug) in merged:
            continue
        both_ways = kinds.get((b.slug, a.slug)) == move.kind
        if both_ways:
            merged.add((b.slug, a.slug))
        routes.append((move, a, b, *_sides(a, b), both_ways))
    ports = _assign_ports(routes, g)

    arrows: list[Arrow] = []
    detours = 0
    for i, (move, a, b, side_a, _, route, both_ways) in enumerate(routes):
        p1, p2 = ports[(i, "from")], ports[(i, "to")]
        if route == "straight":
            d = f"M{_pt(p1)} L{_pt(p2)}"
        elif route == "bow":
            # Out into the gutter and back, further out the further apart the two ends are.
            reach = min(g.column_gap / 2 - 6, 18 + abs(p1[1] - p2[1]) / 12)
            bow = p1[0] - reach * 4 / 3 if side_a == "left" else p1[0] + reach * 4 / 3
            d = f"M{_pt(p1)} C{_fmt(bow)} {_fmt(p1[1])} {_fmt(bow)} {_fmt(p2[1])} {_pt(p2)}"
        elif route == "adjacent":
            mid = (p1[0] + p2[0]) / 2
            d = f"M{_pt(p1)} C{_fmt(mid)} {_fmt(p1[1])} {_fmt(mid)} {_fmt(p2[1])} {_pt(p2)}"
        else:
            detours += 1
            d = _across_columns(a, b, p1, p2, columns, g, offset=(detours - 1) % 4 * 6)
        arrows.append(Arrow(from_slug=a.slug, to_slug=b.slug, kind=move.kind, d=d, both_ways=both_ways))

    return CareerMap(
        width=int(total_width),
        height=int(total_height),
        columns=tuple(columns),
        nodes=tuple(nodes),
        arrows=tuple(arrows),
    )


def _pt(point: tuple[float, float]) -> str:
    return f"{_fmt(point[0])} {_fmt(point[1])}"


def _sides(a: Node, b: Node) -> tuple[str, str, str]:
    """Which side of each role an arrow leaves and enters by, and how it is drawn."""
    if a.column != b.column:
        side_a, side_b = ("right", "left") if a.column < b.column else ("left", "right")
        return side_a, side_b, "adjacent" if abs(a.column - b.column) == 1 else "across"
    if a.row == b.row:  # two roles of one rung: bow out to the right
        return "right", "right", "bow"
    upper, lower = (b, a) if b.row < a.row else (a, b)
    # Straight up only from the top of a stack to the bottom of the next rung's stack.
    if lower.row - upper.row == 1 and lower.slot == 0 and upper.slot == upper.stack_size - 1:
        return ("top", "bottom", "straight") if a is lower else ("bottom", "top", "straight")
    return "left", "left", "bow"  # skipping rungs, or roles in the way: bow out to the left


def _assign_ports(routes: list, g: Geometry) -> dict[tuple[int, str], tuple[float, float]]:
    """Where each arrow touches its roles. Arrows sharing a side of a role are spread along
    it, ordered by where their other end is, so they neither start together nor cross there."""
    by_side: dict[tuple[str, str], list[tuple[tuple[float, float], int, str]]] = defaultdict(list)
    for i, (_, a, b, side_a, side_b, route, _) in enumerate(routes):
        # Sort by where the arrow heads first: the other role, or the row gap a detour runs along.
        a_key = (_lane_y(a, b, g), b.cx) if route == "across" else (b.cy, b.cx)
        b_key = (_lane_y(a, b, g), a.cx) if route == "across" else (a.cy, a.cx)
        by_side[(a.slug, side_a)].append((a_key if side_a in ("left", "right") else a_key[::-1], i, "from"))
        by_side[(b.slug, side_b)].append((b_key if side_b in ("left", "right") else b_key[::-1], i, "to"))
    nodes = {n.slug: n for _, a, b, *_ in routes for n in (a, b)}
    ports: dict[tuple[int, str], tuple[float, float]] = {}
    for (slug, side), ends in by_side.items():
        node = nodes[slug]
        ends.sort()
        vertical_side = side in ("left", "right")
        spacing = 12 if vertical_side else 24
        limit = (node.height if vertical_side else node.width) / 2 - 8
        for k, (_, i, end) in enumerate(ends):
            offset = max(-limit, min(limit, (k - (len(ends) - 1) / 2) * spacing))
            if side == "left":
                ports[(i, end)] = (node.x, node.cy + offset)
            elif side == "right":
                ports[(i, end)] = (node.right, node.cy + offset)
            elif side == "top":
                ports[(i, end)] = (node.cx + offset, node.y)
            else:
                ports[(i, end)] = (node.cx + offset, node.bottom)
    return ports


def _lane_below(a: Node, b: Node) -> bool:
    # The gap on `a`'s side of `b`'s row; under the top row rather than into the header.
    return b.row < a.row or b.row == 0


def _lane_y(a: Node, b: Node, g: Geometry) -> float:
    """The gap between rows a detour past a column runs along."""
    return b.row_bottom + g.row_gap / 2 if _lane_below(a, b) else b.row_top - g.row_gap / 2


def _across_columns(
    a: Node,
    b: Node,
    p1: tuple[float, float],
    p2: tuple[float, float],
    columns: list[Column],
    g: Geometry,
    offset: float,
) -> str:
    """Gutter next to `a`, along a gap between rows next to `b`'s row, gutter next to `b`."""
    if a.column < b.column:
        gutter_a = columns[a.column].x + columns[a.column].width + g.column_gap / 2 - offset
        gutter_b = columns[b.column].x - g.column_gap / 2 + offset
    else:
        gutter_a = columns[a.column].x - g.column_gap / 2 + offset
        gutter_b = columns[b.column].x + columns[b.column].width + g.column_gap / 2 - offset
    lane_y = _lane_y(a, b, g) + (-offset if _lane_below(a, b) else offset)
    return f"M{_pt(p1)} H{_fmt(gutter_a)} V{_fmt(lane_y)} H{_fmt(gutter_b)} V{_fmt(p2[1])} H{_fmt(p2[0])}"
