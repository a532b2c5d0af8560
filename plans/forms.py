import json

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from careerpath.security import SingleLineTextMixin

from . import feasibility, services
from .models import COMMENT_MAX_LENGTH, EVIDENCE_NOTE_MAX_LENGTH, Milestone, Plan, PlanComment

MAX_MILESTONES = 200


def _max_length(name: str) -> int:
    """A milestone column's length, so a form field refuses what the database would (a DataError, a 500)."""
    return Milestone._meta.get_field(name).max_length


class DateInput(forms.DateInput):
    input_type = "date"


class PlanOptionsForm(SingleLineTextMixin, forms.Form):
    """The choices above the proposal: first goal and horizon."""

    goal = forms.SlugField(required=False, label="First goal")
    horizon = forms.IntegerField(
        required=False,
        min_value=3,
        max_value=120,
        label="Horizon (months)",
        help_text="How far ahead to plan. Leave empty to use the usual time along your path.",
        error_messages={
            "min_value": "Choose a horizon of at least 3 months.",
            "max_value": "Choose a horizon of at most 120 months (10 years).",
        },
    )


class MilestoneForm(SingleLineTextMixin, forms.Form):
    multi_line_fields = ("description", "actions")  # hidden copies of multi-line text

    title = forms.CharField(max_length=_max_length("title"))
    due_date = forms.DateField(widget=DateInput, error_messages={"invalid": "Enter a date like 2027-03-31."})
    description = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=Milestone.Kind.choices, initial=Milestone.Kind.CUSTOM, widget=forms.HiddenInput)
    subject_slug = forms.SlugField(
        required=False,
        max_length=_max_length("subject_slug"),
        widget=forms.HiddenInput,
        error_messages={
            "max_length": "A milestone's subject has at most %(limit_value)d characters; reload the page.",
            "invalid": "A milestone's subject was garbled; reload the page.",
        },
    )
    from_level = forms.IntegerField(required=False, min_value=1, max_value=5, widget=forms.HiddenInput)
    to_level = forms.IntegerField(required=False, min_value=1, max_value=5, widget=forms.HiddenInput)
    actions = forms.CharField(required=False, max_length=4000, widget=forms.HiddenInput)

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        services.validate_due_date(due, today=timezone.localdate())
        return due

    def clean_actions(self):
        raw = self.cleaned_data["actions"]
        if not raw:
            return []
        try:
            actions = json.loads(raw)
        except ValueError:
            raise ValidationError("The suggested actions were garbled; reload the page.") from None
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions) or len(actions) > 10:
            raise ValidationError("The suggested actions were garbled; reload the page.")
        return actions

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("from_level"), cleaned.get("to_level")
        if low is not None and high is not None and high <= low:
            raise ValidationError("A skill milestone must raise the level.")
        return cleaned

    def draft(self) -> services.MilestoneDraft:
        data = self.cleaned_data
        return services.MilestoneDraft(
            kind=data["kind"],
            title=data["title"],
            due_date=data["due_date"],
            description=data.get("description", ""),
            actions=tuple(data.get("actions") or ()),
            subject_slug=data.get("subject_slug") or "",
            from_level=data.get("from_level"),
            to_level=data.get("to_level"),
        )


class BaseMilestoneFormSet(forms.BaseFormSet):
    def __init__(self, *args, check: feasibility.Check | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check  # credential dates are checked when given (plans/feasibility.py)

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.has_changed() and not self._should_delete_form(f)]
        if not kept:
            raise ValidationError("Keep at least one milestone, or add your own.")
        if self.check is not None:
            self._check_credentials(kept)

    def _check_credentials(self, kept) -> None:
        """A credential can't be due before its prerequisites, its eligibility or its preparation time."""
        credentials = [
            f for f in kept if f.cleaned_data["kind"] == Milestone.Kind.CERTIFICATION and f.cleaned_data["subject_slug"]
        ]
        planned = {f.cleaned_data["subject_slug"]: f.cleaned_data["due_date"] for f in credentials}
        for form in credentials:
            why = self.check.refusal(form.cleaned_data["subject_slug"], form.cleaned_data["due_date"], planned=planned)
            if why:
                form.add_error("due_date", why)

    def drafts_in_order(self) -> list[services.MilestoneDraft]:
        return [form.draft() for form in self.ordered_forms]


MilestoneFormSet = forms.formset_factory(
    MilestoneForm,
    formset=BaseMilestoneFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=MAX_MILESTONES,
    validate_max=True,
    absolute_max=MAX_MILESTONES,
)


