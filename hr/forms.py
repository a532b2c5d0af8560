"""Forms of HR's own panel pages."""

from django import forms
from django.core.validators import slug_re

from accounts import selectors as account_selectors
from careerpath.security import SingleLineTextMixin
from scim.models import ScimToken

from . import imports
from . import selectors as hr_selectors


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file from your HR system",
        help_text=(
            "A header row, then one row per person. Columns: email (required), name, manager email, discipline, "
            "current role, start date (YYYY-MM-DD)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imports.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {imports.MAX_BYTES // 1_000_000} MB; split it into smaller files."
            )
        try:
            return imports.decode(upload.read())
        except imports.ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None


class PeopleImportApplyForm(SingleLineTextMixin, forms.Form):
    """Apply the file previewed in this session: its digest proves it is the one the preview showed."""

    digest = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)


class ApiTokenForm(SingleLineTextMixin, forms.Form):
    """A new API token for an integration: what it is, what it may do, and whose access it carries."""

    name = forms.CharField(max_length=100, help_text="What the integration is, e.g. “HR system sync”.")
    scope = forms.ChoiceField(
        choices=[("read", "Read only"), ("write", "Read and write (the catalog, for HR accounts)")],
        initial="read",
        widget=forms.RadioSelect,
    )
    acts_as = forms.EmailField(
        label="Acts as (email)",
        max_length=254,
        required=False,
        help_text="The account whose access the token carries; empty for your own. Never a superuser's.",
    )

    def clean_acts_as(self):
        email = self.cleaned_data["acts_as"]
        if not email:
            return None
        user = account_selectors.user_by_email(email)
        if user is None or not user.is_active:
            raise forms.ValidationError("No active account has that email address.")
        if user.is_superuser:
            raise forms.ValidationError("A token never acts as a superuser: choose another account.")
        return user


class ScimTokenForm(SingleLineTextMixin, forms.ModelForm):
    """A new SCIM token: only its name is asked; the secret is made by scim.services.scim_token_create."""

    class Meta:
        model = ScimToken
        fields = ["name"]
        labels = {"name": "What uses it"}
        help_texts = {"name": "The identity provider or integration, e.g. “Okta” or “Microsoft Entra ID”."}


YES_NO = [("", "Any"), ("yes", "Yes"), ("no", "No")]
SEARCH_MAX_LENGTH = 200


class TargetRoleField(forms.ChoiceField):
    """The roles active plans aim at; any other slug is kept too (the choices are cached for as long as the
    dashboard's figures, whose links may name a role first aimed at since)."""

    def valid_value(self, value):
        return super().valid_value(value) or (len(value) <= 100 and slug_re.fullmatch(value) is not None)


def _yes_no(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        error_messages={"invalid_choice": "Choose yes, no or any; “%(value)s” was ignored."},
    )


class PeopleFilterForm(SingleLineTextMixin, forms.Form):
    """The people page's search, filters and sort, bound to its query string (a GET form).

    A field whose value can't be used is reported beside the field and left out of the filters,
    so the page still lists people (`filters()`)."""

    q = forms.CharField(
        label="Search",
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        help_text="Name or email",
        error_messages={"max_length": "Search for at most %(limit_value)d characters; the search was ignored."},
    )
    discipline = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "There is no such discipline; the discipline filter was ignored."},
    )
    role = forms.ChoiceField(
        label="Current role",
        required=False,
        error_messages={"invalid_choice": "There is no such role; the role filter was ignored."},
    )
    manager = forms.CharField(
        label="Manager",
        max_length=254,
        required=False,
        help_text="Their email, or “none”",
        error_messages={"max_length": "An email address has at most %(limit_value)d characters; ignored."},
    )
    plan = _yes_no("Active plan")
    result = _yes_no("Self-assessed")
    fit = forms.ChoiceField(
        label="Best fit (latest result)",
        required=False,
        error_messages={"invalid_choice": "There is no such track; the best-fit filter was ignored."},
    )
    target = TargetRoleField(
        label="Plan's target role",
        required=False,
        error_messages={"invalid_choice": "No active plan aims at that role; the target filter was ignored."},
    )
    readiness = forms.ChoiceField(
        label="Readiness for the target",
        choices=[("", "Any readiness"), *hr_selectors.BUCKETS.items()],
        required=False,
        error_messages={"invalid_choice": "There is no such readiness; the readiness filter was ignored."},
    )
    active = forms.ChoiceField(
        label="Accounts",
        choices=[("yes", "Active"), ("no", "Deactivated")],
        required=False,
        error_messages={"invalid_choice": "Choose active or deactivated accounts; “%(value)s” was ignored."},
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(f"{sign}{key}", key) for key in hr_selectors.PEOPLE_SORTS for sign in ("", "-")],
        error_messages={"invalid_choice": "The list can't be sorted that way; it is sorted by name."},
    )

    def __init__(self, *args, disciplines, roles, fits, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self._disciplines = {str(d.pk): d for d in disciplines}
        self._roles = {str(r.pk): r for r in roles}
        none = hr_selectors.NONE
        self.fields["discipline"].choices = [
            ("", "All disciplines"),
            *((pk, d.name) for pk, d in self._disciplines.items()),
            (none, "No discipline"),
        ]
        self.fields["role"].choices = [
            ("", "All roles"),
            *((pk, r.name) for pk, r in self._roles.items()),
            (none, "No current role"),
        ]
        self.fields["fit"].choices = [("", "Any track"), *fits, (none, "Not assessed")]
        self.fields["target"].choices = [("", "Any target"), *targets]

    def clean_discipline(self):
        value = self.cleaned_data["discipline"]
        return value if value in ("", hr_selectors.NONE) else self._disciplines[value]

    def clean_role(self):
        value = self.cleaned_data["role"]
        return value if value in ("", hr_selectors.NONE) else self._roles[value]

    def clean_manager(self):
        value = self.cleaned_data["manager"].strip()
        if value.lower() in ("", hr_selectors.NONE):
            return value.lower()
        manager = hr_selectors.manager_by_email_or_id(value)
        if manager is None:
            raise forms.ValidationError("Nobody in careerpath has that email address; the manager filter was ignored.")
        return manager

    def filters(self) -> hr_selectors.PeopleFilters:
        """The filters to apply: the valid fields' values (call after is_valid(), or on an unbound form)."""
        data = self.cleaned_data if self.is_bound else {}

        def chosen(name):
            return data.get(name) or None

        def yes_no(name):
            return {"yes": True, "no": False}.get(data.get(name, ""))

        return hr_selectors.PeopleFilters(
            search=data.get("q", ""),
            discipline=chosen("discipline"),
            role=chosen("role"),
            manager=chosen("manager"),
            has_plan=yes_no("plan"),
            has_result=yes_no("result"),
            fit=chosen("fit"),
            target=chosen("target"),
            readiness=chosen("readiness"),
            active=data.get("active") != "no",
            sort=data.get("sort") or "name",
        )
