"""Bad input: every form, posted with arbitrary values, never answers 500; valid values round-trip.

The test client re-raises any exception a view lets escape, so "never a 500" is checked
by the request itself completing, and the status code is checked too.
"""

import string
from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.forms import time_zone_choices
from accounts.models import Profile, User
from assessments.forms import field_name
from plans.models import Milestone

from .conftest import World

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Anything a browser or a script could send as a form value.
junk = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=string.digits + "-+.eE ", max_size=12),
    st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "1e309", "NaN", "\x00", "<script>", "2024-02-30"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(date.isoformat),
)


def fields(*names: str):
    return st.fixed_dictionaries({}, optional=dict.fromkeys(names, junk))


@pytest.fixture
def world(module_world, db) -> World:
    return module_world


def assert_handled(response):
    assert response.status_code < 500
    assert response.status_code in {200, 302, 400, 404, 429}


SIGNUP = ("email", "name", "password1", "password2")
PROFILE = (
    "name",
    "discipline",
    "current_role",
    "years_experience",
    "education",
    "time_zone",
    "certifications",
    "reminders_enabled",
    "reminder_lead_days",
    "weekly_digest",
)


@FUZZ
@given(data=fields(*SIGNUP))
def test_sign_up_survives_any_input(world, data):
    assert_handled(world.client("anonymous").post(reverse("accounts:signup"), data))


@FUZZ
@given(data=fields("username", "password"))
def test_log_in_survives_any_input(world, data):
    assert_handled(world.client("anonymous").post(reverse("accounts:login"), data))


@FUZZ
@given(data=fields(*PROFILE))
def test_the_profile_form_survives_any_input(world, data):
    assert_handled(world.client("engineer").post(reverse("accounts:profile"), data))


@FUZZ
@given(data=fields("password", "confirm"))
def test_the_delete_form_survives_any_input_and_never_deletes_without_the_password(world, data):
    assert_handled(world.client("other").post(reverse("accounts:delete"), data))
    assert User.objects.filter(pk=world.other.pk).exists()


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["action", "answer_1", "answer_2", "answer_999", "x"]), junk, max_size=5))
def test_a_questionnaire_section_survives_any_input(world, data):
    client = world.client("engineer")
    sections = list(world.response.version.sections.order_by("order"))
    # Use the real answer field names too.
    items = list(sections[0].items.order_by("order"))
    real = {field_name(item): value for item, value in zip(items, data.values(), strict=False)}
    url = reverse("assessments:section", kwargs={"pk": world.response.pk, "order": sections[0].order})
    assert_handled(client.post(url, {**data, **real}))


@FUZZ
@given(data=fields("title", "due_date", "description"))
def test_milestone_edit_survives_any_input(world, data):
    url = reverse("plans:milestone_edit", kwargs={"pk": world.milestone.pk})
    assert_handled(world.client("engineer").post(url, data))


@FUZZ
@given(data=fields("status", "note", "evidence_url"))
def test_milestone_status_survives_any_input(world, data):
    url = reverse("plans:milestone_status", kwargs={"pk": world.milestone.pk})
    assert_handled(world.client("engineer").post(url, data))


@FUZZ
@given(data=fields("title", "due_date", "description", "kind", "subject_slug"))
def test_milestone_add_survives_any_input(world, data):
    url = reverse("plans:milestone_add", kwargs={"pk": world.plan.pk})
    assert_handled(world.client("engineer").post(url, data))


PROPOSAL_FIELDS = [
    *("result", "target", "goal", "horizon", "m-TOTAL_FORMS", "m-INITIAL_FORMS", "m-0-title", "m-0-due_date"),
    *("m-0-kind", "m-0-actions", "m-0-ORDER", "m-0-DELETE", "m-0-to_level", "m-0-from_level"),
]


@FUZZ
@given(
    data=st.dictionaries(
        st.sampled_from(PROPOSAL_FIELDS),
        junk,
        max_size=10,
    )
)
def test_the_plan_proposal_survives_any_input(world, data):
    assert_handled(world.client("engineer").post(reverse("plans:create"), data))
    assert_handled(world.client("engineer").get(reverse("plans:create"), data))


@FUZZ
@given(token=st.text(alphabet=string.ascii_letters + string.digits + ":-_.", min_size=1, max_size=250))
def test_unsubscribe_survives_any_token(world, token):
    client = world.client("anonymous")
    url = reverse("reminders:unsubscribe", kwargs={"token": token})
    assert_handled(client.get(url))
    assert_handled(client.post(url))


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["a", "b", "target", "page", "q", "track"]), junk, max_size=4))
def test_pages_with_query_parameters_survive_any_input(world, params):
    client = world.client("engineer")
    for url in (
        reverse("assessments:compare"),
        reverse("assessments:result", kwargs={"pk": world.result.pk}),
        reverse("assessments:home"),
        reverse("roles:compare"),
        reverse("roles:list"),
    ):
        assert_handled(client.get(url, params))
    hr = world.client("hr")
    for url in (reverse("hr:dashboard"), reverse("admin:hr_person_changelist")):
        assert_handled(hr.get(url, params))


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
