"""The reminder services and tasks: sweep, queue, claim, send, retry (eager tasks, in-memory email)."""

import smtplib
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from celery import current_app
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError
from django.utils import timezone

from accounts.models import Profile
from assessments.models import Result
from plans import services as plan_services
from plans.models import Milestone, Plan
from reminders import rules, services, tasks
from reminders.models import Reminder, ReminderPolicy

from .reminder_fixtures import person, plan_for

pytestmark = pytest.mark.django_db

# Tuesday 3 March 2026, 09:30 UTC: inside the 09:00 UTC send window.
NOW = datetime(2026, 3, 3, 9, 30, tzinfo=UTC)
TODAY = NOW.date()
IN_A_WEEK = TODAY + timedelta(days=7)


def rows(**filters):
    return list(Reminder.objects.filter(**filters).order_by("pk").values_list("kind", "due_date", "status"))


# --- The sweep: what is recorded --------------------------------------------------------------


def test_the_sweep_records_an_upcoming_reminder_lead_days_ahead():
    user = person()
    plan = plan_for(user, IN_A_WEEK, IN_A_WEEK + timedelta(days=1))

    services.reminder_sweep(now=NOW)

    reminder = Reminder.objects.get()
    assert (reminder.user, reminder.milestone, reminder.kind) == (user, plan.milestones.first(), "upcoming")
    assert reminder.due_date == IN_A_WEEK
    assert reminder.send_after == reminder.next_attempt_at == datetime(2026, 3, 3, 9, tzinfo=UTC)
    assert reminder.status == Reminder.Status.PENDING


def test_the_sweep_records_nothing_before_the_local_send_hour():
    plan_for(person(), IN_A_WEEK)

    services.reminder_sweep(now=NOW.replace(hour=8, minute=59))

    assert rows() == []


def test_the_sweep_waits_for_a_utc_minus_10_persons_morning():
    plan_for(person(tz="Pacific/Honolulu"), IN_A_WEEK)

    services.reminder_sweep(now=NOW)  # 23:30 the evening before in Honolulu
    assert rows() == []
    services.reminder_sweep(now=datetime(2026, 3, 3, 19, 5, tzinfo=UTC))  # 09:05 in Honolulu
    assert rows() == [("upcoming", IN_A_WEEK, "pending")]


def test_a_utc_plus_13_person_is_reminded_on_the_previous_utc_evening():
    # 20:05 UTC on 2 March is 09:05 on 3 March in Tonga: the milestone is seven local days away.
    plan_for(person(tz="Pacific/Tongatapu"), IN_A_WEEK)

    services.reminder_sweep(now=datetime(2026, 3, 2, 20, 5, tzinfo=UTC))

    assert Reminder.objects.get().send_after == datetime(2026, 3, 2, 20, tzinfo=UTC)


def test_the_sweep_records_an_overdue_reminder_the_day_after():
    plan_for(person(), TODAY - timedelta(days=1), TODAY)

    services.reminder_sweep(now=NOW)

    assert rows(kind="overdue") == [("overdue", TODAY - timedelta(days=1), "pending")]


def test_two_sweeps_record_each_reminder_once():
    plan_for(person(), IN_A_WEEK, TODAY - timedelta(days=1))

    services.reminder_sweep(now=NOW)
    services.reminder_sweep(now=NOW + timedelta(minutes=15))

    assert sorted(rows()) == [("overdue", TODAY - timedelta(days=1), "pending"), ("upcoming", IN_A_WEEK, "pending")]


def test_moving_a_due_date_gives_a_new_reminder_for_the_new_date():
    plan = plan_for(person(), IN_A_WEEK)
    services.reminder_sweep(now=NOW)
    plan.milestones.update(due_date=IN_A_WEEK + timedelta(days=2))

    services.reminder_sweep(now=NOW + timedelta(days=2))

    assert [r[1] for r in rows()] == [IN_A_WEEK, IN_A_WEEK + timedelta(days=2)]


