"""careerpath.dates: calendar-month arithmetic shared by plans, reminders and the HR dashboard."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from careerpath.dates import add_months, month_length


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 3, 10), 0, date(2025, 3, 10)),
        (date(2025, 11, 15), 2, date(2026, 1, 15)),
        (date(2026, 5, 15), 12, date(2027, 5, 15)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2100, 1, 31), 1, date(2100, 2, 28)),  # not a leap year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # a leap year
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 30), -6, date(2026, 5, 30)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 1), -25, date(2023, 12, 1)),
        (date(2025, 2, 28), -12, date(2024, 2, 28)),
    ],
)
def test_add_months_goes_back_for_a_negative_count(day, months, expected):
    assert add_months(day, months) == expected


def test_add_months_says_so_outside_the_calendar():
    with pytest.raises(ValueError, match="outside the years"):
        add_months(date(9999, 12, 1), 1)
    with pytest.raises(ValueError, match="outside the years"):
        add_months(date(1, 1, 1), -1)


@pytest.mark.parametrize(("year", "month", "days"), [(2025, 2, 28), (2024, 2, 29), (1900, 2, 28), (2025, 12, 31)])
def test_month_length_counts_leap_years(year, month, days):
    assert month_length(year, month) == days


def _slow_add_months(day: date, months: int) -> date:
    """An independent oracle: step month by month, then try days from the start's day downward."""
    year, month = day.year, day.month
    for _ in range(abs(months)):
        if months > 0:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        else:
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    for candidate in range(day.day, 0, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has a first day")


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
counts = st.integers(min_value=-240, max_value=240)


@given(days, counts)
def test_add_months_agrees_with_stepping_month_by_month(day, months):
    assert add_months(day, months) == _slow_add_months(day, months)


@given(days, counts)
def test_add_months_lands_in_the_right_month_on_the_nearest_day(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == min(day.day, month_length(result.year, result.month))


@given(days, st.integers(min_value=0, max_value=240), st.integers(min_value=1, max_value=240))
def test_add_months_never_goes_back_for_a_larger_count(day, months, more):
    assert add_months(day, months) <= add_months(day, months + more)


@given(days, counts)
def test_going_there_and_back_never_overshoots(day, months):
    back = add_months(add_months(day, months), -months)
    assert day - timedelta(days=3) <= back <= day
