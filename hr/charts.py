"""Geometry for the dashboard's server-rendered SVG charts (pure: numbers in, coordinates out).

Colours come from a fixed palette by series, and every chart is shown with its
numbers as a table, so colour never carries information alone.
"""

from dataclasses import dataclass

PALETTE = ("#198754", "#0d6efd", "#adb5bd", "#6f42c1", "#fd7e14", "#dc3545")
# The tracks' colours, as in static/css/careerpath.css (catalog cards, result bars): technical blue,
# management green, project leadership orange; balanced purple, not assessed grey.
TRACK_PALETTE = ("#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#adb5bd")


# The charts have no view box: x values are percentages of the chart's width and y values are
# pixels, so a chart stretches to its box while its 12 px labels stay 12 px on any screen (an
# 640-unit drawing scaled down to a 390 px phone put them at 7 px).


@dataclass(frozen=True)
class Segment:
    series: str
    value: int
    x: float  # per cent
    width: float  # per cent
    colour: str


@dataclass(frozen=True)
class BarRow:
    label: str
    label_y: float  # baseline of the label, on its own line above the bar
    y: float  # top of the bar
    total: int
    segments: tuple[Segment, ...]
    total_x: float  # per cent; the total is drawn 6 px right of it


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars, one row per category, each split into its series (stacked), its label above it."""

    height: int
    bar_height: int
    rows: tuple[BarRow, ...]
    legend: tuple[tuple[str, str], ...]  # (series, colour)
    label_chars: int = 48  # labels longer than this are shortened (…): about a phone's width at 12 px
    font_size: int = 12


# The longest bar stops short of the right edge by this share, leaving room for its total
# (five digits at 12 px fit in the 12 % of a 330 px phone's chart).
TOTAL_ROOM_PERCENT = 12
LABEL_LINE = 16


def stacked_bars(
    rows: list[tuple[str, list[int]]],
    series: list[str],
    *,
    bar_height: int = 18,
    gap: int = 10,
    palette: tuple[str, ...] = PALETTE,
) -> BarChart:
    """Bars scaled to the largest row total; a row's label sits on its own line above its bar, its total right of it."""
    plot = 100 - TOTAL_ROOM_PERCENT
    largest = max((sum(values) for _, values in rows), default=0) or 1
    colours = {name: palette[i % len(palette)] for i, name in enumerate(series)}
    row_height = LABEL_LINE + bar_height + gap
    out = []
    for index, (label, values) in enumerate(rows):
        top = gap + index * row_height
        x = 0.0
        segments = []
        for name, value in zip(series, values, strict=True):
            w = round(plot * value / largest, 2)
            if value:
                segments.append(Segment(name, value, round(x, 2), w, colours[name]))
            x += w
        out.append(BarRow(label, top + LABEL_LINE - 4, top + LABEL_LINE, sum(values), tuple(segments), round(x, 2)))
    height = gap + len(rows) * row_height
    return BarChart(max(height, 2 * gap + LABEL_LINE), bar_height, tuple(out), tuple(colours.items()))


@dataclass(frozen=True)
class Column:
    series: str
    value: int
    x: float  # per cent
    y: float
    width: float  # per cent
    height: float
    colour: str


@dataclass(frozen=True)
class ColumnGroup:
    label: str
    label_x: float  # per cent
    columns: tuple[Column, ...]
    lines: tuple[tuple[str, float], ...] = ()  # the label's words, one a line: (text, baseline y)


@dataclass(frozen=True)
class ColumnChart:
    """Vertical columns side by side per category (e.g. completed and overdue per month)."""

    height: int
    baseline: float
    groups: tuple[ColumnGroup, ...]
    legend: tuple[tuple[str, str], ...]
    maximum: int
    font_size: int = 11


def grouped_columns(
    groups: list[tuple[str, list[int]]],
    series: list[str],
    *,
    height: int = 220,
    palette: tuple[str, ...] = PALETTE,
) -> ColumnChart:
    """Columns per group; a group's label goes under it a word a line ("Jan" over "26"), so twelve
    months fit under a phone-wide chart."""
    line = 13
    top, bottom = 16, 8 + 2 * line
    plot_height = height - top - bottom
    baseline = float(height - bottom)
    largest = max((max(values, default=0) for _, values in groups), default=0) or 1
    colours = {name: palette[i % len(palette)] for i, name in enumerate(series)}
    slot = 100 / max(len(groups), 1)
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
                    round(left + position * column_width, 2),
                    round(baseline - h, 1),
                    round(column_width * 0.9, 2),
                    h,
                    colours[name],
                )
            )
        lines = tuple((word, baseline + line * (i + 1)) for i, word in enumerate(label.split()))
        out.append(ColumnGroup(label, round(index * slot + slot / 2, 2), tuple(columns), lines))
    return ColumnChart(height, baseline, tuple(out), tuple(colours.items()), largest)