@pytest.mark.parametrize(
    "setup",
    [
        pytest.param(lambda user, plan: plan.milestones.update(status="done", completed_at=timezone.now()), id="done"),
        pytest.param(
            lambda user, plan: Plan.objects.filter(pk=plan.pk).update(status="archived", archived_at=timezone.now()),
            id="archived",
        ),
        pytest.param(lambda user, plan: type(user).objects.filter(pk=user.pk).update(is_active=False), id="inactive"),
        pytest.param(
            lambda user, plan: Profile.objects.filter(user=user).update(reminders_enabled=False), id="unsubscribed"
        ),
    ],
)
def test_nothing_is_due_for_done_archived_inactive_or_unsubscribed(setup):
    user = person()
    plan = plan_for(user, IN_A_WEEK, TODAY - timedelta(days=1))
    setup(user, plan)

    services.reminder_sweep(now=NOW)

    assert rows() == []


def test_digest_people_get_a_monday_digest_instead_of_single_reminders():
    plan_for(person(digest=True), IN_A_WEEK, TODAY - timedelta(days=1))
    monday = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)

    services.reminder_sweep(now=monday)
    services.reminder_sweep(now=NOW)  # Tuesday: this week's digest exists already

    assert rows() == [("digest", date(2026, 3, 2), "pending")]


def test_no_digest_when_nothing_is_due_or_overdue():
    plan_for(person(digest=True), TODAY + timedelta(days=40))

    services.reminder_sweep(now=datetime(2026, 3, 2, 9, 10, tzinfo=UTC))

    assert rows() == []


@pytest.fixture
def assessed(engineer, make_result):
    """The engineer assessed themselves on 15 September 2025."""
    result = make_result(engineer)
    Result.objects.filter(pk=result.pk).update(created_at=datetime(2025, 9, 15, 12, tzinfo=UTC))
    return engineer


def test_a_reassessment_nudge_after_the_hr_interval(assessed):
    services.reminder_sweep(now=datetime(2026, 3, 14, 9, 5, tzinfo=UTC))
    assert rows() == []

    services.reminder_sweep(now=datetime(2026, 3, 15, 9, 5, tzinfo=UTC))
    services.reminder_sweep(now=datetime(2026, 4, 15, 9, 5, tzinfo=UTC))
    assert rows() == [("reassess", date(2026, 3, 15), "pending")]

    services.reminder_sweep(now=datetime(2026, 9, 15, 9, 5, tzinfo=UTC))
    assert [r[1] for r in rows()] == [date(2026, 3, 15), date(2026, 9, 15)]


def test_an_interval_ending_on_a_short_months_last_day_is_nudged_on_that_day(engineer, make_result):
    # Assessed on 31 August in Tonga (UTC+13; 30 August in UTC): six months on is 28 February there,
    # whose 09:00 is 20:00 UTC on the 27th.
    Profile.objects.filter(user=engineer).update(time_zone="Pacific/Tongatapu")
    result = make_result(engineer)
    Result.objects.filter(pk=result.pk).update(created_at=datetime(2025, 8, 30, 11, tzinfo=UTC))

    services.reminder_sweep(now=datetime(2026, 2, 27, 20, 5, tzinfo=UTC))

    assert rows() == [("reassess", date(2026, 2, 28), "pending")]


def test_hr_shortens_the_reassessment_interval(assessed):
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"reassess_after_months": 3})

    services.reminder_sweep(now=datetime(2025, 12, 15, 9, 5, tzinfo=UTC))

    assert rows() == [("reassess", date(2025, 12, 15), "pending")]


def test_hr_moves_the_send_hour():
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"send_hour": 14})
    plan_for(person(), IN_A_WEEK)

    services.reminder_sweep(now=NOW)
    assert rows() == []
    services.reminder_sweep(now=NOW.replace(hour=14, minute=0))
    assert Reminder.objects.get().send_after == NOW.replace(hour=14, minute=0)


