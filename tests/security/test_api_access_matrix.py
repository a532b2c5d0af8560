"""The REST API's access control, default deny: every endpoint × every kind of caller × every method.

Callers: nobody, the engineer by session and by (read) token, their manager, another manager, HR by
session, by write token and by read token, and a revoked token. Sessions are held to Django's CSRF check
(DRF's SessionAuthentication), so a session write without the CSRF token is refused. An endpoint missing
from ENDPOINTS fails `test_every_api_endpoint_has_an_entry`, so a new one cannot ship without deciding who
may call it. docs/api.md says the same rules in words.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Profile, User
from accounts.tests.factories import UserFactory
from api.services import api_token_create, api_token_revoke
from hr.models import AccessRecord
from plans.models import Plan

from .conftest import World
from .urlconf import all_patterns, fill

pytestmark = pytest.mark.django_db

ACTORS = (
    "anonymous",
    "engineer",
    "engineer_token",
    "manager",
    "other_manager",
    "hr",
    "hr_read_token",
    "revoked_token",
    "hr_token",  # last: its writes (a PATCH, a DELETE) come after everyone else's reads
)
METHODS = ("GET", "POST", "PATCH", "DELETE")  # DELETE last, for the same reason


class Callers:
    def __init__(self, world: World):
        self.world = world
        other_manager = UserFactory(email="other.manager@example.com", name="Oscar Other-Manager")
        Profile.objects.filter(user=world.other).update(manager=other_manager)
        self.users = {
            "engineer": world.engineer,
            "manager": world.manager,
            "other_manager": other_manager,
            "hr": world.hr,
        }
        self.tokens = {
            "engineer_token": api_token_create(
                name="Engineer's sync", scope="read", user=world.engineer, created_by=world.hr
            )[1],
            "hr_token": api_token_create(name="HR system", scope="write", user=world.hr, created_by=world.hr)[1],
            "hr_read_token": api_token_create(name="Reporting", scope="read", user=world.hr, created_by=world.hr)[1],
        }
        revoked, raw = api_token_create(name="Old", scope="write", user=world.hr, created_by=world.hr)
        api_token_revoke(token=revoked, revoked_by=world.hr)
        self.tokens["revoked_token"] = raw

    def send(self, actor: str, method: str, path: str, body: dict | None = None):
        client = Client(enforce_csrf_checks=True)
        headers = {}
        if actor in self.users:
            client.force_login(self.users[actor])
        elif actor in self.tokens:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {self.tokens[actor]}"
        data = json.dumps(body or {})
        if method in ("GET", "HEAD"):
            return (client.get if method == "GET" else client.head)(path, **headers)
        return client.generic(method, path, data, content_type="application/json", **headers)


@pytest.fixture
def callers(module_world, db) -> Callers:
    return Callers(module_world)


# --- The rules, by kind of endpoint ------------------------------------------------------------------

SESSIONS = ("engineer", "manager", "other_manager", "hr")


def refused_writes(allowed_for_hr_token: int) -> dict[str, int]:
    """A write's answer: 401 without valid credentials, 403 for a session without its CSRF token and for
    read tokens, and for the write token what the endpoint does with it (405 when it takes no such method)."""
    return {
        "anonymous": 401,
        **dict.fromkeys(SESSIONS, 403),
        "engineer_token": 403,
        "hr_read_token": 403,
        "revoked_token": 401,
        "hr_token": allowed_for_hr_token,
    }


def read(**answers: int) -> dict[str, int]:
    """A read's answer for each caller; a revoked token is 401 everywhere."""
    return {"revoked_token": 401, **answers}


