"""Recording, queueing, claiming and marking reminders: one ORM code path, the same statements on
SQLite and PostgreSQL (select_for_update(skip_locked=True), conditional updates, bulk_create with
ignore_conflicts), no raw SQL, no prepared statements, no per-session settings."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reminders import rules, services
from reminders.models import Reminder

from .reminder_fixtures import person, plan_for

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOW = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
IN_A_WEEK = NOW.date() + timedelta(days=7)
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
# PostgreSQL: INSERT … ON CONFLICT DO NOTHING; SQLite: INSERT OR IGNORE.
RECORDING = ('INSERT INTO "plans_reminder"', 'INSERT OR IGNORE INTO "plans_reminder"')


@pytest.fixture
def recorded():
    with time_machine.travel(NOW, tick=False):
        plan_for(person(), *([IN_A_WEEK] * 5))
        services.reminder_sweep(now=NOW)
        yield list(Reminder.objects.order_by("pk").values_list("pk", flat=True))


def statements(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not q["sql"].lstrip().startswith(TRANSACTION_CONTROL)]


def sent_marks(queries) -> list[str]:
    return [sql for sql in statements(queries) if sql.startswith("UPDATE") and "'sent'" in sql]


def test_every_sent_mark_is_one_conditional_update(recorded):
    with CaptureQueriesContext(connection) as queries:
        counts = services.reminders_send_batch(ids=recorded)

    assert counts == {"sent": 5}
    assert len(mail.outbox) == 5
    marks = sent_marks(queries)
    assert len(marks) == 5
    assert all('"claim_token" =' in sql for sql in marks)  # only while the claim is ours
    assert Reminder.objects.filter(status="sent", sent_at__isnull=False, last_error="").count() == 5


def test_sending_uses_no_prepared_statements_and_no_session_settings(recorded):
    with CaptureQueriesContext(connection) as queries:
        services.reminders_send_batch(ids=recorded)

    assert not [sql for sql in statements(queries) if sql.lstrip().upper().startswith(("PREPARE", "EXECUTE", "SET"))]


def test_a_mark_applies_only_to_our_claim(recorded):
    token = services.reminders_claim(ids=recorded[:1], now=NOW)
    reminder = Reminder.objects.get(pk=recorded[0])

    assert services._finish(reminder, "not-our-token", status="cancelled", last_error="x") is False
    assert services._finish(reminder, token, status="cancelled", last_error="x") is True
    assert Reminder.objects.get(pk=recorded[0]).status == "cancelled"


def test_the_sweep_records_with_one_insert_that_ignores_conflicts():
    plan_for(person(), *([IN_A_WEEK] * 5))

    with CaptureQueriesContext(connection) as queries:
        found = services.reminder_sweep(now=NOW)

    assert found == 5
    inserts = [sql for sql in statements(queries) if sql.startswith(RECORDING)]
    assert len(inserts) == 1
    assert "ON CONFLICT DO NOTHING" in inserts[0] or inserts[0].startswith("INSERT OR IGNORE")
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
    assert len([sql for sql in statements(queries) if sql.startswith("UPDATE")]) == 1
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


def test_recording_queued_hands_over_new_person_reminders_beside_milestone_ones(recorded):
    someone = person()
    existing = Reminder.objects.order_by("pk").first()
    due = [
        rules.Due(existing.user_id, existing.milestone_id, existing.kind, existing.due_date, existing.send_after),
        rules.Due(someone.pk, None, rules.REASSESS, NOW.date(), NOW),
    ]

    new = services._record(due, queued_at=NOW + timedelta(seconds=1))

    assert new == list(Reminder.objects.filter(user=someone).values_list("pk", flat=True))
    assert len(new) == 1


def test_each_chunk_is_claimed_and_loaded_in_a_fixed_number_of_queries(recorded, settings):
    settings.REMINDER_CLAIM_CHUNK_SIZE = 3

    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        counts = services.reminders_send_batch(ids=recorded)

    assert counts == {"sent": 5}
    if connection.features.has_select_for_update_skip_locked:
        assert sum("FOR UPDATE SKIP LOCKED" in sql for sql in statements(queries)) == 2
    # The policy; the lease on the later chunk's rows; per chunk the pick, the claim and the load;
    # a mark per email: nothing else.
    assert len(statements(queries)) == 1 + 1 + 2 * 3 + 5


def test_claiming_and_loading_skips_rows_claimed_elsewhere_and_takes_over_stale_claims(recorded):
    policy = services.reminder_policy()
    first, loaded = services._claim_and_load(ids=recorded[:2], now=NOW, policy=policy)

    _, again = services._claim_and_load(ids=recorded, now=NOW + timedelta(seconds=10), policy=policy)
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


def test_a_large_sweep_records_and_hands_over_each_slice_as_it_goes(monkeypatch):
    monkeypatch.setattr(services, "SWEEP_INSERT_BATCH", 2)
    plan_for(person(), *([IN_A_WEEK] * 5))
    handed: list[list[int]] = []

    with CaptureQueriesContext(connection) as queries:
        found = services.reminder_sweep(now=NOW, on_recorded=handed.append)

    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
    assert found == 5
    assert handed == [ids[:2], ids[2:4], ids[4:]]
    assert len([sql for sql in statements(queries) if sql.startswith(RECORDING)]) == 3
