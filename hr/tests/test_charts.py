"""The dashboard's bar charts leave room for their labels."""

from hr import charts


def test_the_label_column_is_as_wide_as_the_longest_label_needs():
    chart = charts.stacked_bars(
        [("Mechanical Engineering Manager", [1, 0]), ("Senior", [0, 2])], ["Ready now", "Within 12 months"]
    )

    needed = len("Mechanical Engineering Manager") * charts.LABEL_CHAR_PX
    assert chart.label_width >= needed + charts.LABEL_MARGIN // 2
    assert chart.label_chars >= len("Mechanical Engineering Manager")
    assert all(segment.x >= chart.label_width for row in chart.rows for segment in row.segments)
    assert all(row.total_x <= chart.width for row in chart.rows)


def test_short_labels_leave_more_room_for_the_bars():
    short = charts.stacked_bars([("Software", [3])], ["Engineers"])
    long = charts.stacked_bars([("Mechanical Engineering Manager", [3])], ["Engineers"])

    assert short.label_width < long.label_width
    assert short.rows[0].segments[0].width > long.rows[0].segments[0].width


def test_a_very_long_label_is_cut_to_the_widest_label_column():
    chart = charts.stacked_bars([("A" * 200, [1])], ["Engineers"])

    assert chart.label_width == charts.LABEL_WIDTH_MAX
    assert chart.label_chars * charts.LABEL_CHAR_PX + charts.LABEL_MARGIN <= chart.label_width