PUBLIC = read(**dict.fromkeys(set(ACTORS) - {"revoked_token"}, 200))
OWN = read(
    anonymous=401,
    engineer=200,
    engineer_token=200,
    manager=404,
    other_manager=404,
    hr=404,
    hr_token=404,
    hr_read_token=404,
)
OWN_LIST = {**OWN, **dict.fromkeys(("manager", "other_manager", "hr", "hr_token", "hr_read_token"), 200)}
TEAM_OR_HR = read(
    anonymous=401,
    engineer=404,
    engineer_token=404,
    manager=200,
    other_manager=404,
    hr=200,
    hr_token=200,
    hr_read_token=200,
)
HR_ONLY = read(
    anonymous=401,
    engineer=403,
    engineer_token=403,
    manager=403,
    other_manager=403,
    hr=200,
    hr_token=200,
    hr_read_token=200,
)


def catalog_list() -> dict:
    # HR's write token posting an empty body: 400 naming the required fields.
    return {"GET": PUBLIC, "POST": refused_writes(400), "PATCH": refused_writes(405), "DELETE": refused_writes(405)}


def catalog_detail(deleted: int) -> dict:
    # PATCH with an empty body changes nothing (200); DELETE removes the entry (204), or 400 when other
    # rows still need it (a track's roles, a skill the questionnaire asks about).
    return {"GET": PUBLIC, "POST": refused_writes(405), "PATCH": refused_writes(200), "DELETE": refused_writes(deleted)}


def read_only(reads: dict) -> dict:
    return {"GET": reads, **dict.fromkeys(("POST", "PATCH", "DELETE"), refused_writes(405))}


DOCS = {"GET": dict.fromkeys(ACTORS, 200), **dict.fromkeys(("POST", "PATCH", "DELETE"), dict.fromkeys(ACTORS, 405))}

ENDPOINTS = {
    "api:schema": DOCS,
    "api:docs": DOCS,
    "api:tracks": catalog_list(),
    "api:track": catalog_detail(400),
    "api:roles": catalog_list(),
    "api:role": catalog_detail(204),
    "api:skills": catalog_list(),
    "api:skill": catalog_detail(400),
    "api:certifications": catalog_list(),
    "api:certification": catalog_detail(204),
    "api:my_results": read_only(OWN_LIST),
    "api:my_result": read_only(OWN),
    "api:my_plans": read_only(OWN_LIST),
    "api:my_plan": read_only(OWN),
    "api:people": read_only(HR_ONLY),
    "api:person": read_only(HR_ONLY),
    "api:person_results": read_only(TEAM_OR_HR),
    "api:person_result": read_only(TEAM_OR_HR),
    "api:person_plans": read_only(TEAM_OR_HR),
    "api:person_plan": read_only(TEAM_OR_HR),
    "api:readiness": read_only(HR_ONLY),
}


SLUGS = {"api:track": "technical", "api:role": "senior", "api:skill": "design", "api:certification": "pmp"}


def path_for(key: str, world: World) -> str:
    pattern = next(p for p in API_PATTERNS if p.key == key)
    pk = {
        "api:my_result": world.result.pk,
        "api:person_result": world.result.pk,
        "api:my_plan": world.plan.pk,
        "api:person_plan": world.plan.pk,
        "api:person": world.engineer.pk,
    }.get(key)
    return fill(pattern, {"slug": SLUGS.get(key), "pk": pk, "person_id": world.engineer.pk})


API_PATTERNS = [p for p in all_patterns() if p.is_api]


def test_every_api_endpoint_has_an_entry():
    keys = {p.key for p in API_PATTERNS}
    assert len(keys) >= 20
    assert sorted(keys - set(ENDPOINTS)) == [], "API endpoints with no entry in ENDPOINTS"
    assert sorted(set(ENDPOINTS) - keys) == [], "ENDPOINTS entries for endpoints that no longer exist"


@pytest.mark.parametrize("key", sorted(ENDPOINTS))
def test_each_caller_gets_exactly_what_the_rules_say(key, callers):
    path = path_for(key, callers.world)
    wrong = []
    for method in METHODS:
        for actor in ACTORS:
            response = callers.send(actor, method, path)
            expected = ENDPOINTS[key][method][actor]
            if response.status_code != expected:
                wrong.append(f"{method} {path} as {actor}: {response.status_code}, expected {expected}")
    assert wrong == []