@pytest.mark.parametrize("people", [2, 20])
def test_the_sweep_runs_a_fixed_number_of_queries(people, django_assert_num_queries):
    ReminderPolicy.load()
    monday = datetime(2026, 3, 2, 9, 10, tzinfo=UTC)
    for _ in range(people):
        plan_for(person(), date(2026, 3, 9), date(2026, 3, 9), date(2026, 3, 1))
        plan_for(person(digest=True), date(2026, 3, 9))

    # Policy, milestones, digest people, lapsed assessments, peer input (requests, reminders, closed
    # rounds: reminders/tests/test_reminders_peers.py), one insert.
    with django_assert_num_queries(8):
        services.reminder_sweep(now=monday)

    assert Reminder.objects.filter(kind="upcoming").count() == 2 * people
    assert Reminder.objects.filter(kind="overdue").count() == people
    assert Reminder.objects.filter(kind="digest").count() == people


@pytest.mark.parametrize("digest", [False, True])
def test_the_sweep_records_nothing_for_dropped_or_not_needed_milestones(frozen, digest):
    ReminderPolicy.load()
    plan_for(person(digest=digest), IN_A_WEEK, IN_A_WEEK)
    dropped, not_needed = Milestone.objects.order_by("pk")
    Milestone.objects.filter(pk=dropped.pk).update(status="dropped")
    Milestone.objects.filter(pk=not_needed.pk).update(status="not_needed", set_aside_reason="Covered elsewhere")

    services.reminder_sweep(now=NOW)

    assert rows() == []


# --- Queue and claim -----------------------------------------------------------------------


def recorded(n=1, **person_fields) -> list[int]:
    plan_for(person(**person_fields), *([IN_A_WEEK] * n))
    services.reminder_sweep(now=NOW)
    return list(Reminder.objects.order_by("pk").values_list("pk", flat=True))


def test_queueing_hands_each_row_out_once_until_the_requeue_time():
    ids = recorded(3)

    assert services.reminders_queue(now=NOW, batch_size=2) == [ids[:2], ids[2:]]
    assert services.reminders_queue(now=NOW + timedelta(minutes=14)) == []
    # Its task never ran (the broker lost it): queued again after REMINDER_REQUEUE_AFTER_SECONDS.
    assert services.reminders_queue(now=NOW + timedelta(minutes=16)) == [ids]


def test_a_crashed_batchs_rows_are_queued_again_as_soon_as_its_lease_runs_out():
    ids = recorded(5)
    services.reminders_queue(now=NOW)
    # A batch took all five: it claimed the first two and holds the other three, then its worker died.
    services._lease_pending(ids=ids[2:], now=NOW)
    services.reminders_claim(ids=ids[:2], now=NOW)

    assert services.reminders_queue(now=NOW + timedelta(seconds=29)) == []
    assert services.reminders_queue(now=NOW + timedelta(seconds=31)) == [ids]
    # Queued again, they are on their way: the next queue step leaves them alone.
    assert services.reminders_queue(now=NOW + timedelta(seconds=41)) == []


def test_rows_not_due_yet_are_not_queued():
    ids = recorded(1)
    Reminder.objects.filter(pk__in=ids).update(next_attempt_at=NOW + timedelta(minutes=5))

    assert services.reminders_queue(now=NOW) == []


def test_a_second_claim_of_the_same_rows_gets_nothing():
    ids = recorded(2)

    first = services.reminders_claim(ids=ids, now=NOW)
    second = services.reminders_claim(ids=ids, now=NOW + timedelta(seconds=1))

    assert Reminder.objects.filter(claim_token=first, status="sending").count() == 2
    assert not Reminder.objects.filter(claim_token=second).exists()
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_a_claim_whose_lease_ran_out_can_be_taken_over():
    ids = recorded(1)
    first = services.reminders_claim(ids=ids, now=NOW)

    assert not Reminder.objects.filter(claim_token=services.reminders_claim(ids=ids, now=NOW + timedelta(seconds=29)))
    taken = services.reminders_claim(ids=ids, now=NOW + timedelta(seconds=31))

    reminder = Reminder.objects.get()
    assert (reminder.claim_token, reminder.attempts) == (taken, 2)
    assert taken != first


