"""A manager's team page: who is on it, what it shows, and that nobody else's data is reachable."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Profile
from accounts.tests.factories import UserFactory
from hr.models import AccessRecord
from plans import services as plan_services
from teams import selectors
from teams.services import team_policy_update

from .test_ratings import rate

pytestmark = pytest.mark.django_db


def report_to(person, manager):
    Profile.objects.filter(user=person).update(manager=manager)


def plan_for(person, result, role, *, done: int = 0, overdue: int = 0, todo: int = 1):
    today = timezone.localdate()
    drafts = [
        plan_services.MilestoneDraft(kind="custom", title=f"Step {n}", due_date=today + timedelta(days=30 + n))
        for n in range(done + overdue + todo)
    ]
    plan = plan_services.plan_create(
        user=person,
        result=result,
        target_role=role,
        goal_slug=role.slug,
        goal_name=role.name,
        path=[],
        generator_version="test",
        horizon_months=12,
        milestones=drafts,
    )
    milestones = list(plan.milestones.order_by("order"))
    for milestone in milestones[:done]:
        plan_services.milestone_set_status(milestone=milestone, status="done")
    overdue_ids = [milestone.pk for milestone in milestones[done : done + overdue]]
    type(milestones[0]).objects.filter(pk__in=overdue_ids).update(due_date=today - timedelta(days=3))  # time passed
    return plan


@pytest.fixture
def org(catalog, make_result):
    """Maya manages Ali and Bea; Bea manages Cy. Dee is in nobody's team."""
    maya, ali, bea, cy, dee = (UserFactory(name=name) for name in ("Maya", "Ali", "Bea", "Cy", "Dee"))
    report_to(ali, maya)
    report_to(bea, maya)
    report_to(cy, bea)
    results = {person.name: make_result(person, 3) for person in (ali, bea, cy, dee)}
    plan_for(ali, results["Ali"], catalog.roles["senior"], done=1, overdue=1, todo=2)
    plan_for(dee, results["Dee"], catalog.roles["senior"])
    return {"maya": maya, "ali": ali, "bea": bea, "cy": cy, "dee": dee, "results": results}


def test_the_team_is_the_direct_reports_unless_hr_allows_their_reports_too(org):
    direct = selectors.team_members(manager=org["maya"])
    assert {m.user_id for m in direct} == {org["ali"].pk, org["bea"].pk}

    team_policy_update(include_indirect_reports=True)
    everyone = selectors.team_members(manager=org["maya"])
    assert {(m.user_id, m.depth) for m in everyone} == {(org["ali"].pk, 1), (org["bea"].pk, 1), (org["cy"].pk, 2)}
    assert selectors.team_members(manager=org["cy"]) == []


def test_a_deactivated_report_leaves_the_team(org):
    type(org["ali"]).objects.filter(pk=org["ali"].pk).update(is_active=False)
    assert {m.user_id for m in selectors.team_members(manager=org["maya"])} == {org["bea"].pk}


def test_the_team_rows_show_latest_verdict_next_step_and_honest_plan_progress(org):
    rows = {row.name: row for row in selectors.team(manager=org["maya"], today=timezone.localdate())}

    ali = rows["Ali"]
    result = org["results"]["Ali"]
    assert ali.result_id == result.pk
    assert ali.best_fit == result.best_fit
    assert ali.next_step == result.top_role_name
    assert ali.target_name == "Senior Engineer"
    stored = {role["slug"]: role["readiness"] for role in result.data["result"]["readiness"]}
    assert ali.target_readiness == stored["senior"]
    assert (ali.progress.total, ali.progress.done, ali.overdue) == (4, 1, 1)
    assert ali.next_due == timezone.localdate() - timedelta(days=3)  # the overdue one comes first

    bea = rows["Bea"]
    assert bea.plan_id is None and bea.progress is None and bea.overdue == 0
    assert "Dee" not in rows and "Cy" not in rows


def test_the_team_page_lists_reports_with_links_and_records_nothing_until_a_person_is_opened(client, org):
    client.force_login(org["maya"])
    response = client.get(reverse("teams:team"))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Ali" in body and "Bea" in body and "Dee" not in body
    assert reverse("teams:report_result", args=[org["ali"].pk, org["results"]["Ali"].pk]) in body
    assert "1 overdue" in body
    assert not AccessRecord.objects.exists()


def test_the_team_page_answers_in_a_fixed_number_of_queries(
    client, org, catalog, make_result, django_assert_num_queries
):
    client.force_login(org["maya"])
    rate(org["maya"], org["ali"], {"design": 5, "planning": 2})
    client.get(reverse("teams:team"))
    # session, user, policy, members, accounts with latest result, results, plans, milestones,
    # the latest manager ratings and their skills (for the calibrated readiness)
    with django_assert_num_queries(10):
        client.get(reverse("teams:team"))
    for n in range(3):  # a bigger team, more of it rated, costs no more queries
        person = UserFactory(name=f"New {n}")
        report_to(person, org["maya"])
        plan_for(person, make_result(person, 2), catalog.roles["senior"], todo=2)
        rate(org["maya"], person, {"design": 4, "communication": 1})
    with django_assert_num_queries(10):
        response = client.get(reverse("teams:team"))
    assert response.content.decode().count('class="card h-100"') == 5


