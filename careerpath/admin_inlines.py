"""Inline rows in the panel that cost no queries of their own.

Django's admin renders every inline row with its own queries: a row's title (`str()` of a row
that names its related objects), each autocomplete showing its current pick, and each plain
drop-down listing its choices. A role with twenty skill requirements and a few moves took
dozens of queries. `FewQueriesInlineMixin` removes them:

- the inline's rows come with their related objects (`select_related` of every foreign key);
- an autocomplete shows the pick already loaded with its row (`PreloadedAutocompleteSelect`);
- a plain drop-down of related rows is listed once per formset and shared by its rows.

A page then costs the same number of queries however many rows its inlines have.
"""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class CheckedAutocompleteMixin:
    """For an autocomplete that shows a bound form again without a 500 when a posted id is not an id.

    Django's autocomplete looks the posted values up to show them (`pk__in=[...]`) while the
    form is re-rendered with its errors, and a value that is not a number ("abc", "1.5")
    raised ValueError there: a 500 instead of the field's "Select a valid choice". Values
    the related field cannot hold are left out of that look-up; the form's own validation
    has refused them already, with its message.
    """

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [v for v in value if self._holds(v)], attr)

    def _holds(self, value) -> bool:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        try:
            target.to_python(value)
        except ValidationError:
            return False
        return True


class CheckedAutocompleteSelect(CheckedAutocompleteMixin, AutocompleteSelect):
    pass


class CheckedAutocompleteSelectMultiple(CheckedAutocompleteMixin, AutocompleteSelectMultiple):
    pass


CHECKED_AUTOCOMPLETES = {
    AutocompleteSelect: CheckedAutocompleteSelect,
    AutocompleteSelectMultiple: CheckedAutocompleteSelectMultiple,
}


def check_autocomplete(formfield):
    """Make a form field's Django autocomplete (if it has one) a checked one; returns the field."""
    if formfield is not None:
        widget = _inner(formfield.widget)
        checked = CHECKED_AUTOCOMPLETES.get(type(widget))
        if checked is not None:
            widget.__class__ = checked  # the same widget, built by Django's admin, with the check added
    return formfield


class PreloadedAutocompleteSelect(CheckedAutocompleteSelect):
    """An autocomplete that shows its current pick from `preloaded` ({pk as text: object}) without a query.

    Only when every selected value is there; anything else (a bound form re-shown with another
    pick) is looked up as Django does.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preloaded: dict[str, object] = {}

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not selected or not selected <= self.preloaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required:
            options.append(self.create_option(name, "", "", False, 0))
        label = self.choices.field.label_from_instance
        for key in sorted(selected):
            options.append(self.create_option(name, key, label(self.preloaded[key]), selected, len(options)))
        return [(None, options, 0)]


def _inner(widget):
    return getattr(widget, "widget", widget)  # the admin wraps related-field widgets for its + and ✎ links


class FewQueriesInlineFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        shared = self.__dict__.setdefault("_shared_choices", {})
        for name, field in form.fields.items():
            widget = _inner(field.widget)
            if isinstance(widget, PreloadedAutocompleteSelect):
                related = form.instance._meta.get_field(name)
                if form.instance.pk and related.is_cached(form.instance):
                    obj = related.get_cached_value(form.instance)
                    if obj is not None:
                        widget.preloaded = {str(obj.pk): obj}
            elif (
                isinstance(field, forms.ModelChoiceField)
                and type(widget) is forms.Select  # a drop-down: not hidden (the row's id), not an autocomplete
            ):
                if name not in shared:
                    # Iterated, not list(): list() asks the iterator its length first, one more query.
                    shared[name] = list(iter(field.choices))
                field.choices = shared[name]


class FewQueriesInlineMixin:
    """For an InlineModelAdmin: related objects loaded with the rows, autocompletes and drop-downs shared."""

    formset = FewQueriesInlineFormSet

    def get_queryset(self, request):
        related = [f.name for f in self.model._meta.concrete_fields if f.is_relation]
        return super().get_queryset(request).select_related(*related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