# --- Sending -----------------------------------------------------------------------------


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_a_batch_sends_each_reminder_and_marks_it_sent(frozen):
    ids = recorded(2)

    counts = services.reminders_send_batch(ids=ids)

    assert counts == {"sent": 2}
    assert len(mail.outbox) == 2
    assert rows() == [("upcoming", IN_A_WEEK, "sent")] * 2
    assert Reminder.objects.filter(sent_at=NOW, attempts=1, claim_token__gt="").count() == 2


def test_running_the_same_batch_twice_sends_nothing_twice(frozen):
    ids = recorded(2)

    services.reminders_send_batch(ids=ids)
    counts = services.reminders_send_batch(ids=ids)

    assert counts == {}
    assert len(mail.outbox) == 2


def test_a_reminder_is_not_sent_before_its_send_after(frozen):
    ids = recorded(1)
    Reminder.objects.update(next_attempt_at=NOW + timedelta(hours=1))

    assert services.reminders_send_batch(ids=ids) == {}
    assert mail.outbox == []


def test_a_milestone_done_after_recording_cancels_its_reminder(frozen):
    ids = recorded(1)
    Milestone.objects.update(status="done", completed_at=NOW)

    assert services.reminders_send_batch(ids=ids) == {"cancelled": 1}
    assert mail.outbox == []
    assert Reminder.objects.get().last_error == "the milestone is done"


@pytest.mark.parametrize("status, reason", [("dropped", ""), ("not_needed", "Covered by my degree")])
def test_a_milestone_set_aside_after_recording_cancels_its_reminder(frozen, status, reason):
    ids = recorded(1)
    Milestone.objects.update(status=status, set_aside_reason=reason)

    assert services.reminders_send_batch(ids=ids) == {"cancelled": 1}
    assert mail.outbox == []
    assert Reminder.objects.get().last_error == "the milestone was set aside"


def test_unsubscribing_cancels_what_is_waiting(frozen):
    ids = recorded(1)
    user = Reminder.objects.get().user

    assert services.reminders_unsubscribe(user=user) is True
    assert services.reminders_unsubscribe(user=user) is False

    assert services.reminders_send_batch(ids=ids) == {}
    assert rows() == [("upcoming", IN_A_WEEK, "cancelled")]


def test_a_batch_stops_claiming_at_its_deadline_and_leaves_the_rest_for_the_next_sweep(frozen, settings):
    settings.REMINDER_CLAIM_CHUNK_SIZE = 1
    ids = recorded(3)
    services.reminders_queue(now=NOW)

    counts = services.reminders_send_batch(ids=ids, deadline_seconds=-1)

    assert counts == {"deferred": 3}
    assert Reminder.objects.filter(status="pending", queued_at__isnull=True).count() == 3


def test_a_batch_past_its_deadline_mid_chunk_gives_back_the_rows_it_has_not_tried(frozen, settings, monkeypatch):
    settings.REMINDER_CLAIM_CHUNK_SIZE = 3
    ids = recorded(5)
    services.reminders_queue(now=NOW)
    # A slow mail server: after the second email the batch is 50 s old, past its 10 s deadline.
    monkeypatch.setattr(services.time, "monotonic", lambda: 0.0 if len(mail.outbox) < 2 else 50.0)

    counts = services.reminders_send_batch(ids=ids, deadline_seconds=10)

    assert counts == {"sent": 2, "deferred": 3}
    assert len(mail.outbox) == 2
    assert rows() == [("upcoming", IN_A_WEEK, "sent")] * 2 + [("upcoming", IN_A_WEEK, "pending")] * 3
    # The given-back rows are free at once: queueable by the next queue step, their attempt not counted.
    waiting = Reminder.objects.filter(status="pending")
    assert set(waiting.values_list("claim_token", "attempts", "queued_at")) == {("", 0, None)}


