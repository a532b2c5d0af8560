"""Shared fixtures, and the rule for tests that need real services.

Tests marked `postgres`, `redis`, `celery_worker` or `browser` need something
outside Python. Locally they skip, saying why, when it is absent. With
CAREERPATH_REQUIRE_SERVICES=1 (set by .ci/run) a missing service fails the test
instead, so CI can never go green by skipping them.
"""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls
# in the same test are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REQUIRE_SERVICES = os.environ.get("CAREERPATH_REQUIRE_SERVICES") == "1"
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
REDIS_URL = os.environ.get("CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"


def _port_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


def _missing_service(marker: str) -> str | None:
    """Why the service a marker needs is unavailable, or None when it is there."""
    if marker == "postgres":
        from django.db import connection

        if connection.vendor != "postgresql":
            return (
                "the test database is not PostgreSQL (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/careerpath)"
            )
    elif marker in ("redis", "celery_worker"):
        if not _port_open(REDIS_URL, 6379):
            return f"no Redis answers at {REDIS_URL}"
    elif marker == "browser":
        if not (os.path.exists(CHROMIUM_PATH) or shutil.which(CHROMIUM_PATH)):
            return f"Chromium is not installed at {CHROMIUM_PATH} (apt-get install chromium)"
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "the playwright package is not installed"
    return None


SERVICE_MARKERS = ("postgres", "redis", "celery_worker", "browser")


@pytest.fixture(autouse=True)
def _require_marked_services(request):
    for marker in SERVICE_MARKERS:
        if request.node.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"{marker} test cannot run: {reason} (CAREERPATH_REQUIRE_SERVICES=1)")
        pytest.skip(f"{marker}: {reason}")


# --- Database ----------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Keep the migrated data (the HR group from accounts' data migrations) for every transactional test.

    Django stores the serialized database on the connection object, and a
    `serialized_rollback` test restores it from there. Django's connections are
    context-local (asgiref), and starting Playwright's sync API moves later fixtures
    into another context, where Django opens a new connection object that lacks it:
    a browser test that ran after other transactional tests then found the database
    flushed and the HR group gone. Putting the serialized data on the connection
    class makes every connection of this test run see it.
    """
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents
    return django_db_setup


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Transactional tests run last, and every one of them restores the migrated data.

    A transactional test empties the database when it ends (serialized_rollback puts the
    migrated rows back only at the start of the next transactional test), so a test in a
    transaction that runs after one finds no HR group and no permissions. pytest-django
    sorts transactional tests last, but pytest's own reordering runs after it and groups
    tests by session-scoped parameters: a test whose parameter was named `page`, which is
    pytest-playwright's fixture, was given the browser's parameter, and the browser tests
    were pulled in beside it, into the middle of the suite (229 errors on one xdist worker).
    This hook runs after both and moves the transactional tests to the end again, keeping
    every other order.

    A transactional test without serialized_rollback flushes the database and lets
    post_migrate recreate the content types with new ids; the next serialized-rollback test
    then fails to load the saved rows (duplicate content types). Catch that at collection
    instead of as an order-dependent failure.
    """
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "These tests use django_db(transaction=True) without serialized_rollback=True, "
            "which breaks later transactional tests: " + ", ".join(offenders[:5])
        )
    items.sort(key=_is_transactional)  # stable: False (in a transaction, or no database) first


# --- Browser (pytest-playwright with Debian's Chromium, never a downloaded one) ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM_PATH,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


# --- Cache -----------------------------------------------------------------


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: cached catalog fragments never leak between tests."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


# --- Catalog and questionnaire ------------------------------------------------------


@pytest.fixture
def catalog(db):
    """A small catalog (roles/tests/factories.py): roles, skills, credentials and progressions."""
    from roles.tests.factories import build_catalog

    return build_catalog()


@pytest.fixture
def version(catalog):
    """An active questionnaire version over the catalog's skills."""
    from assessments.tests.factories import build_questionnaire

    return build_questionnaire(skills=list(catalog.skills.values()))


@pytest.fixture
def make_result(version):
    """Submit a whole self-assessment for `user`, every answer `value` (a real, fully stored result)."""
    from assessments.tests.factories import submit_self_assessment

    return submit_self_assessment


# --- People -----------------------------------------------------------------

DEFAULT_PASSWORD = "a-long-test-password-42"


@pytest.fixture
def password():
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def other_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory()


@pytest.fixture
def client_logged_in(client, user):
    client.force_login(user)
    return client
