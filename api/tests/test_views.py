"""The API's lists: filters and paging checked with a message, and every list's query count pinned,
the same with ten times the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Profile
from accounts.services import hr_member_add
from accounts.tests.factories import UserFactory
from api.services import api_token_create
from assessments.tests.factories import build_questionnaire, submit_self_assessment
from plans.models import Milestone, Plan
from roles.tests.factories import build_catalog

pytestmark = pytest.mark.django_db


def make_plan(user, *, status=Plan.Status.ACTIVE, milestones: int = 3) -> Plan:
    today = timezone.localdate()
    plan = Plan.objects.create(
        user=user,
        status=status,
        archived_at=timezone.now() if status == Plan.Status.ARCHIVED else None,
        target_slug="senior",
        target_name="Senior Engineer",
        goal_slug="senior",
        goal_name="Senior Engineer",
        generator_version="test",
        starts_on=today,
        horizon_months=12,
    )
    Milestone.objects.bulk_create(
        Milestone(plan=plan, title=f"Step {n}", due_date=today + timedelta(days=30 * n)) for n in range(milestones)
    )
    return plan


class Org:
    """`scale` reports for one manager, each with `scale` results and plans (one active), and a catalog
    `scale` times as big; HR and the manager and the first report each hold a token."""

    def __init__(self, scale: int):
        catalog = build_catalog(copies=scale)
        build_questionnaire(skills=list(catalog.skills.values()))
        self.hr = UserFactory(email="hr@example.com")
        hr_member_add(user=self.hr)
        self.manager = UserFactory(email="manager@example.com")
        self.reports = [UserFactory(email=f"report{n}@example.com") for n in range(scale)]
        Profile.objects.filter(user__in=self.reports).update(manager=self.manager)
        self.engineer = self.reports[0]
        for person in self.reports:
            make_plan(person)
        for _ in range(scale):
            submit_self_assessment(self.engineer)
        for _ in range(scale - 1):
            make_plan(self.engineer, status=Plan.Status.ARCHIVED)
        self.tokens = {
            who: api_token_create(name=who, scope="write", user=getattr(self, who), created_by=self.hr)[1]
            for who in ("hr", "manager", "engineer")
        }

    def get(self, client, who: str, path: str):
        return client.get(path, HTTP_AUTHORIZATION=f"Bearer {self.tokens[who]}")


# endpoint: (caller, path given the org, queries). Every request by token pays one query for the token (with
# its account); a catalog list then counts, reads its rows and one query per related list (a role's
# disciplines, requirements, pay, questions); a filter by slug looks the slug up first. A call needing HR's
# rights reads the account's permissions (two queries), a manager's the team (one per level) and the person.
LISTS = {
    "tracks": ("engineer", lambda o: "/api/v1/tracks/", 3),
    "roles": ("engineer", lambda o: "/api/v1/roles/", 7),
    "roles by track and discipline": ("engineer", lambda o: "/api/v1/roles/?track=technical&discipline=software", 9),
    "skills": ("engineer", lambda o: "/api/v1/skills/?area=technical", 4),
    "certifications": ("engineer", lambda o: "/api/v1/certifications/", 7),
    "my results": ("engineer", lambda o: "/api/v1/me/results/", 3),
    "my plans": ("engineer", lambda o: "/api/v1/me/plans/", 3),
    "a report's results": ("manager", lambda o: f"/api/v1/people/{o.engineer.pk}/results/", 6),
    "a report's plans": ("manager", lambda o: f"/api/v1/people/{o.engineer.pk}/plans/", 6),
    "a person's results, for HR": ("hr", lambda o: f"/api/v1/people/{o.engineer.pk}/results/", 6),
    "a person's plans, for HR": ("hr", lambda o: f"/api/v1/people/{o.engineer.pk}/plans/", 6),
    "people": ("hr", lambda o: "/api/v1/people/?discipline=none", 5),
    "readiness": ("hr", lambda o: "/api/v1/readiness/", 5),
}


@pytest.mark.parametrize("scale", [1, 10], ids=["some data", "ten times the data"])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_every_list_takes_the_same_queries_however_much_data(name, scale, client):
    who, path, pinned = LISTS[name]
    org = Org(scale)
    url = path(org)
    org.get(client, who, url)  # the token's first use is written down once a minute: not counted

    with CaptureQueriesContext(connection) as queries:
        response = org.get(client, who, url)

    assert response.status_code == 200, response.content
    assert response.json()["count"] >= (1 if name == "tracks" else scale)  # three tracks at any scale
    assert len(queries) == pinned, "\n".join(q["sql"][:200] for q in queries)


def test_a_filter_naming_nothing_is_a_400_naming_the_parameter(client):
    org = Org(1)

    response = org.get(client, "engineer", "/api/v1/roles/?track=no-such-track")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The request is not valid: see errors.",
        "errors": {"track": ["No track with that slug."]},
    }


@pytest.mark.parametrize(
    "query", ["page=abc", "page=0", "page=-1", "page=" + "9" * 30, "page_size=1000", "page_size=x"]
)
def test_a_bad_page_or_page_size_is_a_400_with_a_message(query, client):
    org = Org(1)

    response = org.get(client, "engineer", f"/api/v1/roles/?{query}")

    assert response.status_code == 400
    name = query.split("=")[0]
    assert response.json()["errors"][name][0].startswith("A whole number from 1 to")


def test_lists_are_paged_with_links_and_a_page_past_the_last_is_404(client):
    org = Org(1)

    first = org.get(client, "engineer", "/api/v1/roles/?page_size=4").json()
    beyond = org.get(client, "engineer", "/api/v1/roles/?page_size=4&page=99")

    assert first["count"] == 9 and len(first["results"]) == 4
    assert first["next"].endswith("/api/v1/roles/?page=2&page_size=4") and first["previous"] is None
    assert beyond.status_code == 404
    assert beyond.json() == {"detail": "There is no page 99: the last page is 3."}


def test_roles_filtered_by_discipline_include_the_roles_for_every_discipline(client):
    org = Org(1)

    slugs = {
        role["slug"] for role in org.get(client, "engineer", "/api/v1/roles/?discipline=software").json()["results"]
    }
    every = {role["slug"] for role in org.get(client, "engineer", "/api/v1/roles/").json()["results"]}

    assert slugs and slugs <= every


def test_people_filtered_by_discipline(client):
    from roles.models import Discipline

    org = Org(1)
    Profile.objects.filter(user=org.engineer).update(discipline=Discipline.objects.get(slug="software"))

    software = org.get(client, "hr", "/api/v1/people/?discipline=software").json()["results"]
    none = org.get(client, "hr", "/api/v1/people/?discipline=none").json()["results"]

    assert [p["email"] for p in software] == [org.engineer.email]
    assert org.engineer.email not in [p["email"] for p in none]


def test_a_result_reads_with_its_readiness_for_every_role(client):
    org = Org(1)
    result = org.engineer.results.get()

    body = org.get(client, "engineer", f"/api/v1/me/results/{result.pk}/").json()

    assert body["id"] == result.pk and body["best_fit"] == result.best_fit
    assert "senior" in {row["slug"] for row in body["readiness"]}
    assert all(0 <= row["readiness"] <= 100 for row in body["readiness"])
