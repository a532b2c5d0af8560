"""Every state change is a POST with a CSRF token; GET never changes anything."""

import pytest
from django.apps import apps
from django.db.models import Max
from django.test import Client
from django.urls import resolve

from .conftest import ROLES, World
from .test_access_matrix import ADMIN_PATTERNS, APP_PATTERNS, admin_path, path_of

pytestmark = pytest.mark.django_db

# Views exempt from CSRF on purpose, each with its reason.
CSRF_EXEMPT = {
    # RFC 8058 one-click unsubscribe: mail clients POST without a page or cookie; the signed
    # token in the address is the credential, and all it can do is turn reminders off.
    "reminders:unsubscribe",
    # The SCIM API (scim/views.py): a bearer token in the Authorization header is its only credential,
    # which a browser never adds by itself, and a session cookie opens nothing there (scim/tests/test_auth.py).
    "scim:users",
    "scim:user",
    "scim:groups",
    "scim:group",
    "scim:service_provider_config",
    "scim:resource_types",
    "scim:schemas",
}

# Tables a GET may write to on purpose, each with its reason.
WRITTEN_BY_READS = {
    "hr.AccessRecord",  # the audit trail: HR opening a person's result or plan is recorded
    "hr.RoleReadiness",  # an index of figures copied from stored results, refreshed by the dashboard
    # the questionnaire-quality sums over submitted responses, brought up to date by the dashboard
    "hr.ScaleStatistics",
    "hr.CountedResponse",
    "hr.ScaleItemSums",
    "sessions.Session",  # the test client's own log-ins
}


@pytest.fixture
def world(module_world, db) -> World:
    return module_world


def all_paths(world: World) -> list[tuple[str, str]]:
    paths = [(p.key, path_of(p, world)) for p in APP_PATTERNS]
    paths += [(p.key, admin_path(p, world)) for p in ADMIN_PATTERNS]
    return paths


@pytest.mark.parametrize("role", ROLES)
def test_every_post_without_a_csrf_token_is_refused(role, world):
    client = world.client(role, enforce_csrf_checks=True)
    accepted = []
    for key, path in all_paths(world):
        response = client.post(path, {"name": "changed", "status": "archived"})
        if key in CSRF_EXEMPT:
            continue
        if response.status_code != 403:
            accepted.append((path, response.status_code))

    assert not accepted, f"POSTs accepted without a CSRF token as {role}: {accepted}"


def test_only_the_listed_views_are_csrf_exempt(world):
    exempt = {
        key
        for key, path in all_paths(world)
        if getattr(resolve(path.split("?")[0]).func, "csrf_exempt", False)
        and not key.startswith(("admin:", "<route:hr/"))
    }

    assert exempt == CSRF_EXEMPT


def test_a_post_with_the_token_is_accepted(world):
    client = world.client("engineer", enforce_csrf_checks=True)
    page = client.get("/accounts/profile/")
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else client.cookies["csrftoken"].value

    response = client.post("/accounts/sessions/end-others/", {"csrfmiddlewaretoken": token})

    assert response.status_code == 302


def snapshot() -> dict[str, tuple]:
    """Row count and latest updated_at of every table (but those GETs may write on purpose)."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label
        if label in WRITTEN_BY_READS or model._meta.proxy:
            continue
        queryset = model._default_manager.all()
        fields = {f.name for f in model._meta.concrete_fields}
        latest = queryset.aggregate(latest=Max("updated_at"))["latest"] if "updated_at" in fields else None
        state[label] = (queryset.count(), latest)
    return state


def test_get_never_changes_anything(world):
    clients = {role: world.client(role) for role in ROLES}  # log-ins happen before the snapshot
    before = snapshot()

    for _key, path in all_paths(world):
        for client in clients.values():
            client.get(path)
            client.head(path)

    after = snapshot()
    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    assert not changed, f"GET requests changed these tables: {changed}"


def test_the_snapshot_notices_a_change(world):
    """The check above could not fail if the snapshot missed writes; show that it does not."""
    before = snapshot()
    world.milestone.title = "Changed by a test"
    world.milestone.save()

    assert snapshot() != before


def test_unsubscribe_with_a_forged_token_changes_nothing(world):
    client = Client(enforce_csrf_checks=True)
    before = snapshot()

    response = client.post("/plans/reminders/unsubscribe/forged-token/")

    assert response.status_code == 400
    assert snapshot() == before
