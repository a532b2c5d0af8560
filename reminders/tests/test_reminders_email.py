"""Reminder emails (content, links, headers), one-click unsubscribe, and the preferences on the profile."""

import html
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from accounts.models import Profile
from reminders import email, services
from reminders.models import Reminder

from .reminder_fixtures import person, plan_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # a Monday, in the UTC send window
SITE = "https://careerpath.example.com"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def send_all():
    services.reminder_sweep(now=NOW)
    ids = list(Reminder.objects.values_list("pk", flat=True))
    services.reminders_send_batch(ids=ids)
    return mail.outbox


def bodies(message) -> tuple[str, str]:
    ((html_body, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return message.body, html_body


# --- Content, links and headers -------------------------------------------------------------


def test_an_upcoming_reminder_names_the_milestone_and_links_straight_to_it(frozen):
    user = person(name="Ada Lovelace", email="ada@example.com")
    plan = plan_for(user, date(2026, 3, 9))
    milestone = plan.milestones.get()
    milestone.title = "Lead a design review & write it up"
    milestone.save()

    (message,) = send_all()

    assert message.to == ["ada@example.com"]
    assert message.subject == "Coming up on 9 March: Lead a design review & write it up"
    text, html_body = bodies(message)
    link = f"{SITE}/plans/{plan.pk}/#m-{milestone.pk}"
    assert "Hello Ada," in text
    assert "Monday 9 March 2026" in text
    assert "Lead a design review & write it up" in text  # plain text is not HTML-escaped
    assert f"Open the milestone: {link}" in text
    assert f'href="{link}"' in html_body
    assert "Lead a design review &amp; write it up" in html_body
    assert "Engineering Manager" in html_body


def test_every_reminder_carries_one_click_unsubscribe_headers_rfc_8058(frozen):
    user = person()
    plan_for(user, date(2026, 3, 9))

    (message,) = send_all()

    url = f"{SITE}{reverse('reminders:unsubscribe', kwargs={'token': email.unsubscribe_token(user.pk)})}"
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    reminder = Reminder.objects.get()
    assert message.extra_headers["Message-ID"] == f"<reminder-{reminder.pk}@careerpath.example.com>"
    text, html_body = bodies(message)
    assert url in text
    assert f'href="{html.escape(url)}"' in html_body or f'href="{url}"' in html_body
    # The headers survive into the wire format.
    wire = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in wire


def test_an_overdue_reminder_says_so_once(frozen):
    plan_for(person(), date(2026, 3, 1))

    (message,) = send_all()

    assert message.subject == "Past its date (1 March): Milestone 1"
    text, _ = bodies(message)
    assert "was due on Sunday 1 March 2026 and is not marked done yet" in text
    assert "This is the only email about it being late." in text


def test_the_digest_lists_overdue_and_coming_milestones_with_links(frozen):
    user = person(digest=True)
    plan = plan_for(user, date(2026, 2, 20), date(2026, 3, 4), date(2026, 4, 30))
    late, soon, later = plan.milestones.order_by("due_date")

    (message,) = send_all()

    assert message.subject == "Your week ahead: 2 milestones to look at"
    text, html_body = bodies(message)
    assert "Past their date:\n- Milestone 1 (was due 20 February)" in text
    assert "Due in the next seven days:\n- Milestone 2 (due Wednesday 4 March)" in text
    assert "Milestone 3" not in text
    for m in (late, soon):
        assert f'href="{SITE}/plans/{plan.pk}/#m-{m.pk}"' in html_body
    assert f"#m-{later.pk}" not in html_body
    assert "<h2" in html_body


def test_a_digest_with_nothing_left_to_report_is_cancelled(frozen):
    plan = plan_for(person(digest=True), date(2026, 3, 4))
    services.reminder_sweep(now=NOW)
    plan.milestones.update(status="done", completed_at=NOW)

    services.reminders_send_batch(ids=list(Reminder.objects.values_list("pk", flat=True)))

    assert mail.outbox == []
    assert Reminder.objects.get().status == "cancelled"


def test_the_reassessment_nudge_names_the_last_assessment_and_links_to_it(engineer, make_result):
    result = make_result(engineer)
    type(result).objects.filter(pk=result.pk).update(created_at=datetime(2025, 9, 2, 8, tzinfo=UTC))

    with time_machine.travel(NOW, tick=False):
        (message,) = send_all()

    assert message.subject == "Time to check in on your skills"
    text, html_body = bodies(message)
    assert "Your last self-assessment was on 2 September 2025, more than 6 months ago." in text
    assert f"{SITE}{reverse('assessments:home')}" in text
    assert f'href="{SITE}{reverse("assessments:home")}"' in html_body


def test_the_html_email_is_a_whole_document_with_a_language_and_a_title(frozen):
    plan_for(person(), date(2026, 3, 9))

    (message,) = send_all()

    _, html_body = bodies(message)
    assert html_body.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="en">' in html_body
    assert "<title>Coming up on 9 March: Milestone 1</title>" in html_body


# --- The unsubscribe token --------------------------------------------------------------


def test_the_token_round_trips_to_the_person():
    assert email.user_id_from_token(email.unsubscribe_token(42)) == 42


# The signed tokens are made inside the test: a signature carries the time it was made, and a
# parameter id that changes between collections makes pytest-xdist's workers disagree on the tests.
@pytest.mark.parametrize(
    "make_token",
    [
        lambda: "",
        lambda: "nonsense",
        lambda: "eyJ1Ijo0Mn0:1vAbCd:tampered-signature",
        lambda: signing.dumps({"u": 42}, salt="some.other.purpose"),
        lambda: signing.dumps({"u": "42"}, salt=email.UNSUBSCRIBE_SALT),
        lambda: signing.dumps([42], salt=email.UNSUBSCRIBE_SALT),
    ],
    ids=["empty", "nonsense", "bad-signature", "other-salt", "string-id", "list-payload"],
)
def test_a_tampered_or_foreign_token_names_nobody(make_token):
    assert email.user_id_from_token(make_token()) is None


def test_changing_the_person_in_a_token_breaks_its_signature():
    token = email.unsubscribe_token(42)
    payload, rest = token.split(":", 1)
    other = email.unsubscribe_token(43).split(":", 1)[0]

    assert email.user_id_from_token(f"{other}:{rest}") is None
    assert payload != other


# --- The unsubscribe page ------------------------------------------------------------------


def unsubscribe_url(user) -> str:
    return reverse("reminders:unsubscribe", kwargs={"token": email.unsubscribe_token(user.pk)})


def test_the_unsubscribe_address_is_the_one_sent_emails_link_to():
    assert reverse("reminders:unsubscribe", kwargs={"token": "t"}) == "/plans/reminders/unsubscribe/t/"


def test_get_shows_one_button_and_changes_nothing(client):
    user = person(email="grace@example.com")

    page = client.get(unsubscribe_url(user))

    assert page.status_code == 200
    assert b"Turn off reminders" in page.content
    assert "g•••@example.com" in page.content.decode()
    assert b"grace@example.com" not in page.content
    assert Profile.objects.get(user=user).reminders_enabled is True


def test_post_turns_reminders_off_without_logging_in(client):
    user = person()

    page = client.post(unsubscribe_url(user))

    assert page.status_code == 200
    assert b"Reminders are off" in page.content
    assert Profile.objects.get(user=user).reminders_enabled is False


def test_the_mail_clients_one_click_post_works_without_a_csrf_token():
    from django.test import Client

    user = person()
    strict = Client(enforce_csrf_checks=True)

    page = strict.post(
        unsubscribe_url(user),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert page.status_code == 200
    assert Profile.objects.get(user=user).reminders_enabled is False


def test_posting_twice_is_harmless(client):
    user = person()

    client.post(unsubscribe_url(user))
    page = client.post(unsubscribe_url(user))

    assert page.status_code == 200
    assert Profile.objects.get(user=user).reminders_enabled is False


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("token", ["garbage", "eyJ1Ijo0Mn0:1vAbCd:bad", "x" * 500])
def test_a_bad_token_gets_a_clear_400_page_and_changes_nothing(client, method, token):
    user = person()

    page = getattr(client, method)(reverse("reminders:unsubscribe", kwargs={"token": token}))

    assert page.status_code == 400
    assert b"This link is not recognised" in page.content
    assert Profile.objects.get(user=user).reminders_enabled is True


def test_a_token_for_a_deleted_account_gets_the_400_page(client):
    user = person()
    url = unsubscribe_url(user)
    user.delete()

    assert client.post(url).status_code == 400


def test_the_unsubscribe_page_is_never_cached(client):
    page = client.get(unsubscribe_url(person()))

    assert "no-cache" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_a_person_who_unsubscribed_gets_no_more_reminders(client, frozen):
    user = person()
    plan_for(user, date(2026, 3, 9))
    client.post(unsubscribe_url(user))

    assert send_all() == []


# --- Preferences on the profile ------------------------------------------------------------


def profile_post(client, **overrides):
    data = {"name": "Ada", "years_experience": "4", "education": "bachelor", "time_zone": "Europe/Berlin"}
    data.update(overrides)
    return client.post(reverse("accounts:profile"), data)


def test_the_profile_page_shows_the_reminder_preferences(client):
    user = person()
    client.force_login(user)

    page = client.get(reverse("accounts:profile"))

    content = page.content.decode()
    assert "<legend" in content and "Email reminders" in content
    assert 'name="reminders_enabled"' in content and "checked" in content
    assert 'name="reminder_lead_days"' in content and 'value="7"' in content
    assert 'name="weekly_digest"' in content


def test_the_profile_turns_reminders_back_on_with_lead_time_and_digest(client):
    user = person(enabled=False)
    client.force_login(user)

    response = profile_post(client, reminders_enabled="on", reminder_lead_days="14", weekly_digest="on")

    assert response.status_code == 302
    profile = Profile.objects.get(user=user)
    assert (profile.reminders_enabled, profile.reminder_lead_days, profile.weekly_digest) == (True, 14, True)


@pytest.mark.parametrize("lead", ["0", "61", "-3", "seven"])
def test_a_lead_time_outside_1_to_60_days_is_refused(client, lead):
    user = person(lead=7)
    client.force_login(user)

    response = profile_post(client, reminders_enabled="on", reminder_lead_days=lead)

    assert response.status_code == 200
    assert "between 1 and 60" in response.content.decode()
    assert Profile.objects.get(user=user).reminder_lead_days == 7


def test_a_longer_lead_time_brings_the_reminder_forward(client):
    user = person(lead=7)
    plan_for(user, date(2026, 3, 30))
    client.force_login(user)
    profile_post(client, reminders_enabled="on", reminder_lead_days="30")

    services.reminder_sweep(now=NOW)

    reminder = Reminder.objects.get()
    assert reminder.due_date == date(2026, 3, 30)
    # 09:00 in Berlin, the time zone saved with the preferences.
    assert reminder.send_after == datetime(2026, 3, 2, 8, tzinfo=UTC)
