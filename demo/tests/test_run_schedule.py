"""run_schedule: the beat schedule's tasks, run in this process on their intervals (the local run)."""

import time
from datetime import UTC, datetime, timedelta
from io import StringIO

import time_machine
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from demo.management.commands import run_schedule
from reminders.models import Reminder, ReminderPolicy
from reminders.tests.reminder_fixtures import person, plan_for

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_the_command_sends_a_due_reminder_to_the_console_mailer_as_soon_as_it_starts(
    db, django_capture_on_commit_callbacks
):
    # Given a milestone due in three days and a send window open now
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"send_hour": timezone.now().astimezone(UTC).hour})
    engineer = person(tz="UTC", lead=7, email="due-soon@example.com")
    plan_for(engineer, timezone.now().date() + timedelta(days=3), starts_on=timezone.now().date())
    out = StringIO()

    # When the schedule runs for a moment
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_schedule", seconds=0.5, stdout=out)

    # Then the sweep ran in this process and the reminder went out
    assert "reminders-sweep every 15 min" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["due-soon@example.com"]]
    assert Reminder.objects.get().status == Reminder.Status.SENT


def test_each_task_runs_at_start_then_on_its_own_interval(db):
    # db: loading the tasks runs Django's system checks, and a JSONField's asks the database what it supports
    # (on an xdist worker where nothing asked before, that is this test's first query)
    # Given the configured schedule, each run recorded instead of done (the test above runs one for real)
    runs = []
    scheduler = run_schedule.scheduler_for(settings.CELERY_BEAT_SCHEDULE)
    scheduler.apply_entry = lambda entry, producer=None: runs.append((entry.name, time.time()))
    minutes = 35

    # When 35 minutes pass on a clock that moves only while the command sleeps (a sleep takes at least 10 ms)
    with time_machine.travel(START, tick=False) as traveller:
        run_schedule.run(
            scheduler, seconds=minutes * 60, sleep=lambda seconds: traveller.shift(max(seconds, 0.01)), clock=time.time
        )

    # Then every entry ran at once and then every interval: the sweep at 0, 15 and 30 minutes, and so on
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        interval = entry["schedule"]
        at = [round(moment - START.timestamp()) for kind, moment in runs if kind == name]
        expected = list(range(0, minutes * 60, int(interval)))
        assert len(at) == len(expected), name
        assert all(abs(a - e) <= 1 for a, e in zip(at, expected, strict=True)), (name, at[:5])
    assert [round(m - START.timestamp()) for kind, m in runs if kind == "reminders-sweep"] == [0, 900, 1800]


def test_an_overdue_next_entry_is_run_at_once_instead_of_sleeping_a_negative_time():
    """tick() says how long until the next entry; negative when a task ran past another's time."""
    from demo.management.commands.run_schedule import run

    class Late:
        ticks = 0

        def tick(self):
            self.ticks += 1
            return -2.5 if self.ticks == 1 else 30.0

    slept: list[float] = []
    now = [0.0]

    def sleep(seconds):
        assert seconds >= 0, "time.sleep refuses a negative length"
        slept.append(seconds)
        now[0] += seconds

    scheduler = Late()
    run(scheduler, seconds=60, sleep=sleep, clock=lambda: now[0])

    assert scheduler.ticks == 3  # the overdue one at once, then on its interval until the minute is up
    assert slept == [0, 30.0, 30.0]
