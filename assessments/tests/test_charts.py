"""The result page's spider chart leaves room for its labels, and its labels stay readable on a phone."""

import pytest

from assessments import charts


def axes(*labels: str) -> list[charts.RadarAxis]:
    return [charts.RadarAxis(label=label, value=3, target=4) for label in labels]


def view_box(chart: charts.RadarChart) -> tuple[float, float, float, float]:
    left, top, width, height = (float(part) for part in chart.view_box.split())
    return left, top, left + width, top + height


@pytest.mark.parametrize("count", [3, 4, 6, 10, 12])
def test_long_labels_fit_inside_the_view_box_wherever_they_sit(count):
    labels = [f"Stakeholder communication {'and negotiation ' * (n % 2)}{n}" for n in range(count)]
    chart = charts.radar(axes(*labels))

    left, top, right, bottom = view_box(chart)
    for label in chart.labels:
        box = charts.label_box(label)
        assert left <= box[0] and box[2] <= right, label
        assert top <= box[1] and box[3] <= bottom, label


@pytest.mark.parametrize("count", [3, 5, 8, 12])
def test_labels_never_overlap_the_rings(count):
    chart = charts.radar(axes(*[f"Skill name {n}" for n in range(count)]))
    radius = chart.center - 60

    for label in chart.labels:
        left, top, right, bottom = charts.label_box(label)
        nearest_x = min(max(chart.center, left), right)
        nearest_y = min(max(chart.center, top), bottom)
        assert (nearest_x - chart.center) ** 2 + (nearest_y - chart.center) ** 2 >= radius**2, label


def test_a_long_label_wraps_onto_lines_and_is_cut_after_the_last():
    assert charts.wrap_label("Stakeholder communication") == ["Stakeholder", "communication"]
    lines = charts.wrap_label("A very long skill name that goes on and on and on")
    assert len(lines) == charts.LABEL_MAX_LINES and lines[-1].endswith("…")


def test_labels_come_out_at_10_px_or_more_when_the_chart_is_drawn_330_px_wide():
    # The catalog's longest skill names, on a 390 px phone (the chart's box is about 330 px wide there).
    names = ["Stakeholder communication", "Mentoring and coaching", "Attention to detail", "Conflict resolution"]
    chart = charts.radar(axes(*names, "Budgeting", "Scheduling"))

    left, _, right, _ = view_box(chart)
    assert chart.font_size * 330 / (right - left) >= 10