@pytest.fixture
def slow_sends(frozen, monkeypatch):
    """Each email takes `seconds` of wall and monotonic time (a slow mail server); `after(n)` runs
    once the n-th email was sent."""

    class Slow:
        seconds = 0.0
        elapsed = 0.0
        after: dict = {}

    real_send = services.reminder_send

    def send(**kwargs):
        status = real_send(**kwargs)
        frozen.shift(timedelta(seconds=Slow.seconds))
        Slow.elapsed += Slow.seconds
        if hook := Slow.after.get(len(mail.outbox)):
            hook()
        return status

    monkeypatch.setattr(services, "reminder_send", send)
    monkeypatch.setattr(services.time, "monotonic", lambda: Slow.elapsed)
    return Slow


def test_a_batch_renews_its_lease_while_it_works_so_nobody_takes_its_rows(settings, slow_sends):
    settings.REMINDER_CLAIM_CHUNK_SIZE = 2
    ids = recorded(5)
    # Five emails of 8 s each: 40 s, longer than the 30 s lease the batch started with.
    slow_sends.seconds = 8
    seen = []
    slow_sends.after = {n: lambda: seen.append(services.reminders_queue(now=timezone.now())) for n in range(1, 5)}

    counts = services.reminders_send_batch(ids=ids)

    assert counts == {"sent": 5}
    assert seen == [[], [], [], []]  # nothing was ever free to be queued again
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}
    assert len(mail.outbox) == 5


def test_a_batch_that_outlived_its_lease_sends_none_of_the_rows_taken_over(settings, slow_sends):
    settings.REMINDER_CLAIM_CHUNK_SIZE = 5
    ids = recorded(5)
    taker = []

    def stall():
        # The process stalled for 40 s (swapped out, stopped): another batch took the rest over.
        slow_sends.elapsed += 40
        taker.append(services.reminders_claim(ids=ids, now=timezone.now() + timedelta(seconds=40)))

    slow_sends.after = {1: stall}

    counts = services.reminders_send_batch(ids=ids)

    assert counts["sent"] == 1
    assert len(mail.outbox) == 1
    assert Reminder.objects.filter(claim_token=taker[0], status="sending").count() == 4


def test_a_database_error_mid_batch_gives_back_the_rows_not_yet_tried(frozen, monkeypatch):
    ids = recorded(4)
    real_finish = services._finish
    calls = []

    def failing_finish(reminder, token, **changes):
        calls.append(reminder.pk)
        if len(calls) == 2:
            raise OperationalError("deadlock detected")
        return real_finish(reminder, token, **changes)

    monkeypatch.setattr(services, "_finish", failing_finish)

    with pytest.raises(OperationalError):
        services.reminders_send_batch(ids=ids)

    state = dict(Reminder.objects.values_list("pk", "status"))
    # The first was recorded; the second was handed to the mail server but not recorded, so it
    # stays claimed (see docs/reminders.md); the others are free again, their attempt not counted.
    assert [state[pk] for pk in ids] == ["sent", "sending", "pending", "pending"]
    assert (
        list(Reminder.objects.filter(pk__in=ids[2:]).values_list("attempts", "claim_token", "queued_at"))
        == [(0, "", None)] * 2
    )
    assert len(mail.outbox) == 2


class ScriptedBackend(LocmemBackend):
    """In-memory backend that raises the queued errors first, then delivers."""

    errors: list[Exception] = []
    opened = 0

    def open(self):
        ScriptedBackend.opened += 1
        return super().open()

    def send_messages(self, messages):
        if ScriptedBackend.errors:
            raise ScriptedBackend.errors.pop(0)
        return super().send_messages(messages)


@pytest.fixture
def scripted(settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.ScriptedBackend"}}
    ScriptedBackend.errors = []
    ScriptedBackend.opened = 0
    return ScriptedBackend


def test_a_temporary_error_leaves_the_reminder_pending_with_a_backed_off_next_attempt(frozen, scripted):
    ids = recorded(1)
    scripted.errors = [smtplib.SMTPServerDisconnected("Connection unexpectedly closed")]

    assert services.reminders_send_batch(ids=ids) == {"pending": 1}

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts, reminder.claim_token, reminder.queued_at) == ("pending", 1, "", None)
    assert NOW + timedelta(seconds=30) <= reminder.next_attempt_at <= NOW + timedelta(seconds=60)
    assert reminder.lease_until is None
    assert reminder.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert mail.outbox == []


