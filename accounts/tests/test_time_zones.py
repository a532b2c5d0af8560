"""Dates and times are shown, and "today" is judged, in the logged-in person's own time zone."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from accounts.time_zones import SESSION_KEY
from assessments import services as assessment_services
from assessments.tests.factories import build_questionnaire
from plans.models import Milestone, Plan
from roles.tests.factories import build_catalog

pytestmark = pytest.mark.django_db

# 06:30 UTC on 5 March is 20:30 on 4 March in Honolulu (UTC-10) and 19:30 on 5 March in Auckland (UTC+13).
MOMENT = datetime(2026, 3, 5, 6, 30, tzinfo=UTC)


def submitted_result(user):
    catalog = build_catalog()
    build_questionnaire(skills=list(catalog.skills.values()))
    response = assessment_services.response_start(user=user)
    for section in response.version.sections.all():
        assessment_services.response_save_section(
            response=response, section=section, answers={item.pk: 3 for item in section.items.all()}
        )
    return assessment_services.response_submit(response=response)


def a_plan(user) -> Plan:
    return Plan.objects.create(
        user=user,
        target_slug="x",
        target_name="X",
        goal_slug="x",
        goal_name="X",
        generator_version="1.0",
        starts_on=date(2026, 1, 1),
        horizon_months=12,
    )


def test_logging_in_keeps_the_profiles_time_zone_in_the_session(client):
    user = UserFactory(profile__time_zone="Pacific/Auckland")

    client.force_login(user)

    assert client.session[SESSION_KEY] == "Pacific/Auckland"


def test_the_result_page_shows_when_it_was_submitted_in_the_persons_time_zone(client):
    user = UserFactory(profile__time_zone="Pacific/Auckland")
    with time_machine.travel(MOMENT, tick=False):
        result = submitted_result(user)
    client.force_login(user)

    page = client.get(result.get_absolute_url()).content.decode()

    assert "5 March 2026, 19:30 NZDT" in page  # not 06:30, the time in UTC


def test_saving_the_profile_switches_the_time_zone_at_once(client):
    user = UserFactory(profile__time_zone="UTC")
    with time_machine.travel(MOMENT, tick=False):
        result = submitted_result(user)
    client.force_login(user)
    form = client.get(reverse("accounts:profile")).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(time_zone="Pacific/Honolulu", certifications=[])

    client.post(reverse("accounts:profile"), data)

    assert client.session[SESSION_KEY] == "Pacific/Honolulu"
    assert "4 March 2026, 20:30 HST" in client.get(result.get_absolute_url()).content.decode()


def test_a_session_from_before_time_zones_were_kept_learns_the_zone_from_the_profile(client):
    user = UserFactory(profile__time_zone="Pacific/Auckland")
    with time_machine.travel(MOMENT, tick=False):
        result = submitted_result(user)
    client.force_login(user)
    session = client.session
    del session[SESSION_KEY]
    session.save()

    page = client.get(result.get_absolute_url()).content.decode()

    assert "5 March 2026, 19:30" in page
    assert client.session[SESSION_KEY] == "Pacific/Auckland"


def test_a_milestone_due_on_the_persons_today_is_not_in_the_past_although_utc_is_a_day_ahead(client):
    user = UserFactory(profile__time_zone="Pacific/Honolulu")
    plan = a_plan(user)
    milestone = Milestone.objects.create(plan=plan, title="Give a talk", due_date=date(2026, 6, 1))
    client.force_login(user)

    with time_machine.travel(MOMENT, tick=False):
        response = client.post(
            reverse("plans:milestone_edit", kwargs={"pk": milestone.pk}),
            {"title": "Give a talk", "due_date": "2026-03-04", "description": ""},
        )

    assert response.status_code == 302, response.context["form"].errors
    milestone.refresh_from_db()
    assert milestone.due_date == date(2026, 3, 4)


def test_the_plan_csv_gives_the_day_a_milestone_was_done_in_the_persons_time_zone(client):
    user = UserFactory(profile__time_zone="Pacific/Honolulu")
    plan = a_plan(user)
    Milestone.objects.create(
        plan=plan, title="Give a talk", due_date=date(2026, 6, 1), status="done", completed_at=MOMENT
    )
    client.force_login(user)

    rows = client.get(reverse("plans:csv", kwargs={"pk": plan.pk})).content.decode().splitlines()

    assert ",2026-03-04," in rows[1]  # done on the evening of 4 March in Honolulu (5 March in UTC)


def test_requests_do_not_leak_a_time_zone_into_the_next_one(client):
    client.force_login(UserFactory(profile__time_zone="Pacific/Auckland"))
    client.get(reverse("accounts:profile"))

    assert timezone.get_current_timezone_name() == "UTC"


def test_an_unknown_zone_in_an_old_session_falls_back_to_utc(client):
    user = UserFactory()
    Profile.objects.filter(user=user).update(time_zone="Mars/Olympus_Mons")
    client.force_login(user)

    assert client.get(reverse("accounts:profile")).status_code == 200