def test_each_row_shows_readiness_for_the_plans_target_on_calibrated_levels(client, org):
    rate(org["maya"], org["ali"], {"design": 5, "planning": 5, "communication": 5, "people": 5})

    rows = {row.name: row for row in selectors.team(manager=org["maya"], today=timezone.localdate())}

    ali, bea = rows["Ali"], rows["Bea"]
    assert ali.calibrated.slug == "senior" and ali.calibrated_sources == "self and manager"
    assert ali.calibrated.self_readiness == ali.target_readiness
    assert ali.calibrated.readiness > ali.target_readiness  # a generous manager raises it
    # Bea has no plan and no rating: her next step's readiness, on the self-rating alone.
    assert bea.calibrated_sources == "self"
    assert bea.calibrated is None or bea.calibrated.readiness == bea.calibrated.self_readiness
    client.force_login(org["maya"])
    body = client.get(reverse("teams:team")).content.decode()
    assert f"<strong>{ali.calibrated.readiness}</strong> <span" in body and "self and manager" in body


def test_someone_with_no_team_sees_an_empty_state(client, org):
    client.force_login(org["dee"])
    response = client.get(reverse("teams:team"))
    assert response.status_code == 200
    assert "No one reports to you" in response.content.decode()


def test_a_manager_opens_a_reports_result_and_plan_and_each_opening_is_recorded(client, org):
    client.force_login(org["maya"])
    ali, result = org["ali"], org["results"]["Ali"]
    plan = ali.plans.get()

    assert client.get(reverse("teams:report_result", args=[ali.pk, result.pk])).status_code == 200
    response = client.get(reverse("teams:report_plan", args=[ali.pk, plan.pk]))
    assert response.status_code == 200
    assert "Step 0" in response.content.decode()

    records = list(AccessRecord.objects.order_by("pk").values_list("actor", "subject", "kind", "object_id"))
    assert records == [(org["maya"].pk, ali.pk, "result", result.pk), (org["maya"].pk, ali.pk, "plan", plan.pk)]


@pytest.mark.parametrize(
    "viewer, person, policy",
    [
        pytest.param("maya", "dee", False, id="not-in-the-team"),
        pytest.param("maya", "cy", False, id="reports-report-without-hr-allowing-it"),
        pytest.param("ali", "bea", False, id="a-peer"),
        pytest.param("bea", "maya", True, id="ones-own-manager"),
        pytest.param("cy", "cy", True, id="oneself-through-the-team-pages"),
    ],
)
def test_nobody_outside_the_team_rules_sees_a_result_or_plan(client, org, viewer, person, policy):
    if policy:
        team_policy_update(include_indirect_reports=True)
    client.force_login(org[viewer])
    target = org[person]
    result = target.results.first()
    urls = [reverse("teams:report_result", args=[target.pk, result.pk if result else 1])]
    urls += [reverse("teams:report_plan", args=[target.pk, plan.pk]) for plan in target.plans.all()]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert not AccessRecord.objects.exists()


def test_a_result_of_someone_else_under_a_reports_id_is_not_found(client, org):
    """The result must belong to the person in the address, not just be any result."""
    client.force_login(org["maya"])
    url = reverse("teams:report_result", args=[org["ali"].pk, org["results"]["Dee"].pk])
    assert client.get(url).status_code == 404


def test_with_hr_allowing_it_a_manager_sees_their_reports_reports(client, org):
    team_policy_update(include_indirect_reports=True)
    client.force_login(org["maya"])
    cy, result = org["cy"], org["results"]["Cy"]

    body = client.get(reverse("teams:team")).content.decode()
    assert "Cy" in body and "reports to Bea" in body
    assert client.get(reverse("teams:report_result", args=[cy.pk, result.pk])).status_code == 200


def test_the_team_pages_need_a_log_in(client, org):
    response = client.get(reverse("teams:team"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


# --- Who manages whom ------------------------------------------------------------------------


def test_a_person_cannot_be_their_own_manager(org):
    profile = org["ali"].profile
    profile.manager = org["ali"]
    with pytest.raises(ValidationError) as excinfo:
        profile.full_clean()
    assert "own manager" in str(excinfo.value)


def test_a_reporting_loop_is_refused(org):
    profile = org["maya"].profile  # Maya above Bea above Cy: Cy can't manage Maya
    profile.manager = org["cy"]
    with pytest.raises(ValidationError) as excinfo:
        profile.full_clean()
    assert "loop" in str(excinfo.value)


def test_deleting_a_manager_leaves_their_reports_without_one(org):
    account_services.account_delete(user=org["bea"])
    assert Profile.objects.get(user=org["cy"]).manager is None


def test_hr_sets_the_team_policy_in_the_panel_and_showing_it_writes_nothing(client):
    from accounts.services import hr_member_add

    hr = UserFactory(is_staff=True)
    hr_member_add(user=hr)
    client.force_login(hr)
    url = reverse("admin:teams_teampolicy_change", args=[1])

    assert client.get(reverse("admin:teams_teampolicy_changelist")).url == url
    assert client.get(url).status_code == 200
    assert not selectors.TeamPolicy.objects.exists()  # a GET shows the defaults, stores nothing

    response = client.post(url, {"include_indirect_reports": "on"})
    assert response.status_code == 302
    assert selectors.team_policy().include_indirect_reports is True
    assert client.get(reverse("admin:teams_teampolicy_add")).status_code == 403
