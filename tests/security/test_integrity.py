"""Nothing lost: the database refuses impossible rows, and a save that fails half-way leaves nothing behind."""

from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Profile, User
from assessments import services as assessment_services
from assessments.models import Answer, Response, Result
from hr.models import AccessRecord
from plans import services as plan_services
from plans.models import Milestone, Plan

from .conftest import World

pytestmark = pytest.mark.django_db


def refused(model, pk, **changes) -> bool:
    try:
        with transaction.atomic():
            model.objects.filter(pk=pk).update(**changes)
    except IntegrityError:
        return True
    return False


def test_the_database_refuses_rows_the_code_assumes_cannot_exist(world: World):
    assert refused(Response, world.response.pk, status="lost")
    assert refused(Response, world.response.pk, submitted_at=timezone.now())  # in progress with a date
    assert refused(Result, world.result.pk, best_fit="astronaut")
    assert refused(Result, world.result.pk, top_role_readiness=101)
    assert refused(Result, world.result.pk, technical=100.1)
    assert refused(Plan, world.plan.pk, status="paused")
    assert refused(Plan, world.plan.pk, archived_at=timezone.now())  # active but archived
    assert refused(Milestone, world.milestone.pk, status="nearly")
    assert refused(Milestone, world.milestone.pk, kind="wish")
    assert refused(Milestone, world.milestone.pk, from_level=9)
    assert refused(Milestone, world.milestone.pk, status="done")  # done without a date
    assert refused(Profile, world.engineer.profile.pk, education="wizardry")
    assert refused(Profile, world.engineer.profile.pk, time_zone="")
    assert refused(User, world.engineer.pk, email="")
    assert refused(User, world.engineer.pk, email="Ada.Engineer@Example.com")


def test_the_database_refuses_a_second_active_plan_or_in_progress_response(world: World):
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            user=world.engineer,
            target_slug="x",
            target_name="X",
            goal_slug="x",
            goal_name="X",
            generator_version="t",
            starts_on=timezone.localdate(),
            horizon_months=12,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Response.objects.create(user=world.engineer, version=world.response.version)


def test_an_access_record_always_keeps_its_anonymous_reference(world: World):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessRecord.objects.create(
            actor=world.hr, actor_email="hr@example.com", subject=world.engineer, kind="plan", object_id=1
        )


def test_the_user_admin_stores_email_addresses_in_lower_case(world: World):
    """Editing a person in the panel normalises the address instead of hitting the constraint."""
    from accounts.admin import EmailUserChangeForm

    form = EmailUserChangeForm(instance=world.other)
    form.cleaned_data = {"email": " Otto.Other@Example.COM "}

    assert form.clean_email() == "otto.other@example.com"


# --- Atomic saves ---------------------------------------------------------------------


class Boom(Exception):
    pass


def test_a_plan_save_that_fails_half_way_leaves_the_old_plan_active_and_no_new_one(world: World):
    plans_before = Plan.objects.count()
    draft = plan_services.MilestoneDraft(
        kind="custom", title="New", due_date=timezone.localdate() + timezone.timedelta(days=20), description=""
    )
    with mock.patch.object(Milestone.objects, "bulk_create", side_effect=Boom), pytest.raises(Boom):
        plan_services.plan_create(
            user=world.engineer,
            result=world.result,
            target_role=world.plan.target_role,
            goal_slug="senior",
            goal_name="Senior Engineer",
            path=[],
            generator_version="t",
            horizon_months=12,
            milestones=[draft],
        )

    assert Plan.objects.count() == plans_before
    world.plan.refresh_from_db()
    assert world.plan.is_active  # archiving the old plan was rolled back with the rest


def test_a_section_save_that_fails_half_way_saves_no_answer(world: World):
    section = world.response.version.sections.order_by("order").first()
    items = list(section.items.all())
    before = Answer.objects.filter(response=world.response).count()
    with mock.patch.object(Answer.objects, "bulk_update", side_effect=Boom), pytest.raises(Boom):
        assessment_services.response_save_section(
            response=world.response, section=section, answers={item.pk: 4 for item in items}
        )

    assert Answer.objects.filter(response=world.response).count() == before


def test_a_submission_whose_result_fails_to_save_stays_in_progress(world: World):
    response = world.response
    for section in response.version.sections.all():
        assessment_services.response_save_section(
            response=response, section=section, answers={item.pk: 3 for item in section.items.all()}
        )
    with mock.patch.object(Result, "save", side_effect=Boom), pytest.raises(Boom):
        assessment_services.response_submit(response=response)

    response.refresh_from_db()
    assert response.status == Response.Status.IN_PROGRESS and response.submitted_at is None


def test_an_erasure_that_fails_half_way_erases_nothing(world: World):
    account_services.hr_member_add(user=world.hr)
    from hr import services as hr_services

    hr_services.access_record_create(actor=world.hr, subject=world.engineer, kind="plan", object_id=world.plan.pk)
    with mock.patch.object(User, "delete", side_effect=Boom), pytest.raises(Boom):
        account_services.account_delete(user=world.engineer)

    record = AccessRecord.objects.get()
    assert record.subject_id == world.engineer.pk  # the earlier steps were rolled back too
    assert User.objects.filter(pk=world.engineer.pk).exists()


def test_a_profile_save_that_fails_half_way_keeps_the_old_name(world: World):
    profile = world.engineer.profile
    with mock.patch.object(Profile, "save", side_effect=Boom), pytest.raises(Boom):
        account_services.profile_update(profile=profile, name="Changed Name", years_experience=9)

    world.engineer.refresh_from_db()
    assert world.engineer.name == "Ada Lovelace-Engineer"
