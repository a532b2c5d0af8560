"""Geometry for server-rendered SVG charts (pure: plain numbers in, plain numbers out)."""

import math
import textwrap
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
    y: float  # baseline of the first line
    anchor: str
    lines: tuple[tuple[str, float], ...] = ()  # (text, baseline y) of each line of the wrapped label


@dataclass(frozen=True)
class RadarChart:
    size: int
    center: float
    view_box: str  # the chart and every label, so long labels on any side fit
    rings: tuple[str, ...]  # polygon points of the level rings
    spokes: tuple[tuple[float, float], ...]  # spoke end points
    person: str  # polygon points
    target: str  # polygon points
    labels: tuple[RadarLabel, ...]
    font_size: int = 22


def _point(center: float, radius: float, angle: float) -> tuple[float, float]:
    return round(center + radius * math.cos(angle), 1), round(center + radius * math.sin(angle), 1)


def _points(pairs) -> str:
    return " ".join(f"{x},{y}" for x, y in pairs)


# The labels are drawn large in the chart's own units because the chart is scaled to its box: on a
# 390 px phone the whole view box (about 680 units wide with the catalog's longest skill names) is
# drawn about 330 px wide, so 22 units come out near 11 px; on a wide screen the figure is capped
# (static/css/careerpath.css, .radar-chart) so they stay near 16 px. Labels wrap onto up to
# LABEL_MAX_LINES lines of about LABEL_WRAP characters, which keeps the view box, and so the
# scale, from depending on one long name.
LABEL_FONT_SIZE = 22
LABEL_LINE_HEIGHT = 26
# A generous estimate of the width of one character of a label, in view box units.
LABEL_CHAR_WIDTH = 0.6 * LABEL_FONT_SIZE
LABEL_WRAP = 14
LABEL_MAX_LINES = 3
LABEL_GAP = 14  # between the outer ring and a label
PADDING = 4


def wrap_label(text: str) -> list[str]:
    """`text` in at most LABEL_MAX_LINES lines of about LABEL_WRAP characters, the last cut with an ellipsis."""
    lines = textwrap.wrap(text, LABEL_WRAP) or [""]
    if len(lines) > LABEL_MAX_LINES:
        lines = lines[:LABEL_MAX_LINES]
        lines[-1] = lines[-1][: LABEL_WRAP - 1].rstrip() + "…"
    return lines


def label_box(label: RadarLabel) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a label's text at the estimated character width."""
    width = max(len(text) for text, _ in label.lines) * LABEL_CHAR_WIDTH
    left = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
    top = label.lines[0][1] - LABEL_FONT_SIZE * 0.8
    bottom = label.lines[-1][1] + LABEL_FONT_SIZE * 0.25
    return left, top, left + width, bottom


def radar(axes: list[RadarAxis], *, size: int = 420, maximum: int = 5, margin: int = 60) -> RadarChart:
    """A spider chart: one spoke per axis, rings at each level, the person's and the target's polygons.

    A label starts `LABEL_GAP` outside the outer ring and runs outwards: beside the chart it
    starts there, above and below it is centred; a label above grows upwards, one below
    downwards, one beside is centred on its spoke. The view box holds the chart and every label.
    """
    if len(axes) < 3:
        raise ValueError("A radar chart needs at least three axes.")
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
    left, top, right, bottom = margin, margin, size - margin, size - margin
    for axis, angle in zip(axes, angles, strict=True):
        x, y = _point(center, radius + LABEL_GAP, angle)
        cos, sin = math.cos(angle), math.sin(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        texts = wrap_label(axis.label)
        block = (len(texts) - 1) * LABEL_LINE_HEIGHT
        if anchor == "middle" and sin < 0:  # above the chart: the last line sits on the point
            first = y - block
        elif anchor == "middle":  # below: the first line hangs from the point
            first = y + LABEL_FONT_SIZE * 0.8
        else:  # beside: centred on the spoke's end
            first = y - block / 2 + LABEL_FONT_SIZE * 0.35
        lines = tuple((text, round(first + i * LABEL_LINE_HEIGHT, 1)) for i, text in enumerate(texts))
        label = RadarLabel(axis.label, x, lines[0][1], anchor, lines)
        labels.append(label)
        box = label_box(label)
        left, top, right, bottom = min(left, box[0]), min(top, box[1]), max(right, box[2]), max(bottom, box[3])
    left, top = math.floor(left - PADDING), math.floor(top - PADDING)
    width, height = math.ceil(right + PADDING) - left, math.ceil(bottom + PADDING) - top
    return RadarChart(
        size=size,
        center=center,
        view_box=f"{left} {top} {width} {height}",
        rings=rings,
        spokes=spokes,
        person=_points(_point(center, scaled(a.value), ang) for a, ang in zip(axes, angles, strict=True)),
        target=_points(_point(center, scaled(a.target), ang) for a, ang in zip(axes, angles, strict=True)),
        labels=tuple(labels),
        font_size=LABEL_FONT_SIZE,
    )