def test_a_session_write_with_its_csrf_token_is_let_through_for_hr(callers):
    client = Client(enforce_csrf_checks=True)
    client.force_login(callers.world.hr)
    client.get(reverse("hr:api_tokens"))  # any page that renders a form sets the CSRF cookie
    token = client.cookies["csrftoken"].value

    response = client.patch(
        "/api/v1/tracks/technical/",
        json.dumps({"suits": "People who like to go deep."}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )

    assert response.status_code == 200, response.content
    assert response.json()["suits"] == "People who like to go deep."


def test_a_manager_never_sees_a_plan_kept_private_from_them_and_hr_still_does(callers):
    world = callers.world
    Plan.objects.filter(pk=world.plan.pk).update(private_from_manager=True)  # the shared world object stays as it is
    plans = f"/api/v1/people/{world.engineer.pk}/plans/"
    plan = f"{plans}{world.plan.pk}/"

    assert callers.send("manager", "GET", plans).json()["results"] == []
    assert callers.send("manager", "GET", plan).status_code == 404
    assert callers.send("hr_token", "GET", plan).status_code == 200


def test_a_person_in_the_address_must_own_the_result_or_plan(callers):
    world = callers.world
    for path in (
        f"/api/v1/people/{world.other.pk}/results/{world.result.pk}/",
        f"/api/v1/people/{world.other.pk}/plans/{world.plan.pk}/",
    ):
        assert callers.send("hr_token", "GET", path).status_code == 404


def test_every_opening_of_someones_result_or_plan_is_recorded(callers):
    world = callers.world
    before = AccessRecord.objects.count()

    callers.send("manager", "GET", f"/api/v1/people/{world.engineer.pk}/results/{world.result.pk}/")
    callers.send("hr_token", "GET", f"/api/v1/people/{world.engineer.pk}/plans/{world.plan.pk}/")

    records = list(AccessRecord.objects.order_by("pk")[before:])
    assert [(r.actor, r.subject, r.kind) for r in records] == [
        (world.manager, world.engineer, "result"),
        (world.hr, world.engineer, "plan"),
    ]


def test_an_indirect_report_is_reached_only_when_the_team_policy_says_so(callers):
    from teams.services import team_policy_update

    world = callers.world
    grand_manager = UserFactory(email="grand.manager@example.com")
    Profile.objects.filter(user=world.manager).update(manager=grand_manager)
    client = Client()
    client.force_login(grand_manager)
    path = f"/api/v1/people/{world.engineer.pk}/results/"

    assert client.get(path).status_code == 404
    team_policy_update(include_indirect_reports=True)
    assert client.get(path).status_code == 200


def test_a_token_acting_as_someone_deactivated_is_refused(callers):
    world = callers.world
    User.objects.filter(pk=world.engineer.pk).update(is_active=False)  # the shared world object stays as it is

    assert callers.send("engineer_token", "GET", "/api/v1/me/results/").status_code == 401


def test_an_address_under_the_api_that_matches_nothing_answers_404_in_json(callers):
    for path in ("/api/v1/no-such-thing/", "/api/v1/roles/not%0Aa-slug/", "/api/v1/people/-1/results/", "/api/v2/"):
        response = callers.send("hr_token", "GET", path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json", path
        assert "detail" in response.json()


def test_a_get_to_the_api_changes_nothing(callers):
    """As for the pages (test_csrf_and_safe_methods.py, whose snapshot this is): only the access trail is
    written by a read, and a token's last use (a column of its row, not a row)."""
    from .test_csrf_and_safe_methods import snapshot

    paths = [path_for(key, callers.world) for key in sorted(ENDPOINTS)]
    before = snapshot()

    for path in paths:
        for actor in ACTORS:
            callers.send(actor, "GET", path)
            callers.send(actor, "HEAD", path)

    after = snapshot()
    assert {label: (before[label], after[label]) for label in before if before[label] != after[label]} == {}
