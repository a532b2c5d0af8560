"""Writes for teams: HR's team policy, and a manager's rating of a report. Who reports to whom is set on
the profile (accounts.services)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Profile, User
from careerpath.security import CONTROL_CHARACTER_MESSAGE, CONTROL_CHARACTERS
from roles.models import LEVEL_MAX, LEVEL_MIN

from . import selectors
from .models import (
    COMMENT_MAX_LENGTH,
    PEER_RATERS_MAX,
    ManagerRating,
    PeerAnswer,
    PeerRequest,
    PeerRound,
    PeerRoundSkill,
    SkillRating,
    TeamPolicy,
)


def team_policy_update(*, include_indirect_reports: bool) -> TeamPolicy:
    policy, _ = TeamPolicy.objects.update_or_create(
        pk=TeamPolicy.SINGLETON_PK, defaults={"include_indirect_reports": include_indirect_reports}
    )
    return policy


@transaction.atomic
def manager_rating_submit(
    *,
    rater: User,
    subject: User,
    levels: dict[int, int | None],
    comments: dict[int, str] | None = None,
    now: datetime | None = None,
) -> ManagerRating:
    """Store `rater`'s rating of `subject`: a level (1–5) or None ("not observed") per skill id.

    Only the subject's manager now may rate (PermissionDenied otherwise, a former manager
    included). Skills must be ones the catalog's roles ask for; at least one needs a level;
    comments are single lines of at most COMMENT_MAX_LENGTH characters (ValidationError
    otherwise, and nothing is stored). Earlier ratings are kept: this adds a new one.
    """
    comments = comments or {}
    if not Profile.objects.filter(user=subject, user__is_active=True, manager=rater).exists():
        raise PermissionDenied("Only the person's manager can rate their skills.")
    skills = {skill.pk: skill for skill in selectors.rateable_skills()}
    unknown = sorted((set(levels) | set(comments)) - set(skills), key=str)
    if unknown:
        raise ValidationError(f"These skills are not in the catalog: {', '.join(map(str, unknown))}.")
    for skill_id, level in levels.items():
        if level is not None and (type(level) is not int or not LEVEL_MIN <= level <= LEVEL_MAX):
            name = skills[skill_id].name
            raise ValidationError(f"{name}: a level is a whole number from {LEVEL_MIN} to {LEVEL_MAX}.")
    for skill_id, comment in comments.items():
        if len(comment) > COMMENT_MAX_LENGTH:
            raise ValidationError(f"{skills[skill_id].name}: a comment has at most {COMMENT_MAX_LENGTH} characters.")
        if not CONTROL_CHARACTERS.isdisjoint(comment):
            raise ValidationError(f"{skills[skill_id].name}: {CONTROL_CHARACTER_MESSAGE}")
    if all(level is None for level in levels.values()):
        raise ValidationError("Rate at least one skill; the others can stay “not observed”.")
    rating = ManagerRating.objects.create(rater=rater, subject=subject, submitted_at=now or timezone.now())
    SkillRating.objects.bulk_create(
        SkillRating(
            rating=rating,
            skill=skills[skill_id],
            skill_slug=skills[skill_id].slug,
            skill_name=skills[skill_id].name,
            level=levels.get(skill_id),
            comment=comments.get(skill_id, "").strip(),
        )
        for skill_id in skills  # in the catalog's order
        if skill_id in levels or skill_id in comments
    )
    return rating


# --- Peer input (docs/teams.md) ------------------------------------------------------------------


@transaction.atomic
def peer_round_create(
    *, subject: User, skill_ids: list[int], rater_emails: list[str], now: datetime | None = None
) -> PeerRound:
    """Ask up to PEER_RATERS_MAX colleagues (people in careerpath, by email address) to rate the chosen
    skills; the round closes settings.PEER_REQUEST_DAYS after now. The request emails go out with the
    reminder sweep (reminders/services.py).

    Refused, with nothing stored (ValidationError): no colleague or more than PEER_RATERS_MAX, an address
    that is nobody active in careerpath, the engineer's own address, a colleague who still has an open
    request from them, no skill, or a skill the catalog's roles don't ask for.
    """
    now = now or timezone.now()
    emails = list(dict.fromkeys(email.strip().lower() for email in rater_emails if email.strip()))
    if not emails:
        raise ValidationError("Name at least one colleague by their email address.")
    if len(emails) > PEER_RATERS_MAX:
        raise ValidationError(f"Ask at most {PEER_RATERS_MAX} colleagues at a time (you named {len(emails)}).")
    if subject.email.lower() in emails:
        raise ValidationError("You can't ask yourself: your self-assessment is your own view already.")
    raters = {user.email: user for user in User.objects.filter(email__in=emails, is_active=True)}
    unknown = [email for email in emails if email not in raters]
    if unknown:
        raise ValidationError(f"Nobody in careerpath has this address: {', '.join(unknown)[:300]}.")
    # Requests past their date are closed now, so that the same colleague can be asked again.
    PeerRequest.objects.filter(subject=subject, status=PeerRequest.Status.PENDING, round__expires_at__lte=now).update(
        status=PeerRequest.Status.EXPIRED
    )
    open_ones = sorted(
        str(request.rater)
        for request in PeerRequest.objects.filter(
            subject=subject, rater__in=raters.values(), status=PeerRequest.Status.PENDING
        ).select_related("rater")
    )
    if open_ones:
        raise ValidationError(f"You asked {', '.join(open_ones)} already; that request is still open.")
    skills = {skill.pk: skill for skill in selectors.rateable_skills()}
    chosen = list(dict.fromkeys(skill_ids))
    if not chosen:
        raise ValidationError("Choose at least one skill to be rated on.")
    if any(skill_id not in skills for skill_id in chosen):
        raise ValidationError("Some of the chosen skills are not in the catalog; reload the page and choose again.")
    peer_round = PeerRound.objects.create(
        subject=subject, created_at=now, expires_at=now + timedelta(days=settings.PEER_REQUEST_DAYS)
    )
    PeerRoundSkill.objects.bulk_create(
        PeerRoundSkill(round=peer_round, skill=skills[pk], skill_slug=skills[pk].slug, skill_name=skills[pk].name)
        for pk in skills  # in the catalog's order
        if pk in chosen
    )
    try:
        with transaction.atomic():
            PeerRequest.objects.bulk_create(
                PeerRequest(round=peer_round, subject=subject, rater=raters[email], created_at=now) for email in emails
            )
    except IntegrityError as exc:  # the same colleague asked from another tab at this very moment
        raise ValidationError("One of these colleagues was asked a moment ago; reload the page.") from exc
    return peer_round


@transaction.atomic
def peer_round_close(*, subject: User, round_id: int, now: datetime | None = None) -> PeerRound:
    """Close one of `subject`'s open rounds now, before its date: the colleagues who have not answered can no
    longer answer, get no more emails about it, and the engineer gets no notice that it closed (they closed
    it). What it shows follows the usual rule: the aggregate only with PEERS_MIN answers or more.

    PermissionDenied when the round is not theirs (or does not exist); ValidationError when it has closed.
    """
    now = now or timezone.now()
    peer_round = PeerRound.objects.select_for_update().filter(pk=round_id).first()
    if peer_round is None or peer_round.subject_id != subject.pk:
        raise PermissionDenied("No such request of yours.")
    pending = peer_round.requests.filter(status=PeerRequest.Status.PENDING)
    if peer_round.expires_at <= now or not pending.exists():
        raise ValidationError("This request has closed already.")
    pending.update(status=PeerRequest.Status.EXPIRED)
    peer_round.expires_at = max(now, peer_round.created_at + timedelta(seconds=1))
    peer_round.save(update_fields=["expires_at"])
    return peer_round


@transaction.atomic
def peer_answer_submit(
    *, rater: User, request_id: int, levels: dict[str, int | None], now: datetime | None = None
) -> PeerRequest:
    """Store `rater`'s answer to a request: a level (1–5) or None ("not observed") per skill slug of the round.

    PermissionDenied when the request is not theirs (or does not exist). ValidationError, with nothing
    stored, when it was answered already or has closed, a skill is not the round's, a level is out of
    range, or no skill has a level.
    """
    now = now or timezone.now()
    request = PeerRequest.objects.select_for_update().select_related("round").filter(pk=request_id).first()
    if request is None or request.rater_id != rater.pk:
        raise PermissionDenied("No such request for you.")
    if request.status == PeerRequest.Status.ANSWERED:
        raise ValidationError("You have answered this request already.")
    if request.status != PeerRequest.Status.PENDING or request.round.expires_at <= now:
        raise ValidationError("This request has closed; your answer is no longer needed.")
    skills = list(request.round.skills.values_list("skill_slug", "skill_name"))
    slugs = {slug for slug, _ in skills}
    if set(levels) - slugs:
        raise ValidationError("The answer names skills that were not asked about; reload the page.")
    for level in levels.values():
        if level is not None and (type(level) is not int or not LEVEL_MIN <= level <= LEVEL_MAX):
            raise ValidationError(f"A level is a whole number from {LEVEL_MIN} to {LEVEL_MAX}.")
    if all(levels.get(slug) is None for slug in slugs):
        raise ValidationError("Rate at least one skill; the others can stay “not observed”.")
    PeerAnswer.objects.bulk_create(
        PeerAnswer(request=request, skill_slug=slug, skill_name=name, level=levels.get(slug)) for slug, name in skills
    )
    request.status = PeerRequest.Status.ANSWERED
    request.answered_at = now
    request.save(update_fields=["status", "answered_at"])
    return request
