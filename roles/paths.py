"""Path finding over the moves between roles. Pure: plain tuples in, plain data out.

An edge is `(from_slug, to_slug, kind, years_min, years_max)`, the shape
`roles.selectors.progression_edges()` returns. A move's typical length is the
middle of its range; the shortest path is the one with the fewest typical years
in total (Dijkstra), and between equally long paths the one with fewer moves.
Lateral moves are edges like any other, so a path may change track.
"""

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

LATERAL = "lateral"


class Edge(NamedTuple):
    from_slug: str
    to_slug: str
    kind: str
    years_min: int
    years_max: int

    @property
    def typical_years(self) -> float:
        return (self.years_min + self.years_max) / 2


@dataclass(frozen=True)
class Path:
    """A route from `start` to `goal`; no steps when they are the same role."""

    start: str
    goal: str
    steps: tuple[Edge, ...]

    @property
    def slugs(self) -> list[str]:
        return [self.start, *(step.to_slug for step in self.steps)]

    @property
    def years_min(self) -> int:
        return sum(step.years_min for step in self.steps)

    @property
    def years_max(self) -> int:
        return sum(step.years_max for step in self.steps)

    @property
    def typical_years(self) -> float:
        return sum(step.typical_years for step in self.steps)

    @property
    def has_lateral(self) -> bool:
        return any(step.kind == LATERAL for step in self.steps)

    def __len__(self) -> int:
        return len(self.steps)


def _adjacency(edges: Iterable[tuple]) -> dict[str, list[Edge]]:
    graph: dict[str, list[Edge]] = {}
    for raw in edges:
        edge = Edge(*raw)
        if edge.years_min < 0 or edge.years_max < edge.years_min:
            raise ValueError(f"Edge {edge.from_slug} → {edge.to_slug} has an invalid years range.")
        graph.setdefault(edge.from_slug, []).append(edge)
    for outgoing in graph.values():
        outgoing.sort(key=lambda e: e.to_slug)  # deterministic results whatever the input order
    return graph


def find_path(edges: Iterable[tuple], start: str, goal: str) -> Path | None:
    """The quickest route from `start` to `goal` by typical years, or None when there is none."""
    if start == goal:
        return Path(start=start, goal=goal, steps=())
    graph = _adjacency(edges)
    # Costs are kept in half-years (years_min + years_max) so they stay integers.
    # Heap entries: (cost, number of steps, slugs so far, steps so far); the slug
    # tuple makes ties between equal paths resolve the same way every time.
    heap: list[tuple[int, int, tuple[str, ...], tuple[Edge, ...]]] = [(0, 0, (start,), ())]
    settled: set[str] = set()
    while heap:
        cost, n_steps, slugs, steps = heapq.heappop(heap)
        node = slugs[-1]
        if node in settled:
            continue
        settled.add(node)
        if node == goal:
            return Path(start=start, goal=goal, steps=steps)
        for edge in graph.get(node, ()):
            if edge.to_slug not in settled:
                heapq.heappush(
                    heap,
                    (
                        cost + edge.years_min + edge.years_max,
                        n_steps + 1,
                        (*slugs, edge.to_slug),
                        (*steps, edge),
                    ),
                )
    return None


def reachable(edges: Iterable[tuple], start: str) -> set[str]:
    """Every role that some sequence of moves leads to from `start` (not `start` itself)."""
    graph = _adjacency(edges)
    seen: set[str] = set()
    frontier = [start]
    while frontier:
        node = frontier.pop()
        for edge in graph.get(node, ()):
            if edge.to_slug not in seen:
                seen.add(edge.to_slug)
                frontier.append(edge.to_slug)
    seen.discard(start)
    return seen
