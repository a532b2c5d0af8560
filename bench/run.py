"""`make bench`: careerpath's pages measured against Django's own ceiling on this machine.

What it does, in order (docs/benchmarks.md explains the method and the figures):

1. PostgreSQL: creates the database when missing (DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/careerpath_bench), migrates, loads the catalog and the
   questionnaire, seeds 10,000 demo engineers (`seed_demo`; a no-op when they are there: about
   100,000 milestones, half of them in earlier, archived plans), and collects the static files.
   It counts what the database holds (engineers, results, plans, milestones) for the report, and
   stops if that is an older, smaller data set (rerun `seed_demo --reset` then).
2. Starts gunicorn with production settings plus a trivial view (careerpath.settings.bench),
   2 sync workers on a free port of 127.0.0.1, and waits for /healthz.
3. Drives every page with wrk (installed with apt-get when missing): a short warm-up, then
   3 runs of a fixed duration at a fixed number of connections. Logged-in pages carry a session
   cookie made with Django's SessionStore for a seeded engineer (or the seeded HR user); the
   questionnaire POST carries a real CSRF cookie and token, read from the page first.
4. Counts the queries each page makes (Django's test client under CaptureQueriesContext, same
   database), cold (empty cache) and warm (the state wrk measures).
5. Runs the micro-benchmarks (bench/bench_*.py) and the HR CSV export of 100,000 rows.
6. Prints a table and writes bench/results/<name>.json, bench/results/latest.json and the
   table in docs/benchmarks.md.

The ratio of a page's requests/s to the trivial view's, each the median of its 3 runs, is the
figure that counts: it is far less sensitive to a busy machine than requests/s.

Options: --engineers N, --duration S, --connections C, --runs R, --only name,name (pages
to measure; micro-benchmarks are skipped then), --no-docs (don't rewrite docs/benchmarks.md).
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TMP = RESULTS / "tmp"
DOCS = ROOT / "docs" / "benchmarks.md"
PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/careerpath_bench"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/2"
TABLE_START, TABLE_END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"
MICRO_TIMEOUT = 600
CHECK_TIMEOUT = 30  # seconds one request by hand may take before a page counts as failed

# Targets from the performance issue: a page's requests/s as a share of the trivial view's.
CATALOG, ENGINEER, HR = "catalog", "engineer", "hr"
TARGET_RATIO = {CATALOG: 0.25, ENGINEER: 0.10, HR: 0.05}
ENGINEER_P99_MS = 100


@dataclass
class Page:
    name: str
    label: str
    group: str | None  # None: the trivial view itself
    path: str = ""
    who: str = "anonymous"  # anonymous, engineer, hr
    method: str = "GET"
    body: dict = field(default_factory=dict)
    missing: str = ""  # why the page is not measured (e.g. not built yet)
    expect: tuple = (200,)


def log(message: str) -> None:
    print(message, flush=True)


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    log("$ " + " ".join(str(a) for a in args))
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


# --- 1. The database and the data ---------------------------------------------------


def ensure_database(url: str) -> None:
    import psycopg2

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            log(f"Creating database {name}")
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def prepare_data(env: dict, engineers: int) -> None:
    manage = [PYTHON, "manage.py"]
    run([*manage, "migrate", "--noinput", "--verbosity", "0"], env)
    run([*manage, "load_catalog"], env, stdout=subprocess.DEVNULL)
    run([*manage, "load_questionnaire"], env, stdout=subprocess.DEVNULL)
    run([*manage, "seed_demo", "--engineers", str(engineers)], env)
    run([*manage, "refresh_dashboard"], env, stdout=subprocess.DEVNULL)  # index the seeded results
    run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], env)


# --- 2. The server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    args = [str(gunicorn), "careerpath.wsgi", "--workers", "2", "--worker-class", "sync"]
    args += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--graceful-timeout", "5"]
    TMP.mkdir(parents=True, exist_ok=True)
    log("$ " + " ".join(args))
    return subprocess.Popen(args, env=env, cwd=ROOT, stdout=open(TMP / "gunicorn.log", "w"), stderr=subprocess.STDOUT)


def wait_healthy(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {TMP / 'gunicorn.log'}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"/healthz did not answer 200 within {timeout:.0f} s; see {TMP / 'gunicorn.log'}")


# --- Django, in this process: sessions, the pages to measure, query counts ----------------


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# seed_demo has given about 10 milestones per engineer since it makes earlier, archived plans too;
# a database seeded before that holds about 5 and would make the HR pages' figures look better than they are.
MIN_MILESTONES_PER_ENGINEER = 8


def data_set() -> dict[str, int]:
    """What the benchmark database holds for the demo engineers (reported beside the figures)."""
    from assessments.models import Result
    from demo.management.commands.seed_demo import demo_engineers
    from plans.models import Milestone, Plan

    people = demo_engineers()
    plans = Plan.objects.filter(user__in=people)
    size = {
        "engineers": people.count(),
        "results": Result.objects.filter(user__in=people).count(),
        "plans_active": plans.filter(status=Plan.Status.ACTIVE).count(),
        "plans_archived": plans.filter(status=Plan.Status.ARCHIVED).count(),
        "milestones": Milestone.objects.filter(plan__user__in=people).count(),
    }
    if size["milestones"] < MIN_MILESTONES_PER_ENGINEER * size["engineers"]:
        raise SystemExit(
            f"The database holds an older demo data set ({size['milestones']:,} milestones for "
            f"{size['engineers']:,} engineers); run `manage.py seed_demo --reset --engineers N` on it first."
        )
    return size


def session_cookie(user) -> str:
    """A logged-in session for `user`, exactly as django.contrib.auth.login stores one."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    # The backend a password log-in ends with (django-axes's comes first but only guards).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user"))
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def discover_pages() -> tuple[list[Page], dict[str, str]]:
    """The pages to measure, with real ids from the seeded data, and a session cookie per kind of user."""
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from accounts.models import User
    from assessments.models import Item, Response, Result
    from demo.management.commands.seed_demo import HR_EMAIL, engineer_email
    from plans.models import Plan
    from roles.models import Role
    from roles.paths import find_path
    from roles.selectors import progression_edges

    engineer = User.objects.get(email=engineer_email(1))
    hr_user = User.objects.filter(email=HR_EMAIL).first()
    cookies = {"anonymous": "", "engineer": session_cookie(engineer)}
    if hr_user is not None:
        cookies["hr"] = session_cookie(hr_user)

    # The role page with the most to show; a comparison between two tracks with a route between them.
    detail = Role.objects.annotate(n=Count("requirements")).order_by("-n", "pk").first()
    roles = list(Role.objects.select_related("track").order_by("track__order", "rank"))
    edges = progression_edges()
    start = roles[0]
    goal = max(
        (r for r in roles if r.track_id != start.track_id and find_path(edges, start.slug, r.slug)),
        key=lambda r: len(find_path(edges, start.slug, r.slug).steps),
        default=roles[-1],
    )
    draft = Response.objects.get(user=engineer, status=Response.Status.IN_PROGRESS)
    items = list(Item.objects.filter(section__version=draft.version, section__order=1).order_by("order"))
    result = Result.objects.filter(user=engineer).order_by("-created_at").first()
    plan = Plan.objects.get(user=engineer, status=Plan.Status.ACTIVE)
    section = reverse("assessments:section", kwargs={"pk": draft.pk, "order": 1})

    pages = [
        Page("trivial", "Trivial view (ceiling)", None, "/bench/trivial/"),
        Page("home", "Home /", CATALOG, "/"),
        Page("roles_list", "Role list /roles/", CATALOG, reverse("roles:list")),
        Page("role_detail", f"Role page /roles/{detail.slug}/", CATALOG, detail.get_absolute_url()),
        Page("career_map", "Career map /roles/map/", CATALOG, reverse("roles:map")),
        Page(
            "compare",
            "Compare /roles/compare/?a&b",
            CATALOG,
            reverse("roles:compare") + "?" + urllib.parse.urlencode({"a": start.slug, "b": goal.slug}),
        ),
        Page("section_get", "Questionnaire section GET", ENGINEER, section, "engineer"),
        Page(
            "section_post",
            "Questionnaire section POST",
            ENGINEER,
            section,
            "engineer",
            "POST",
            body={"fields": [f"item-{item.pk}" for item in items], "action": "next"},
            expect=(302,),
        ),
        Page("result", "Result page (with chart)", ENGINEER, result.get_absolute_url(), "engineer"),
        Page("plan", "Plan page", ENGINEER, plan.get_absolute_url(), "engineer"),
    ]
    hr_pages = [
        ("hr_people", "HR people page /hr/people/", "hr:people"),
        ("hr_dashboard", "HR dashboard", "hr:dashboard"),
    ]
    for name, label, url_name in hr_pages:
        try:
            path = reverse(url_name)
        except NoReverseMatch:
            pages.append(Page(name, label, HR, missing="not built yet"))
            continue
        if "hr" not in cookies:
            pages.append(Page(name, label, HR, path, "hr", missing="no HR user seeded"))
            continue
        pages.append(Page(name, label, HR, path, "hr"))
    return pages, cookies


