"""Recording sent reminders on PostgreSQL: one single-row UPDATE per email, each waiting for the
disk, or with REMINDER_SYNCHRONOUS_SENT_MARKS = False only each chunk's last (docs/reminders.md,
"Sending exactly once"); the sweep's one INSERT and the queue's one UPDATE."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders import rules, services
from reminders.models import Reminder

from .reminder_fixtures import person, plan_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOW = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
IN_A_WEEK = NOW.date() + timedelta(days=7)


@pytest.fixture
def recorded():
    with time_machine.travel(NOW, tick=False):
        plan_for(person(), *([IN_A_WEEK] * 5))
        services.reminder_sweep(now=NOW)
        yield list(Reminder.objects.order_by("pk").values_list("pk", flat=True))


def marks(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().startswith(("UPDATE", "SET LOCAL", "EXECUTE")) and "'sent'" in q["sql"]
    ]


def test_without_synchronous_marks_only_the_last_of_a_chunk_waits_for_the_disk(recorded, settings):
    settings.REMINDER_CLAIM_CHUNK_SIZE = 3
    settings.REMINDER_SYNCHRONOUS_SENT_MARKS = False

    with CaptureQueriesContext(connection) as queries:
        counts = services.reminders_send_batch(ids=recorded)

    assert counts == {"sent": 5}
    assert len(mail.outbox) == 5
    sent = marks(queries.captured_queries)
    # Chunks of 3 and 2: marks 1, 2 and 4 don't wait; 3 and 5 end their chunk and do.
    assert [sql.startswith("SET LOCAL synchronous_commit TO OFF;") for sql in sent] == [True, True, False, True, False]
    assert Reminder.objects.filter(status="sent", sent_at__isnull=False, last_error="").count() == 5


def test_by_default_every_sent_mark_waits_for_the_disk(recorded):
    with CaptureQueriesContext(connection) as queries:
        services.reminders_send_batch(ids=recorded)

    sent = marks(queries.captured_queries)
    assert len(sent) == 5
    assert not any("synchronous_commit" in sql for sql in sent)


def test_a_mark_without_waiting_still_applies_only_to_our_claim(recorded):
    token = services.reminders_claim(ids=recorded[:1], now=NOW)
    reminder = Reminder.objects.get(pk=recorded[0])

    assert services._finish(reminder, "not-our-token", durable=False, status="cancelled", last_error="x") is False
    assert services._finish(reminder, token, durable=False, status="cancelled", last_error="x") is True
    assert Reminder.objects.get(pk=recorded[0]).status == "cancelled"
    # The setting was local to that transaction.
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_the_sweep_records_with_one_insert():
    plan_for(person(), *([IN_A_WEEK] * 5))

    with CaptureQueriesContext(connection) as queries:
        found = services.reminder_sweep(now=NOW)

    assert found == 5
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("INSERT INTO plans_reminder ")]
    assert len(inserts) == 1 and "ON CONFLICT DO NOTHING" in inserts[0]
    assert Reminder.objects.filter(status="pending", attempts=0, claim_token="", last_error="").count() == 5


def test_recording_what_another_sweep_recorded_meanwhile_adds_nothing(recorded):
    # Two sweeps that both found the same reminders due: the second insert skips them.
    due = [
        rules.Due(r.user_id, r.milestone_id, r.kind, r.due_date, r.send_after) for r in Reminder.objects.order_by("pk")
    ]

    services._record(due)

    assert list(Reminder.objects.order_by("pk").values_list("pk", flat=True)) == recorded


def test_queueing_marks_every_row_with_one_update(recorded):
    with CaptureQueriesContext(connection) as queries:
        batches = services.reminders_queue(now=NOW, batch_size=2)

    assert batches == [recorded[:2], recorded[2:4], recorded[4:]]
    assert len([q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]) == 1
    assert Reminder.objects.filter(queued_at=NOW).count() == 5


def test_a_sweep_with_a_receiver_records_new_rows_queued_and_hands_their_ids_over():
    plan_for(person(), *([IN_A_WEEK] * 3))
    handed: list[list[int]] = []

    found = services.reminder_sweep(now=NOW, on_recorded=handed.append)

    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
    assert found == 3
    assert handed == [ids]
    assert Reminder.objects.filter(queued_at=NOW, status="pending").count() == 3
    # They are on their way to a worker, so queueing does not hand them out a second time.
    assert services.reminders_queue(now=NOW) == []


def test_recording_queued_returns_only_the_rows_this_insert_created(recorded):
    # Another sweep recorded these meanwhile: nothing new, nothing to hand over, nothing re-stamped.
    due = [
        rules.Due(r.user_id, r.milestone_id, r.kind, r.due_date, r.send_after) for r in Reminder.objects.order_by("pk")
    ]

    assert services._record(due, queued_at=NOW) == []
    assert Reminder.objects.filter(queued_at__isnull=False).count() == 0


def test_each_chunk_is_claimed_and_loaded_in_one_statement(recorded, settings):
    settings.REMINDER_CLAIM_CHUNK_SIZE = 3

    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        counts = services.reminders_send_batch(ids=recorded)

    assert counts == {"sent": 5}
    claims = [q["sql"] for q in queries.captured_queries if "FOR UPDATE SKIP LOCKED" in q["sql"]]
    assert len(claims) == 2
    assert all("RETURNING" in sql and "JOIN accounts_user" in sql for sql in claims)
    # The policy, a claim per chunk, the mark's statement prepared once, a mark per email: nothing else.
    assert len(queries.captured_queries) == 1 + 2 + 1 + 5


def test_claiming_and_loading_skips_rows_claimed_elsewhere_and_takes_over_stale_claims(recorded):
    policy = services.reminder_policy()
    first, loaded = services._claim_and_load(ids=recorded[:2], now=NOW, policy=policy)

    _, again = services._claim_and_load(ids=recorded, now=NOW + timedelta(minutes=1), policy=policy)
    stale, taken = services._claim_and_load(ids=recorded[:2], now=NOW + timedelta(minutes=16), policy=policy)

    assert [reminder.pk for reminder, _, _ in loaded] == recorded[:2]
    assert [reminder.pk for reminder, _, _ in again] == recorded[2:]
    assert [(reminder.pk, reminder.attempts) for reminder, _, _ in taken] == [(pk, 2) for pk in recorded[:2]]
    assert Reminder.objects.filter(claim_token=stale).count() == 2
    assert not Reminder.objects.filter(claim_token=first).exists()
    reason, content = loaded[0][1], loaded[0][2]
    assert reason == ""
    assert (content.to, content.kind, content.due_date) == (
        Reminder.objects.get(pk=recorded[0]).user.email,
        "upcoming",
        IN_A_WEEK,
    )


def test_sent_marks_execute_a_statement_prepared_once_per_connection(recorded):
    with CaptureQueriesContext(connection) as queries:
        services.reminders_send_batch(ids=recorded)

    sql = [q["sql"] for q in queries.captured_queries]
    assert len([q for q in sql if q.startswith("PREPARE careerpath_")]) == 1
    assert len([q for q in marks(queries.captured_queries) if q.startswith("EXECUTE careerpath_")]) == 5
    assert Reminder.objects.filter(status="sent", sent_at__isnull=False).count() == 5


def test_a_session_that_lost_its_prepared_statements_still_records_the_mark(recorded):
    services.reminders_send_batch(ids=recorded[:1])
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's DISCARD ALL does to the session

    with CaptureQueriesContext(connection) as queries:
        counts = services.reminders_send_batch(ids=recorded[1:3])
    services.reminders_send_batch(ids=recorded[3:])

    assert counts == {"sent": 2}
    assert Reminder.objects.filter(status="sent").count() == 5
    assert len(mail.outbox) == 5
    # The first mark fell back to a plain UPDATE; the next one prepared the statement again.
    first, second = marks(queries.captured_queries)[-2:]
    assert first.startswith("UPDATE") and second.startswith("EXECUTE")
    assert len([q for q in queries.captured_queries if q["sql"].startswith("PREPARE")]) == 1


def test_prepared_statements_can_be_turned_off_for_a_transaction_pooler(recorded, settings):
    settings.REMINDER_PREPARED_STATEMENTS = False

    with CaptureQueriesContext(connection) as queries:
        services.reminders_send_batch(ids=recorded)

    assert not [q for q in queries.captured_queries if q["sql"].startswith(("PREPARE", "EXECUTE"))]
    assert len([q for q in marks(queries.captured_queries) if q.startswith("UPDATE")]) == 5


def test_a_large_sweep_records_and_hands_over_each_slice_as_it_goes(monkeypatch):
    monkeypatch.setattr(services, "SWEEP_INSERT_BATCH", 2)
    plan_for(person(), *([IN_A_WEEK] * 5))
    handed: list[list[int]] = []

    with CaptureQueriesContext(connection) as queries:
        found = services.reminder_sweep(now=NOW, on_recorded=handed.append)

    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
    assert found == 5
    assert handed == [ids[:2], ids[2:4], ids[4:]]
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT INTO plans_reminder ")]
    assert len(inserts) == 3
