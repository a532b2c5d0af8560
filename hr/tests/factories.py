"""Test data for the HR panel: people with stored results and plans made directly, so figures are known exactly.

`stored_result` writes a Result with just the stored data the panel reads (readiness
per role, orientation, skill levels); pages that render a whole result use a real
submission instead (see conftest.make_result).
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from assessments.models import Response, Result
from assessments.tests.factories import QuestionnaireVersionFactory
from plans.models import Milestone, Plan


def stored_result(user, *, version=None, best_fit="technical", readiness=None, skills=None, created_at=None) -> Result:
    """A submitted response and its result. `readiness`: {role slug: percent}, best first."""
    version = version or QuestionnaireVersionFactory(is_active=False)
    readiness = readiness or {}
    response = Response.objects.create(
        user=user, version=version, status=Response.Status.SUBMITTED, submitted_at=timezone.now()
    )
    orientation = {"technical": 70.0, "managerial": 40.0, "project": 50.0}
    top = next(iter(readiness.items()), None)
    result = Result.objects.create(
        response=response,
        user=user,
        engine_version="1.0",
        best_fit=best_fit,
        technical=orientation["technical"],
        managerial=orientation["managerial"],
        project=orientation["project"],
        top_role_slug=top[0] if top else "",
        top_role_name=top[0].replace("-", " ").title() if top else "",
        top_role_readiness=top[1] if top else None,
        data={
            "result": {
                "orientation": orientation,
                "skill_levels": skills or {},
                "readiness": [
                    {"slug": slug, "name": slug.replace("-", " ").title(), "readiness": value}
                    for slug, value in readiness.items()
                ],
            },
            "skills": {slug: slug.title() for slug in (skills or {})},
            "questionnaire": {"name": version.questionnaire.name, "version": version.number},
        },
    )
    if created_at is not None:
        Result.objects.filter(pk=result.pk).update(created_at=created_at)
        result.refresh_from_db()
    return result


def stored_plan(user, *, target="senior", target_name=None, status="active", milestones=()) -> Plan:
    """A plan with milestones given as dicts: kind, status, due (date), subject, completed_at."""
    today = timezone.localdate()
    plan = Plan.objects.create(
        user=user,
        status=status,
        archived_at=timezone.now() if status == "archived" else None,
        target_slug=target,
        target_name=target_name or target.replace("-", " ").title(),
        goal_slug=target,
        goal_name=target_name or target.replace("-", " ").title(),
        generator_version="test",
        starts_on=today - timedelta(days=200),
        horizon_months=24,
    )
    Milestone.objects.bulk_create(
        Milestone(
            plan=plan,
            kind=m.get("kind", "custom"),
            title=m.get("title", f"Milestone {n}"),
            order=n,
            due_date=m.get("due", today + timedelta(days=30)),
            status=m.get("status", "todo"),
            completed_at=m.get("completed_at")
            or (
                timezone.make_aware(datetime.combine(today, datetime.min.time())) if m.get("status") == "done" else None
            ),
            subject_slug=m.get("subject", ""),
        )
        for n, m in enumerate(milestones, start=1)
    )
    return plan


def days(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)
