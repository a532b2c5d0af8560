"""Valid input round-trips: what a person types into the profile and milestone forms is stored exactly.

The hostile side (every form and list, boundary values field by field) is the harness in
tests/security/test_forms_fuzz.py.
"""

import string
from datetime import timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import time_zone_choices
from accounts.models import Profile
from plans.models import Milestone

from .conftest import World

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def world(module_world, db) -> World:
    return module_world


# --- Valid data round-trips ---------------------------------------------------------

names = st.text(
    alphabet=st.characters(categories=("L", "M", "N", "P", "Zs"), exclude_characters="\x00"), max_size=150
).filter(lambda s: s == s.strip())


@FUZZ
@given(
    name=names,
    years=st.integers(min_value=0, max_value=70),
    education=st.sampled_from([choice for choice, _ in Profile.Education.choices]),
    time_zone=st.sampled_from([zone for zone, _ in time_zone_choices()]),
    lead=st.integers(min_value=1, max_value=60),
    reminders=st.booleans(),
)
def test_a_valid_profile_round_trips(world, name, years, education, time_zone, lead, reminders):
    data = {
        "name": name,
        "years_experience": str(years),
        "education": education,
        "time_zone": time_zone,
        "reminder_lead_days": str(lead),
    }
    if reminders:
        data["reminders_enabled"] = "on"

    response = world.client("engineer").post(reverse("accounts:profile"), data)

    assert response.status_code == 302
    profile = Profile.objects.select_related("user").get(user=world.engineer)
    assert profile.user.name == name
    assert (profile.years_experience, profile.education, profile.time_zone) == (years, education, time_zone)
    assert (profile.reminder_lead_days, profile.reminders_enabled) == (lead, reminders)


@FUZZ
@given(
    title=st.text(alphabet=string.ascii_letters + string.digits + " .,-'", min_size=1, max_size=200).filter(
        lambda s: s.strip() == s and s
    ),
    days=st.integers(min_value=1, max_value=300),
    note=st.text(alphabet=string.ascii_letters + " ", max_size=200),
)
def test_a_valid_milestone_edit_and_status_round_trip(world, title, days, note):
    from django.utils import timezone

    client = world.client("engineer")
    due = timezone.localdate() + timedelta(days=days)
    edit = client.post(
        reverse("plans:milestone_edit", kwargs={"pk": world.milestone.pk}),
        {"title": title, "due_date": due.isoformat(), "description": note},
    )
    status = client.post(
        reverse("plans:milestone_status", kwargs={"pk": world.milestone.pk}),
        {"status": "in_progress", "note": note, "evidence_url": ""},
    )

    assert edit.status_code == status.status_code == 302
    milestone = Milestone.objects.get(pk=world.milestone.pk)
    assert (milestone.title, milestone.due_date, milestone.description) == (title, due, note.strip())
    assert (milestone.status, milestone.note) == ("in_progress", note.strip())


@pytest.mark.parametrize("field", ["discipline", "current_role", "certifications"])
@pytest.mark.parametrize("value", ["9223372049999999999", "-9223372049999999999", "9223372036854775808"])
def test_an_id_beyond_what_the_database_holds_is_a_form_error_not_a_500(world, field, value):
    """Found by hypothesis: Django passes a posted id to the database, which overflows."""
    response = world.client("engineer").post(
        reverse("accounts:profile"),
        {"years_experience": "3", "education": "master", "time_zone": "UTC", field: value},
    )

    assert response.status_code == 200
    assert "from the list" in response.content.decode()
