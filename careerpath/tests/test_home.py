"""The signed-in home: latest result's verdict and next step, the plan's progress and next milestones, what is due."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from plans.models import Milestone
from reminders.tests.reminder_fixtures import plan_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer(catalog):
    from accounts.tests.factories import UserFactory

    return UserFactory(profile__current_role=catalog.roles["engineer"], profile__years_experience=3)


def home(client, user):
    client.force_login(user)
    return client.get(reverse("home"))


def test_a_visitor_still_gets_the_landing_page(client, db):
    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert "Technical track or management track?" in response.text
    assert "Your direction" not in response.text


def test_someone_with_nothing_yet_is_pointed_at_the_self_assessment(client, engineer):
    response = home(client, engineer)

    assert "Technical track or management track?" not in response.text
    assert "You have not taken the self-assessment yet" in response.text
    assert reverse("assessments:home") in response.text
    assert "A plan starts from your self-assessment" in response.text
    assert "Nothing is due: reminders come with a plan" in response.text


@pytest.fixture
def real_catalog_engineer(db):
    """A senior software engineer, on the catalog and questionnaire `make run` loads (whose advice names next steps)."""
    from accounts.tests.factories import UserFactory
    from roles.models import Discipline, Role

    call_command("load_catalog", stdout=io.StringIO())
    call_command("load_questionnaire", stdout=io.StringIO())
    return UserFactory(
        profile__current_role=Role.objects.get(slug="senior-engineer"),
        profile__discipline=Discipline.objects.get(slug="software"),
        profile__years_experience=6,
    )


def test_the_latest_results_verdict_and_next_step_are_shown_with_a_way_to_plan_for_it(client, real_catalog_engineer):
    from assessments.tests.factories import submit_self_assessment

    engineer = real_catalog_engineer
    submit_self_assessment(engineer, 2)
    result = submit_self_assessment(engineer, 4)  # the newer one counts
    advice = result.data["advice"]
    step = advice["next_steps"][0]

    response = home(client, engineer)

    assert advice["headline"] in response.text
    assert f"Your next step: {step['name']}" in response.text
    assert reverse("assessments:result", args=[result.pk]) in response.text
    assert f"?result={result.pk}&amp;target={step['slug']}" in response.text
    assert "You have no active plan" in response.text


def test_the_plans_progress_next_milestones_and_due_ones_are_shown(client, engineer, make_result):
    make_result(engineer, 3)
    today = timezone.localdate()
    plan = plan_for(
        engineer,
        today - timedelta(days=3),
        today + timedelta(days=5),
        today + timedelta(days=30),
        today + timedelta(days=60),
        today + timedelta(days=90),
        starts_on=today - timedelta(days=60),
    )
    first = plan.milestones.get(order=1)
    done = plan.milestones.get(order=4)
    Milestone.objects.filter(pk=done.pk).update(status=Milestone.Status.DONE, completed_at=timezone.now())

    response = home(client, engineer)

    text = response.text
    assert "1 of 5 milestones done (20 %)" in text
    assert "1 overdue" in text
    # the next three open milestones, soonest first; the done one is not among them
    assert text.index("Milestone 1") < text.index("Milestone 2") < text.index("Milestone 3")
    assert "Milestone 4" not in text and "Milestone 5" not in text
    # due: the overdue one and the one inside the seven days' notice, not the one a month away
    due = text[text.index('id="home-due-heading"') :]
    assert f"#m-{first.pk}" in due and "overdue since" in due
    assert "Milestone 2" in due and "Milestone 3" not in due


def test_an_old_result_makes_the_re_assessment_due(client, engineer, make_result):
    result = make_result(engineer, 3)
    type(result).objects.filter(pk=result.pk).update(created_at=timezone.now() - timedelta(days=200))

    response = home(client, engineer)

    assert "Time to take the self-assessment again" in response.text


@pytest.mark.parametrize("milestones", [3, 30])
def test_the_home_takes_a_fixed_number_of_queries(client, engineer, make_result, django_assert_num_queries, milestones):
    make_result(engineer, 3)
    today = timezone.localdate()
    plan_for(engineer, *(today + timedelta(days=n) for n in range(milestones)), starts_on=today)
    client.force_login(engineer)

    # session, user, latest result, active plan, its milestones, reminder settings, re-assessment interval
    with django_assert_num_queries(8):  # and the peer requests waiting
        response = client.get(reverse("home"))

    assert response.status_code == 200
