"""The career map's layout: one small ladder diagram per track, and the moves between tracks as a list.

Pure: plain data in (tracks, roles, moves), plain data out (coordinates and SVG path strings);
the template only draws what this computes.

Drawn all together, the catalog's 44 moves converged on a few roles from every side, and a
route could not be followed. So each track gets its own diagram of the moves inside it, and a
move onto another track is listed under the diagram of the track it leaves (the list under
the map has every move too).

A diagram is one column of roles, the highest rank at the top, roles of one rank one under
another. Its arrows are routed so any route can be followed:

- a promotion to the role right above runs straight up, between the two boxes;
- any other promotion runs out of the left side of its role, along a vertical lane left of
  the column, and into the left side of the other; lateral moves do the same on the right;
- two arrows whose stretches of the column overlap never share a lane (a longer arrow runs
  outside a shorter one), and no two arrow ends share a point: the ends on one side of a
  role are spread along it, those going up above those going down, inner lanes nearest to
  the way they go, so arrows leaving one side never cross each other there;
- the order of the roles within a rank is chosen to have as few crossings and as short
  arrows as it can.

A move that exists both ways, of one kind, is one arrow with a head at each end.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations
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
    node_width: int = 204
    node_height: int = 56
    stack_gap: int = 14  # between roles of one rank
    rank_gap: int = 26  # between ranks
    lane_gap: int = 10  # between the column and the first lane, and between lanes
    margin: int = 8
    line_height: int = 15
    chars_per_line: int = 23
    max_name_lines: int = 2
    port_spacing: int = 12
    max_stack_to_reorder: int = 7  # ranks with more roles than this keep the given order


@dataclass(frozen=True)
class Node:
    slug: str
    name: str
    url: str
    track_slug: str
    track_name: str
    orientation: str
    rank: int
    position: int  # 0 at the top of the column
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
    route: str  # "straight", or the side its lane is on: "left" or "right"
    lane: int  # 0 for a straight arrow, else 1 for the lane nearest the column, 2 the next, ...
    lane_x: float | None
    start: tuple[float, float]
    end: tuple[float, float]
    span: tuple[int, int]  # the positions of its two roles, top first
    both_ways: bool = False  # the same move exists in reverse: draw a head at each end


@dataclass(frozen=True)
class Crossing:
    """A move onto another track, listed under the diagram of the track it leaves."""

    from_slug: str
    from_name: str
    to_slug: str
    to_name: str
    to_track_name: str
    to_url: str
    kind: str


@dataclass(frozen=True)
class TrackDiagram:
    slug: str
    name: str
    orientation: str
    width: int
    height: int
    nodes: tuple[Node, ...]
    arrows: tuple[Arrow, ...]
    away: tuple[Crossing, ...]


@dataclass(frozen=True)
class CareerMap:
    diagrams: tuple[TrackDiagram, ...]

    @property
    def nodes(self) -> tuple[Node, ...]:
        return tuple(n for d in self.diagrams for n in d.nodes)

    @property
    def arrows(self) -> tuple[Arrow, ...]:
        return tuple(a for d in self.diagrams for a in d.arrows)

    @property
    def crossings(self) -> tuple[Crossing, ...]:
        return tuple(c for d in self.diagrams for c in d.away)

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
    track_by_slug = {t.slug: t for t in tracks}
    for role in roles:
        if role.track_slug not in track_by_slug:
            raise ValueError(f"Role {role.slug!r} is on track {role.track_slug!r}, which is not on the map.")
    role_by_slug = {r.slug: r for r in roles}
    moves = [m for m in moves if m.from_slug in role_by_slug and m.to_slug in role_by_slug and m.from_slug != m.to_slug]

    diagrams = []
    for track in tracks:
        own = [r for r in roles if r.track_slug == track.slug]
        inside = [
            m for m in moves if role_by_slug[m.from_slug].track_slug == track.slug == role_by_slug[m.to_slug].track_slug
        ]
        away = tuple(
            Crossing(
                from_slug=m.from_slug,
                from_name=role_by_slug[m.from_slug].name,
                to_slug=m.to_slug,
                to_name=role_by_slug[m.to_slug].name,
                to_track_name=track_by_slug[role_by_slug[m.to_slug].track_slug].name,
                to_url=role_by_slug[m.to_slug].url,
                kind=m.kind,
            )
            for m in moves
            if role_by_slug[m.from_slug].track_slug == track.slug != role_by_slug[m.to_slug].track_slug
        )
        diagrams.append(_diagram(track, own, inside, away, geometry))
    return CareerMap(diagrams=tuple(diagrams))


def _pairs(moves: Sequence[MapMove]) -> list[tuple[MapMove, bool]]:
    """One entry per arrow: a move that also exists in reverse, of the same kind, is drawn once."""
    kinds = {(m.from_slug, m.to_slug): m.kind for m in moves}
    out, merged = [], set()
    for move in moves:
        if (move.from_slug, move.to_slug) in merged:
            continue
        both = kinds.get((move.to_slug, move.from_slug)) == move.kind
        if both:
            merged.add((move.to_slug, move.from_slug))
        out.append((move, both))
    return out


def _route(move: MapMove, position: dict[str, int], rank: dict[str, int]) -> str:
    a, b = position[move.from_slug], position[move.to_slug]
    if move.kind == "promotion" and abs(a - b) == 1 and rank[move.from_slug] != rank[move.to_slug]:
        return "straight"
    return "left" if move.kind == "promotion" else "right"


def _cost(order: list[str], pairs, rank: dict[str, int]) -> tuple[int, int, int]:
    """Crossings between arrows on one side, then arrows not straight, then total length."""
    position = {slug: i for i, slug in enumerate(order)}
    spans = defaultdict(list)
    bent = length = 0
    for move, _ in pairs:
        side = _route(move, position, rank)
        a, b = sorted((position[move.from_slug], position[move.to_slug]))
        length += b - a
        if side != "straight":
            bent += 1
            spans[side].append((a, b))
    crossings = 0
    for side_spans in spans.values():
        for i, (a1, b1) in enumerate(side_spans):
            for a2, b2 in side_spans[i + 1 :]:
                if a1 < a2 < b1 < b2 or a2 < a1 < b2 < b1:
                    crossings += 1
    return crossings, bent, length


def _column_order(roles: list[MapRole], pairs, g: Geometry) -> list[str]:
    """Roles top to bottom: by rank, highest first; within a rank in the order that costs least."""
    rank = {r.slug: r.rank for r in roles}
    ranks = sorted({r.rank for r in roles}, reverse=True)
    stacks = {k: [r.slug for r in roles if r.rank == k] for k in ranks}
    for k in ranks:
        if not 1 < len(stacks[k]) <= g.max_stack_to_reorder:
            continue
        best = None
        for candidate in permutations(stacks[k]):
            order = [s for j in ranks for s in (candidate if j == k else stacks[j])]
            cost = _cost(order, pairs, rank)
            if best is None or cost < best[0]:
                best = (cost, list(candidate))
        stacks[k] = best[1]
    return [s for k in ranks for s in stacks[k]]


def _diagram(track: MapTrack, roles: list[MapRole], moves: list[MapMove], away, g: Geometry) -> TrackDiagram:
    pairs = _pairs(moves)
    order = _column_order(roles, pairs, g)
    role_by_slug = {r.slug: r for r in roles}
    rank = {r.slug: r.rank for r in roles}
    position = {slug: i for i, slug in enumerate(order)}

    # Lanes: shortest arrows nearest the column; an arrow takes the first lane where no arrow
    # already there touches any role of its stretch (shared roles included).
    routes = []
    lanes_used: dict[str, list[list[tuple[int, int]]]] = {"left": [], "right": []}
    for move, both in sorted(pairs, key=lambda p: abs(position[p[0].from_slug] - position[p[0].to_slug])):
        side = _route(move, position, rank)
        span = tuple(sorted((position[move.from_slug], position[move.to_slug])))
        lane = 0
        if side != "straight":
            lanes = lanes_used[side]
            lane = next(
                (i for i, taken in enumerate(lanes, 1) if all(span[1] < a or b < span[0] for a, b in taken)),
                len(lanes) + 1,
            )
            if lane > len(lanes):
                lanes.append([])
            lanes[lane - 1].append(span)
        routes.append((move, both, side, lane, span))
    left_lanes, right_lanes = len(lanes_used["left"]), len(lanes_used["right"])

    column_x = g.margin + left_lanes * g.lane_gap + (g.lane_gap if left_lanes else 0)
    width = column_x + g.node_width + (g.lane_gap if right_lanes else 0) + right_lanes * g.lane_gap + g.margin

    nodes = []
    y = g.margin
    previous_rank = None
    for slug in order:
        role = role_by_slug[slug]
        if previous_rank is not None:
            y += g.stack_gap if role.rank == previous_rank else g.rank_gap
        name_lines = wrap_name(role.name, g.chars_per_line, g.max_name_lines)
        text_rows = len(name_lines) + (1 if role.years else 0)
        first_baseline = y + (g.node_height - text_rows * g.line_height) / 2 + g.line_height - 4
        nodes.append(
            Node(
                slug=slug,
                name=role.name,
                url=role.url,
                track_slug=track.slug,
                track_name=track.name,
                orientation=track.orientation,
                rank=role.rank,
                position=position[slug],
                x=column_x,
                y=y,
                width=g.node_width,
                height=g.node_height,
                lines=tuple((text, int(first_baseline + i * g.line_height)) for i, text in enumerate(name_lines)),
                years=role.years,
                years_y=int(first_baseline + len(name_lines) * g.line_height),
            )
        )
        y += g.node_height
        previous_rank = role.rank
    height = y + g.margin if nodes else 2 * g.margin
    node_by_slug = {n.slug: n for n in nodes}

    def lane_x(side: str, lane: int) -> float:
        if side == "left":
            return column_x - lane * g.lane_gap
        return column_x + g.node_width + lane * g.lane_gap

    # Ports: the ends on one side of a role, spread along it. Ends heading up come first, inner
    # lanes on top; then ends heading down, outer lanes on top. So no two arrows leaving one side
    # cross where they turn into their lanes.
    ends: dict[tuple[str, str], list[tuple[tuple[int, int], int, str]]] = defaultdict(list)
    for i, (move, _, side, lane, _) in enumerate(routes):
        if side == "straight":
            continue
        for end, here, there in (("from", move.from_slug, move.to_slug), ("to", move.to_slug, move.from_slug)):
            up = position[there] < position[here]
            ends[(here, side)].append(((0, lane) if up else (1, -lane), i, end))
    ports: dict[tuple[int, str], tuple[float, float]] = {}
    for (slug, side), items in ends.items():
        node = node_by_slug[slug]
        items.sort()
        spacing = min(g.port_spacing, (node.height - 10) / max(len(items) - 1, 1))
        x = node.x if side == "left" else node.right
        for k, (_, i, end) in enumerate(items):
            ports[(i, end)] = (x, node.y + node.height / 2 + (k - (len(items) - 1) / 2) * spacing)

    arrows = []
    for i, (move, both, side, lane, span) in enumerate(routes):
        a, b = node_by_slug[move.from_slug], node_by_slug[move.to_slug]
        if side == "straight":
            start = (a.cx, a.y) if a.position > b.position else (a.cx, a.bottom)
            end = (b.cx, b.bottom) if a.position > b.position else (b.cx, b.y)
            d = f"M{_fmt(start[0])} {_fmt(start[1])} V{_fmt(end[1])}"
            x = None
        else:
            start, end = ports[(i, "from")], ports[(i, "to")]
            x = lane_x(side, lane)
            d = f"M{_fmt(start[0])} {_fmt(start[1])} H{_fmt(x)} V{_fmt(end[1])} H{_fmt(end[0])}"
        arrows.append(
            Arrow(
                from_slug=move.from_slug,
                to_slug=move.to_slug,
                kind=move.kind,
                d=d,
                route=side,
                lane=lane,
                lane_x=x,
                start=start,
                end=end,
                span=span,
                both_ways=both,
            )
        )
    arrows.sort(key=lambda arrow: (arrow.span, arrow.from_slug, arrow.to_slug))
    return TrackDiagram(
        slug=track.slug,
        name=track.name,
        orientation=track.orientation,
        width=int(width),
        height=int(height),
        nodes=tuple(sorted(nodes, key=lambda n: n.position)),
        arrows=tuple(arrows),
        away=away,
    )
