"""A person the directory deactivates can't log in and gets no reminders; their data stays. DELETE
deactivates too, or erases the account when SCIM_DELETE is "delete"."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD
from plans.models import Plan
from reminders import services as reminder_services
from reminders.models import Reminder
from reminders.tests.reminder_fixtures import person, plan_for

from .conftest import assert_scim_error, provider

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
DISABLE = provider("entra")["disable"]


def log_in(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})


def is_logged_in(client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


@pytest.fixture
def engineer(db):
    user = person()
    plan_for(user, NOW.date() + timedelta(days=7), NOW.date() - timedelta(days=1))
    return user


def test_a_deactivated_person_is_logged_out_and_cannot_log_in_again(scim, engineer):
    browser = Client()
    log_in(browser, engineer.email)
    assert is_logged_in(browser)

    scim.patch(f"Users/{engineer.pk}", DISABLE)

    assert not is_logged_in(browser)
    refused = log_in(Client(), engineer.email)
    assert refused.status_code == 302 and refused.url == reverse("account_inactive")  # allauth's "inactive" page
    assert "_auth_user_id" not in refused.client.session


def test_a_deactivated_person_gets_no_reminders_and_keeps_their_plan(scim, engineer):
    scim.patch(f"Users/{engineer.pk}", DISABLE)

    reminder_services.reminder_sweep(now=NOW)

    assert not Reminder.objects.filter(user=engineer).exists()
    assert Plan.objects.filter(user=engineer).exists()  # their data stays
    assert User.objects.get(pk=engineer.pk).profile is not None


def test_a_reminder_queued_before_the_deactivation_is_not_sent(scim, engineer, settings):
    reminder_services.reminder_sweep(now=NOW)
    queued = list(Reminder.objects.filter(user=engineer).values_list("pk", flat=True))
    assert queued

    scim.patch(f"Users/{engineer.pk}", DISABLE)
    reminder_services.reminders_send_batch(ids=queued)

    assert mail.outbox == []
    assert not Reminder.objects.filter(user=engineer, status=Reminder.Status.SENT).exists()


def test_reactivated_the_person_logs_in_again(scim, engineer):
    scim.patch(f"Users/{engineer.pk}", DISABLE)
    scim.patch(f"Users/{engineer.pk}", provider("entra")["enable"])

    browser = Client()
    log_in(browser, engineer.email)
    assert is_logged_in(browser)


def test_delete_deactivates_by_default_and_keeps_the_data(scim, engineer, settings):
    assert settings.SCIM_DELETE == "deactivate"

    response = scim.delete(f"Users/{engineer.pk}")

    assert response.status_code == 204 and response.content == b""
    engineer.refresh_from_db()
    assert not engineer.is_active
    assert Plan.objects.filter(user=engineer).exists()
    assert scim.get(f"Users/{engineer.pk}").json()["active"] is False


def test_delete_erases_the_account_when_scim_delete_says_so(scim, engineer, settings):
    settings.SCIM_DELETE = "delete"

    response = scim.delete(f"Users/{engineer.pk}")

    assert response.status_code == 204
    assert not User.objects.filter(pk=engineer.pk).exists()
    assert not Plan.objects.filter(user_id=engineer.pk).exists()
    assert_scim_error(scim.get(f"Users/{engineer.pk}"), 404)


def test_an_unknown_scim_delete_setting_stops_the_start():
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import careerpath.settings.test"],
        env={"SCIM_DELETE": "purge", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SCIM_DELETE must be" in result.stderr
