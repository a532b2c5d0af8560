"""The people list: one row per engineer, its columns, search, filters and a query count that doesn't grow."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from hr import services
from roles.models import Track
from roles.tests.factories import DisciplineFactory, RoleFactory

from .factories import days, stored_plan, stored_result

pytestmark = pytest.mark.django_db

LIST = "admin:hr_person_changelist"


def listed(client, **params) -> set:
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return set(response.context["cl"].result_list)


@pytest.fixture
def team():
    software = DisciplineFactory(slug="software", name="Software")
    mechanical = DisciplineFactory(slug="mechanical", name="Mechanical")
    senior = RoleFactory(slug="senior-x", name="Senior engineer")
    ada = UserFactory(name="Ada Lovelace", email="ada@example.com", profile__discipline=software,
                      profile__current_role=senior)  # fmt: skip
    stored_result(ada, best_fit="managerial", readiness={"engineering-manager": 72, "senior": 60})
    stored_plan(ada, target="engineering-manager", target_name="Engineering Manager", milestones=[
        {"status": "done"}, {"due": days(-3)}, {"due": days(-1)}, {"due": days(20)},
    ])  # fmt: skip
    bob = UserFactory(name="Bob Brunel", email="bob@example.com", profile__discipline=mechanical)
    stored_result(bob, best_fit="technical", readiness={"senior": 90}, created_at=timezone.now() - timedelta(days=200))
    stored_plan(bob, target="senior", target_name="Senior", milestones=[{"due": days(10)}])
    cy = UserFactory(name="Cy Young", email="cy@example.com")
    return {"ada": ada, "bob": bob, "cy": cy, "software": software, "mechanical": mechanical}


def test_one_row_per_engineer_with_the_latest_result_and_the_active_plans_progress(hr_client, team, hr_user):
    response = hr_client.get(reverse(LIST))

    rows = {row.email: row for row in response.context["cl"].result_list}
    assert set(rows) == {"ada@example.com", "bob@example.com", "cy@example.com"}  # not HR staff
    ada = rows["ada@example.com"]
    assert (ada.best_fit, ada.top_role_name, ada.top_role_readiness) == ("managerial", "Engineering Manager", 72)
    assert (ada.plan_target_name, ada.milestones_total, ada.milestones_done, ada.milestones_overdue) == (
        "Engineering Manager", 4, 1, 2,
    )  # fmt: skip
    html = response.content.decode()
    assert "Software" in html and "Senior engineer" in html
    assert "1/4 (25%)" in html
    assert "Engineering Manager (72%)" in html


def test_dropped_and_not_needed_milestones_count_neither_as_done_nor_as_remaining_nor_overdue(hr_client):
    dee = UserFactory(name="Dee", email="dee@example.com")
    stored_plan(dee, milestones=[{"status": "done"}, {"due": days(-2)}, {"status": "dropped", "due": days(-3)}])
    plan = dee.plans.get()
    plan.milestones.create(title="Not needed", due_date=days(-4), status="not_needed", set_aside_reason="Covered")

    row = next(r for r in hr_client.get(reverse(LIST)).context["cl"].result_list if r.email == "dee@example.com")

    assert (row.milestones_total, row.milestones_done, row.milestones_overdue) == (2, 1, 1)


def test_search_finds_people_by_name_or_email(hr_client, team):
    assert listed(hr_client, q="lovelace") == {team["ada"]}
    assert listed(hr_client, q="BOB@EXAMPLE") == {team["bob"]}


def test_filters_by_discipline_track_fit_and_target_role(hr_client, team):
    assert listed(hr_client, discipline=team["mechanical"].pk) == {team["bob"]}
    assert listed(hr_client, discipline="none") == {team["cy"]}
    assert listed(hr_client, fit="managerial") == {team["ada"]}
    assert listed(hr_client, fit="none") == {team["cy"]}
    assert listed(hr_client, target="senior") == {team["bob"]}


def test_filters_by_overdue_milestones_and_time_since_the_last_self_assessment(hr_client, team):
    assert listed(hr_client, overdue="yes") == {team["ada"]}
    assert listed(hr_client, overdue="no") == {team["bob"], team["cy"]}
    # Bob assessed 200 days ago, Cy never: both count as "no self-assessment for 6 months".
    assert listed(hr_client, not_assessed="6") == {team["bob"], team["cy"]}
    assert listed(hr_client, not_assessed="12") == {team["cy"]}


def test_the_rows_link_to_the_read_only_result_and_plan_pages(hr_client, team):
    ada = team["ada"]
    html = hr_client.get(reverse(LIST)).content.decode()

    assert reverse("hr:person_result", args=[ada.pk, ada.results.get().pk]) in html
    assert reverse("hr:person_plan", args=[ada.pk, ada.plans.get().pk]) in html


def test_the_person_page_lists_their_results_and_plans_read_only(hr_client, team):
    ada = team["ada"]

    response = hr_client.get(reverse("admin:hr_person_change", args=[ada.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Toward Engineering Manager" in html and "1 of 4 milestones done" in html
    assert 'name="email"' not in html  # no form fields: read-only
    assert hr_client.post(reverse("admin:hr_person_change", args=[ada.pk]), {"name": "X"}).status_code == 403


def more_people(factor: int):
    track = Track.objects.first()
    for n in range(factor):
        discipline = DisciplineFactory()
        user = UserFactory(profile__discipline=discipline, profile__current_role=RoleFactory(track=track))
        stored_result(user, readiness={f"r{n}": 40 + n % 50})
        stored_result(user, readiness={f"r{n}": 50 + n % 50})
        stored_plan(user, target=f"r{n}", milestones=[{"due": days(-1)}, {"status": "done"}, {"due": days(5)}])


# session, user, permissions (2), the discipline filter's choices, count, page, and the figures of the rows
# on the page (latest results, active plans); the target filter's choices are kept (hr.selectors), and the
# readiness filter also brings its index up to date
PEOPLE_LIST_QUERIES = 9
PERSON_PAGE_QUERIES = 7  # session, user, permissions (2), the person with profile, results, plans


def test_the_people_list_costs_the_same_queries_with_ten_times_more_people(hr_client, team, django_assert_num_queries):
    services.readiness_index_update()
    hr_client.get(reverse(LIST))
    with django_assert_num_queries(PEOPLE_LIST_QUERIES):
        hr_client.get(reverse(LIST))
    with django_assert_num_queries(PEOPLE_LIST_QUERIES):  # filtering changes the queries, not their number
        hr_client.get(reverse(LIST), {"readiness": "within_12_months", "overdue": "yes", "fit": "managerial"})

    more_people(30)
    services.readiness_index_update()
    with django_assert_num_queries(PEOPLE_LIST_QUERIES):
        response = hr_client.get(reverse(LIST))
    assert len(response.context["cl"].result_list) == 33
    with django_assert_num_queries(PEOPLE_LIST_QUERIES):
        hr_client.get(reverse(LIST), {"readiness": "within_12_months", "overdue": "yes"})


def test_the_person_page_costs_the_same_queries_with_more_results_and_plans(hr_client, team, django_assert_num_queries):
    ada = team["ada"]
    # Unmeasured: the admin looks the person's content type up once per process (ContentType's cache),
    # in whichever test opens an admin change page first
    hr_client.get(reverse("admin:hr_person_change", args=[ada.pk]))
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        hr_client.get(reverse("admin:hr_person_change", args=[ada.pk]))

    for n in range(10):
        stored_result(ada, readiness={"senior": n})
        stored_plan(ada, target=f"t{n}", status="archived", milestones=[{"status": "done"}, {}])
    with django_assert_num_queries(PERSON_PAGE_QUERIES):
        hr_client.get(reverse("admin:hr_person_change", args=[ada.pk]))


def test_a_newly_aimed_at_role_joins_the_target_filter_within_the_dashboards_few_minutes(hr_client, team, settings):
    def targets() -> list[str]:
        spec = next(f for f in hr_client.get(reverse(LIST)).context["cl"].filter_specs if f.parameter_name == "target")
        return [slug for slug, _ in spec.lookup_choices]

    assert "director" not in targets()
    newcomer = UserFactory()
    stored_plan(newcomer, target="director", milestones=[{"due": days(30)}])
    filtered = hr_client.get(reverse(LIST), {"target": "director"})  # can be filtered on at once
    assert {p.pk for p in filtered.context["cl"].result_list} == {newcomer.pk}

    with time_machine.travel(timezone.now() + timedelta(seconds=settings.HR_DASHBOARD_CACHE_SECONDS + 1)):
        assert "director" in targets()
