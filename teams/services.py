"""Writes for teams: HR's team policy, and a manager's rating of a report. Who reports to whom is set on
the profile (accounts.services)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Profile, User
from careerpath.security import CONTROL_CHARACTER_MESSAGE, CONTROL_CHARACTERS
from roles.models import LEVEL_MAX, LEVEL_MIN

from . import selectors
from .models import COMMENT_MAX_LENGTH, ManagerRating, SkillRating, TeamPolicy


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
