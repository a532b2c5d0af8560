"""Words for the advice on the result pages."""

from django import template

from assessments.scoring import DIMENSION_LABELS

register = template.Library()


@register.filter
def track_label(dimension: str) -> str:
    """The one name each track goes by everywhere: "technical" -> "Technical", "managerial" -> "Management"."""
    return DIMENSION_LABELS.get(dimension, dimension)
