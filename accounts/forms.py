"""Forms for the sign-up's extra field, the profile and account deletion. They validate; services write."""

import functools
import itertools

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from accounts import selectors, time_zones
from accounts.models import Profile
from accounts.services import (
    DIRECT_REPORTS_MAX,
    DIRECT_REPORTS_MESSAGE,
    YEARS_EXPERIENCE_MAX,
    YEARS_EXPERIENCE_MESSAGE,
    YEARS_EXPERIENCE_MIN,
)
from careerpath.security import BoundedModelChoiceField, BoundedModelMultipleChoiceField, SingleLineTextMixin

# A region no credential names: regional credentials are then not suggested.
OTHER_REGION = "elsewhere"

# Matches the profile_reminder_lead_1_60 constraint.
REMINDER_LEAD_MIN, REMINDER_LEAD_MAX = 1, 60
REMINDER_LEAD_MESSAGE = f"Enter a whole number of days between {REMINDER_LEAD_MIN} and {REMINDER_LEAD_MAX}."


BLANK_ZONE_LABEL = "Choose your time zone"


@functools.cache
def time_zone_choices() -> list[tuple[str, str]]:
    """The zones people live in (accounts/time_zones.py), alphabetically, with readable labels."""
    return [(name, name.replace("_", " ")) for name in time_zones.selectable_zones()]


class SignupExtraForm(SingleLineTextMixin, forms.Form):
    """What careerpath's sign-up asks beside allauth's email and passwords (ACCOUNT_SIGNUP_FORM_CLASS)."""

    name = forms.CharField(
        label="Full name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text="Optional. Shown on your profile and your plans.",
    )

    def signup(self, request, user) -> None:
        """allauth calls this once the account is saved; the name was saved with it (accounts/adapter.py)."""


class RoleChoiceIterator(ModelChoiceIterator):
    """Roles as <optgroup>s, one per track, in ladder order."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for track, roles in itertools.groupby(self.queryset, key=lambda role: role.track):
            yield (track.name, [self.choice(role) for role in roles])


class RoleChoiceField(BoundedModelChoiceField):
    iterator = RoleChoiceIterator


def region_choices() -> list[tuple[str, str]]:
    """Not said, the regions the catalog's credentials are awarded in, and elsewhere."""
    regions = [(region, region) for region in selectors.credential_regions()]
    return [("", "Not said"), *regions, (OTHER_REGION, "Somewhere else")]


