"""Writes for plans: create (archiving the old one), archive, milestone changes, calendar token."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from accounts.services import profile_credential_earned_set
from careerpath.dates import add_months
from roles.models import Certification

from . import renewals
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


WORKING_STATUSES = (Milestone.Status.TODO, Milestone.Status.IN_PROGRESS, Milestone.Status.DONE)


@transaction.atomic
def milestone_set_status(*, milestone: Milestone, status: str, note: str = "", evidence_url: str = "") -> Milestone:
    """To do, in progress or done. A credential's milestone done adds the credential to the person's
    profile in the same transaction, so later results and plans know they hold it."""
    _require_active(milestone.plan)
    if status not in WORKING_STATUSES:
        raise ValidationError("Choose To do, In progress or Done.", code="status")
    milestone.status = status
    milestone.note = note
    milestone.evidence_url = evidence_url
    milestone.set_aside_reason = ""
    if status == Milestone.Status.DONE:
        milestone.completed_at = milestone.completed_at or timezone.now()
    else:
        milestone.completed_at = None
    milestone.save(update_fields=["status", "note", "evidence_url", "set_aside_reason", "completed_at", "updated_at"])
    if status == Milestone.Status.DONE and milestone.subject_slug:
        if milestone.kind == Milestone.Kind.CERTIFICATION:
            _credential_earned_now(milestone)
        elif milestone.kind == Milestone.Kind.RENEWAL:
            _renewal_next(milestone)
    return milestone


def _credential_earned_now(milestone: Milestone) -> None:
    certification = Certification.objects.filter(slug=milestone.subject_slug).first()
    if certification is None:  # left the catalog since the plan was made: nothing to record
        return
    credential_earned_record(
        user=milestone.plan.user, certification=certification, earned_on=timezone.localdate(), plan=milestone.plan
    )


def _renewal_next(milestone: Milestone) -> None:
    """A renewal done: the one after it is due a cycle later (counted from this one's due date)."""
    months = Certification.objects.filter(slug=milestone.subject_slug).values_list("renewal_months", flat=True).first()
    if months:
        _renewal_schedule(
            plan=milestone.plan,
            slug=milestone.subject_slug,
            name=milestone.title.removeprefix("Renew "),
            months=months,
            due=add_months(milestone.due_date, months),
        )


@transaction.atomic
def credential_earned_record(*, user, certification: Certification, earned_on: date, plan: Plan | None = None):
    """Record that the person earned `certification` on `earned_on` (they then hold it) and, when the
    catalog gives it a renewal cycle, schedule its next renewal as a milestone of their active plan
    (moving the open one, if there is one). Returns the renewal milestone, or None."""
    profile, _ = Profile.objects.get_or_create(user=user)
    profile_credential_earned_set(profile=profile, certification=certification, earned_on=earned_on)
    if not certification.renewal_months:
        return None
    plan = plan if plan is not None and plan.is_active else Plan.objects.filter(user=user, status="active").first()
    if plan is None:
        return None
    due = renewals.next_renewal(earned_on, certification.renewal_months, today=timezone.localdate())
    return _renewal_schedule(
        plan=plan, slug=certification.slug, name=certification.name, months=certification.renewal_months, due=due
    )


def _renewal_schedule(*, plan: Plan, slug: str, name: str, months: int, due: date) -> Milestone:
    open_one = plan.milestones.filter(
        kind=Milestone.Kind.RENEWAL, subject_slug=slug, status__in=[Milestone.Status.TODO, Milestone.Status.IN_PROGRESS]
    ).first()
    if open_one is not None:
        if open_one.due_date != due:
            open_one.due_date = due
            open_one.save(update_fields=["due_date", "updated_at"])
        return open_one
    last = plan.milestones.order_by("-order").values_list("order", flat=True).first() or 0
    return Milestone.objects.create(
        plan=plan,
        kind=Milestone.Kind.RENEWAL,
        title=f"Renew {name}",
        description=f"{name} is renewed every {months} months from when you earned it; this is the next renewal.",
        actions=["Check the issuer's current renewal rules and what they count, well before the date."],
        order=last + 1,
        due_date=due,
        subject_slug=slug,
    )


def milestone_set_aside(*, milestone: Milestone, status: str, reason: str = "") -> Milestone:
    """Drop a milestone, or mark it not needed (with a reason): it stays in the plan's history but
    counts neither as done nor as still to do, and no reminder is sent for it."""
    _require_active(milestone.plan)
    reason = reason.strip()
    if status not in (Milestone.Status.DROPPED, Milestone.Status.NOT_NEEDED):
        raise ValidationError("Choose Dropped or Not needed.", code="status")
    if status == Milestone.Status.NOT_NEEDED and not reason:
        raise ValidationError("Say why it is not needed, so the plan's history explains it.", code="reason")
    if milestone.is_done:
        raise ValidationError("A done milestone stays done; set it back to To do first.", code="done")
    milestone.status = status
    milestone.set_aside_reason = reason
    milestone.completed_at = None
    milestone.save(update_fields=["status", "set_aside_reason", "completed_at", "updated_at"])
    return milestone


def milestone_restore(*, milestone: Milestone) -> Milestone:
    """Bring a dropped or not-needed milestone back into the plan, as To do."""
    _require_active(milestone.plan)
    if milestone.is_set_aside:
        milestone.status = Milestone.Status.TODO
        milestone.set_aside_reason = ""
        milestone.save(update_fields=["status", "set_aside_reason", "updated_at"])
    return milestone


@transaction.atomic
def milestone_move(*, milestone: Milestone, direction: str) -> bool:
    """Swap a milestone with the one shown before ("up") or after ("down") it among the plan's
    milestones that are not set aside; every milestone is numbered afresh in the order shown.
    False when it is already first or last."""
    _require_active(milestone.plan)
    if direction not in ("up", "down"):
        raise ValidationError("Move a milestone up or down.", code="direction")
    ordered = list(
        Milestone.objects.select_for_update().filter(plan_id=milestone.plan_id).order_by("order", "due_date", "pk")
    )
    shown = [m for m in ordered if not m.is_set_aside]
    index = next((i for i, m in enumerate(shown) if m.pk == milestone.pk), None)
    other = None if index is None else index + (-1 if direction == "up" else 1)
    if other is None or not 0 <= other < len(shown):
        return False
    a, b = ordered.index(shown[index]), ordered.index(shown[other])
    ordered[a], ordered[b] = ordered[b], ordered[a]
    changed = []
    for number, m in enumerate(ordered, start=1):
        if m.order != number:
            m.order = number
            changed.append(m)
    Milestone.objects.bulk_update(changed, ["order"])
    milestone.order = next(m.order for m in ordered if m.pk == milestone.pk)
    return True


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
