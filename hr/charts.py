"""Geometry for the dashboard's server-rendered SVG charts (pure: numbers in, coordinates out).

Colours come from a fixed palette by series, and every chart is shown with its
numbers as a table, so colour never carries information alone.
"""

from dataclasses import dataclass

PALETTE = ("#198754", "#0d6efd", "#adb5bd", "#6f42c1", "#fd7e14", "#dc3545")
# The tracks' colours, as in static/css/careerpath.css (catalog cards, result bars): technical blue,
# management green, project leadership orange; balanced purple, not assessed grey.
TRACK_PALETTE = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#adb5bd")


@dataclass(frozen=True)
class Segment:
    series: str
    value: int
    x: float
    width: float
    colour: str


@dataclass(frozen=True)
class BarRow:
    label: str
    y: float
    total: int
    segments: tuple[Segment, ...]
    label_x: float
    total_x: float


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row per category, each split into its series (stacked)."""

    width: int
    height: int
    bar_height: int
    label_width: int
    rows: tuple[BarRow, ...]
    legend: tuple[tuple[str, str], ...]  # (series, colour)
    label_chars: int = 30  # labels longer than this are shortened (…) to fit label_width


# Labels are drawn at 12 px; 7 px a character is a little more than an average sans-serif character needs.
LABEL_CHAR_PX = 7
LABEL_MARGIN = 12
LABEL_WIDTH_MIN, LABEL_WIDTH_MAX = 80, 280


def label_room(labels: list[str]) -> tuple[int, int]:
    """(pixels, characters) for the labels: as wide as the longest needs, within bounds; longer ones are cut."""
    longest = max((len(label) for label in labels), default=0)
    width = min(max(longest * LABEL_CHAR_PX + LABEL_MARGIN, LABEL_WIDTH_MIN), LABEL_WIDTH_MAX)
    return width, (width - LABEL_MARGIN) // LABEL_CHAR_PX


def stacked_bars(
    rows: list[tuple[str, list[int]]],
    series: list[str],
    *,
    width: int = 640,
    label_width: int | None = None,
    bar_height: int = 20,
    gap: int = 10,
    palette: tuple[str, ...] = PALETTE,
) -> BarChart:
    """Bars scaled to the largest row total; a row's label sits left of its bar, its total right.

    The label column is as wide as the longest label needs (up to LABEL_WIDTH_MAX), so no label
    runs off the left edge; the template shortens any label longer than `label_chars`.
    """
    label_width, label_chars = (
        label_room([label for label, _ in rows])
        if label_width is None
        else (label_width, (label_width - LABEL_MARGIN) // LABEL_CHAR_PX)
    )
    total_room = 50
    plot = width - label_width - total_room
    largest = max((sum(values) for _, values in rows), default=0) or 1
    colours = {name: palette[i % len(palette)] for i, name in enumerate(series)}
    out = []
    for index, (label, values) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        x = float(label_width)
        segments = []
        for name, value in zip(series, values, strict=True):
            w = round(plot * value / largest, 1)
            if value:
                segments.append(Segment(name, value, round(x, 1), w, colours[name]))
            x += w
        out.append(BarRow(label, y, sum(values), tuple(segments), label_width - 6, round(x + 6, 1)))
    height = gap + len(rows) * (bar_height + gap)
    return BarChart(
        width, max(height, 2 * gap), bar_height, label_width, tuple(out), tuple(colours.items()), label_chars
    )


@dataclass(frozen=True)
class Column:
    series: str
    value: int
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True)
class ColumnGroup:
    label: str
    label_x: float
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class ColumnChart:
    """Vertical columns side by side per category (e.g. completed and overdue per month)."""

    width: int
    height: int
    baseline: float
    groups: tuple[ColumnGroup, ...]
    legend: tuple[tuple[str, str], ...]
    maximum: int


def grouped_columns(
    groups: list[tuple[str, list[int]]],
    series: list[str],
    *,
    width: int = 640,
    height: int = 220,
    palette: tuple[str, ...] = PALETTE,
) -> ColumnChart:
    top, bottom = 16, 30
    plot_height = height - top - bottom
    baseline = float(height - bottom)
    largest = max((max(values, default=0) for _, values in groups), default=0) or 1
    colours = {name: palette[i % len(palette)] for i, name in enumerate(series)}
    slot = width / max(len(groups), 1)
    column_width = slot * 0.8 / max(len(series), 1)
    out = []
    for index, (label, values) in enumerate(groups):
        left = index * slot + slot * 0.1
        columns = []
        for position, (name, value) in enumerate(zip(series, values, strict=True)):
            h = round(plot_height * value / largest, 1)
            columns.append(
                Column(
                    name,
                    value,
                    round(left + position * column_width, 1),
                    round(baseline - h, 1),
                    round(column_width - 2, 1),
                    h,
                    colours[name],
                )
            )
        out.append(ColumnGroup(label, round(index * slot + slot / 2, 1), tuple(columns)))
    return ColumnChart(width, height, baseline, tuple(out), tuple(colours.items()), largest)
