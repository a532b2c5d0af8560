"""Writes for plans: create (archiving the old one), archive, milestone changes, calendar token."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import Milestone, Plan, new_calendar_token

# A due date may not be further ahead than this: a typo like 2205 gets a message, not a plan for centuries.
MAX_YEARS_AHEAD = 30


@dataclass(frozen=True)
class MilestoneDraft:
    kind: str
    title: str
    due_date: date
    description: str = ""
    actions: tuple[str, ...] = ()
    subject_slug: str = ""
    from_level: int | None = None
    to_level: int | None = None


def validate_due_date(due: date, *, today: date) -> None:
    if due < today:
        raise ValidationError("A due date can't be in the past; choose today or a later date.", code="past")
    if due.year > today.year + MAX_YEARS_AHEAD:
        raise ValidationError(f"Choose a date within the next {MAX_YEARS_AHEAD} years.", code="too_far")


@transaction.atomic
def plan_create(
    *,
    user,
    result,
    target_role,
    goal_slug: str,
    goal_name: str,
    path: list[dict],
    generator_version: str,
    horizon_months: int,
    milestones: list[MilestoneDraft],
) -> Plan:
    """Save a plan with its milestones, in the order given; the person's active plan is archived first."""
    if not milestones:
        raise ValidationError("A plan needs at least one milestone.", code="empty")
    today = timezone.localdate()
    for draft in milestones:
        validate_due_date(draft.due_date, today=today)
    for old in Plan.objects.select_for_update().filter(user=user, status=Plan.Status.ACTIVE):
        plan_archive(plan=old)
    plan = Plan.objects.create(
        user=user,
        result=result,
        target_role=target_role,
        target_slug=target_role.slug,
        target_name=target_role.name,
        goal_slug=goal_slug,
        goal_name=goal_name,
        path=path,
        generator_version=generator_version,
        starts_on=today,
        horizon_months=horizon_months,
    )
    Milestone.objects.bulk_create(
        Milestone(
            plan=plan,
            kind=draft.kind,
            title=draft.title,
            description=draft.description,
            actions=list(draft.actions),
            order=order,
            due_date=draft.due_date,
            subject_slug=draft.subject_slug,
            from_level=draft.from_level,
            to_level=draft.to_level,
        )
        for order, draft in enumerate(milestones, start=1)
    )
    return plan


def plan_archive(*, plan: Plan) -> Plan:
    if plan.status != Plan.Status.ARCHIVED:
        plan.status = Plan.Status.ARCHIVED
        plan.archived_at = timezone.now()
        plan.save(update_fields=["status", "archived_at", "updated_at"])
    return plan


def plan_calendar_token_rotate(*, plan: Plan) -> Plan:
    """Revoke the old calendar address by giving the plan a new one."""
    plan.calendar_token = new_calendar_token()
    plan.save(update_fields=["calendar_token", "updated_at"])
    return plan


def _require_active(plan: Plan) -> None:
    if not plan.is_active:
        raise ValidationError("This plan is archived; it can be read but no longer changed.", code="archived")


def milestone_set_status(*, milestone: Milestone, status: str, note: str = "", evidence_url: str = "") -> Milestone:
    _require_active(milestone.plan)
    if status not in Milestone.Status.values:
        raise ValidationError("Unknown status.", code="status")
    milestone.status = status
    milestone.note = note
    milestone.evidence_url = evidence_url
    if status == Milestone.Status.DONE:
        milestone.completed_at = milestone.completed_at or timezone.now()
    else:
        milestone.completed_at = None
    milestone.save(update_fields=["status", "note", "evidence_url", "completed_at", "updated_at"])
    return milestone


def milestone_update(*, milestone: Milestone, title: str, due_date: date, description: str = "") -> Milestone:
    _require_active(milestone.plan)
    if due_date != milestone.due_date:
        validate_due_date(due_date, today=timezone.localdate())
    milestone.title = title
    milestone.due_date = due_date
    milestone.description = description
    milestone.save(update_fields=["title", "due_date", "description", "updated_at"])
    return milestone


def milestone_add(*, plan: Plan, draft: MilestoneDraft) -> Milestone:
    _require_active(plan)
    validate_due_date(draft.due_date, today=timezone.localdate())
    last = plan.milestones.order_by("-order").values_list("order", flat=True).first() or 0
    return Milestone.objects.create(
        plan=plan,
        kind=draft.kind,
        title=draft.title,
        description=draft.description,
        actions=list(draft.actions),
        order=last + 1,
        due_date=draft.due_date,
        subject_slug=draft.subject_slug,
        from_level=draft.from_level,
        to_level=draft.to_level,
    )
