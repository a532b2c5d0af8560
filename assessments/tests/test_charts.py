"""The result page's spider chart leaves room for its labels."""

import pytest

from assessments import charts


def axes(*labels: str) -> list[charts.RadarAxis]:
    return [charts.RadarAxis(label=label, value=3, target=4) for label in labels]


def leftmost_and_rightmost(chart: charts.RadarChart) -> tuple[float, float]:
    """Where the labels' text begins and ends, at the estimated character width."""
    lefts, rights = [], []
    for label in chart.labels:
        width = len(label.text) * charts.LABEL_CHAR_WIDTH
        start = {"start": label.x, "middle": label.x - width / 2, "end": label.x - width}[label.anchor]
        lefts.append(start)
        rights.append(start + width)
    return min(lefts), max(rights)


@pytest.mark.parametrize("count", [3, 4, 6, 10, 12])
def test_long_labels_fit_inside_the_view_box_wherever_they_sit(count):
    labels = [f"Stakeholder communication {'and negotiation ' * (n % 2)}{n}" for n in range(count)]
    chart = charts.radar(axes(*labels))

    left, width = (float(part) for part in chart.view_box.split()[::2])
    first, last = leftmost_and_rightmost(chart)
    assert first >= left
    assert last <= left + width


def test_short_labels_keep_the_usual_width():
    chart = charts.radar(axes("Design", "Planning", "People"))

    assert chart.view_box == "-110 0 640 420"
