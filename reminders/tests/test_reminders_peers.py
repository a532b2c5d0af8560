"""Peer input's emails through the reminder sweep: the request, one reminder, the notice that a request
closed; each sent exactly once however often the sweep runs (docs/teams.md)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from accounts.tests.factories import UserFactory
from reminders import services
from reminders.models import Reminder
from teams import selectors as teams_selectors
from teams import services as teams_services

pytestmark = pytest.mark.django_db

SENT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)  # a Monday, in the UTC send window


def sweep_twice(now: datetime) -> list:
    """The sweep and the sending, twice at the same moment; the emails sent."""
    mail.outbox.clear()
    with time_machine.travel(now, tick=False):
        services.reminders_send_due(now=now)
        services.reminders_send_due(now=now)
    return list(mail.outbox)


@pytest.fixture
def asked(catalog, settings):
    settings.SITE_URL = "https://careerpath.example.com"
    ada = UserFactory(name="Ada Lovelace", email="ada@example.com")
    peers = [UserFactory(name=name, email=f"{name.lower()}@example.com") for name in ("Bea", "Cem", "Dia")]
    skill = teams_selectors.rateable_skills()[0]
    peer_round = teams_services.peer_round_create(
        subject=ada, skill_ids=[skill.pk], rater_emails=[p.email for p in peers], now=SENT - timedelta(hours=1)
    )
    return ada, peers, peer_round, skill


def test_each_colleague_gets_the_request_once_with_a_link_to_answer(asked):
    _ada, peers, peer_round, _ = asked

    sent = sweep_twice(SENT)

    assert sorted(m.to[0] for m in sent) == ["bea@example.com", "cem@example.com", "dia@example.com"]
    message = next(m for m in sent if m.to == ["bea@example.com"])
    assert message.subject == "Ada Lovelace asks for your view of their skills"
    request = peer_round.requests.get(rater=peers[0])
    assert f"/team/peers/requests/{request.pk}/" in message.body
    assert "never as yours" in message.body
    assert Reminder.objects.filter(kind=Reminder.Kind.PEER_REQUEST, status="sent").count() == 3
    assert sweep_twice(SENT + timedelta(hours=1)) == []  # later sweeps that day send nothing again


def test_one_reminder_goes_a_week_before_the_close_to_those_who_have_not_answered(asked):
    _ada, (bea, _cem, _dia), peer_round, skill = asked
    sweep_twice(SENT)
    teams_services.peer_answer_submit(
        rater=bea, request_id=peer_round.requests.get(rater=bea).pk, levels={skill.slug: 3}, now=SENT
    )

    assert sweep_twice(SENT + timedelta(days=10)) == []  # not yet
    reminded = sweep_twice(SENT + timedelta(days=14))
    assert sorted(m.to[0] for m in reminded) == ["cem@example.com", "dia@example.com"]
    assert all(m.subject.startswith("A reminder: Ada Lovelace") for m in reminded)
    assert sweep_twice(SENT + timedelta(days=15)) == []  # one reminder only


def test_an_answer_given_after_the_reminder_was_recorded_cancels_it(asked):
    _ada, (bea, cem, dia), peer_round, skill = asked
    sweep_twice(SENT)
    services.reminder_sweep(now=SENT + timedelta(days=14))  # recorded, not sent yet
    for rater in (bea, cem, dia):
        teams_services.peer_answer_submit(
            rater=rater, request_id=peer_round.requests.get(rater=rater).pk, levels={skill.slug: 3}, now=SENT
        )

    assert sweep_twice(SENT + timedelta(days=14)) == []
    assert set(Reminder.objects.filter(kind=Reminder.Kind.PEER_REMINDER).values_list("status", "last_error")) == {
        ("cancelled", "the request is answered")
    }


def test_the_engineer_hears_once_when_the_request_closed_with_someone_not_answering(asked):
    _ada, (bea, cem, _dia), peer_round, skill = asked
    sweep_twice(SENT)
    for rater in (bea, cem):
        teams_services.peer_answer_submit(
            rater=rater, request_id=peer_round.requests.get(rater=rater).pk, levels={skill.slug: 3}, now=SENT
        )

    closed = sweep_twice(SENT + timedelta(days=21))

    assert [m.to for m in closed] == [["ada@example.com"]]
    (message,) = closed
    assert message.subject == "Your request for colleagues' views has closed"
    assert "2 of 3 answered" in message.body and "Fewer than three answered" in message.body
    assert "Bea" not in message.body and "Cem" not in message.body  # who answered is not said
    assert sweep_twice(SENT + timedelta(days=22)) == []


def test_no_closing_notice_when_everyone_answered(asked):
    _ada, peers, peer_round, skill = asked
    for rater in peers:
        teams_services.peer_answer_submit(
            rater=rater, request_id=peer_round.requests.get(rater=rater).pk, levels={skill.slug: 3}, now=SENT
        )

    assert sweep_twice(SENT + timedelta(days=21)) == []


def test_closing_a_request_early_sends_no_notice_and_cancels_the_reminders_recorded(asked):
    ada, (bea, _cem, _dia), peer_round, skill = asked
    sweep_twice(SENT)
    services.reminder_sweep(now=SENT + timedelta(days=14))  # reminders to all three recorded, not sent yet
    teams_services.peer_answer_submit(
        rater=bea, request_id=peer_round.requests.get(rater=bea).pk, levels={skill.slug: 3}, now=SENT
    )

    teams_services.peer_round_close(subject=ada, round_id=peer_round.pk, now=SENT + timedelta(days=14))

    assert sweep_twice(SENT + timedelta(days=14)) == []  # neither the reminders nor a notice to Ada
    assert sweep_twice(SENT + timedelta(days=21)) == []  # nor when its date comes
    assert set(Reminder.objects.filter(kind=Reminder.Kind.PEER_REMINDER).values_list("status", flat=True)) == {
        "cancelled"
    }
