import zoneinfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import EmailAuthenticationForm, ProfileForm, SignupForm, time_zone_choices
from accounts.selectors import profile_for

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "correct-horse-battery-42"


def test_signup_form_lower_cases_the_email():
    form = SignupForm(data={"email": "Ada@Example.COM", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "ada@example.com"


def test_signup_form_refuses_a_password_too_like_the_email():
    similar = "margaret.hamilton"
    form = SignupForm(data={"email": f"{similar}@example.com", "password1": similar, "password2": similar})

    assert not form.is_valid()
    assert "too similar" in " ".join(form.errors["password1"])


def test_signup_form_refuses_a_common_password():
    form = SignupForm(data={"email": "a@example.com", "password1": "password123", "password2": "password123"})

    assert not form.is_valid()
    assert "too common" in " ".join(form.errors["password1"])


def test_login_form_labels_the_username_field_email_and_uses_an_email_input():
    form = EmailAuthenticationForm()

    assert form.fields["username"].label == "Email"
    assert form.fields["username"].widget.input_type == "email"


def test_time_zone_choices_are_exactly_the_known_time_zones():
    assert {value for value, _ in time_zone_choices()} == zoneinfo.available_timezones()


def test_profile_form_offers_roles_grouped_by_track_in_ladder_order(user, catalog):
    form = ProfileForm(instance=profile_for(user))

    choices = list(form.fields["current_role"].choices)

    assert choices[0] == ("", "Not set")
    groups = {label: [str(option[1]) for option in options] for label, options in choices[1:]}
    assert groups == {
        "Technical track": ["Engineer", "Senior engineer"],
        "Management track": ["Engineering manager"],
    }


def test_profile_form_accepts_a_complete_valid_profile(user, catalog):
    form = ProfileForm(
        instance=profile_for(user),
        data={
            "name": "Grace",
            "discipline": catalog["software"].pk,
            "current_role": catalog["manager"].pk,
            "years_experience": "70",
            "education": "doctorate",
            "time_zone": "America/Argentina/Buenos_Aires",
        },
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["current_role"] == catalog["manager"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    years=st.one_of(st.integers(-1000, 1000).map(str), st.text(max_size=12)),
    time_zone=st.text(max_size=40),
    role=st.one_of(st.integers(-5, 10**12).map(str), st.text(max_size=12)),
)
def test_profile_form_never_crashes_and_only_accepts_sane_values(user, years, time_zone, role):
    form = ProfileForm(
        instance=profile_for(user),
        data={"years_experience": years, "time_zone": time_zone, "current_role": role, "education": "none"},
    )

    if form.is_valid():
        assert 0 <= form.cleaned_data["years_experience"] <= 70
        assert form.cleaned_data["time_zone"] in zoneinfo.available_timezones()
        assert form.cleaned_data["current_role"] is None
