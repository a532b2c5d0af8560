"""Geometry for server-rendered SVG charts (pure: plain numbers in, plain numbers out)."""

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class RadarAxis:
    label: str
    value: float  # the person's level, 0..maximum
    target: float  # the role's required level


@dataclass(frozen=True)
class RadarLabel:
    text: str
    x: float
    y: float
    anchor: str


@dataclass(frozen=True)
class RadarChart:
    size: int
    center: float
    view_box: str  # wider than the chart, so long labels on the left and right fit
    rings: tuple[str, ...]  # polygon points of the level rings
    spokes: tuple[tuple[float, float], ...]  # spoke end points
    person: str  # polygon points
    target: str  # polygon points
    labels: tuple[RadarLabel, ...]


def _point(center: float, radius: float, angle: float) -> tuple[float, float]:
    return round(center + radius * math.cos(angle), 1), round(center + radius * math.sin(angle), 1)


def _points(pairs) -> str:
    return " ".join(f"{x},{y}" for x, y in pairs)


# A generous estimate of the width of one character of a label (font-size 12 in the template), in
# viewBox units: labels are measured with it so that the longest one fits inside the chart.
LABEL_CHAR_WIDTH = 7.2
LABEL_GAP = 14  # between the outer ring and a label


def radar(
    axes: list[RadarAxis], *, size: int = 420, maximum: int = 5, margin: int = 60, label_room: int = 110
) -> RadarChart:
    """A spider chart: one spoke per axis, rings at each level, the person's and the target's polygons.

    The view box is widened by `label_room` on each side, and more when the longest label needs
    it: a label beside the chart starts `LABEL_GAP` outside the outer ring and runs outwards.
    """
    if len(axes) < 3:
        raise ValueError("A radar chart needs at least three axes.")
    longest = max(len(axis.label) for axis in axes) * LABEL_CHAR_WIDTH
    label_room = max(label_room, math.ceil(longest - (margin - LABEL_GAP)) + 4)
    center = size / 2
    radius = center - margin
    angles = [-math.pi / 2 + 2 * math.pi * i / len(axes) for i in range(len(axes))]

    def scaled(value: float) -> float:
        return radius * max(0.0, min(value, maximum)) / maximum

    rings = tuple(
        _points(_point(center, radius * level / maximum, a) for a in angles) for level in range(1, maximum + 1)
    )
    spokes = tuple(_point(center, radius, a) for a in angles)
    labels = []
    for axis, angle in zip(axes, angles, strict=True):
        x, y = _point(center, radius + LABEL_GAP, angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        labels.append(RadarLabel(axis.label, x, y + 4, anchor))
    return RadarChart(
        size=size,
        center=center,
        view_box=f"{-label_room} 0 {size + 2 * label_room} {size}",
        rings=rings,
        spokes=spokes,
        person=_points(_point(center, scaled(a.value), ang) for a, ang in zip(axes, angles, strict=True)),
        target=_points(_point(center, scaled(a.target), ang) for a, ang in zip(axes, angles, strict=True)),
        labels=tuple(labels),
    )