def count_queries(pages: list[Page], cookies: dict[str, str]) -> dict[str, dict]:
    """Queries and time of one request for each page, with an empty cache (cold) and right after (warm).

    The time is one request on its own (no concurrency), through Django's test client:
    what a person waits for on a quiet server, which the HR panel's "under 300 ms" asks for.
    """
    import time

    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page in pages:
        if page.missing:
            continue
        client = Client(enforce_csrf_checks=False)
        if cookies.get(page.who):
            name, value = cookies[page.who].split("=", 1)
            client.cookies[name] = value
        for cache in caches.all():
            cache.clear()
        measured = {}
        for state in ("cold", "warm"):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                if page.method == "POST":
                    response = client.post(page.path, _form(page.body, "x", 0))
                else:
                    response = client.get(page.path)
                elapsed_ms = 1000 * (time.perf_counter() - started)
            measured[state] = len(captured.captured_queries)
            measured[f"{state}_ms"] = round(elapsed_ms, 1)
            measured[f"{state}_status"] = response.status_code
        counts[page.name] = measured
    return counts


def _form(body: dict, csrf: str, n: int) -> dict:
    form = {name: str((n + i) % 5 + 1) for i, name in enumerate(body["fields"])}
    form["action"] = body["action"]
    form["csrfmiddlewaretoken"] = csrf
    return form


