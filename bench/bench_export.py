"""Benchmark of HR's CSV exports: the first 100,000 rows of each, streamed as HR downloads them.

Run by bench/run.py (which sets up the database and the environment); alone:
  DJANGO_SETTINGS_MODULE=careerpath.settings.bench DATABASE_URL=postgres://... SECRET_KEY=... \\
  ALLOWED_HOSTS=testserver .venv/bin/python bench/bench_export.py [--rows 100000]

Each export is requested through Django's test client, logged in as the seeded HR user
(seed_demo), and its streamed body is read until that many data rows (or the end). Prints
one JSON line: per export, rows read, seconds, rows per second, the process's peak resident
memory before and after (VmHWM), and in a second pass the peak of Python allocations during
the export (tracemalloc, which slows it down, so the time comes from the first pass).
"""

import argparse
import codecs
import csv
import json
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXPORTS = ("hr:export_results", "hr:export_plans", "hr:export_people")


def peak_rss_mib() -> float | None:
    status = Path("/proc/self/status")
    if not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return None


def read_rows(client, url: str, limit: int) -> int:
    """Data rows (header left out) parsed from the streamed CSV, stopping at `limit`.

    Parsed, not counted by newlines: a quoted field may hold a line break.
    """
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()

    def lines():
        pending = ""
        for chunk in response.streaming_content:
            pending += decoder.decode(chunk)
            *complete, pending = pending.split("\n")
            for line in complete:
                yield line + "\n"
        if pending:
            yield pending

    rows = 0
    try:
        reader = csv.reader(lines())
        next(reader, None)  # the header
        for _row in reader:
            rows += 1
            if rows >= limit:
                break
    finally:
        response.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from demo.management.commands.seed_demo import HR_EMAIL

    hr_user = User.objects.filter(email=HR_EMAIL).first()
    if hr_user is None:
        print(json.dumps({"benchmark": "csv_export", "skipped": "no HR user: run manage.py seed_demo first"}))
        return
    client = Client()
    client.force_login(hr_user)
    report = {"benchmark": "csv_export", "rows_wanted": args.rows, "exports": {}}
    for name in EXPORTS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            report["exports"][name] = {"skipped": "not built yet"}
            continue
        before = peak_rss_mib()
        started = time.perf_counter()
        rows = read_rows(client, url, args.rows)
        seconds = time.perf_counter() - started
        after = peak_rss_mib()
        tracemalloc.start()
        read_rows(client, url, args.rows)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        report["exports"][name] = {
            "url": url,
            "rows": rows,
            "seconds": round(seconds, 2),
            "rows_per_s": round(rows / seconds) if seconds else None,
            "peak_rss_mib_before": before,
            "peak_rss_mib_after": after,
            "python_peak_alloc_mib": round(peak / 1024 / 1024, 1),
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
