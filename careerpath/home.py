"""A signed-in person's home: what their latest result says, where their plan stands, what is due.

Reads only, across the apps (this is the project's own page): one query each for the latest
result's advice, the active plan, its milestones, the person's reminder settings, the
re-assessment interval and the colleagues' requests waiting for their answer.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from accounts.models import Profile
from assessments import advice, reports
from assessments.models import Result
from plans import progress
from plans.models import Milestone, Plan
from reminders import rules
from reminders.models import ReminderPolicy
from teams import selectors as teams_selectors
from teams.models import PeerRequest

NEXT_MILESTONES = 3


@dataclass(frozen=True)
class LatestResult:
    pk: int
    created_at: object
    best_fit_label: str
    advice: advice.Advice | None

    @property
    def next_step(self) -> advice.Step | None:
        return self.advice.first_step if self.advice else None


@dataclass(frozen=True)
class PersonHome:
    result: LatestResult | None
    plan: Plan | None
    progress: progress.Progress | None
    next_milestones: list[Milestone]  # open ones, soonest first
    due: list[Milestone]  # open ones overdue or due within the person's notice
    notice_days: int
    reassess_on: date | None  # when a re-assessment fell due, if one has
    peer_requests: list[PeerRequest] = ()  # colleagues waiting for this person's view of their skills


def latest_result(*, user) -> LatestResult | None:
    row = (
        Result.objects.filter(user=user)
        .order_by("-created_at")
        .values("pk", "created_at", "best_fit", "data__advice")
        .first()
    )
    if row is None:
        return None
    stored_advice = row["data__advice"]
    return LatestResult(
        pk=row["pk"],
        created_at=row["created_at"],
        best_fit_label=reports.DIMENSION_LABELS.get(row["best_fit"], row["best_fit"]),
        advice=advice.Advice.from_dict(stored_advice) if stored_advice else None,
    )


def person_home(*, user, today: date) -> PersonHome:
    result = latest_result(user=user)
    plan = Plan.objects.filter(user=user, status=Plan.Status.ACTIVE).order_by("-created_at").first()
    milestones = list(plan.milestones.all()) if plan else []
    views = [progress.MilestoneView(m.pk, m.title, m.kind, m.status, m.due_date) for m in milestones]
    open_ones = sorted((m for m in milestones if m.status != Milestone.Status.DONE), key=lambda m: m.due_date)
    notice_days = (
        Profile.objects.filter(user=user, reminders_enabled=True).values_list("reminder_lead_days", flat=True).first()
        or 0
    )
    reassess_on = None
    if result is not None:
        months = ReminderPolicy.objects.values_list("reassess_after_months", flat=True).first()
        reassess_on = rules.reassess_due_date(
            result.created_at.date(), today=today, months=months or rules.Policy().reassess_after_months
        )
    return PersonHome(
        result=result,
        plan=plan,
        progress=progress.progress(views, today=today) if plan else None,
        next_milestones=open_ones[:NEXT_MILESTONES],
        due=[m for m in open_ones if m.due_date <= today + timedelta(days=notice_days)],
        notice_days=notice_days,
        reassess_on=reassess_on,
        peer_requests=teams_selectors.peer_requests_waiting(rater=user),
    )
