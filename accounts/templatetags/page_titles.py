"""allauth's page titles in the site's <title>: its templates spread them over lines."""

from django import template

register = template.Library()


@register.filter
def one_line(value: str) -> str:
    """The text with every run of white space (line breaks too) made one space, and trimmed."""
    return " ".join(str(value).split())
