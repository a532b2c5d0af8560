"""The plan list: what a newcomer without a plan is told to do, and a long history of archived plans."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.models import Plan
from plans.views import ARCHIVED_PLANS_PER_PAGE

pytestmark = pytest.mark.django_db

LIST_URL = reverse("plans:list")


def archived_plans(user, count: int) -> list[Plan]:
    return [
        Plan.objects.create(
            user=user,
            status=Plan.Status.ARCHIVED,
            archived_at=timezone.now(),
            target_slug=f"role-{n}",
            target_name=f"Role {n}",
            goal_slug=f"role-{n}",
            goal_name=f"Role {n}",
            generator_version="1.0",
            starts_on=date(2025, 1, 1),
            horizon_months=12,
        )
        for n in range(count)
    ]


def test_without_a_plan_or_a_result_the_page_sends_you_to_the_self_assessment(client_logged_in):
    page = client_logged_in.get(LIST_URL).content.decode()

    assert "You have no active plan yet" in page
    assert f'href="{reverse("assessments:home")}">the self-assessment</a>' in page


def test_archived_plans_come_ten_to_a_page_with_links_between_pages(client_logged_in, user):
    archived_plans(user, ARCHIVED_PLANS_PER_PAGE + 2)

    first = client_logged_in.get(LIST_URL)
    second = client_logged_in.get(LIST_URL, {"page": 2})

    assert len(first.context["archived"]) == ARCHIVED_PLANS_PER_PAGE
    assert len(second.context["archived"]) == 2
    assert 'href="?page=2"' in first.content.decode()
    assert "Page 2 of 2" in second.content.decode()
    shown = [p.pk for p in first.context["archived"]] + [p.pk for p in second.context["archived"]]
    assert sorted(shown) == sorted(Plan.objects.filter(user=user).values_list("pk", flat=True))


def test_a_page_number_out_of_range_shows_the_last_page(client_logged_in, user):
    archived_plans(user, ARCHIVED_PLANS_PER_PAGE + 1)

    response = client_logged_in.get(LIST_URL, {"page": 99})

    assert response.status_code == 200
    assert len(response.context["archived"]) == 1


def test_the_list_costs_the_same_queries_with_many_archived_plans(client_logged_in, user, django_assert_num_queries):
    archived_plans(user, 1)
    client_logged_in.get(LIST_URL)
    with django_assert_num_queries(4):
        client_logged_in.get(LIST_URL)
    archived_plans(user, 3 * ARCHIVED_PLANS_PER_PAGE)
    with django_assert_num_queries(4):
        client_logged_in.get(LIST_URL)


def test_an_empty_plan_says_how_to_add_a_milestone(client_logged_in, user):
    plan = archived_plans(user, 1)[0]
    plan.status, plan.archived_at = Plan.Status.ACTIVE, None
    plan.save()

    page = client_logged_in.get(plan.get_absolute_url()).content.decode()

    assert "This plan has no milestones yet. Add your own below" in page
    assert 'id="add-heading"' in page
