"""Celery tasks for reminders: an interface over reminders/services.py, not logic.

They take ids, call services and own retries. Both are idempotent: the Reminder rows are
the truth, so running either twice (a redelivered message, a retry) sends nothing twice.
Retries here are only for infrastructure hiccups (database, broker) and use short countdowns;
SMTP retries are driven by each row's next_attempt_at and the queue step, never by a countdown.
"""

import logging
from functools import partial

from celery import shared_task
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError as BrokerError

from . import services

logger = logging.getLogger(__name__)

INFRA_ERRORS = (DatabaseError, BrokerError, ConnectionError)
TASK_OPTIONS = {
    "acks_late": True,
    "autoretry_for": INFRA_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 60,
    "max_retries": 3,
}


def queue_send(batch: list[int]) -> None:
    """Hand these reminder ids to a worker (call it from transaction.on_commit)."""
    try:
        send_reminder_batch.delay(batch)
    except Exception:
        # The broker refused it: make the rows queueable again, so the next queue step tries at once.
        logger.exception("Could not queue %d reminders; the next queue step will", len(batch))
        services.reminders_unqueue(ids=batch)


def queue_batches(ids: list[int]) -> None:
    """Hand these ids to the workers in batches once the current transaction commits."""
    for batch in services.batches(ids):
        transaction.on_commit(partial(queue_send, batch))


@shared_task(**TASK_OPTIONS)
def sweep_reminders() -> dict:
    """Record what is due, then hand the sendable rows to send_reminder_batch in batches.

    New rows go to the workers as each slice of them is recorded (the workers start sending
    while the sweep records the rest); then every other sendable row (retries, rows whose
    task was lost) is queued.
    """
    batches: list[list[int]] = []

    def hand_over(ids: list[int]) -> None:  # runs inside the transaction that recorded them
        for batch in services.batches(ids):
            batches.append(batch)
            transaction.on_commit(partial(queue_send, batch))

    due = services.reminder_sweep(on_recorded=hand_over)
    with transaction.atomic():
        for batch in services.reminders_queue():
            batches.append(batch)
            transaction.on_commit(partial(queue_send, batch))
    queued = sum(len(b) for b in batches)
    logger.info("Reminder sweep: %d due, %d queued in %d batches", due, queued, len(batches))
    return {"due": due, "queued": queued, "batches": len(batches)}


@shared_task(**TASK_OPTIONS)
def queue_reminders() -> dict:
    """Hand out every sendable row no worker has (beat, every REMINDER_QUEUE_INTERVAL_SECONDS):
    retries whose time has come, and the rows of a batch whose worker died, once its lease ran out."""
    with transaction.atomic():
        batches = services.reminders_queue()
        for batch in batches:
            transaction.on_commit(partial(queue_send, batch))
    queued = sum(len(b) for b in batches)
    if queued:
        logger.info("Reminder queue: %d queued in %d batches", queued, len(batches))
    return {"queued": queued, "batches": len(batches)}


@shared_task(**TASK_OPTIONS)
def send_reminder_batch(ids: list[int]) -> dict:
    """Claim and send these reminders; rows already sent, claimed elsewhere or cancelled are skipped."""
    counts = services.reminders_send_batch(ids=[int(pk) for pk in ids])
    return dict(counts)


# The names these tasks had while they lived in the plans app, kept for one release: messages
# queued before an upgrade (and a beat still on the old schedule) run the same code.
@shared_task(name="plans.tasks.sweep_reminders", **TASK_OPTIONS)
def sweep_reminders_old_name() -> dict:
    return sweep_reminders()


@shared_task(name="plans.tasks.send_reminder_batch", **TASK_OPTIONS)
def send_reminder_batch_old_name(ids: list[int]) -> dict:
    return send_reminder_batch(ids)
