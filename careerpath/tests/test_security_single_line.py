"""Single-line text refuses control and direction-override characters (careerpath.security)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from careerpath.security import CONTROL_CHARACTERS, SingleLineTextMixin, refuse_control_characters

REFUSED = [
    *(chr(code) for code in range(0x20)),
    *(chr(code) for code in range(0x7F, 0xA0)),
    "\u2028",
    "\u2029",
    *(chr(code) for code in range(0x202A, 0x202F)),
    *(chr(code) for code in range(0x2066, 0x206A)),
]


@pytest.mark.parametrize("character", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_each_control_and_override_character_is_refused(character):
    with pytest.raises(ValidationError) as error:
        refuse_control_characters(f"before{character}after")

    assert error.value.code == "control_character"


@pytest.mark.parametrize(
    "text", ["Ada Lovelace", "Zoë Brontë-Smith", "דוד בן־גוריון", "李小龙", "e\u0301", "a\u200db", "O’Brien"]
)
def test_ordinary_text_in_any_script_passes(text):
    refuse_control_characters(text)


def test_the_list_is_exactly_the_refused_characters():
    assert frozenset(REFUSED) == CONTROL_CHARACTERS


class Example(SingleLineTextMixin, forms.Form):
    title = forms.CharField()
    email = forms.EmailField(required=False)
    notes = forms.CharField(required=False, widget=forms.Textarea)
    copy = forms.CharField(required=False, widget=forms.HiddenInput)
    password = forms.CharField(required=False, widget=forms.PasswordInput)
    multi_line_fields = ("copy",)


def test_the_mixin_refuses_them_in_single_line_fields_only():
    form = Example(
        {"title": "a\r\nb", "email": "a\u202e@example.com", "notes": "a\r\nb", "copy": "a\nb", "password": "a\tb"}
    )

    assert set(form.errors) == {"title", "email"}
    assert "control character" in form.errors["title"][0]


SITE_APPS = ("accounts", "roles", "assessments", "plans", "hr")


def project_forms():
    """The site's form classes (the panel's are checked through the admin below)."""
    import importlib.util

    for app in SITE_APPS:
        if importlib.util.find_spec(f"{app}.forms"):
            importlib.import_module(f"{app}.forms")
    pending, found = [forms.BaseForm], []
    while pending:
        cls = pending.pop()
        pending += cls.__subclasses__()
        if cls.__module__.split(".")[0] in SITE_APPS and cls.__module__.endswith(".forms"):
            found.append(cls)
    return found


def test_every_site_form_with_a_single_line_text_field_refuses_control_characters():
    from careerpath.security import is_single_line

    forms_without = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in project_forms()
        if not issubclass(cls, SingleLineTextMixin) and any(is_single_line(field) for field in cls.base_fields.values())
    ]

    assert not forms_without, f"add careerpath.security.SingleLineTextMixin to {forms_without}"


@pytest.mark.django_db
def test_every_panel_form_refuses_control_characters(rf, admin_user):
    from django.contrib import admin

    request = rf.get("/")
    request.user = admin_user
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request, None)
        assert issubclass(form, SingleLineTextMixin), model._meta.label
        for formset, _ in model_admin.get_formsets_with_inlines(request, None):
            assert issubclass(formset.form, SingleLineTextMixin), f"{model._meta.label} inline {formset.model}"
