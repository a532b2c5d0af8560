"""Profile the reminder pipeline in one process: where a sweep and its sending spend their time.

Run: .venv/bin/python bench/profile_reminders.py [--size 2000] [--profile] [--top 40]

Seeds `size` due milestones in the reminders benchmark's own database (careerpath_bench_reminders,
emptied first, as bench/bench_reminders.py does), then times, without Redis or a worker, the
sweep (record), the queueing, and sending every batch with the benchmark's counting email
backend (each message serialised as SMTP would). With --profile it prints cProfile's top
functions for the sending by cumulative and by own time. Queries are counted per phase.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_reminders import DEFAULT_DB, ensure_database, reset_and_seed, setup_django  # noqa: E402


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process on this machine (PostgreSQL must run locally)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sweep", action="store_true", help="profile the sweep and queueing instead of the sending")
    args = parser.parse_args()

    db_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    ensure_database(db_url)
    os.environ["REMINDER_BENCH_COUNTING"] = "1"
    os.environ.pop("REMINDER_TEST_MAIL_DIR", None)
    setup_django(db_url, "memory://")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reminders import services
    from reminders.models import Reminder

    reset_and_seed(args.size)
    timings = {}
    profiler = cProfile.Profile() if args.profile else None
    with CaptureQueriesContext(connection) as sweep_queries:
        if profiler and args.sweep:
            profiler.enable()
        started = time.perf_counter()
        due = services.reminder_sweep()
        timings["sweep"] = time.perf_counter() - started
        started = time.perf_counter()
        batches = services.reminders_queue()
        timings["queue"] = time.perf_counter() - started
        if profiler and args.sweep:
            profiler.disable()
    if args.sweep:
        print(
            f"due {due}, sweep {timings['sweep']:.2f} s, queue {timings['queue']:.2f} s ({len(sweep_queries)} queries)"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    backend_cpu = _cpu_seconds(backend)
    cpu = time.process_time()
    with CaptureQueriesContext(connection) as send_queries:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        for batch in batches:
            services.reminders_send_batch(ids=batch)
        if profiler:
            profiler.disable()
        timings["send"] = time.perf_counter() - started
    cpu = time.process_time() - cpu
    backend_cpu = _cpu_seconds(backend) - backend_cpu

    sent = Reminder.objects.filter(status=Reminder.Status.SENT).count()
    print(f"due {due}, batches {len(batches)}, sent {sent}")
    print(f"sweep {timings['sweep']:.2f} s, queue {timings['queue']:.2f} s ({len(sweep_queries)} queries)")
    print(
        f"send {timings['send']:.2f} s: {timings['send'] / max(sent, 1) * 1000:.2f} ms per email in one process, "
        f"{len(send_queries) / max(sent, 1):.2f} queries per email"
    )
    print(
        f"CPU per email: this process {cpu / max(sent, 1) * 1000:.2f} ms, "
        f"its PostgreSQL backend {backend_cpu / max(sent, 1) * 1000:.2f} ms"
    )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
