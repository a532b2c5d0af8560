"""Writes for plans: create (archiving the old one), archive, milestone changes, calendar token; and
working on a plan with the manager: comments, agreement, evidence and its confirmation, privacy."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from accounts.services import profile_credential_earned_set
from careerpath.dates import add_months
from careerpath.security import CONTROL_CHARACTERS
from roles.models import Certification

from . import agreement, renewals
from .models import (
    COMMENT_MAX_LENGTH,
    EVIDENCE_NOTE_MAX_LENGTH,
    EVIDENCE_SCHEMES,
    Milestone,
    Plan,
    PlanComment,
    new_calendar_token,
)

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
    validate_evidence(url=evidence_url, note="")
    if status != Milestone.Status.DONE or evidence_url != milestone.evidence_url:
        _unconfirm(milestone)  # reopened, or the evidence the manager confirmed is not the one shown now
    milestone.status = status
    milestone.note = note
    milestone.evidence_url = evidence_url
    milestone.set_aside_reason = ""
    if status == Milestone.Status.DONE:
        milestone.completed_at = milestone.completed_at or timezone.now()
    else:
        milestone.completed_at = None
    milestone.save(
        update_fields=[
            "status",
            "note",
            "evidence_url",
            "set_aside_reason",
            "completed_at",
            "confirmed_by",
            "confirmed_at",
            "updated_at",
        ]
    )
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


# --- Working on a plan with the manager (docs/plans.md) ------------------------------------------------

# Multi-line text keeps its line breaks and tabs; every other control or direction-override character
# is refused, as in single-line text (careerpath.security).
MULTI_LINE_REFUSED = CONTROL_CHARACTERS - {"\n", "\r", "\t"}
MULTI_LINE_CONTROL_MESSAGE = (
    "Remove the invisible control or direction character from this text (often pasted along with it)."
)


def _refuse_controls(text: str, *, field: str) -> None:
    if not MULTI_LINE_REFUSED.isdisjoint(text):
        raise ValidationError({field: MULTI_LINE_CONTROL_MESSAGE}, code="control_character")


def is_current_manager(*, plan: Plan, user) -> bool:
    """Whether `user` is the plan owner's manager now (Profile.manager): the only manager who comments,
    agrees and confirms. Indirect managers HR lets see the team read the plan page, and no more."""
    if not getattr(user, "is_authenticated", False) or user.pk == plan.user_id:
        return False
    return Profile.objects.filter(user_id=plan.user_id, user__is_active=True, manager_id=user.pk).exists()


def _require_owner(plan: Plan, user) -> None:
    if getattr(user, "pk", None) != plan.user_id:
        raise PermissionDenied("Only the plan's owner can do this.")


def _require_manager(plan: Plan, user) -> None:
    """The owner's manager now, on a plan not kept private from them (PermissionDenied otherwise)."""
    if plan.private_from_manager or not is_current_manager(plan=plan, user=user):
        raise PermissionDenied("Only the person's manager can do this, on a plan they share.")


def validate_evidence(*, url: str, note: str) -> None:
    """An evidence link is an http or https address of at most 500 characters; its note is at most
    EVIDENCE_NOTE_MAX_LENGTH characters of text (line breaks allowed)."""
    limit = Milestone._meta.get_field("evidence_url").max_length
    if url:
        if len(url) > limit:
            raise ValidationError({"evidence_url": f"Keep the link to at most {limit} characters."}, code="max_length")
        try:
            URLValidator(schemes=EVIDENCE_SCHEMES)(url)
        except ValidationError:
            raise ValidationError(
                {"evidence_url": "Enter a web address starting with http:// or https://."}, code="invalid"
            ) from None
    if len(note) > EVIDENCE_NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": f"Keep the note to at most {EVIDENCE_NOTE_MAX_LENGTH} characters."}, code="max_length"
        )
    _refuse_controls(note, field="note")


def _unconfirm(milestone: Milestone) -> None:
    milestone.confirmed_by = None
    milestone.confirmed_at = None


def plan_comment_add(*, plan: Plan, author, body: str) -> PlanComment:
    """The owner, or their manager (on a plan not private from them), comments on an active plan."""
    if getattr(author, "pk", None) != plan.user_id:
        _require_manager(plan, author)
    _require_active(plan)
    body = body.strip()
    if not body:
        raise ValidationError({"body": "Write a comment first."}, code="required")
    if len(body) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {"body": f"Keep a comment to at most {COMMENT_MAX_LENGTH} characters."}, code="max_length"
        )
    _refuse_controls(body, field="body")
    return PlanComment.objects.create(plan=plan, author=author, body=body)


def plan_comment_delete(*, comment: PlanComment, user) -> None:
    """Only a comment's author deletes it (their words are theirs, whoever's plan it is on)."""
    if getattr(user, "pk", None) != comment.author_id:
        raise PermissionDenied("Only the comment's author can delete it.")
    comment.delete()


def plan_agree(*, plan: Plan, manager) -> Plan:
    """The manager agrees the plan as it is now: who, when, and the fingerprint of its milestones, so a
    later material change (a milestone added, dropped or re-dated) shows as "changed since"."""
    _require_manager(plan, manager)
    _require_active(plan)
    milestones = list(Milestone.objects.filter(plan_id=plan.pk).only("pk", "status", "due_date"))
    if not any(not m.is_set_aside for m in milestones):
        raise ValidationError("There is nothing to agree yet: the plan holds no milestones.", code="empty")
    plan.agreed_by = manager
    plan.agreed_at = timezone.now()
    plan.agreed_fingerprint = agreement.fingerprint(agreement.facts(milestones))
    plan.save(update_fields=["agreed_by", "agreed_at", "agreed_fingerprint", "updated_at"])
    return plan


def plan_privacy_set(*, plan: Plan, user, private: bool) -> Plan:
    """The owner keeps the plan private from their manager, or shares it again. HR's access is unchanged."""
    _require_owner(plan, user)
    if plan.private_from_manager != private:
        plan.private_from_manager = private
        plan.save(update_fields=["private_from_manager", "updated_at"])
    return plan


def milestone_evidence_set(*, milestone: Milestone, user, url: str, note: str) -> Milestone:
    """The owner attaches evidence (a link and a note) to a milestone; a confirmation of other evidence
    is cleared, since the manager confirmed what they saw."""
    _require_owner(milestone.plan, user)
    _require_active(milestone.plan)
    url, note = url.strip(), note.strip()
    validate_evidence(url=url, note=note)
    if (url, note) != (milestone.evidence_url, milestone.note):
        _unconfirm(milestone)
    milestone.evidence_url = url
    milestone.note = note
    milestone.save(update_fields=["evidence_url", "note", "confirmed_by", "confirmed_at", "updated_at"])
    return milestone


def milestone_confirm(*, milestone: Milestone, manager) -> Milestone:
    """The manager confirms a done milestone (with evidence or without: they may have seen it done)."""
    _require_manager(milestone.plan, manager)
    _require_active(milestone.plan)
    if not milestone.is_done:
        raise ValidationError("Only a done milestone can be confirmed.", code="not_done")
    if not milestone.is_confirmed:
        milestone.confirmed_by = manager
        milestone.confirmed_at = timezone.now()
        milestone.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    return milestone


def milestone_unconfirm(*, milestone: Milestone, manager) -> Milestone:
    """The manager takes a confirmation back."""
    _require_manager(milestone.plan, manager)
    _require_active(milestone.plan)
    if milestone.is_confirmed:
        _unconfirm(milestone)
        milestone.save(update_fields=["confirmed_by", "confirmed_at", "updated_at"])
    return milestone