class MilestoneStatusForm(SingleLineTextMixin, forms.ModelForm):
    # Dropping or "not needed" has its own form, which asks why (MilestoneSetAsideForm).
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in services.WORKING_STATUSES])

    class Meta:
        model = Milestone
        fields = ["status", "note", "evidence_url"]
        labels = {"evidence_url": "Evidence link (optional)"}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class MilestoneEditForm(SingleLineTextMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_date", "description"]
        widgets = {"due_date": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, check: feasibility.Check | None = None, planned=None, **kwargs):
        super().__init__(*args, **kwargs)
        # With a check, a credential's new date is checked against the plan's other credentials (`planned`).
        self.check, self.planned = check, planned or {}

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if self.instance.pk and due == self.instance.due_date:
            return due  # an unchanged (possibly overdue) date is fine
        services.validate_due_date(due, today=timezone.localdate())
        slug = self.instance.subject_slug
        if self.check is not None and self.instance.kind == Milestone.Kind.CERTIFICATION and slug:
            why = self.check.refusal(slug, due, planned=self.planned) or self.check.dependants_refusal(
                slug, due, planned=self.planned
            )
            if why:
                raise ValidationError(why, code="infeasible")
        return due


class MilestoneAddForm(SingleLineTextMixin, forms.Form):
    title = forms.CharField(max_length=_max_length("title"))
    due_date = forms.DateField(widget=DateInput)
    description = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        services.validate_due_date(due, today=timezone.localdate())
        return due


class MilestoneSetAsideForm(SingleLineTextMixin, forms.Form):
    """Take a milestone out of the plan: dropped, or not needed with a reason."""

    status = forms.ChoiceField(
        label="Take it out of the plan as",
        choices=[(Milestone.Status.DROPPED, "Dropped"), (Milestone.Status.NOT_NEEDED, "Not needed")],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="Why",
        required=False,
        max_length=_max_length("set_aside_reason"),
        help_text="Required for “not needed”, e.g. “my degree already covers it”.",
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == Milestone.Status.NOT_NEEDED and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why it is not needed, so the plan's history explains it.")
        return cleaned


class CredentialDatesForm(forms.Form):
    """When the person earned each credential they hold: one optional date per credential."""

    def __init__(self, *args, held=(), today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.held = list(held)  # (certification, earned_on or None)
        for cert, earned_on in self.held:
            self.fields[self.field_name(cert)] = forms.DateField(
                label=cert.name,
                required=False,
                initial=earned_on,
                widget=DateInput,
                help_text=(
                    f"Renewed every {cert.renewal_months} months."
                    if cert.renewal_months
                    else "The catalog gives no fixed renewal cycle for it."
                ),
                error_messages={"invalid": "Enter a date like 2024-05-31."},
            )

    @staticmethod
    def field_name(cert) -> str:
        return f"earned_{cert.pk}"

    def clean(self):
        cleaned = super().clean()
        for cert, _ in self.held:
            day = cleaned.get(self.field_name(cert))
            if day is None:
                continue
            if day > self.today:
                self.add_error(self.field_name(cert), "The date you earned it can't be in the future.")
            elif day.year < 1950:
                self.add_error(self.field_name(cert), "Choose a date from 1950 on.")
        return cleaned

    def changed_dates(self):
        """(certification, earned_on) for each date given that differs from the one recorded."""
        return [
            (cert, self.cleaned_data[self.field_name(cert)])
            for cert, earned_on in self.held
            if self.cleaned_data.get(self.field_name(cert)) and self.cleaned_data[self.field_name(cert)] != earned_on
        ]


# --- Working on a plan with the manager ------------------------------------------------------------


class PlanCommentForm(forms.ModelForm):
    """A comment on a plan: several lines of text (services.plan_comment_add checks it again)."""

    body = forms.CharField(
        label="Your comment",
        max_length=COMMENT_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"At most {COMMENT_MAX_LENGTH} characters. The person and their manager both read the thread.",
    )

    class Meta:
        model = PlanComment
        fields = ["body"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        if services.MULTI_LINE_REFUSED.intersection(body):
            raise ValidationError(services.MULTI_LINE_CONTROL_MESSAGE, code="control_character")
        return body


class MilestoneEvidenceForm(SingleLineTextMixin, forms.ModelForm):
    """Evidence for a milestone: a web link and a note. The note is the card's note, which the card's
    status form posts back from a one-line input: a line break here would be lost there."""

    note = forms.CharField(
        label="Note",
        required=False,
        max_length=EVIDENCE_NOTE_MAX_LENGTH,
        help_text="One line: what you did and what the link shows, for your manager and for you later.",
    )

    class Meta:
        model = Milestone
        fields = ["evidence_url", "note"]
        labels = {"evidence_url": "Evidence link"}
        help_texts = {"evidence_url": "A web address (http:// or https://): a document, a pull request, a certificate."}


class PlanPrivacyForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["private_from_manager"]
        labels = {"private_from_manager": "Keep this plan private from my manager"}


class MilestoneConfirmForm(forms.Form):
    """The manager confirms a done milestone, or takes the confirmation back."""

    action = forms.ChoiceField(choices=[("confirm", "Confirm"), ("withdraw", "Take back")], widget=forms.HiddenInput)
