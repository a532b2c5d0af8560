"""The dashboard's charts: labels with room of their own, and sizes in pixels that no screen shrinks."""

from hr import charts


def test_a_bar_label_has_its_own_line_above_its_bar():
    chart = charts.stacked_bars(
        [("Mechanical Engineering Manager", [1, 0]), ("Senior", [0, 2])], ["Ready now", "Within 12 months"]
    )

    for row in chart.rows:
        assert row.label_y <= row.y  # the baseline sits on the bar's top edge or above it
        assert all(segment.x >= 0 for segment in row.segments)
    first, second = chart.rows
    assert first.y + chart.bar_height < second.label_y - chart.font_size  # the next label clears the bar
    assert chart.height >= second.y + chart.bar_height


def test_the_longest_bar_leaves_room_for_its_total_and_bars_scale_to_it():
    chart = charts.stacked_bars([("A", [3, 1]), ("B", [2, 0])], ["x", "y"])

    a, b = chart.rows
    assert a.total_x == 100 - charts.TOTAL_ROOM_PERCENT
    assert b.total_x == (100 - charts.TOTAL_ROOM_PERCENT) * 2 / 4
    assert [s.value for s in a.segments] == [3, 1] and a.segments[1].x == a.segments[0].width


def test_a_very_long_label_is_cut_to_what_a_phone_holds():
    chart = charts.stacked_bars([("A" * 200, [1])], ["Engineers"])

    assert chart.label_chars * 7 <= 340  # about 7 px a character at 12 px, in a phone-wide chart


def test_month_labels_go_under_their_columns_a_word_a_line():
    chart = charts.grouped_columns([("Jan 26", [1, 2]), ("Feb 26", [0, 0])], ["Completed", "Overdue"])

    jan, feb = chart.groups
    assert [word for word, _ in jan.lines] == ["Jan", "26"]
    assert all(y > chart.baseline for _, y in jan.lines) and jan.lines[1][1] <= chart.height
    assert jan.label_x == 25 and feb.label_x == 75  # per cent of the width
    assert all(c.x >= 0 and c.x + c.width <= 50 for c in jan.columns)