# --- 3. wrk -------------------------------------------------------------------------------

LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nBENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "errors_connect": %d, "errors_read": %d, "errors_write": %d, ' ..
    '"errors_status": %d, "errors_timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk is missing; installing the Debian package")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "wrk"], check=True)
    return shutil.which("wrk") or "wrk"


def lua_script(page: Page, cookie: str, csrf_cookie: str = "", csrf_token: str = "") -> Path:
    """The wrk script for a page: its cookie, and for the POST a form whose answers change each request."""
    TMP.mkdir(parents=True, exist_ok=True)
    script = TMP / f"{page.name}.lua"
    headers = []
    cookies = "; ".join(c for c in (cookie, f"csrftoken={csrf_cookie}" if csrf_cookie else "") if c)
    if cookies:
        headers.append(f'wrk.headers["Cookie"] = "{cookies}"')
    lines = [*headers]
    if page.method == "POST":
        fields = ", ".join(f'"{name}"' for name in page.body["fields"])
        lines += [
            'wrk.method = "POST"',
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
            f"local fields = {{{fields}}}",
            "local n = 0",
            "request = function()",
            "  n = n + 1",
            f'  local parts = {{"action={page.body["action"]}", "csrfmiddlewaretoken={csrf_token}"}}',
            "  for i, name in ipairs(fields) do",
            "    parts[#parts + 1] = name .. '=' .. tostring((n + i) % 5 + 1)",
            "  end",
            "  return wrk.format(nil, nil, nil, table.concat(parts, '&'))",
            "end",
        ]
    script.write_text("\n".join(lines) + "\n" + LUA_DONE)
    return script


