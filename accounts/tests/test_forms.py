import zoneinfo

import pytest
from allauth.account.forms import LoginForm, SignupForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import ProfileForm, time_zone_choices
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


def test_signup_form_asks_for_the_optional_name_too():
    form = SignupForm(data={"email": "a@example.com", "password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})

    assert form.is_valid(), form.errors
    assert not form.fields["name"].required


def test_login_form_labels_the_login_field_email_and_uses_an_email_input():
    form = LoginForm()

    assert form.fields["login"].label == "Email"
    assert form.fields["login"].widget.input_type == "email"


def test_time_zone_choices_are_real_places_and_utc_only():
    offered = {value for value, _ in time_zone_choices()}

    assert {"Europe/Berlin", "America/Sao_Paulo", "Asia/Kolkata", "Pacific/Tongatapu", "UTC"} <= offered
    assert offered <= zoneinfo.available_timezones()
    for not_a_place in ("Factory", "localtime", "posixrules", "US/Eastern", "GB", "Japan", "EST5EDT", "Etc/GMT+5"):
        assert not_a_place not in offered
    assert len(offered) > 300  # every inhabited zone, not a short list


def test_a_profile_still_on_the_default_zone_shows_the_field_blank_for_the_browser_to_fill(user):
    form = ProfileForm(instance=profile_for(user))

    assert form["time_zone"].value() == ""
    assert form.fields["time_zone"].choices[0] == ("", "Choose your time zone")
    assert "data-browser-time-zone" in str(form["time_zone"])


def test_a_chosen_zone_is_shown_as_chosen(user):
    profile = profile_for(user)
    profile.time_zone = "Europe/Berlin"

    form = ProfileForm(instance=profile)

    assert form["time_zone"].value() == "Europe/Berlin"
    assert ("", "Choose your time zone") not in form.fields["time_zone"].choices


def test_saving_with_the_zone_left_blank_keeps_the_profiles_zone(user):
    profile = profile_for(user)
    form = ProfileForm(instance=profile, data={**_profile_data(profile), "time_zone": ""})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["time_zone"] == "UTC"


def test_an_alias_stored_before_the_list_was_narrowed_stays_selectable(user):
    profile = profile_for(user)
    profile.time_zone = "US/Eastern"

    form = ProfileForm(instance=profile, data={**_profile_data(profile), "time_zone": "US/Eastern"})

    assert form.is_valid(), form.errors
    assert ProfileForm(data={**_profile_data(profile), "time_zone": "US/Eastern"}).errors["time_zone"]


def test_a_zone_outside_the_list_is_refused_with_a_message(user):
    profile = profile_for(user)

    form = ProfileForm(instance=profile, data={**_profile_data(profile), "time_zone": "Factory"})

    assert not form.is_valid()
    assert "Choose a time zone from the list" in form.errors["time_zone"][0]


def _profile_data(profile) -> dict:
    return {
        "name": "",
        "years_experience": "3",
        "direct_reports": "0",
        "goal_direction": "",
        "education": profile.education,
    }


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
