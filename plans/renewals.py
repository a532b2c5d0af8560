"""When a held credential is next due for renewal (pure).

A credential with a renewal cycle in the catalog (`Certification.renewal_months`) is renewed every
cycle counted from when the person earned it; the next renewal is the first of those dates that is
not in the past.
"""

from datetime import date

from careerpath.dates import add_months


def next_renewal(earned_on: date, months: int, *, today: date) -> date:
    """The first date earned_on + k cycles (k >= 1) that is today or later."""
    if months < 1:
        raise ValueError(f"A renewal cycle is at least one month, not {months!r}.")
    # Jump close first (an old earned date must not cost a loop per cycle), then step.
    cycles = max(1, ((today.year - earned_on.year) * 12 + today.month - earned_on.month) // months)
    due = add_months(earned_on, months * cycles)
    while due < today:
        cycles += 1
        due = add_months(earned_on, months * cycles)
    while cycles > 1 and add_months(earned_on, months * (cycles - 1)) >= today:
        cycles -= 1
        due = add_months(earned_on, months * cycles)
    return due
