"""HR reads people's results and plans, never changes them, and every opening is recorded."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.personal_data import subject_reference
from accounts.tests.factories import UserFactory
from assessments.models import Answer, Result
from hr import services
from hr.models import AccessRecord, RoleReadiness

from .factories import days, stored_plan, stored_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer():
    return UserFactory(name="Ada Engineer", email="ada@example.com")


def test_opening_a_result_records_who_looked_at_whose_result(hr_client, hr_user, engineer, make_result):
    result = make_result(engineer)

    response = hr_client.get(reverse("hr:person_result", args=[engineer.pk, result.pk]))

    assert response.status_code == 200
    record = AccessRecord.objects.get()
    assert (record.actor, record.actor_email, record.subject) == (hr_user, hr_user.email, engineer)
    assert (record.kind, record.object_id) == ("result", result.pk)
    assert record.subject_ref == subject_reference(engineer.pk)


def test_every_opening_is_a_new_record(hr_client, engineer):
    plan = stored_plan(engineer, milestones=[{}])
    url = reverse("hr:person_plan", args=[engineer.pk, plan.pk])

    hr_client.get(url)
    hr_client.get(url)

    assert list(AccessRecord.objects.values_list("kind", "object_id")) == [("plan", plan.pk)] * 2


def test_opening_someones_answers_in_the_admin_is_recorded(hr_client, engineer, make_result):
    result = make_result(engineer)

    response = hr_client.get(reverse("admin:assessments_response_change", args=[result.response_id]))

    assert response.status_code == 200
    assert AccessRecord.objects.get().kind == "response"


def test_the_admins_result_page_leads_to_the_recorded_read_only_page(hr_client, engineer, make_result):
    result = make_result(engineer)

    response = hr_client.get(reverse("admin:assessments_result_change", args=[result.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("hr:person_result", args=[engineer.pk, result.pk])
    assert AccessRecord.objects.filter(kind="result", object_id=result.pk).count() == 1


def test_the_result_page_shows_the_charts_the_engineer_sees(hr_client, engineer, make_result, catalog):
    result = make_result(engineer, value=4)
    manager = catalog.roles["manager"]  # four required skills: enough spokes for the radar chart

    response = hr_client.get(reverse("hr:person_result", args=[engineer.pk, result.pk]), {"target": manager.slug})

    html = response.content.decode()
    assert "Self-assessment result of Ada Engineer" in html
    assert 'aria-label="Technical:' in html  # orientation bars
    assert f"Ada Engineer’s skill levels against what {manager.name} expects" in html  # radar chart
    assert "Skills Engineering Manager expects, levels 1–5" in html  # its table
    assert "Make a plan" not in html  # nothing to act on


def test_the_plan_page_shows_progress_and_timeline_without_forms(hr_client, engineer):
    plan = stored_plan(
        engineer, milestones=[{"status": "done", "title": "Pass the exam"}, {"due": days(-2), "title": "Lead a review"}]
    )

    response = hr_client.get(reverse("hr:person_plan", args=[engineer.pk, plan.pk]))

    html = response.content.decode()
    assert "Progress: 50%" in html and "1 overdue" in html
    assert "tl-title" in html  # the timeline chart
    assert "Pass the exam" in html and "Lead a review" in html
    assert "<form" not in html.split('id="main"')[1].split("</main>")[0]


def test_a_result_asked_for_under_another_person_is_404(hr_client, engineer, make_result):
    result = make_result(engineer)
    someone_else = UserFactory()

    assert hr_client.get(reverse("hr:person_result", args=[someone_else.pk, result.pk])).status_code == 404
    assert not AccessRecord.objects.exists()


# --- Whose pages: the people list's engineers for HR, everyone for a superuser ----------------------------

OUTSIDE_THE_LIST = {"staff": {"is_staff": True}, "inactive": {"is_active": False}}


@pytest.fixture(params=list(OUTSIDE_THE_LIST))
def unlisted(request, make_result):
    """Someone the people list leaves out (a staff member, a deactivated account), with a result and a plan."""
    person = UserFactory(**OUTSIDE_THE_LIST[request.param])
    return person, make_result(person), stored_plan(person, milestones=[{}])


def person_pages(person, result, plan) -> dict[str, str]:
    return {
        "result": reverse("hr:person_result", args=[person.pk, result.pk]),
        "plan": reverse("hr:person_plan", args=[person.pk, plan.pk]),
        "person": reverse("admin:hr_person_change", args=[person.pk]),
        "answers": reverse("admin:assessments_response_change", args=[result.response_id]),
    }


def test_hr_cannot_open_the_pages_of_someone_the_people_list_leaves_out(hr_client, unlisted):
    person, result, plan = unlisted
    pages = person_pages(person, result, plan)

    assert hr_client.get(pages["result"]).status_code == 404
    assert hr_client.get(pages["plan"]).status_code == 404
    # The admin's pages answer exactly as for an id that doesn't exist: back to the index, with a message.
    for name in ("person", "answers"):
        response = hr_client.get(pages[name])
        assert (response.status_code, response["Location"]) == (302, reverse("admin:index")), name
    assert not AccessRecord.objects.exists()


def test_hr_lists_leave_out_the_results_plans_and_answers_of_people_the_people_list_leaves_out(
    hr_client, unlisted, engineer, make_result
):
    make_result(engineer)
    stored_plan(engineer, milestones=[{}])

    for name in ("assessments_result", "assessments_response", "plans_plan"):
        rows = hr_client.get(reverse(f"admin:{name}_changelist")).context["cl"].result_list
        assert {row.user for row in rows} == {engineer}, name


def test_a_superuser_opens_everyones_pages(client, superuser, unlisted):
    person, result, plan = unlisted
    client.force_login(superuser)
    pages = person_pages(person, result, plan)

    assert [client.get(url).status_code for url in pages.values()] == [200, 200, 200, 200]
    assert set(AccessRecord.objects.values_list("kind", flat=True)) == {"result", "plan", "response"}
    rows = client.get(reverse("admin:plans_plan_changelist")).context["cl"].result_list
    assert [row.user for row in rows] == [person]


@pytest.mark.parametrize("who", ["hr", "superuser"])
def test_no_one_changes_answers_or_results_through_the_panel(client, who, hr_user, superuser, engineer, make_result):
    client.force_login(hr_user if who == "hr" else superuser)
    result = make_result(engineer, value=2)
    answer = Answer.objects.filter(response=result.response).first()

    change_result = client.post(reverse("admin:assessments_result_change", args=[result.pk]), {"best_fit": "project"})
    change_answers = client.post(
        reverse("admin:assessments_response_change", args=[result.response_id]),
        {"answers-TOTAL_FORMS": "1", "answers-INITIAL_FORMS": "1", "answers-0-id": answer.pk, "answers-0-value": "5"},
    )
    add_result = client.get(reverse("admin:assessments_result_add"))

    assert (change_result.status_code, change_answers.status_code, add_result.status_code) == (403, 403, 403)
    best_fit = result.best_fit
    result.refresh_from_db()
    answer.refresh_from_db()
    assert (result.best_fit, answer.value) == (best_fit, 2)


def test_hr_cannot_delete_results_or_plans(hr_client, engineer, make_result):
    result = make_result(engineer)
    plan = stored_plan(engineer, milestones=[{}])

    assert hr_client.get(reverse("admin:assessments_result_delete", args=[result.pk])).status_code == 403
    assert hr_client.post(reverse("admin:plans_plan_delete", args=[plan.pk]), {"post": "yes"}).status_code == 403
    assert Result.objects.filter(pk=result.pk).exists()


def test_the_access_log_is_listed_for_superusers(client, superuser, hr_user, engineer):
    services.access_record_create(actor=hr_user, subject=engineer, kind="plan", object_id=7)
    client.force_login(superuser)

    html = client.get(reverse("admin:hr_accessrecord_changelist")).content.decode()

    assert hr_user.email in html and engineer.email in html


def test_records_outlive_an_erased_account_under_its_pseudonym(hr_user, engineer):
    services.access_record_create(actor=hr_user, subject=engineer, kind="result", object_id=1)
    reference = subject_reference(engineer.pk)

    engineer.delete()

    record = AccessRecord.objects.get()
    assert record.subject is None
    assert record.subject_ref == reference
    assert engineer.email not in str(record.__dict__.values())


def test_an_unknown_kind_is_refused(hr_user, engineer):
    with pytest.raises(ValueError):
        services.access_record_create(actor=hr_user, subject=engineer, kind="salary", object_id=1)


# --- The readiness index --------------------------------------------------------------------------------


def test_readiness_index_copies_new_results_once(engineer, django_assert_num_queries):
    first = stored_result(engineer, readiness={"senior": 70, "manager": 120})

    assert services.readiness_index_update() == 1
    assert set(RoleReadiness.objects.values_list("result_id", "role_slug", "readiness")) == {
        (first.pk, "senior", 70),
        (first.pk, "manager", 100),  # clamped to the range
    }
    with django_assert_num_queries(1):
        assert services.readiness_index_update() == 0

    second = stored_result(engineer, readiness={"senior": 80})
    assert services.readiness_index_update() == 1
    assert RoleReadiness.objects.get(result=second).readiness == 80


def test_readiness_index_takes_in_a_result_that_committed_after_a_newer_one(engineer):
    late = stored_result(engineer, readiness={"senior": 50})
    newer = stored_result(UserFactory(), readiness={"senior": 60})
    # As if the newer result's transaction committed first and an update ran in between.
    RoleReadiness.objects.create(result=newer, role_slug="senior", readiness=60)

    assert services.readiness_index_update() == 1
    assert RoleReadiness.objects.get(result=late).readiness == 50


def test_readiness_index_leaves_results_older_than_the_late_commit_window_to_the_newest_id(engineer):
    old = stored_result(engineer, readiness={"senior": 50})
    Result.objects.filter(pk=old.pk).update(created_at=timezone.now() - services.LATE_COMMIT_WINDOW * 2)
    newer = stored_result(UserFactory(), readiness={"senior": 60})
    RoleReadiness.objects.create(result=newer, role_slug="senior", readiness=60)

    assert services.readiness_index_update() == 0  # only the last stretch of time is looked at again


def test_readiness_index_catches_up_in_batches(engineer, monkeypatch):
    monkeypatch.setattr(services, "INDEX_BATCH", 2)
    for n in range(5):
        stored_result(engineer, readiness={"senior": n})

    assert services.readiness_index_update() == 5
    assert RoleReadiness.objects.count() == 5