def test_temporary_errors_are_retried_until_delivered(frozen, scripted):
    ids = recorded(1)
    scripted.errors = [smtplib.SMTPResponseException(421, b"busy"), smtplib.SMTPDataError(451, b"greylisted")]

    for _ in range(3):
        frozen.shift(timedelta(hours=2))
        services.reminders_send_batch(ids=ids)

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 3, "")
    assert len(mail.outbox) == 1
    # Each failure threw the connection away and the next send opened a fresh one.
    assert scripted.opened == 3


def test_temporary_errors_fail_the_reminder_after_the_last_attempt(frozen, scripted, settings):
    ids = recorded(1)
    attempts = settings.REMINDER_MAX_ATTEMPTS
    scripted.errors = [ConnectionRefusedError(111, "Connection refused") for _ in range(attempts + 1)]

    for _ in range(attempts + 1):
        frozen.shift(timedelta(hours=2))
        services.reminders_send_batch(ids=ids)

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts) == ("failed", attempts)
    assert reminder.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert len(scripted.errors) == 1


def test_retries_for_a_mail_server_that_stays_down_span_at_least_three_hours(frozen, scripted, settings):
    ids = recorded(1)
    scripted.errors = [ConnectionRefusedError(111, "Connection refused") for _ in range(100)]
    first_attempt = timezone.now()

    # Each attempt at the earliest moment the row allows: the shortest span there can be.
    while Reminder.objects.get().status == "pending":
        frozen.move_to(Reminder.objects.get().next_attempt_at)
        services.reminders_send_batch(ids=ids)

    reminder = Reminder.objects.get()
    span = timezone.now() - first_attempt
    assert (reminder.status, reminder.attempts) == ("failed", settings.REMINDER_MAX_ATTEMPTS)
    assert span >= timedelta(hours=3), span
    # The same floor from the rule alone: each delay is at least half its ceiling.
    floor = sum(
        (
            rules.retry_delay(
                n, rand=0.0, base=settings.REMINDER_RETRY_BASE_SECONDS, cap=settings.REMINDER_RETRY_CAP_SECONDS
            )
            for n in range(1, settings.REMINDER_MAX_ATTEMPTS)
        ),
        timedelta(),
    )
    assert span >= floor >= timedelta(hours=3)


def test_a_permanent_error_fails_the_reminder_at_once_and_records_why(frozen, scripted):
    ids = recorded(2)
    scripted.errors = [smtplib.SMTPRecipientsRefused({"x@example.com": (550, b"5.1.1 no such user")})]

    assert services.reminders_send_batch(ids=ids) == {"failed": 1, "sent": 1}

    failed = Reminder.objects.get(status="failed")
    assert failed.attempts == 1
    assert failed.last_error == "Recipient refused: x@example.com: 550 5.1.1 no such user"
    assert len(mail.outbox) == 1


def test_a_row_reclaimed_too_often_is_failed_without_sending(frozen):
    ids = recorded(1)
    Reminder.objects.update(
        status="sending", claimed_at=NOW - timedelta(hours=1), lease_until=NOW - timedelta(minutes=59), attempts=12
    )

    assert services.reminders_send_batch(ids=ids) == {"failed": 1}
    assert mail.outbox == []
    assert "Gave up after 12 attempts" in Reminder.objects.get().last_error


def test_a_retry_puts_a_failed_reminder_back_and_hands_it_over(frozen, scripted):
    ids = recorded(1)
    scripted.errors = [smtplib.SMTPDataError(554, b"rejected")]
    services.reminders_send_batch(ids=ids)
    handed: list[list[int]] = []

    assert services.reminders_retry(ids=ids, on_retried=handed.append) == ids

    reminder = Reminder.objects.get()
    assert (reminder.status, reminder.attempts, reminder.next_attempt_at) == ("pending", 0, NOW)
    assert handed == [ids]
    assert services.reminders_send_batch(ids=ids) == {"sent": 1}


