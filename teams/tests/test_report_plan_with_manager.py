"""Working on a report's plan, from the manager's side: the report-plan page's thread, agreement and
confirmations; who may act (the direct manager only); a private plan leaks nothing through any team
page; query counts; and every new address as every kind of visitor."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.services import hr_member_add
from accounts.tests.factories import UserFactory
from hr.models import AccessRecord
from plans import services as plan_services
from plans.models import Milestone, Plan, PlanComment
from plans.tests.test_milestone_changes import make_plan
from teams.services import team_policy_update

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Secret milestone title"


@pytest.fixture
def org(catalog, make_result):
    """Eve reports to Max, Max to Big (her indirect manager). Ola manages Pat; Pam is Eve's peer (also Max's)."""
    eve, max_, big, ola, pat, pam = (UserFactory(name=n) for n in ("Eve", "Max", "Big", "Ola", "Pat", "Pam"))
    for person, manager in ((eve, max_), (max_, big), (pat, ola), (pam, max_)):
        Profile.objects.filter(user=person).update(manager=manager)
    hr = UserFactory(name="Harriet")
    hr_member_add(user=hr)
    result = make_result(eve, 3)
    plan = make_plan(eve, SECRET_TITLE, "Mentor a new hire", "Give a talk")
    Plan.objects.filter(pk=plan.pk).update(result=result, target_name="Secret Target Role")
    first = plan.milestones.order_by("order").first()
    plan_services.milestone_set_status(milestone=first, status="done", evidence_url="https://example.com/proof")
    return SimpleNamespace(
        eve=eve, manager=max_, indirect=big, other_manager=ola, peer=pam, hr=hr, plan=plan, done=first, result=result
    )


def as_(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def report_plan_url(org, plan=None) -> str:
    plan = plan or org.plan
    return reverse("teams:report_plan", kwargs={"person_id": org.eve.pk, "pk": plan.pk})


def comment_url(org) -> str:
    return reverse("teams:report_plan_comment", kwargs={"person_id": org.eve.pk, "pk": org.plan.pk})


def agree_url(org) -> str:
    return reverse("teams:report_plan_agree", kwargs={"person_id": org.eve.pk, "pk": org.plan.pk})


def confirm_url(org, milestone=None) -> str:
    milestone = milestone or org.done
    return reverse("teams:report_milestone_confirm", kwargs={"person_id": org.eve.pk, "pk": milestone.pk})


# --- The manager works on the plan ---------------------------------------------------------------


def test_the_manager_comments_agrees_and_confirms_from_the_report_plan_page(org):
    manager = as_(org.manager)
    page = manager.get(report_plan_url(org)).content.decode()
    assert agree_url(org) in page and comment_url(org) in page and confirm_url(org) in page

    assert manager.post(comment_url(org), {"body": "Nice start"}).status_code == 302
    assert manager.post(agree_url(org)).status_code == 302
    assert manager.post(confirm_url(org), {"action": "confirm"}).status_code == 302

    org.done.refresh_from_db()
    assert org.done.confirmed_by == org.manager
    assert PlanComment.objects.get().author == org.manager
    page = manager.get(report_plan_url(org)).content.decode()
    assert "Nice start" in page and "Agreed by Max on" in page and "Take back the confirmation" in page
    # and the engineer sees it all on their own page
    own = as_(org.eve).get(org.plan.get_absolute_url()).content.decode()
    assert "Agreed by Max on" in own and "Nice start" in own and "Confirmed</span> by Max" in own


def test_the_manager_takes_a_confirmation_back(org):
    manager = as_(org.manager)
    manager.post(confirm_url(org), {"action": "confirm"})
    manager.post(confirm_url(org), {"action": "withdraw"})
    org.done.refresh_from_db()
    assert not org.done.is_confirmed


def test_confirming_a_milestone_that_is_not_done_says_why_and_changes_nothing(org):
    todo = org.plan.milestones.order_by("order")[1]
    response = as_(org.manager).post(confirm_url(org, todo), {"action": "confirm"}, follow=True)
    assert "Only a done milestone can be confirmed." in response.content.decode()
    todo.refresh_from_db()
    assert not todo.is_confirmed


@pytest.mark.parametrize("body", ["", "a" * 2001, "ring \x07"])
def test_a_bad_comment_from_the_manager_is_refused_with_a_message(org, body):
    response = as_(org.manager).post(comment_url(org), {"body": body}, follow=True)
    assert "The comment was not added" in response.content.decode()
    assert not PlanComment.objects.exists()


def test_the_manager_deletes_their_own_comment_and_returns_to_the_report_plan_page(org):
    comment = plan_services.plan_comment_add(plan=org.plan, author=org.manager, body="Oops")
    response = as_(org.manager).post(reverse("plans:comment_delete", args=[comment.pk]))
    assert response.status_code == 302 and response["Location"] == report_plan_url(org) + "#comments"
    assert not PlanComment.objects.exists()


def test_the_manager_cannot_delete_the_engineers_comment(org):
    comment = plan_services.plan_comment_add(plan=org.plan, author=org.eve, body="Mine")
    assert as_(org.manager).post(reverse("plans:comment_delete", args=[comment.pk])).status_code == 404
    assert PlanComment.objects.filter(pk=comment.pk).exists()


def test_an_indirect_manager_reads_the_thread_and_agreement_but_cannot_act(org):
    team_policy_update(include_indirect_reports=True)
    plan_services.plan_comment_add(plan=org.plan, author=org.manager, body="From Max")
    plan_services.plan_agree(plan=org.plan, manager=org.manager)
    big = as_(org.indirect)

    page = big.get(report_plan_url(org)).content.decode()

    assert "From Max" in page and "Agreed by Max on" in page
    assert agree_url(org) not in page and comment_url(org) not in page and confirm_url(org) not in page
    assert big.post(comment_url(org), {"body": "Hi"}).status_code == 404
    assert big.post(agree_url(org)).status_code == 404
    assert big.post(confirm_url(org), {"action": "confirm"}).status_code == 404
    assert PlanComment.objects.count() == 1
    org.done.refresh_from_db()
    assert not org.done.is_confirmed


def test_an_archived_plan_is_read_only_for_the_manager(org):
    plan_services.plan_archive(plan=org.plan)
    page = as_(org.manager).get(report_plan_url(org)).content.decode()
    assert agree_url(org) not in page and comment_url(org) not in page
    response = as_(org.manager).post(agree_url(org), follow=True)
    assert "archived" in response.content.decode()
    assert Plan.objects.get(pk=org.plan.pk).agreed_at is None


def test_the_team_page_shows_confirmed_counts_and_the_agreement(org):
    plan_services.plan_agree(plan=org.plan, manager=org.manager)
    plan_services.milestone_confirm(milestone=org.done, manager=org.manager)
    page = as_(org.manager).get(reverse("teams:team")).content.decode()
    assert "1 of 3 milestones done (1 confirmed)" in page
    assert f"{timezone.localdate():%-d %b %Y}" in page and "changed since" not in page

    plan_services.milestone_set_aside(milestone=org.plan.milestones.order_by("order")[2], status="dropped")
    assert "changed since" in as_(org.manager).get(reverse("teams:team")).content.decode()


# --- A private plan leaks nothing ---------------------------------------------------------------


@pytest.fixture
def private(org):
    plan_services.plan_comment_add(plan=org.plan, author=org.eve, body="Private thoughts")
    plan_services.plan_agree(plan=org.plan, manager=org.manager)
    plan_services.plan_privacy_set(plan=org.plan, user=org.eve, private=True)
    return org


LEAKS = (SECRET_TITLE, "Mentor a new hire", "Secret Target Role", "Private thoughts", "milestones done", "overdue")


def assert_no_leak(html: str, org) -> None:
    for text in LEAKS:
        assert text not in html, text
    assert f"/plans/{org.plan.pk}/" not in html
    assert f"/milestones/{org.done.pk}/" not in html


def test_the_team_page_shows_only_that_a_private_plan_exists(private):
    Milestone.objects.filter(plan=private.plan, status="todo").update(due_date=timezone.localdate().replace(year=2000))
    team_policy_update(include_indirect_reports=True)
    for manager in (private.manager, private.indirect):
        response = as_(manager).get(reverse("teams:team"))
        html = response.content.decode()
        assert "Has a plan, kept private" in html
        assert_no_leak(html, private)
        assert "with overdue milestones" not in html  # the summary counts nothing of it either
        # a private plan is a plan: only the others (none of whom has one) count as without
        assert response.context["no_plan"] == len(response.context["rows"]) - 1
        row = next(r for r in response.context["rows"] if r.user_id == private.eve.pk)
        assert row.plan_id is None and row.progress is None and row.target_name == "" and row.agreement is None
        assert row.overdue == 0 and row.confirmed == 0 and row.next_due is None and row.target_band is None


def test_the_report_plan_page_of_a_private_plan_is_404_and_not_recorded(private):
    response = as_(private.manager).get(report_plan_url(private))
    assert response.status_code == 404
    assert_no_leak(response.content.decode(), private)
    assert not AccessRecord.objects.filter(kind=AccessRecord.Kind.PLAN).exists()


def test_the_managers_writes_to_a_private_plan_are_404(private):
    manager = as_(private.manager)
    assert manager.post(comment_url(private), {"body": "Hi"}).status_code == 404
    assert manager.post(agree_url(private)).status_code == 404
    assert manager.post(confirm_url(private), {"action": "confirm"}).status_code == 404
    assert PlanComment.objects.count() == 1
    private.done.refresh_from_db()
    assert not private.done.is_confirmed


def test_the_other_team_pages_leak_nothing_of_a_private_plan(private):
    manager = as_(private.manager)
    pages = [
        reverse("teams:report_result", kwargs={"person_id": private.eve.pk, "pk": private.result.pk}),
        reverse("teams:report_ratings", kwargs={"person_id": private.eve.pk}),
        reverse("teams:my_ratings"),
        reverse("teams:team"),
    ]
    for url in pages:
        response = manager.get(url)
        assert response.status_code == 200, url
        assert_no_leak(response.content.decode(), private)
    # and the engineer's own pages and exports stay the engineer's
    for url in (reverse("plans:csv", args=[private.plan.pk]), reverse("plans:print", args=[private.plan.pk])):
        assert manager.get(url).status_code == 404


def test_hr_still_reads_a_private_plan(private):
    response = as_(private.hr).get(
        reverse("hr:person_plan", kwargs={"person_id": private.eve.pk, "pk": private.plan.pk})
    )
    assert response.status_code == 200
    assert SECRET_TITLE in response.content.decode()


def test_sharing_the_plan_again_brings_it_back_for_the_manager(private):
    plan_services.plan_privacy_set(plan=private.plan, user=private.eve, private=False)
    assert SECRET_TITLE in as_(private.manager).get(report_plan_url(private)).content.decode()


# --- Query counts --------------------------------------------------------------------------------


def grow(org, times: int) -> None:
    """`times` more milestones (half done and confirmed), comments, and reports with plans of their own."""
    for n in range(times):
        m = Milestone.objects.create(
            plan=org.plan, title=f"More {n}", due_date=timezone.localdate().replace(year=2030), order=100 + n
        )
        if n % 2:
            plan_services.milestone_set_status(milestone=m, status="done")
            plan_services.milestone_confirm(milestone=m, manager=org.manager)
        plan_services.plan_comment_add(plan=org.plan, author=org.manager if n % 2 else org.eve, body=f"C {n}")
        report = UserFactory(name=f"Report {n}")
        Profile.objects.filter(user=report).update(manager=org.manager)
        plan = make_plan(report, "A", "B")
        plan_services.plan_agree(plan=plan, manager=org.manager)
        if n % 3 == 0:
            plan_services.plan_privacy_set(plan=plan, user=report, private=True)
    plan_services.plan_agree(plan=org.plan, manager=org.manager)


@pytest.mark.parametrize("times", [1, 10])
def test_the_report_plan_page_costs_the_same_queries_with_ten_times_the_data(org, django_assert_num_queries, times):
    grow(org, times)
    manager = as_(org.manager)
    # session, user, policy, members, person, plan with who agreed it, milestones with who confirmed each,
    # the access record written, is-direct-manager, comments with authors
    with django_assert_num_queries(10):
        response = manager.get(report_plan_url(org))
    assert response.status_code == 200
    assert response.content.decode().count('id="comment-') == times


@pytest.mark.parametrize("times", [1, 10])
def test_the_team_page_costs_the_same_queries_with_ten_times_the_data(org, django_assert_num_queries, times):
    grow(org, times)
    manager = as_(org.manager)
    # session, user, policy, members, accounts with latest result, results, plans (with who agreed), milestones,
    # the latest manager ratings (none here, so no query for their skills)
    with django_assert_num_queries(9):
        response = manager.get(reverse("teams:team"))
    assert len(response.context["rows"]) == 2 + times


# --- Every new address, as every kind of visitor ----------------------------------------------

LOGIN = "login"
ACTORS = ("anonymous", "eve", "manager", "other_manager", "indirect", "peer", "hr")


def expect(**given):
    """Anonymous visitors log in; everyone not named gets 404, like a missing object."""
    return {"anonymous": LOGIN, **dict.fromkeys(ACTORS[1:], 404), **given}


def not_allowed():
    return {"anonymous": LOGIN, **dict.fromkeys(ACTORS[1:], 405)}


def matrix(org) -> dict[str, tuple[str, dict, dict]]:
    """path -> (what, GET expectations, POST expectations), posting an empty form."""
    comment = plan_services.plan_comment_add(plan=org.plan, author=org.eve, body="Eve's comment")
    return {
        reverse("plans:comment_add", args=[org.plan.pk]): ("comment_add", not_allowed(), expect(eve=302)),
        reverse("plans:comment_delete", args=[comment.pk]): ("comment_delete", not_allowed(), expect(eve=302)),
        reverse("plans:privacy", args=[org.plan.pk]): ("privacy", not_allowed(), expect(eve=302)),
        reverse("plans:milestone_evidence", args=[org.done.pk]): ("evidence", expect(eve=200), expect(eve=302)),
        comment_url(org): ("report_plan_comment", not_allowed(), expect(manager=302)),
        agree_url(org): ("report_plan_agree", not_allowed(), expect(manager=302)),
        confirm_url(org): ("report_milestone_confirm", not_allowed(), expect(manager=302)),
        report_plan_url(org): ("report_plan", expect(manager=200), not_allowed()),
    }


@pytest.mark.parametrize("indirect_allowed", [False, True])
def test_every_new_address_answers_each_visitor_as_it_should(org, indirect_allowed):
    """The engineer, their manager, another manager, an indirect manager (with and without HR's policy
    letting them see the team), a peer in the same team, HR and an anonymous visitor, GET and POST."""
    team_policy_update(include_indirect_reports=indirect_allowed)
    users = {
        "anonymous": None,
        "eve": org.eve,
        "manager": org.manager,
        "other_manager": org.other_manager,
        "indirect": org.indirect,
        "peer": org.peer,
        "hr": org.hr,
    }
    failures = []
    for path, (what, get, post) in matrix(org).items():
        if indirect_allowed and what == "report_plan":
            get = {**get, "indirect": 200}  # reads the plan; still 404 for every write
        for method, expected in (("GET", get), ("POST", post)):
            for actor in ("anonymous", "other_manager", "indirect", "peer", "hr", "manager", "eve"):
                client = as_(users[actor])
                response = client.get(path) if method == "GET" else client.post(path, {})
                want = expected[actor]
                if want == LOGIN:
                    ok = response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
                else:
                    ok = response.status_code == want
                if not ok:
                    failures.append(f"{method} {what} as {actor}: {response.status_code}, expected {want}")
    assert not failures, failures
