"""Builders for reminder tests: people with preferences, plans with dated milestones."""

from datetime import date

from django.utils import timezone

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from plans.models import Milestone, Plan
from reminders.models import Reminder


def person(*, tz="UTC", lead=7, digest=False, enabled=True, **user_fields):
    user = UserFactory(**user_fields)
    Profile.objects.filter(user=user).update(
        time_zone=tz, reminder_lead_days=lead, weekly_digest=digest, reminders_enabled=enabled
    )
    user.profile.refresh_from_db()
    return user


def plan_for(user, *due_dates: date, status=Plan.Status.ACTIVE, starts_on=date(2026, 1, 1)) -> Plan:
    plan = Plan.objects.create(
        user=user,
        status=status,
        archived_at=None if status == Plan.Status.ACTIVE else "2026-01-02T00:00:00Z",
        target_slug="engineering-manager",
        target_name="Engineering Manager",
        goal_slug="engineering-manager",
        goal_name="Engineering Manager",
        path=[],
        generator_version="test",
        starts_on=starts_on,
        horizon_months=12,
    )
    Milestone.objects.bulk_create(
        Milestone(plan=plan, title=f"Milestone {n}", due_date=due, order=n) for n, due in enumerate(due_dates, 1)
    )
    return plan


def failed_reminder(user, *, due: date, title="Lead a design review", error="SMTPDataError: (554, 'rejected')"):
    """An upcoming-milestone reminder that failed for good (five attempts), on a new active plan of `user`."""
    milestone = plan_for(user, due).milestones.get()
    Milestone.objects.filter(pk=milestone.pk).update(title=title)
    now = timezone.now()
    return Reminder.objects.create(
        user=user,
        milestone=milestone,
        kind=Reminder.Kind.UPCOMING,
        due_date=due,
        status=Reminder.Status.FAILED,
        send_after=now,
        next_attempt_at=now,
        attempts=5,
        last_error=error,
    )
