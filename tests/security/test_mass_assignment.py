"""Fields posted by hand that a form does not offer change nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import Response, Result
from plans.models import Milestone, Plan

from .conftest import World

pytestmark = pytest.mark.django_db

PRIVILEGES = {"is_staff": "on", "is_superuser": "on", "is_active": "on", "groups": "1", "user_permissions": "1"}


def test_sign_up_ignores_privilege_fields(django_capture_on_commit_callbacks):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        Client().post(
            reverse("account_signup"),
            {
                "email": "sneaky@example.com",
                "name": "Sneaky",
                "password1": "correct-horse-battery-42",
                "password2": "correct-horse-battery-42",
                **PRIVILEGES,
            },
        )

    user = User.objects.get(email="sneaky@example.com")
    assert not user.is_staff and not user.is_superuser
    assert not user.groups.exists() and not user.user_permissions.exists()


def test_the_profile_form_ignores_owner_email_password_and_privileges(world: World):
    client = world.client("engineer")
    password_hash = world.engineer.password

    response = client.post(
        reverse("accounts:profile"),
        {
            "name": "Ada L.",
            "years_experience": "5",
            "education": "master",
            "time_zone": "UTC",
            "user": str(world.other.pk),
            "email": "taken-over@example.com",
            "password": "new",
            **PRIVILEGES,
        },
    )

    assert response.status_code == 302
    engineer = User.objects.get(pk=world.engineer.pk)
    assert engineer.name == "Ada L."  # the offered field changed
    assert engineer.email == "ada.engineer@example.com"
    assert engineer.password == password_hash
    assert not engineer.is_staff and not engineer.is_superuser
    assert engineer.profile.years_experience == 5
    assert not User.objects.filter(email="taken-over@example.com").exists()


def test_milestone_edit_ignores_plan_status_and_completion(world: World):
    other_plan = Plan.objects.create(
        user=world.other,
        target_slug="senior",
        target_name="Senior",
        goal_slug="senior",
        goal_name="Senior",
        generator_version="t",
        starts_on=timezone.localdate(),
        horizon_months=12,
    )
    client = world.client("engineer")

    response = client.post(
        reverse("plans:milestone_edit", kwargs={"pk": world.milestone.pk}),
        {
            "title": "Renamed",
            "due_date": (timezone.localdate() + timedelta(days=40)).isoformat(),
            "description": "",
            "plan": str(other_plan.pk),
            "status": "done",
            "completed_at": "2020-01-01T00:00:00Z",
            "kind": "role",
            "user": str(world.other.pk),
        },
    )

    assert response.status_code == 302
    milestone = Milestone.objects.get(pk=world.milestone.pk)
    assert milestone.title == "Renamed"
    assert milestone.plan_id == world.plan.pk
    assert milestone.status == Milestone.Status.TODO and milestone.completed_at is None
    assert milestone.kind == Milestone.Kind.CUSTOM
    assert not other_plan.milestones.exists()


def test_milestone_status_ignores_title_and_plan(world: World):
    client = world.client("engineer")

    client.post(
        reverse("plans:milestone_status", kwargs={"pk": world.milestone.pk}),
        {"status": "in_progress", "note": "", "evidence_url": "", "title": "Hijacked", "plan": "999"},
    )

    milestone = Milestone.objects.get(pk=world.milestone.pk)
    assert milestone.status == Milestone.Status.IN_PROGRESS
    assert milestone.title == "Lead a design review"
    assert milestone.plan_id == world.plan.pk


def test_adding_a_milestone_puts_it_in_the_plan_of_the_address_only(world: World):
    client = world.client("other")
    other_plan = Plan.objects.create(
        user=world.other,
        target_slug="senior",
        target_name="Senior",
        goal_slug="senior",
        goal_name="Senior",
        generator_version="t",
        starts_on=timezone.localdate(),
        horizon_months=12,
    )

    client.post(
        reverse("plans:milestone_add", kwargs={"pk": other_plan.pk}),
        {
            "title": "Mine",
            "due_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "description": "",
            "plan": str(world.plan.pk),
            "user": str(world.engineer.pk),
            "status": "done",
        },
    )

    added = Milestone.objects.get(title="Mine")
    assert added.plan_id == other_plan.pk
    assert added.status == Milestone.Status.TODO
    assert world.plan.milestones.count() == 1


def test_a_questionnaire_section_ignores_owner_status_and_scores(world: World):
    client = world.client("engineer")
    section = world.response.version.sections.order_by("order").first()

    client.post(
        reverse("assessments:section", kwargs={"pk": world.response.pk, "order": section.order}),
        {
            "action": "next",
            "user": str(world.other.pk),
            "status": "submitted",
            "submitted_at": "2020-01-01",
            "technical": "100",
            "version": "999",
        },
    )

    response = Response.objects.get(pk=world.response.pk)
    assert response.user_id == world.engineer.pk
    assert response.status == Response.Status.IN_PROGRESS and response.submitted_at is None
    assert response.version_id == world.response.version_id


def test_hr_cannot_rewrite_a_results_scores_in_the_panel(world: World):
    client = world.client("hr")
    before = Result.objects.filter(pk=world.result.pk).values().get()

    client.post(
        reverse("admin:assessments_result_change", args=[world.result.pk]),
        {"technical": "0", "managerial": "100", "project": "0", "best_fit": "managerial", "user": world.hr.pk},
    )

    assert Result.objects.filter(pk=world.result.pk).values().get() == before