def wrk_run(wrk: str, url: str, script: Path, *, connections: int, duration: float, threads: int) -> dict:
    args = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--timeout", "5s", "-s", str(script), url]
    out = subprocess.run(args, capture_output=True, text=True, timeout=duration + 60).stdout
    match = re.search(r"BENCH_JSON (\{.*\})", out)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    data = json.loads(match.group(1))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    data["errors"] = sum(v for k, v in data.items() if k.startswith("errors_"))
    return data


def check_page(base: str, page: Page, cookie: str, csrf_cookie: str, csrf_token: str) -> tuple[int, str]:
    """One request by hand before wrk: the status it answers (redirects not followed)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    data = None
    headers = {"Cookie": "; ".join(c for c in (cookie, f"csrftoken={csrf_cookie}" if csrf_cookie else "") if c)}
    if page.method == "POST":
        data = urllib.parse.urlencode(_form(page.body, csrf_token, 0)).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(base + page.path, data=data, headers=headers, method=page.method)
    try:
        with opener.open(request, timeout=CHECK_TIMEOUT) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


def csrf_from(base: str, path: str, cookie: str) -> tuple[str, str]:
    """A real CSRF cookie and form token, as a browser gets them from the page with the form."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=CHECK_TIMEOUT) as response:
        jar = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        html = response.read().decode()
    if "csrftoken" not in jar:
        raise RuntimeError(f"{path} set no CSRF cookie")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not token:
        raise RuntimeError(f"{path} has no CSRF token in its form")
    return jar["csrftoken"].value, token.group(1)


def measure_pages(pages, cookies, base, wrk, args) -> dict[str, dict]:
    measured = {}
    for page in pages:
        if page.missing:
            log(f"  {page.label}: {page.missing}")
            continue
        cookie = cookies.get(page.who, "")
        csrf_cookie = csrf_token = ""
        try:
            if page.method == "POST":
                csrf_cookie, csrf_token = csrf_from(base, page.path, cookie)
            status, location = check_page(base, page, cookie, csrf_cookie, csrf_token)
        except (TimeoutError, urllib.error.URLError) as exc:
            page.missing = f"failed: no answer within {CHECK_TIMEOUT} s ({exc})"
            log(f"  {page.label}: {page.missing}")
            wait_idle(base)
            continue
        if status not in page.expect:
            raise SystemExit(f"{page.path} answered {status} {location} before the benchmark; expected {page.expect}")
        script = lua_script(page, cookie, csrf_cookie, csrf_token)
        wrk_run(wrk, base + page.path, script, connections=args.connections, duration=1, threads=args.threads)
        runs = [
            wrk_run(
                wrk,
                base + page.path,
                script,
                connections=args.connections,
                duration=args.duration,
                threads=args.threads,
            )
            for _ in range(args.runs)
        ]
        median = statistics.median(r["rps"] for r in runs)
        log(
            f"  {page.label:<34} {median:8.1f} req/s  "
            + "  ".join(f"{r['rps']:.0f}" for r in runs)
            + f"  p99 {statistics.median(r['p99_us'] for r in runs) / 1000:.1f} ms"
            + (f"  ERRORS {sum(r['errors'] for r in runs)}" if any(r["errors"] for r in runs) else "")
        )
        measured[page.name] = {"runs": runs, "status": status}
        wait_idle(base)
    return measured