def test_only_a_failed_reminder_is_retried(frozen):
    ids = recorded(1)
    handed: list[list[int]] = []

    assert services.reminders_retry(ids=ids, on_retried=handed.append) == []
    assert handed == []
    assert Reminder.objects.get().status == "pending"


# --- The tasks, eagerly --------------------------------------------------------------------


def test_the_sweep_task_queues_and_sends_after_commit_once(frozen, django_capture_on_commit_callbacks):
    plan_for(person(), IN_A_WEEK, TODAY - timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.sweep_reminders()
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.sweep_reminders()

    assert result == {"due": 2, "queued": 2, "batches": 1}
    assert (again["queued"], again["batches"]) == (0, 0)
    assert sorted(m.subject.split(":")[0] for m in mail.outbox) == ["Coming up on 10 March", "Past its date (2 March)"]


def test_the_queue_task_hands_out_a_crashed_batchs_rows_and_the_beat_runs_it_every_10_s(
    frozen, settings, django_capture_on_commit_callbacks
):
    ids = recorded(3)
    services.reminders_queue(now=NOW)
    services._lease_pending(ids=ids[1:], now=NOW)
    services.reminders_claim(ids=ids[:1], now=NOW)  # then the worker died
    frozen.shift(timedelta(seconds=31))

    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.queue_reminders()

    assert result == {"queued": 3, "batches": 1}
    assert rows() == [("upcoming", IN_A_WEEK, "sent")] * 3
    assert list(Reminder.objects.order_by("pk").values_list("attempts", flat=True)) == [2, 1, 1]
    entry = settings.CELERY_BEAT_SCHEDULE["reminders-queue"]
    assert (entry["task"], entry["schedule"]) == (tasks.queue_reminders.name, 10)


def test_messages_queued_under_the_plans_app_task_names_still_run(frozen, django_capture_on_commit_callbacks):
    # Queued before the upgrade that moved the tasks to the reminders app: kept for one release.
    plan_for(person(), IN_A_WEEK)
    old_sweep = current_app.tasks["plans.tasks.sweep_reminders"]
    old_send = current_app.tasks["plans.tasks.send_reminder_batch"]

    with django_capture_on_commit_callbacks(execute=True):
        swept = old_sweep.delay().get()
    resent = old_send.delay(list(Reminder.objects.values_list("pk", flat=True))).get()

    assert swept == {"due": 1, "queued": 1, "batches": 1}
    assert resent == {}  # sent already, by the sweep's batch: nothing twice
    assert len(mail.outbox) == 1


def test_the_sweep_task_queues_nothing_before_commit(frozen, django_capture_on_commit_callbacks):
    plan_for(person(), IN_A_WEEK)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.sweep_reminders()

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_broker_refusing_the_batch_makes_the_rows_queueable_again(frozen, monkeypatch):
    ids = recorded(2)
    services.reminders_queue(now=NOW)

    def refuse(batch):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(tasks.send_reminder_batch, "delay", refuse)
    tasks.queue_send(ids)

    assert Reminder.objects.filter(queued_at__isnull=True).count() == 2


def test_saving_a_plan_does_not_touch_the_broker(engineer, catalog, make_result, monkeypatch):
    def no_broker(*args, **kwargs):
        raise AssertionError("the broker was used")

    monkeypatch.setattr(tasks.send_reminder_batch, "delay", no_broker)
    monkeypatch.setattr(tasks.sweep_reminders, "delay", no_broker)
    result = make_result(engineer)

    plan = plan_services.plan_create(
        user=engineer,
        result=result,
        target_role=catalog.roles["manager"],
        goal_slug="manager",
        goal_name="Manager",
        path=[],
        generator_version="test",
        horizon_months=12,
        milestones=[plan_services.MilestoneDraft(kind="custom", title="Lead a project", due_date=timezone.localdate())],
    )

    assert plan.milestones.count() == 1
    assert not Reminder.objects.exists()
