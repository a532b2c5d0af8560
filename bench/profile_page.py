"""Where a page's time goes: one page requested many times in-process, timed and profiled.

  DATABASE_URL=postgres://... .venv/bin/python bench/profile_page.py /roles/ [--as engineer|hr] [-n 200]
      [--method POST] [--top 25] [--sort tottime|cumulative]

Uses the benchmark settings (production plus the trivial view) against the benchmark
database seeded by `make bench`, and calls Django's WSGI handler directly, as gunicorn
does (the test client would add its own instrumentation), with the session of the
seeded engineer or HR user, under cProfile. Prints the mean time per request without the
profiler, the queries per request, then the profile's top functions. The trivial view
(`/bench/trivial/`) gives the floor to compare with.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="who", default="anonymous", choices=["anonymous", "engineer", "hr"])
    parser.add_argument("-n", type=int, default=200)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--data", default="", help="form body for POST, as a query string")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/careerpath_bench")
    os.environ.setdefault("SECRET_KEY", "bench-only-profile-key-" + "p" * 30)
    os.environ["DJANGO_SETTINGS_MODULE"] = "careerpath.settings.bench"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("CONN_MAX_AGE", "60")
    import django

    django.setup()
    from urllib.parse import parse_qs

    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import RequestFactory
    from run import session_cookie

    from accounts.models import User
    from demo.management.commands.seed_demo import HR_EMAIL, engineer_email

    cookie = ""
    if args.who != "anonymous":
        user = User.objects.get(email=engineer_email(1) if args.who == "engineer" else HR_EMAIL)
        cookie = session_cookie(user)
    data = {k: v[-1] for k, v in parse_qs(args.data).items()}
    factory, handler = RequestFactory(), WSGIHandler()
    statuses = []

    def request(path=args.path, method=args.method):
        if method == "POST":
            environ = factory.post(path, data, HTTP_COOKIE=cookie).environ
        else:
            environ = factory.get(path, HTTP_COOKIE=cookie).environ
        body = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
        for _chunk in body:
            pass
        body.close()

    request()
    status = statuses[-1]
    captured = []  # request_started empties connection.queries_log, so record them ourselves

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            captured.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(record):
        request()
    # The page and the trivial view in alternating blocks, so both see the same machine load.
    page_time = trivial_time = 0.0
    for _ in range(max(1, args.n // 10)):
        started = time.perf_counter()
        for _ in range(10):
            request()
        page_time += time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(10):
            request("/bench/trivial/", "GET")
        trivial_time += time.perf_counter() - started
    per_request = page_time / (10 * max(1, args.n // 10)) * 1000
    ratio = trivial_time / page_time
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.n):
        request()
    profiler.disable()
    print(
        f"{args.method} {args.path} as {args.who}: status {status}, {per_request:.2f} ms per request, "
        f"{100 * ratio:.1f}% of the trivial view in-process (wrk's ratio, with HTTP on both, comes out higher)"
    )
    print(f"{len(captured)} queries per request:")
    for seconds, sql in captured:
        print(f"  {seconds * 1000:6.2f} ms  {sql[:150]}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
