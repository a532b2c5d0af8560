"""Calendar-month arithmetic, shared by the plan generator, the reminder rules and the HR dashboard."""

from calendar import monthrange
from datetime import date


def month_length(year: int, month: int) -> int:
    """How many days `month` (1-12) of `year` has, leap years included."""
    return monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (earlier when negative), or that month's last
    day when it is shorter: 31 January + 1 is 28 February (29th in a leap year), 29 February + 12
    is 28 February. Raises ValueError outside the years `date` can hold."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ValueError(f"{months} months from {day.isoformat()} is outside the years 1-9999")
    return date(year, month, min(day.day, month_length(year, month)))
