"""Benchmark: a reminder worker killed mid-batch twenty times, counted in a recording SMTP server.

Run: .venv/bin/python bench/bench_reminders_crash.py [--kills 20] [--per-kill 400] [--concurrency 4]

With the default reminder settings (a 30 s lease, the queue step every 10 s from a real
`celery beat`, chunks of 50, batches of 200), a private redis-server, one `celery worker` and a
recording SMTP server in this process (tests/integration/processes.py: it answers each message
after --smtp-delay seconds and notes when it accepted what), each cycle records --per-kill
reminders due now, waits until a random share of them (10-60 %) was accepted, SIGKILLs the
worker's main process (its pool processes die with it), starts a new worker and waits until
every reminder of the cycle is sent (tests/integration/crashes.py). It reports what was lost,
what was sent twice (per kill, against the number of sending processes, and whether the copies
carried the same Message-ID) and how long after each restart the cycle's last reminder was
accepted. Results go to bench/results/reminders_crash.json.

Needs PostgreSQL (BENCH_CRASH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/careerpath_bench_crash, created and migrated if missing and
emptied first: never point it at a database that matters) and redis-server on PATH.
"""

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_reminders import ensure_database, setup_django  # noqa: E402
from tests.integration.crashes import crash_cycle, figures, record_due_now  # noqa: E402
from tests.integration.processes import Beat, FakeSMTP, RedisServer, Worker, local_morning_zone  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/careerpath_bench_crash"


def seed(count: int) -> list:
    """Empty the database's people, then `count` milestones due in 200 days (no sweep reminds of them)."""
    from django.db import connection

    from accounts.models import Profile, User
    from plans.models import Milestone, Plan

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE plans_reminder, plans_milestone, plans_plan, accounts_profile, accounts_user "
            "RESTART IDENTITY CASCADE"
        )
    zone, local_now = local_morning_zone()
    people = max(1, count // 10)
    users = User.objects.bulk_create(
        User(email=f"crash{n}@example.com", name=f"Crash Person {n}", password="!") for n in range(people)
    )
    Profile.objects.bulk_create(Profile(user=u, time_zone=zone) for u in users)
    plans = Plan.objects.bulk_create(
        Plan(
            user=u,
            target_slug="engineering-manager",
            target_name="Engineering Manager",
            goal_slug="engineering-manager",
            goal_name="Engineering Manager",
            generator_version="bench",
            starts_on=local_now.date(),
            horizon_months=12,
        )
        for u in users
    )
    due = local_now.date() + timedelta(days=200)
    Milestone.objects.bulk_create(
        Milestone(plan=plans[n % people], title=f"Milestone {n}", due_date=due, order=n) for n in range(count)
    )
    return list(Milestone.objects.select_related("plan").order_by("pk"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--per-kill", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--smtp-delay", type=float, default=0.01, help="seconds the server takes to accept a message")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "reminders_crash.json")
    args = parser.parse_args()

    db_url = os.environ.get("BENCH_CRASH_DATABASE_URL", DEFAULT_DB)
    ensure_database(db_url)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bench-crash-") as tmp, FakeSMTP({}, delay=args.smtp_delay) as smtp:
        workdir = Path(tmp)
        redis = RedisServer(workdir).start()
        workers: list[Worker] = []
        beat = None
        try:
            setup_django(db_url, redis.url)
            from django.conf import settings

            milestones = seed(args.kills * args.per_kill)
            env = {
                "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
                "DATABASE_URL": db_url,
                "CELERY_BROKER_URL": redis.url,
                "REMINDER_TEST_MAIL_DIR": "",
                "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
                "SITE_URL": "https://careerpath.example.com",
            }

            def restart() -> Worker:
                workers.append(Worker(env=env, logdir=workdir, concurrency=args.concurrency).start())
                return workers[-1]

            worker = restart()
            beat = Beat(env=env, workdir=workdir).start()
            cycles = []
            for kill in range(args.kills):
                ids = record_due_now(milestones[kill * args.per_kill : (kill + 1) * args.per_kill])
                kill_after = random.randint(args.per_kill // 10, args.per_kill * 6 // 10)
                cycle, worker = crash_cycle(
                    ids=ids, smtp=smtp, worker=worker, restart=restart, kill_after=kill_after, timeout=300
                )
                cycles.append(cycle)
                print(
                    f"kill {kill + 1}: {cycle.accepted_before_kill} of {len(ids)} accepted before it, "
                    f"{cycle.claimed_at_kill} claimed; the last accepted "
                    f"{cycle.done_at - cycle.restarted_at:.1f} s after the restart",
                    flush=True,
                )
            found = figures(cycles, smtp)
        finally:
            if beat is not None:
                beat.stop()
            for w in workers:
                w.kill()
            redis.stop()

    result = {
        "benchmark": "reminders_crash",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "load_average_after": round(os.getloadavg()[0], 2),
        "seconds": round(time.monotonic() - started, 1),
        "settings": {
            "lease_seconds": settings.REMINDER_LEASE_SECONDS,
            "queue_interval_seconds": settings.REMINDER_QUEUE_INTERVAL_SECONDS,
            "claim_chunk_size": settings.REMINDER_CLAIM_CHUNK_SIZE,
            "send_batch_size": settings.REMINDER_SEND_BATCH_SIZE,
            "concurrency": args.concurrency,
            "smtp_delay_seconds": args.smtp_delay,
            "reminders_per_kill": args.per_kill,
        },
        **found.as_dict(),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
