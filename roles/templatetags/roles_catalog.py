"""Template helpers for the catalog pages: money, year ranges and the skill level meter."""

from django import template

from roles.models import LEVEL_MAX, LEVEL_MIN

register = template.Library()

CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "INR": "₹", "JPY": "¥"}


@register.filter
def money(amount: int | None, currency: str) -> str:
    """`150000|money:"USD"` → "$150,000"; currencies without a symbol here keep their code: "CHF 150,000"."""
    if amount is None:
        return ""
    code = (currency or "").upper()
    symbol = CURRENCY_SYMBOLS.get(code)
    return f"{symbol}{amount:,}" if symbol else f"{code} {amount:,}".strip()


@register.simple_tag
def years_range(years_min: int, years_max: int | None) -> str:
    """ "2–4 years", "3 years", "1 year", "10+ years"."""
    if years_max is None:
        return f"{years_min}+ years"
    if years_min == years_max:
        return f"{years_min} year" if years_min == 1 else f"{years_min} years"
    return f"{years_min}–{years_max} years"


@register.simple_tag
def skill_level_text(skill, level: int) -> str:
    """What the skill looks like at `level`, from the skill's own descriptors."""
    if not LEVEL_MIN <= level <= LEVEL_MAX:
        return ""
    return getattr(skill, f"level_{level}")


@register.inclusion_tag("roles/_level_meter.html")
def level_meter(level: int | None, label: str = "") -> dict:
    """A row of five dots, `level` of them filled, with the level as text for everyone."""
    return {
        "level": level,
        "label": label,
        "dots": [level is not None and n <= level for n in range(LEVEL_MIN, LEVEL_MAX + 1)],
        "max": LEVEL_MAX,
    }


@register.filter
def salary_range(figure) -> str:
    """The low/high part of a pay figure: "$120,000–$190,000", "from $90,000", "up to $200,000" or ""."""
    low, high = money(figure.low, figure.currency), money(figure.high, figure.currency)
    if low and high:
        return f"{low}–{high}"
    if low:
        return f"from {low}"
    if high:
        return f"up to {high}"
    return ""
