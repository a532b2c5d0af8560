"""Form helpers for the panel's admin templates."""

from django import template
from django.utils.text import capfirst

register = template.Library()


@register.simple_tag
def cell_widget(bound_field, inline_admin_form, verbose_name):
    """A tabular inline cell's widget, named for assistive technology: "Level, role requirement 2".

    In a table row the column heading is not a <label>, so without this every input, drop-down and
    "Delete?" box of an inline row has no accessible name (axe: label, select-name).
    """
    index = inline_admin_form.form.prefix.rsplit("-", 1)[-1]
    row = f"new {verbose_name}" if not index.isdigit() else f"{verbose_name} {int(index) + 1}"
    html = bound_field.as_widget(attrs={"aria-label": f"{capfirst(bound_field.label)}, {row}"})
    if bound_field.field.show_hidden_initial:
        html += bound_field.as_hidden(only_initial=True)
    return html
