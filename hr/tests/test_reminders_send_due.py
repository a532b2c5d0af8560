"""HR's "Send the due reminders now": a POST button on the reminder log, HR only, one service call, a count."""

from datetime import UTC, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from reminders.models import Reminder, ReminderPolicy
from reminders.tests.reminder_fixtures import person, plan_for

pytestmark = pytest.mark.django_db

SEND_DUE = reverse("hr:reminders_send_due")
CHANGELIST = reverse("admin:reminders_reminder_changelist")


@pytest.fixture
def window_open_now(db):
    """The send window starts this hour (UTC people are inside it now)."""
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"send_hour": timezone.now().astimezone(UTC).hour})


def due_in(days: int, **person_fields):
    engineer = person(tz="UTC", lead=7, **person_fields)
    today = timezone.now().astimezone(UTC).date()
    plan_for(engineer, today + timedelta(days=days), starts_on=today)
    return engineer


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_reminder_log_has_the_button_for_hr(hr_client):
    html = hr_client.get(CHANGELIST).content.decode()

    assert f'action="{SEND_DUE}"' in html
    assert "Send the due reminders now" in html


def test_pressing_it_sends_what_is_due_and_says_how_many(
    hr_client, window_open_now, django_capture_on_commit_callbacks
):
    due_in(3, email="soon@example.com")
    due_in(5, email="later@example.com")
    due_in(40, email="not-yet@example.com")

    response = hr_client.post(SEND_DUE, follow=True)

    assert response.redirect_chain[-1][0] == CHANGELIST
    assert sorted(m.to[0] for m in mail.outbox) == ["later@example.com", "soon@example.com"]
    assert "2 due reminders were sent." in texts(response)
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 2


def test_pressing_it_twice_sends_nothing_twice(hr_client, window_open_now):
    due_in(3)
    hr_client.post(SEND_DUE, follow=True)  # following the redirect shows (and uses up) its message

    response = hr_client.post(SEND_DUE, follow=True)

    assert len(mail.outbox) == 1
    assert texts(response)[0].startswith("No reminder is due to go out now")


def test_only_a_post_sends(hr_client, window_open_now):
    due_in(3)

    response = hr_client.get(SEND_DUE)

    assert response.status_code == 405
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["engineer", "staff_without_hr"])
def test_someone_without_the_reminder_permission_gets_403_and_nothing_is_sent(who, window_open_now):
    due_in(3)
    client = Client()
    client.force_login(UserFactory(is_staff=(who == "staff_without_hr")))

    response = client.post(SEND_DUE)

    assert response.status_code == 403
    assert mail.outbox == []


def test_a_visitor_is_sent_to_the_panel_log_in(client, window_open_now):
    response = client.post(SEND_DUE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