class ProfileForm(SingleLineTextMixin, forms.ModelForm):
    name = forms.CharField(
        label="Full name",
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    discipline = BoundedModelChoiceField(
        queryset=selectors.discipline_choices(),
        required=False,
        empty_label="Not set",
        help_text="The engineering field you work in.",
        error_messages={"invalid_choice": "Choose a discipline from the list."},
    )
    current_role = RoleChoiceField(
        queryset=selectors.role_choices(),
        required=False,
        empty_label="Not set",
        label="Current role",
        help_text="The role closest to what you do today, grouped by career track.",
        error_messages={"invalid_choice": "Choose a role from the list."},
    )
    years_experience = forms.IntegerField(
        label="Years of professional experience",
        min_value=YEARS_EXPERIENCE_MIN,
        max_value=YEARS_EXPERIENCE_MAX,
        error_messages={
            "required": YEARS_EXPERIENCE_MESSAGE,
            "invalid": YEARS_EXPERIENCE_MESSAGE,
            "min_value": YEARS_EXPERIENCE_MESSAGE,
            "max_value": YEARS_EXPERIENCE_MESSAGE,
        },
    )
    direct_reports = forms.IntegerField(
        label="People who report to you directly",
        min_value=0,
        max_value=DIRECT_REPORTS_MAX,
        required=False,
        help_text="0 if nobody does. It helps place you when no current role is set.",
        error_messages={
            "required": DIRECT_REPORTS_MESSAGE,
            "invalid": DIRECT_REPORTS_MESSAGE,
            "min_value": DIRECT_REPORTS_MESSAGE,
            "max_value": DIRECT_REPORTS_MESSAGE,
        },
    )
    region = forms.ChoiceField(
        label="Where do you work?",
        required=False,
        help_text="Some credentials, such as the PE licence, are awarded in one country only.",
        error_messages={"invalid_choice": "Choose where you work from the list."},
    )
    goal_direction = forms.ChoiceField(
        label="Which direction do you want to go next?",
        choices=Profile.GoalDirection.choices,
        required=False,
        help_text="Your result orders roles on this track first among close matches; it never hides the others.",
        error_messages={"invalid_choice": "Choose a direction from the list."},
    )
    goal_role = RoleChoiceField(
        queryset=selectors.role_choices(),
        required=False,
        empty_label="Not sure yet",
        label="Role you want next",
        help_text="Optional. Your result puts it, and the steps toward it, first.",
        error_messages={"invalid_choice": "Choose a role from the list."},
    )
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=time_zone_choices,
        required=False,
        help_text="Used for the dates of your plan and its reminders.",
        error_messages={"invalid_choice": "Choose a time zone from the list (for example Europe/Berlin)."},
        # static/js/time_zone.js preselects the browser's zone while the field is blank.
        widget=forms.Select(attrs={"data-browser-time-zone": ""}),
    )

    certifications = BoundedModelMultipleChoiceField(
        queryset=selectors.certification_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Certifications, licences and degrees you hold",
        help_text="Tick what you already have, so your plans don't suggest it again.",
        error_messages={"invalid_choice": "Choose certifications from the list."},
    )
    reminders_enabled = forms.BooleanField(
        label="Email me reminders about my plan",
        required=False,
        help_text="Before a milestone is due, when one is overdue, and when it's time to re-assess.",
    )
    reminder_lead_days = forms.IntegerField(
        label="Days of notice before a milestone is due",
        min_value=REMINDER_LEAD_MIN,
        max_value=REMINDER_LEAD_MAX,
        required=False,
        help_text=f"Between {REMINDER_LEAD_MIN} and {REMINDER_LEAD_MAX} days. Left empty, it stays as it was.",
        error_messages={
            "invalid": REMINDER_LEAD_MESSAGE,
            "min_value": REMINDER_LEAD_MESSAGE,
            "max_value": REMINDER_LEAD_MESSAGE,
        },
    )
    weekly_digest = forms.BooleanField(
        label="Send one weekly digest on Mondays instead of single reminders",
        required=False,
    )

    REMINDER_FIELDS = ("reminders_enabled", "reminder_lead_days", "weekly_digest")

    class Meta:
        model = Profile
        fields = [
            "name",
            "discipline",
            "current_role",
            "years_experience",
            "direct_reports",
            "region",
            "goal_direction",
            "goal_role",
            "education",
            "time_zone",
            "certifications",
            "reminders_enabled",
            "reminder_lead_days",
            "weekly_digest",
        ]
        labels = {"education": "Highest education"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = region_choices()  # one query, however often the choices are read
        stored = self.instance.time_zone
        if stored == time_zones.DEFAULT_ZONE:
            # Never chosen (or chosen as UTC, which the list still offers): blank, so the browser's zone is proposed.
            self.fields["time_zone"].choices = [("", BLANK_ZONE_LABEL), *time_zone_choices()]
            self.initial["time_zone"] = ""
        elif stored and stored not in time_zones.selectable_zones():
            # An old alias stored before the list was narrowed stays selectable for this person.
            self.fields["time_zone"].choices = [(stored, stored.replace("_", " ")), *time_zone_choices()]
        if self.instance.pk and "name" not in self.initial:
            self.initial["name"] = self.instance.user.name

    def clean_direct_reports(self) -> int:
        value = self.cleaned_data.get("direct_reports")
        return self.instance.direct_reports if value is None else value

    def clean_goal_direction(self) -> str:
        return self.cleaned_data.get("goal_direction") or self.instance.goal_direction

    def clean_time_zone(self) -> str:
        return self.cleaned_data.get("time_zone") or self.instance.time_zone or time_zones.DEFAULT_ZONE

    def clean_reminder_lead_days(self) -> int:
        value = self.cleaned_data.get("reminder_lead_days")
        return self.instance.reminder_lead_days if value is None else value


class AccountDeleteForm(forms.Form):
    """Erasing an account asks for the password again: a borrowed, unlocked laptop is not enough."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label="I understand that my profile, self-assessments, results and plans are erased for good",
        error_messages={"required": "Tick the box to confirm that everything is to be erased."},
    )

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        # Through authenticate(), so wrong passwords count towards the log-in lock-out too.
        password = self.cleaned_data["password"]
        user = authenticate(self.request, username=self.request.user.email, password=password)
        if user is None or user.pk != self.request.user.pk:
            raise ValidationError("That is not your password. Nothing was erased.", code="wrong_password")
        return password