def wait_idle(base: str, timeout: float = 120) -> None:
    """Let gunicorn finish requests wrk left queued (a slow page's backlog) before the next page."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + "/bench/trivial/", timeout=timeout) as response:
                response.read()
        except (TimeoutError, urllib.error.URLError):
            continue
        if time.monotonic() - started < 0.02:
            return


# --- 5. Micro-benchmarks and the export ---------------------------------------------------------


def last_json_line(text: str) -> dict | None:
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                return json.loads(line)
            except json.JSONDecodeError:
                continue
    return None


# Each micro-benchmark: the script, its arguments, and the JSON file it writes itself (if any).
MICRO = {
    "scoring": ("bench_scoring.py", [], None),
    "plan_generator": ("bench_plans.py", [], None),
    # End to end through Redis and a Celery worker, in a database of its own that it empties first;
    # both sizes the reminders issue names (about 2 minutes together), so growth can be read off.
    "reminders": ("bench_reminders.py", ["--sizes", "10000", "100000"], "reminders.json"),
    "csv_export": ("bench_export.py", ["--rows", "100000"], None),
}


def micro_benchmarks(env: dict, database_url: str) -> dict[str, dict]:
    found = {}
    for name, (script, extra, own_file) in MICRO.items():
        path = ROOT / "bench" / script
        if not path.exists():
            found[name] = {"skipped": f"bench/{script} does not exist yet"}
            log(f"  {name}: skipped, bench/{script} does not exist yet")
            continue
        script_env = dict(env)
        if name == "reminders":
            # Never the pages' database: this benchmark truncates people and plans in its own.
            script_env["BENCH_DATABASE_URL"] = database_url.rsplit("/", 1)[0] + "/careerpath_bench_reminders"
        log(f"$ {PYTHON} bench/{script} {' '.join(extra)}")
        started = time.monotonic()
        try:
            done = subprocess.run(
                [PYTHON, str(path), *extra],
                env=script_env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=MICRO_TIMEOUT,
            )
        except subprocess.TimeoutExpired:
            found[name] = {"skipped": f"timed out after {MICRO_TIMEOUT} s"}
            log(f"  {name}: timed out after {MICRO_TIMEOUT} s")
            continue
        entry = {"exit_code": done.returncode, "seconds": round(time.monotonic() - started, 1)}
        report = last_json_line(done.stdout)
        if report is None and own_file and done.returncode == 0 and (RESULTS / own_file).exists():
            report = json.loads((RESULTS / own_file).read_text())
        output = (done.stdout + done.stderr).strip()
        if report is not None:
            entry["report"] = report
        else:
            entry["skipped"] = output.splitlines()[-1] if output else f"exit code {done.returncode}"
            entry["output"] = output[-3000:]
        found[name] = entry
        log(f"  {name}: {json.dumps(report)[:600] if report else entry['skipped']}")
    return found


# --- 6. Output ---------------------------------------------------------------------------------


def machine(load_average: tuple) -> dict:
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else ""
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
        memory = f"{int(match.group(1)) / 1024 / 1024:.1f} GiB" if match else ""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "memory": memory,
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in load_average],
        "commit": commit.stdout.strip(),
    }


def summarise(pages, measured, counts) -> list[dict]:
    trivial = measured.get("trivial")
    ceiling = statistics.median(r["rps"] for r in trivial["runs"]) if trivial else None
    rows = []
    for page in pages:
        row = {"name": page.name, "label": page.label, "group": page.group, "path": page.path, "who": page.who}
        row["method"] = page.method
        if page.missing:
            row["missing"] = page.missing
            rows.append(row)
            continue
        runs = measured[page.name]["runs"]
        rps = statistics.median(r["rps"] for r in runs)
        row.update(
            rps=round(rps, 1),
            rps_runs=[round(r["rps"], 1) for r in runs],
            ratio=round(rps / ceiling, 4) if ceiling else None,
            p50_ms=round(statistics.median(r["p50_us"] for r in runs) / 1000, 2),
            p99_ms=round(statistics.median(r["p99_us"] for r in runs) / 1000, 2),
            errors=sum(r["errors"] for r in runs),
            queries=counts.get(page.name, {}),
        )
        target = TARGET_RATIO.get(page.group)
        if target is not None:
            row["target_ratio"] = target
            row["meets_target"] = row["ratio"] >= target and (page.group != ENGINEER or row["p99_ms"] < ENGINEER_P99_MS)
        rows.append(row)
    return rows


def table(rows: list[dict]) -> str:
    out = [
        "| Page | Requests/s (median of 3) | Ratio to trivial | Target | p50 ms | p99 ms | Queries (warm / cold) "
        "| One request ms (warm / cold) |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row.get("missing"):
            out.append(f"| {row['label']} | {row['missing']} | | {_target(row)} | | | | |")
            continue
        queries = row["queries"]
        q = f"{queries.get('warm', '?')} / {queries.get('cold', '?')}" if queries else ""
        one = f"{queries.get('warm_ms', '?')} / {queries.get('cold_ms', '?')}" if queries else ""
        ratio = f"{100 * row['ratio']:.1f}%" if row.get("ratio") is not None else ""
        verdict = _target(row)
        if "meets_target" in row:
            verdict += " ✓" if row["meets_target"] else " ✗"
        out.append(
            f"| {row['label']} | {row['rps']:.0f} | {ratio} | {verdict} "
            f"| {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {q} | {one} |"
        )
    return "\n".join(out)


def _target(row: dict) -> str:
    target = TARGET_RATIO.get(row["group"])
    if target is None:
        return "ceiling"
    text = f"≥ {100 * target:.0f}%"
    if row["group"] == ENGINEER:
        text += f", p99 < {ENGINEER_P99_MS} ms"
    return text


def micro_lines(micro: dict) -> str:
    lines = []
    for name, entry in micro.items():
        if "skipped" in entry and "report" not in entry:
            lines.append(f"- **{name}**: skipped ({_text(entry['skipped'])})")
            continue
        report = entry.get("report") or {}
        lines.append(f"- **{name}**: `{json.dumps(report, ensure_ascii=False)}`")
    return "\n".join(lines)


def _text(value) -> str:
    return " ".join(value) if isinstance(value, list) else str(value)


def write_outputs(report: dict, rows: list[dict], micro: dict, update_docs: bool) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    for row in rows:
        (RESULTS / f"{row['name']}.json").write_text(json.dumps({**report["meta"], **row}, indent=2) + "\n")
    for name, entry in micro.items():
        if MICRO[name][2]:  # that script writes its own file
            continue
        (RESULTS / f"{name}.json").write_text(json.dumps({**report["meta"], **entry}, indent=2) + "\n")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    if not update_docs or not DOCS.exists():
        return
    meta = report["meta"]
    m = meta["machine"]
    block = "\n".join(
        [
            TABLE_START,
            f"Measured {meta['date']} with `{meta['command']}` at commit `{m['commit']}` on {m['nproc']} CPUs "
            f"({m['cpu']}), {m['memory']} memory, Python {m['python']}; load average at the start "
            f"{', '.join(str(x) for x in m['load_average_at_start'])}. {meta['engineers']:,} engineers "
            f"({meta['data']['milestones']:,} milestones in {meta['data']['plans_active']:,} active and "
            f"{meta['data']['plans_archived']:,} archived plans), "
            f"wrk with {meta['connections']} connections, {meta['runs']} runs of {meta['duration_s']:g} s per page, "
            f"gunicorn with 2 sync workers, cache {meta['cache']}.",
            "",
            table(rows),
            "",
            "Micro-benchmarks:",
            "",
            micro_lines(micro),
            TABLE_END,
        ]
    )
    text = DOCS.read_text()
    if TABLE_START in text and TABLE_END in text:
        head, rest = text.split(TABLE_START, 1)
        _, tail = rest.split(TABLE_END, 1)
        text = head + block + tail
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOCS.write_text(text)


# --- main ---------------------------------------------------------------------------------------


def command_line() -> str:
    """How this run was started, as someone would type it again."""
    command = ".venv/bin/python bench/run.py " + " ".join(sys.argv[1:]) if sys.argv[1:] else "make bench"
    settings = [f"{name}={os.environ[name]}" for name in ("DATABASE_URL", "CACHE_URL") if os.environ.get(name)]
    return " ".join([*settings, command])


def redis_answers(url: str) -> bool:
    parsed = urllib.parse.urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description="careerpath benchmarks (see docs/benchmarks.md)")
    parser.add_argument("--engineers", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated page names (skips the micro-benchmarks)")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite the table in docs/benchmarks.md")
    args = parser.parse_args()
    started = time.monotonic()
    load_average = os.getloadavg()
    command = command_line()

    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmarks run on PostgreSQL; DATABASE_URL must be a postgres:// URL.")
    cache_url = os.environ.get("CACHE_URL") or (DEFAULT_CACHE_URL if redis_answers(DEFAULT_CACHE_URL) else "")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "careerpath.settings.bench",
        "DATABASE_URL": database_url,
        # Production keeps database connections open between requests (see docs/operations.md).
        "CONN_MAX_AGE": os.environ.get("CONN_MAX_AGE", "60"),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-key-" + "k7Qx2v9RmZ4pL8sW3nT6yB1cF5hJ0dG"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
    }
    if cache_url:
        env["CACHE_URL"] = cache_url
    env.pop("CELERY_BROKER_URL", None)  # pages don't queue tasks on the measured paths; /healthz checks no broker

    wrk = ensure_wrk()
    ensure_database(database_url)
    prepare_data(env, args.engineers)
    setup_django(env)
    size = data_set()
    log(
        f"Data: {size['engineers']:,} engineers, {size['results']:,} results, {size['plans_active']:,} active and "
        f"{size['plans_archived']:,} archived plans, {size['milestones']:,} milestones"
    )
    pages, cookies = discover_pages()
    if args.only:
        wanted = set(args.only.split(",")) | {"trivial"}
        pages = [p for p in pages if p.name in wanted]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(env, port)
    try:
        wait_healthy(base, server)
        log(f"\nPages ({args.runs} runs of {args.duration:g} s, {args.connections} connections, after a 1 s warm-up):")
        measured = measure_pages(pages, cookies, base, wrk, args)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()

    log("\nQueries per request (test client, same database):")
    counts = count_queries(pages, cookies)
    for name, c in counts.items():
        log(
            f"  {name:<14} warm {c['warm']:>3} queries {c['warm_ms']:>7.1f} ms"
            f"  cold {c['cold']:>3} queries {c['cold_ms']:>7.1f} ms  (status {c['warm_status']})"
        )

    micro = {}
    if not args.only:
        log("\nMicro-benchmarks:")
        micro = micro_benchmarks(env, database_url)

    rows = summarise(pages, measured, counts)
    report = {
        "meta": {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "command": command,
            "machine": machine(load_average),
            "engineers": size["engineers"],
            "data": size,
            "connections": args.connections,
            "duration_s": args.duration,
            "runs": args.runs,
            "wrk_threads": args.threads,
            "cache": "Redis (" + cache_url + ")" if cache_url.startswith("redis") else "local memory per process",
            "elapsed_s": round(time.monotonic() - started, 1),
        },
        "pages": rows,
        "micro": micro,
    }
    log("\n" + table(rows))
    write_outputs(report, rows, micro, update_docs=not args.no_docs and not args.only)
    log(f"\nWrote {RESULTS / 'latest.json'}" + ("" if args.no_docs or args.only else f" and {DOCS}"))
    log(f"Done in {time.monotonic() - started:.0f} s.")


if __name__ == "__main__":
    main()
