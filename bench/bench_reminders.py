"""Benchmark: reminders swept and sent end to end through Redis and a Celery worker.

Run: .venv/bin/python bench/bench_reminders.py [--sizes 10000 100000] [--concurrency 4]

For each size it seeds that many due milestones (bulk_create, 10 per person) in a PostgreSQL
database of its own (careerpath_bench_reminders, created and migrated if missing; it is emptied
before each size, so never point it at a database that matters), starts a private
redis-server and one `celery worker` whose email backend counts messages in memory (after
serialising each as SMTP would), publishes one sweep task, and waits until every reminder
row is sent. It reports emails per second end to end (from publishing the sweep to the last
row marked sent), the sweep's own time, and the worker's peak memory (VmHWM of the main
process and of the largest pool process). Results go to bench/results/reminders.json.

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/careerpath_bench_reminders)
and redis-server on PATH. Nothing touches the development or test databases.
"""

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.integration.processes import (  # noqa: E402
    RedisServer,
    Worker,
    broker_app,
    local_morning_zone,
    peak_memory_kib,
    wait_until,
)

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/careerpath_bench_reminders"
PEOPLE_PER_MILESTONES = 10


def ensure_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    args = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "postgres"]
    exists = subprocess.run(
        ["psql", *args, "-d", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if exists != "1":
        subprocess.run(["createdb", *args, name], check=True)


def setup_django(db_url: str, broker_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.integration.worker_settings"
    os.environ["DATABASE_URL"] = db_url
    os.environ["CELERY_BROKER_URL"] = broker_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def reset_and_seed(milestones: int) -> str:
    """Empty the bench database's people and plans, then seed `milestones` due milestones."""
    from django.db import connection

    from accounts.models import Profile, User
    from plans.models import Milestone, Plan
    from reminders.models import ReminderPolicy

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE plans_reminder, plans_milestone, plans_plan, accounts_profile, accounts_user "
            "RESTART IDENTITY CASCADE"
        )
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"send_hour": 9, "reassess_after_months": 6})
    zone, local_now = local_morning_zone()
    due = local_now.date() + timedelta(days=3)
    people = milestones // PEOPLE_PER_MILESTONES
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.com", name=f"Bench Person {n}", password="!") for n in range(people)
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
    for start in range(0, len(plans), 1000):
        Milestone.objects.bulk_create(
            Milestone(plan=p, title=f"Milestone {k} of plan {p.pk}", due_date=due, order=k)
            for p in plans[start : start + 1000]
            for k in range(PEOPLE_PER_MILESTONES)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return zone


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU time of a process (with `children`: of its exited, waited-for children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    first = 13 if children else 11
    return (int(fields[first]) + int(fields[first + 1])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> float:
    """CPU time of every PostgreSQL process on this machine, plus what its exited backends used
    (the postmaster's children time): all databases, so other people's queries count too."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            name = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if name in ("postgres", "postmaster"):
            pid = int(entry.name)
            total += cpu_seconds(pid)
            if Path(f"/proc/{pid}/status").exists() and _is_postmaster(pid):
                total += cpu_seconds(pid, children=True)
    return total


def _is_postmaster(pid: int) -> bool:
    try:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        return (Path(f"/proc/{parent}/comm").read_text().strip()) not in ("postgres", "postmaster")
    except (OSError, ValueError):
        return False


def run_size(size: int, *, db_url: str, redis: RedisServer, workdir: Path, concurrency: int) -> dict:
    from django.db.models import Count, Max, Min

    from reminders.models import Reminder

    reset_and_seed(size)
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.integration.worker_settings",
        "DATABASE_URL": db_url,
        "CELERY_BROKER_URL": redis.url,
        "REMINDER_BENCH_COUNTING": "1",
        "REMINDER_TEST_MAIL_DIR": "",
    }
    worker = Worker(env=env, logdir=workdir, concurrency=concurrency).start()
    peaks: dict[int, int] = {}
    cpu: dict[int, float] = {}
    app = broker_app(redis.url)
    try:
        # The worker's start-up (importing Django, forking the pool) is not the reminders' cost.
        cpu_at_start = {pid: cpu_seconds(pid) for pid in worker.pids()}
        postgres_before = postgres_cpu()
        published_at = time.time()
        app.send_task("reminders.tasks.sweep_reminders")

        def done() -> bool:
            for pid in worker.pids():
                peaks[pid] = max(peaks.get(pid, 0), peak_memory_kib(pid))
                cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid))
            sent = Reminder.objects.filter(status=Reminder.Status.SENT).count()
            return sent >= size

        # Polled once a second (the count reads every row: at 100,000 it costs PostgreSQL 40 ms);
        # the end is the last row's sent_at, not the poll that saw it, so polling adds no error.
        wait_until(done, timeout=120 + size / 10, interval=1.0, what=f"{size} reminders to be sent")
        sent_at = Reminder.objects.aggregate(first=Min("sent_at"), last=Max("sent_at"))
        elapsed = sent_at["last"].timestamp() - published_at
        first_row = sent_at["first"].timestamp() - published_at
        postgres_used = postgres_cpu() - postgres_before
        for pid in worker.pids():
            peaks[pid] = max(peaks.get(pid, 0), peak_memory_kib(pid))
            cpu[pid] = max(cpu.get(pid, 0.0), cpu_seconds(pid))
        main_pid = worker.process.pid
    finally:
        app.close()
        worker.stop()
    log = worker.output()
    sweep = re.search(r"Task reminders\.tasks\.sweep_reminders\[[^\]]+\] succeeded in ([0-9.]+)s", log)
    statuses = dict(Reminder.objects.values_list("status").annotate(n=Count("pk")).order_by())
    children = [kib for pid, kib in peaks.items() if pid != main_pid]
    return {
        "milestones": size,
        "emails": statuses.get("sent", 0),
        "statuses": statuses,
        "seconds_total": round(elapsed, 2),
        "emails_per_second": round(statuses.get("sent", 0) / elapsed, 1),
        "sweep_seconds": float(sweep.group(1)) if sweep else None,
        "seconds_to_first_email": round(first_row, 2) if first_row else None,
        "worker_main_peak_mib": round(peaks.get(main_pid, 0) / 1024, 1),
        "worker_pool_peak_mib": round(max(children, default=0) / 1024, 1),
        # CPU per email: the worker's processes from publishing the sweep (not their start-up),
        # and every PostgreSQL process on the machine during the run (other databases' work included).
        "worker_cpu_ms_per_email": round(
            sum(used - cpu_at_start.get(pid, 0.0) for pid, used in cpu.items()) / max(size, 1) * 1000, 3
        ),
        "postgres_cpu_ms_per_email": round(postgres_used / max(size, 1) * 1000, 3),
        "concurrency": concurrency,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    # Sending waits for the database (each sent mark's commit) for much of every email, so more
    # pool processes than cores keep the cores busy: 4 sent a quarter more than 2 on 2 cores.
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "reminders.json")
    args = parser.parse_args()

    db_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    ensure_database(db_url)
    with tempfile.TemporaryDirectory(prefix="bench-reminders-") as tmp:
        workdir = Path(tmp)
        redis = RedisServer(workdir).start()
        try:
            setup_django(db_url, redis.url)
            runs = []
            for size in args.sizes:
                runs.append(run_size(size, db_url=db_url, redis=redis, workdir=workdir, concurrency=args.concurrency))
                # Each size's figures as soon as it is done, so a run stopped later still leaves them.
                print(json.dumps(runs[-1]), flush=True)
        finally:
            redis.stop()

    measured_at = datetime.now(UTC).isoformat(timespec="seconds")
    for run in runs:
        run["measured_at"] = measured_at
        run["load_average_after"] = round(os.getloadavg()[0], 2)
    # Sizes measured in an earlier run and not in this one are kept, so sizes can be run separately.
    earlier = []
    if args.output.exists():
        try:
            earlier = json.loads(args.output.read_text()).get("runs", [])
        except ValueError:
            earlier = []
    sizes = {run["milestones"] for run in runs}
    runs = sorted([r for r in earlier if r.get("milestones") not in sizes] + runs, key=lambda r: r["milestones"])
    result = {
        "benchmark": "reminders",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "target_emails_per_second": 400,
        "runs": runs,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")

    header = (
        f"{'milestones':>10} {'emails':>8} {'total s':>8} {'emails/s':>9} {'sweep s':>8} "
        f"{'main MiB':>9} {'pool MiB':>9} {'worker CPU ms/email':>20} {'PG CPU ms/email':>16}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        sweep = round(run["sweep_seconds"], 2) if run["sweep_seconds"] else "-"
        print(
            f"{run['milestones']:>10} {run['emails']:>8} {run['seconds_total']:>8} {run['emails_per_second']:>9} "
            f"{sweep:>8} {run['worker_main_peak_mib']:>9} {run['worker_pool_peak_mib']:>9} "
            f"{run.get('worker_cpu_ms_per_email', '-'):>20} {run.get('postgres_cpu_ms_per_email', '-'):>16}"
        )
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
