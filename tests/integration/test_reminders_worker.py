"""Reminders through a real Redis and real `celery worker` processes, delivered exactly once.

Each test starts its own redis-server and workers (killed in the end, whatever happens),
against the pytest PostgreSQL database; deliveries are files in a directory, or messages to a
scripted SMTP server, so this process can count what the workers sent.
"""

import time
from datetime import timedelta

import pytest
from django.db import connection
from kombu.exceptions import OperationalError

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from plans import services as plan_services
from plans.models import Milestone, Plan
from reminders import services, tasks
from reminders.models import Reminder

from .conftest import delivered
from .crashes import crash_cycle, figures, record_due_now
from .processes import FakeSMTP, local_morning_zone, wait_until

pytestmark = [
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def people_with_due_milestones(people: int, milestones: int = 1, *, emails=None) -> list[int]:
    """People in a zone where it is mid-morning, each with milestones due in three local days."""
    zone, local_now = local_morning_zone()
    due = local_now.date() + timedelta(days=3)
    ids = []
    for n in range(people):
        fields = {"email": emails[n]} if emails else {}
        user = UserFactory(**fields)
        Profile.objects.filter(user=user).update(time_zone=zone)
        plan = Plan.objects.create(
            user=user,
            target_slug="engineering-manager",
            target_name="Engineering Manager",
            goal_slug="engineering-manager",
            goal_name="Engineering Manager",
            generator_version="test",
            starts_on=local_now.date(),
            horizon_months=12,
        )
        Milestone.objects.bulk_create(
            Milestone(plan=plan, title=f"Step {k}", due_date=due, order=k) for k in range(milestones)
        )
        ids.append(user.pk)
    return ids


def statuses() -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Reminder.objects.values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def sweeps_done(worker) -> int:
    return worker.output().count("Reminder sweep:")


def test_a_reminder_goes_through_the_broker_and_is_delivered_exactly_once(start_worker, broker, mail_dir):
    people_with_due_milestones(1)
    worker = start_worker()

    broker.send_task("reminders.tasks.sweep_reminders")
    wait_until(lambda: statuses() == {"sent": 1}, timeout=30, what="the reminder to be sent")
    broker.send_task("reminders.tasks.sweep_reminders")
    wait_until(lambda: sweeps_done(worker) == 2, timeout=30, what="the second sweep")
    time.sleep(1)  # room for anything the second sweep might (wrongly) have queued

    reminder = Reminder.objects.get()
    assert delivered(mail_dir) == {str(reminder.pk): 1}
    assert (reminder.attempts, reminder.kind) == (1, "upcoming")
    (message,) = mail_dir.glob("*.eml")
    text = message.read_text()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
    assert f"https://careerpath.example.com/plans/{reminder.milestone.plan_id}/#m-{reminder.milestone_id}" in text


def test_two_sweeps_at_once_and_repeated_batches_send_each_reminder_once(start_worker, broker, mail_dir):
    people_with_due_milestones(10, milestones=3)
    start_worker(concurrency=2, REMINDER_CLAIM_CHUNK_SIZE="4")
    start_worker(concurrency=2, REMINDER_CLAIM_CHUNK_SIZE="4")

    # Two sweeps at the same moment, on four pool processes in two workers, and this process
    # sweeping and handing out the same ids again, as a redelivered or retried task would.
    broker.send_task("reminders.tasks.sweep_reminders")
    broker.send_task("reminders.tasks.sweep_reminders")
    services.reminder_sweep()
    ids = list(Reminder.objects.values_list("pk", flat=True))
    for _ in range(3):
        broker.send_task("reminders.tasks.send_reminder_batch", args=[ids])
    wait_until(lambda: statuses() == {"sent": 30}, timeout=60, what="30 reminders to be sent")
    time.sleep(1)

    counts = delivered(mail_dir)
    assert len(counts) == 30
    assert set(counts.values()) == {1}


def milestones_far_ahead(people: int, per_person: int) -> list[Milestone]:
    """Milestones due in 200 days, which no sweep reminds anyone of yet; rows are recorded by hand."""
    zone, local_now = local_morning_zone()
    for _ in range(people):
        user = UserFactory()
        Profile.objects.filter(user=user).update(time_zone=zone)
        plan = Plan.objects.create(
            user=user,
            target_slug="engineering-manager",
            target_name="Engineering Manager",
            goal_slug="engineering-manager",
            goal_name="Engineering Manager",
            generator_version="test",
            starts_on=local_now.date(),
            horizon_months=12,
        )
        Milestone.objects.bulk_create(
            Milestone(plan=plan, title=f"Step {k}", due_date=local_now.date() + timedelta(days=200), order=k)
            for k in range(per_person)
        )
    return list(Milestone.objects.select_related("plan").order_by("pk"))


# Scaled-down timings: a 4 s lease (renewed every 0.67 s) and a queue step every 0.5 s from a real
# `celery beat`; the defaults (30 s, 10 s) are measured by bench/bench_reminders_crash.py.
CRASH_TIMINGS = {
    "REMINDER_TEST_MAIL_DIR": "",
    "REMINDER_LEASE_SECONDS": "4",
    "REMINDER_QUEUE_INTERVAL_SECONDS": "0.5",
    "REMINDER_SEND_BATCH_SIZE": "10",
    "REMINDER_CLAIM_CHUNK_SIZE": "5",
}
KILLS, PER_KILL = 3, 40


def test_a_worker_killed_mid_batch_three_times_loses_nothing_and_repeats_only_what_was_in_flight(
    start_worker, start_beat
):
    with FakeSMTP({}, delay=0.02) as smtp:
        env = {**CRASH_TIMINGS, "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"}
        milestones = milestones_far_ahead(4, KILLS * PER_KILL // 4)

        def restart():
            return start_worker(concurrency=2, **env)

        worker = restart()
        start_beat(**env)
        cycles = []
        for kill in range(KILLS):
            ids = record_due_now(milestones[kill * PER_KILL : (kill + 1) * PER_KILL])
            cycle, worker = crash_cycle(ids=ids, smtp=smtp, worker=worker, restart=restart, kill_after=10)
            cycles.append(cycle)
        found = figures(cycles, smtp)
        print("Crash figures:", found.as_dict())  # shown when the test fails

    assert statuses() == {"sent": KILLS * PER_KILL}
    # Every kill caught the workers mid-batch: rows were claimed and not all sent.
    assert all(cycle.claimed_at_kill >= 1 and cycle.accepted_before_kill < PER_KILL for cycle in cycles), cycles
    assert found.lost == []
    # Duplicates: only a message the server accepted around a kill (within 2 s; its last byte had
    # left the worker, the sent mark had not committed), at most one per sending process, never a
    # third copy, always the same Message-ID.
    assert found.unattributed == [] and found.message_ids_differ == []
    assert found.most_copies <= 2
    for kill, cycle in enumerate(cycles):
        assert len(found.duplicates.get(kill, [])) <= cycle.processes == 2
    # The rest went out soon after each restart: the dead worker's lease (4 s) ran out, the next
    # queue step handed its rows out again. (The default 30 s lease: docs/reminders.md.)
    assert max(found.recovery_seconds) < 15, found.recovery_seconds
    # The rows the dead worker had claimed were taken over, counting a second attempt.
    assert Reminder.objects.filter(attempts=2).count() >= 1


def test_with_redis_down_saving_a_plan_works_and_the_reminder_goes_out_when_it_returns(
    start_worker, broker, mail_dir, redis_server
):
    from roles.tests.factories import build_catalog

    catalog = build_catalog()
    zone, local_now = local_morning_zone()
    user = UserFactory()
    Profile.objects.filter(user=user).update(time_zone=zone)
    start_worker()
    redis_server.stop()

    # This process now publishes to the stopped Redis, as the web does in production.
    app = tasks.sweep_reminders._get_app()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    try:
        started = time.monotonic()
        plan = plan_services.plan_create(
            user=user,
            result=None,
            target_role=catalog.roles["manager"],
            goal_slug="manager",
            goal_name="Engineering Manager",
            path=[],
            generator_version="test",
            horizon_months=12,
            milestones=[
                plan_services.MilestoneDraft(
                    kind="custom", title="Run a planning meeting", due_date=local_now.date() + timedelta(days=2)
                )
            ],
        )
        assert time.monotonic() - started < 2
        # The broker really is configured here and really is down: publishing fails.
        with pytest.raises(OperationalError), app.connection_for_write() as connection:
            tasks.sweep_reminders.apply_async(retry=False, connection=connection)
    finally:
        app.conf.update(**saved)
    assert plan.milestones.count() == 1

    redis_server.start()
    wait_until(
        lambda: broker.send_task("reminders.tasks.sweep_reminders") and statuses() == {"sent": 1},
        timeout=90,
        interval=2,
        what="the reminder after Redis returned",
    )
    assert delivered(mail_dir) == {str(Reminder.objects.get().pk): 1}


def test_temporary_smtp_errors_are_retried_and_permanent_ones_recorded(start_worker, broker):
    emails = ["flaky@example.com", "bounce@example.com", "fine@example.com"]
    script = {"flaky@example.com": [451, 421], "bounce@example.com": [550]}
    with FakeSMTP(script) as smtp:
        people_with_due_milestones(3, emails=emails)
        start_worker(
            REMINDER_TEST_MAIL_DIR="",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp.port}",
            REMINDER_RETRY_BASE_SECONDS="0.5",
            REMINDER_RETRY_CAP_SECONDS="1",
        )

        def settled():
            broker.send_task("reminders.tasks.sweep_reminders")
            return statuses() == {"sent": 2, "failed": 1}

        wait_until(settled, timeout=90, interval=1, what="the retries to settle")

    rows = {r.user.email: r for r in Reminder.objects.select_related("user")}
    flaky, bounce, fine = rows["flaky@example.com"], rows["bounce@example.com"], rows["fine@example.com"]
    assert (flaky.status, flaky.attempts, flaky.last_error) == ("sent", 3, "")
    assert (fine.status, fine.attempts) == ("sent", 1)
    assert (bounce.status, bounce.attempts) == ("failed", 1)
    assert "550" in bounce.last_error and "No such user" in bounce.last_error
    assert smtp.attempts == {"flaky@example.com": 3, "bounce@example.com": 1, "fine@example.com": 1}
    assert sorted(address for address, _ in smtp.received) == ["fine@example.com", "flaky@example.com"]


def test_the_worker_database_is_the_test_database():
    # The workers read and write the database this process sees; a guard against testing nothing.
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")
