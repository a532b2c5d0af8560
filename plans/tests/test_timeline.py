"""The plan page's timeline (plans.progress.timeline, drawn by templates/plans/_plan_progress.html)."""

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.template.loader import render_to_string

from plans import progress

SVG = "{http://www.w3.org/2000/svg}"


def drawn(*, start: date, today: date, dues: list[date]) -> ET.Element:
    views = [progress.MilestoneView(n, f"Step {n}", "custom", "todo", due, "", None) for n, due in enumerate(dues)]
    html = render_to_string(
        "plans/_plan_progress.html",
        {
            "timeline": progress.timeline(views, start=start, today=today),
            "progress": progress.progress(views, today=today),
        },
    )
    svg = re.search(r"<svg.*</svg>", html, re.S)[0].replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return ET.fromstring(svg)


def rows(element: ET.Element) -> tuple[float, float]:
    """The vertical extent of a line, or of a text: a whole font size above its baseline, a quarter below."""
    if element.tag == f"{SVG}text":
        baseline, size = float(element.get("y")), float(element.get("font-size"))
        return baseline - size, baseline + size / 4
    return tuple(sorted((float(element.get("y1")), float(element.get("y2")))))


def overlap(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.parametrize(
    ("start", "today", "dues"),
    [
        (date(2026, 12, 3), date(2027, 1, 1), [date(2027, 6, 1)]),  # today on the new year's tick
        (date(2026, 12, 30), date(2026, 12, 30), [date(2029, 10, 1)]),  # a new plan, two days before a new year
        (date(2025, 6, 1), date(2027, 1, 5), [date(2026, 3, 1), date(2027, 6, 1)]),
    ],
)
def test_the_today_marker_and_its_label_never_run_into_a_year_label(start, today, dues):
    svg = drawn(start=start, today=today, dues=dues)

    texts = list(svg.iter(f"{SVG}text"))
    [today_label] = [text for text in texts if text.text == "today"]
    [today_line] = [line for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    years = [text for text in texts if text.text.isdigit()]

    assert years, "the case needs a year label"
    for year in years:
        assert not overlap(rows(today_label), rows(year)), year.text
        assert not overlap(rows(today_line), rows(year)), year.text
    assert rows(today_label)[0] >= 0  # inside the drawing
    assert max(rows(year)[1] for year in years) <= float(svg.get("height"))


def test_the_today_marker_sits_where_today_falls_between_start_and_end():
    timeline = progress.timeline(
        [progress.MilestoneView(1, "Step", "custom", "todo", date(2027, 1, 11), "", None)],
        start=date(2027, 1, 1),
        today=date(2027, 1, 6),
    )

    assert timeline.today_x == 50.0  # per cent: half-way along 2.5..97.5
    assert timeline.years == ()


def test_the_drawing_stretches_to_its_box_while_its_text_keeps_its_size_in_pixels():
    svg = drawn(start=date(2026, 1, 1), today=date(2026, 6, 1), dues=[date(2028, 6, 1)])

    assert svg.get("viewBox") is None  # nothing is scaled, so 11 px text is 11 px on any screen
    assert all(text.get("x").endswith("%") for text in svg.iter(f"{SVG}text"))
    assert all(circle.get("cx").endswith("%") for circle in svg.iter(f"{SVG}circle"))
    assert all(float(text.get("font-size")) >= 10 for text in svg.iter(f"{SVG}text"))


def test_the_today_label_runs_inwards_near_either_end():
    def anchor(today: date) -> str:
        views = [progress.MilestoneView(1, "Step", "custom", "todo", date(2027, 1, 1), "", None)]
        return progress.timeline(views, start=date(2026, 1, 1), today=today).today_anchor

    assert anchor(date(2026, 1, 2)) == "start"
    assert anchor(date(2026, 7, 1)) == "middle"
    assert anchor(date(2026, 12, 30)) == "end"
