"""Forms of HR's own panel pages."""

from django import forms

from accounts import selectors as account_selectors
from careerpath.security import SingleLineTextMixin
from scim.models import ScimToken

from . import imports


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
