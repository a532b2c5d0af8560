"""Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process, each on its interval.

`make run` starts it beside runserver, so that with the embedded defaults (no broker: Celery runs
tasks eagerly) the reminder sweep and the HR dashboard refresh happen as they do in production,
and reminder emails appear on the console. It is Celery's own scheduler (`celery.beat.Scheduler`,
which `celery beat` runs too) kept in memory: each entry runs once at start, then every interval.
With a broker configured it only queues the tasks, as `celery beat` does; production runs
`celery beat` (docs/operations.md).
"""

import contextlib
import time
from datetime import UTC, datetime

from celery.beat import Scheduler
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from careerpath.celery import app as celery_app

# An entry last run at this moment is due at once: every task runs when the schedule starts.
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


def scheduler_for(schedule: dict) -> Scheduler:
    """Celery's scheduler over `schedule` (CELERY_BEAT_SCHEDULE's shape), held in memory."""
    celery_app.loader.import_default_modules()  # every app's tasks.py, so each entry names a known task
    scheduler = Scheduler(app=celery_app, lazy=True)
    scheduler.merge_inplace({name: {**entry, "last_run_at": LONG_AGO} for name, entry in schedule.items()})
    return scheduler


def run(scheduler: Scheduler, *, seconds: float | None = None, sleep=time.sleep, clock=time.monotonic) -> None:
    """Run due tasks and sleep until the next is due; for `seconds`, or until interrupted."""
    stop_at = None if seconds is None else clock() + seconds
    while stop_at is None or clock() < stop_at:
        # tick() runs what is due and says when the next entry is; that is in the past (negative)
        # when a task ran past another's time: then tick again at once (time.sleep refuses it).
        delay = scheduler.tick()
        if stop_at is not None:
            delay = min(delay, max(stop_at - clock(), 0))
        sleep(max(delay, 0))


class Command(BaseCommand):
    help = (
        "Run the periodic tasks (CELERY_BEAT_SCHEDULE) in this process on their intervals: the reminder sweep "
        "and the HR dashboard refresh. For the local run; production runs `celery beat`."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seconds", type=float, default=None, help="stop after this many seconds (default: run until stopped)"
        )

    def handle(self, *args, seconds: float | None, **options):
        schedule = settings.CELERY_BEAT_SCHEDULE
        if not schedule:
            raise CommandError("CELERY_BEAT_SCHEDULE is empty: there is nothing to run.")
        every = ", ".join(f"{name} every {_interval(entry['schedule'])}" for name, entry in schedule.items())
        mode = "in this process" if settings.CELERY_TASK_ALWAYS_EAGER else "queued to the broker"
        self.stdout.write(f"Running the periodic tasks {mode}: {every}.")
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C, or `make run` stopping
            run(scheduler_for(schedule), seconds=seconds)


def _interval(schedule) -> str:
    seconds = getattr(schedule, "total_seconds", lambda: schedule)()
    if isinstance(seconds, int | float):
        return f"{seconds / 60:g} min" if seconds >= 60 else f"{seconds:g} s"
    return str(schedule)
