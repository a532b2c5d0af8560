"""Reads for the HR panel. Every figure is computed by the database (annotations and
aggregates); no function here loops over all people in Python.

The definitions (who counts as an engineer, the readiness buckets, what a skill gap
is) are written out for HR in docs/hr.md; keep the two in step.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, FirstValue, RowNumber, TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.selectors import engineer_q, viewable_q
from assessments import scoring
from assessments.models import Dimension, Item, ItemKey, QuestionnaireVersion, Result
from careerpath.dates import add_months
from careerpath.security import MAX_ID
from plans import selectors as plan_selectors
from plans.models import OPEN, SET_ASIDE, Milestone, Plan
from roles.models import Certification, Discipline, Role, Skill
from teams.models import ManagerRating, SkillRating

from . import agreement, imports, psychometrics
from .models import Person, RoleReadiness, ScaleItemSums

# Readiness buckets of the pipeline (docs/hr.md, "Readiness pipeline").
READY_NOW, WITHIN_12_MONTHS, LATER = "ready_now", "within_12_months", "later"
BUCKETS = {READY_NOW: "Ready now", WITHIN_12_MONTHS: "Within 12 months", LATER: "Later"}
# The result page's words for readiness (assessments/scoring.py READINESS_BANDS): "ready now", "within about a year".
READY_NOW_MIN, SOON_MIN = scoring.READINESS_BANDS[0][0], scoring.READINESS_BANDS[1][0]
SOON_DAYS = 365

ORIENTATIONS = {**dict(Result.BestFit.choices), "": "Not assessed"}
# "No self-assessment for N months": a month counted as 30 days.
DAYS_PER_MONTH = 30
TOP_GAPS = 10
MONTHS_SHOWN = 12


# --- People ----------------------------------------------------------------------------


def engineers() -> QuerySet[Person]:
    """Everyone the panel reports on: active accounts without staff status (HR and admins are not listed)."""
    return Person.objects.filter(engineer_q())


def _latest_result(field: str) -> Subquery:
    return Subquery(Result.objects.filter(user=OuterRef("pk")).order_by("-created_at", "-pk").values(field)[:1])


def _active_plan(field: str) -> Subquery:
    return Subquery(Plan.objects.filter(user=OuterRef("pk"), status=Plan.Status.ACTIVE).values(field)[:1])


def _milestone_count(condition: Q | None = None) -> Coalesce:
    """How many milestones of the row's active plan (meeting `condition`): looked up by plan only, then counted
    with a FILTER, so the database never combines indexes for the condition row by row."""
    counted = (
        Milestone.objects.filter(plan_id=OuterRef("plan_id"))
        .order_by()
        .values("plan_id")
        .annotate(n=Count("pk", filter=condition) if condition is not None else Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def overdue_q(today: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}status__in": OPEN}) & Q(**{f"{prefix}due_date__lt": today})


def held_q(prefix: str = "") -> Q:
    """Milestones the plan still holds: not dropped or marked not needed (they count for nothing)."""
    return ~Q(**{f"{prefix}status__in": SET_ASIDE})


def people(*, today: date | None = None) -> QuerySet[Person]:
    """One row per engineer with their latest result and their active plan's progress (page of the people list)."""
    today = today or timezone.localdate()
    return (
        engineers()
        .select_related("profile__discipline", "profile__current_role")
        .annotate(
            result_id=_latest_result("pk"),
            result_at=_latest_result("created_at"),
            best_fit=_latest_result("best_fit"),
            top_role_name=_latest_result("top_role_name"),
            top_role_readiness=_latest_result("top_role_readiness"),
            plan_id=_active_plan("pk"),
            plan_target_name=_active_plan("target_name"),
        )
        .annotate(
            milestones_total=_milestone_count(held_q()),
            milestones_done=_milestone_count(Q(status=Milestone.Status.DONE)),
            milestones_overdue=_milestone_count(overdue_q(today)),
        )
    )


def people_list() -> QuerySet[Person]:
    """The people list's rows before their figures: cheap to filter, count, sort and page."""
    return engineers().select_related("profile__discipline", "profile__current_role")


@dataclass(frozen=True)
class PersonFigures:
    """What the people list shows beside a person: their latest result and their active plan's progress."""

    result_id: int | None = None
    result_at: datetime | None = None
    best_fit: str | None = None
    top_role_name: str | None = None
    top_role_readiness: int | None = None
    plan_id: int | None = None
    plan_target_name: str | None = None
    milestones_total: int = 0
    milestones_done: int = 0
    milestones_overdue: int = 0


def people_figures(pks: list[int], *, today: date | None = None) -> dict[int, PersonFigures]:
    """The figures of one page of the people list (what `people()` annotates), by person id.

    Two queries whatever the page: the page's people's latest results (one index lookup each),
    and their active plans with the milestones counted in one GROUP BY; `people()` instead
    runs ten correlated subqueries per row.
    """
    today = today or timezone.localdate()
    latest = Result.objects.filter(user_id=OuterRef("user_id")).order_by("-created_at", "-pk").values("pk")[:1]
    results = {
        row["user_id"]: row
        for row in Result.objects.filter(user_id__in=pks, pk=Subquery(latest))
        .order_by()
        .values("user_id", "pk", "created_at", "best_fit", "top_role_name", "top_role_readiness")
    }
    plans = {
        row["user_id"]: row
        for row in Plan.objects.filter(user_id__in=pks, status=Plan.Status.ACTIVE)
        .order_by()
        .values("user_id", "pk", "target_name")
        .annotate(
            total=Count("milestones", filter=held_q("milestones__")),
            done=Count("milestones", filter=Q(milestones__status=Milestone.Status.DONE)),
            overdue=Count("milestones", filter=overdue_q(today, prefix="milestones__")),
        )
    }
    figures = {}
    for pk in pks:
        result, plan = results.get(pk, {}), plans.get(pk, {})
        figures[pk] = PersonFigures(
            result_id=result.get("pk"),
            result_at=result.get("created_at"),
            best_fit=result.get("best_fit"),
            top_role_name=result.get("top_role_name"),
            top_role_readiness=result.get("top_role_readiness"),
            plan_id=plan.get("pk"),
            plan_target_name=plan.get("target_name"),
            milestones_total=plan.get("total", 0),
            milestones_done=plan.get("done", 0),
            milestones_overdue=plan.get("overdue", 0),
        )
    return figures


# --- The people page (/hr/people/) ------------------------------------------------------------

# The people page's sort keys: each a column stored with the account, its profile or its manager's
# account, ending with the id so that pages never overlap.
PEOPLE_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "email"),
    "email": ("email",),
    "discipline": ("profile__discipline__name", "name", "email"),
    "role": ("profile__current_role__name", "name", "email"),
    "manager": ("profile__manager__name", "profile__manager__email", "name", "email"),
}
NONE = "none"  # a filter's value for "not set" (no discipline, no role, no manager)


@dataclass(frozen=True)
class PeopleFilters:
    """What the people page is filtered by; None for a filter not applied."""

    search: str = ""
    discipline: Discipline | str | None = None  # NONE: no discipline
    role: Role | str | None = None  # NONE: no current role
    manager: User | str | None = None  # NONE: reports to no one
    has_plan: bool | None = None
    has_result: bool | None = None
    fit: str | None = None  # the latest result's best fit (Result.BestFit), NONE: not assessed
    target: str | None = None  # the slug of the role the active plan aims at
    readiness: str | None = None  # a pipeline bucket (BUCKETS) of the active plan's readiness
    active: bool = True  # False: deactivated accounts
    sort: str = "name"  # a PEOPLE_SORTS key, "-" in front for descending


def _set_or_none(field: str, value) -> Q:
    return Q(**{f"{field}__isnull": True}) if value == NONE else Q(**{field: value})


def people_page_ids(filters: PeopleFilters) -> QuerySet:
    """The ids of the people the page lists, filtered and sorted; plain rows, cheap to count and slice.

    Never a staff account; deactivated engineers only when asked for (`active=False`)."""
    rows = User.objects.filter(is_staff=False, is_active=filters.active)
    if filters.search:
        rows = rows.filter(Q(name__icontains=filters.search) | Q(email__icontains=filters.search))
    if filters.discipline is not None:
        rows = rows.filter(_set_or_none("profile__discipline", filters.discipline))
    if filters.role is not None:
        rows = rows.filter(_set_or_none("profile__current_role", filters.role))
    if filters.manager is not None:
        rows = rows.filter(_set_or_none("profile__manager", filters.manager))
    if filters.has_plan is not None:
        with_plan = Plan.objects.filter(status=Plan.Status.ACTIVE).values("user_id")
        rows = rows.filter(pk__in=with_plan) if filters.has_plan else rows.exclude(pk__in=with_plan)
    if filters.has_result is not None:
        rows = rows.filter(has_result()) if filters.has_result else rows.filter(~has_result())
    if filters.fit == NONE:
        rows = rows.filter(~has_result())
    elif filters.fit:
        rows = rows.filter(pk__in=latest_result_users(best_fit=filters.fit))
    if filters.target or filters.readiness:
        # The dashboard's pipeline: who aims at a role, in a bucket of readiness for it, or both
        rows = rows.filter(
            pk__in=plan_users(target_slug=filters.target, bucket=filters.readiness, today=timezone.localdate())
        )
    descending = filters.sort.startswith("-")
    columns = PEOPLE_SORTS.get(filters.sort.removeprefix("-"), PEOPLE_SORTS["name"])
    order = [F(column).desc(nulls_last=True) if descending else F(column).asc(nulls_last=True) for column in columns]
    pk_order = F("pk").desc() if descending else F("pk").asc()
    return rows.order_by(*order, pk_order).values_list("pk", flat=True)


def people_page_rows(pks: list[int]) -> list[dict]:
    """One page of the people page, in the order of `pks`, in one query: each person's account, discipline,
    role and manager, their latest result (verdict) and active plan's progress, as plain values (correlated
    subqueries run for these rows only; no model instances to build)."""
    if not pks:
        return []
    rows = (
        User.objects.filter(pk__in=pks)
        .order_by()
        .values(
            "pk",
            "email",
            "name",
            "is_active",
            discipline=F("profile__discipline__name"),
            role=F("profile__current_role__name"),
            manager_name=F("profile__manager__name"),
            manager_email=F("profile__manager__email"),
            result_id=_latest_result("pk"),
            result_at=_latest_result("created_at"),
            best_fit=_latest_result("best_fit"),
            top_role_name=_latest_result("top_role_name"),
            top_role_readiness=_latest_result("top_role_readiness"),
            plan_id=_active_plan("pk"),
            plan_target_name=_active_plan("target_name"),
        )
        .annotate(
            milestones_total=_milestone_count(held_q()),
            milestones_done=_milestone_count(Q(status=Milestone.Status.DONE)),
        )
    )
    by_pk = {row["pk"]: row for row in rows}
    return [by_pk[pk] for pk in pks if pk in by_pk]


def role_choices() -> QuerySet[Role]:
    return Role.objects.order_by("name", "pk").only("pk", "name")


def manager_by_email_or_id(value: str) -> User | None:
    """The account a people-page manager filter names: an id, or an email address (any case)."""
    if value.isascii() and value.isdigit():
        return User.objects.filter(pk=int(value)).first() if int(value) <= MAX_ID else None
    return User.objects.filter(email__iexact=value).first()


def latest_result_users(*, best_fit: str) -> QuerySet:
    """Ids of the people whose latest result has this best fit (one pass over results, no per-person lookup).

    The fit is compared as a window value too: Django applies a plain filter before the window, which would
    rank only the results with that fit and list someone whose latest result has another."""
    latest = {"partition_by": [F("user_id")], "order_by": [F("created_at").desc(), F("pk").desc()]}
    ranked = Result.objects.annotate(
        position=Window(RowNumber(), **latest), latest_fit=Window(FirstValue("best_fit"), **latest)
    )
    return ranked.filter(position=1, latest_fit=best_fit).values("user_id")


def has_result() -> Exists:
    return Exists(Result.objects.filter(user=OuterRef("pk")))


def best_fit_annotation() -> Coalesce:
    return Coalesce(_latest_result("best_fit"), Value(""), output_field=CharField())


def overdue_users(today: date) -> QuerySet:
    """Ids of engineers whose active plan has an overdue milestone (one pass over overdue milestones)."""
    return Milestone.objects.filter(overdue_q(today), plan__status=Plan.Status.ACTIVE).values("plan__user_id")


def assessed_since(since) -> Exists:
    return Exists(Result.objects.filter(user=OuterRef("pk"), created_at__gte=since))


def plan_users(*, target_slug: str | None, bucket: str | None, today: date) -> QuerySet:
    """Ids of engineers whose active plan aims at `target_slug` and/or sits in the pipeline's `bucket`."""
    if bucket:
        plans = plans_with_readiness(today=today)
        plans = plans.filter(bucket=bucket)
    else:
        plans = Plan.objects.filter(status=Plan.Status.ACTIVE)
    if target_slug:
        plans = plans.filter(target_slug=target_slug)
    return plans.values("user_id")


# The people list's target-role filter reads every active plan (6 ms with 10,000 people) to list its
# choices; they change only when someone aims at a role nobody aimed at, so they are kept as long as
# the dashboard's figures. A choice missing for those minutes can still be filtered on (?target=slug).
TARGET_CHOICES_KEY = "hr:target-role-choices"


def target_role_choices() -> list[tuple[str, str]]:
    """(slug, name) of every role some active plan aims at, for the people list's filter."""
    seconds = settings.HR_DASHBOARD_CACHE_SECONDS
    choices = cache.get(TARGET_CHOICES_KEY) if seconds else None
    if choices is None:
        rows = (
            Plan.objects.filter(status=Plan.Status.ACTIVE)
            .order_by()
            .values("target_slug")
            .annotate(name=Max("target_name"))
            .order_by("name")
        )
        choices = [(row["target_slug"], row["name"]) for row in rows]
        if seconds:
            cache.set(TARGET_CHOICES_KEY, choices, timeout=seconds)
    return choices


def person_for_hr(*, viewer, pk: int) -> Person:
    """One engineer with what their panel page lists: profile, results and plans (3 queries); 404 outside
    what `viewer` may see (viewable_q)."""
    return get_object_or_404(
        Person.objects.filter(viewable_q(viewer))
        .select_related("profile__discipline", "profile__current_role")
        .prefetch_related(
            Prefetch("results", queryset=Result.objects.defer("data").order_by("-created_at")),
            Prefetch(
                "plans",
                queryset=Plan.objects.annotate(
                    milestone_count=Count("milestones", filter=held_q("milestones__")),
                    done_count=Count("milestones", filter=Q(milestones__status=Milestone.Status.DONE)),
                ).order_by("-created_at"),
            ),
        ),
        pk=pk,
    )


def result_for_hr(*, viewer, person_id: int, pk: int) -> Result:
    return get_object_or_404(
        Result.objects.filter(viewable_q(viewer, "user__")).select_related("user", "response__version"),
        pk=pk,
        user_id=person_id,
    )


def plan_for_hr(*, viewer, person_id: int, pk: int) -> Plan:
    return get_object_or_404(
        Plan.objects.filter(viewable_q(viewer, "user__"))
        .select_related("user")
        .prefetch_related(plan_selectors.plan_milestones()),  # with who confirmed each
        pk=pk,
        user_id=person_id,
    )


# --- Rating agreement (/hr/agreement/) ---------------------------------------------------------


@dataclass(frozen=True)
class AgreementData:
    people: list[agreement.PersonRatings]
    skill_names: dict[str, str]


def agreement_data() -> AgreementData:
    """Each engineer's latest manager rating beside their latest self-assessment, skill by skill (two queries:
    the ratings' levels with who gave them, then the self levels of the people rated; only the results'
    skill levels are read, not the rest of their stored data)."""
    latest_rating = (
        ManagerRating.objects.filter(subject_id=OuterRef("rating__subject_id")).order_by("-submitted_at", "-pk")
    ).values("pk")[:1]
    levels = (
        SkillRating.objects.filter(
            rating__subject__is_active=True,
            rating__subject__is_staff=False,
            rating__rater__isnull=False,
            level__isnull=False,
            rating_id=Subquery(latest_rating),
        )
        .order_by()
        .values_list(
            "rating__subject_id",
            "rating__rater_id",
            "rating__rater__name",
            "rating__rater__email",
            "skill_slug",
            "skill_name",
            "level",
        )
    )
    rated: dict[int, dict] = {}
    names: dict[str, str] = {}
    for subject_id, rater_id, rater_name, rater_email, slug, name, level in levels:
        person = rated.setdefault(subject_id, {"rater": (rater_id, rater_name or rater_email), "levels": {}})
        person["levels"][slug] = level
        names[slug] = name
    latest_result = Result.objects.filter(user_id=OuterRef("user_id")).order_by("-created_at", "-pk").values("pk")[:1]
    self_levels = dict(
        Result.objects.filter(user_id__in=list(rated), pk=Subquery(latest_result))
        .order_by()
        .values_list("user_id", "data__result__skill_levels")
    )
    people = []
    for subject_id, person in sorted(rated.items()):
        own = self_levels.get(subject_id) or {}
        pairs = {
            slug: (float(own[slug]), level)
            for slug, level in person["levels"].items()
            if isinstance(own.get(slug), int | float)
        }
        manager_id, manager_name = person["rater"]
        people.append(agreement.PersonRatings(subject_id, manager_id, manager_name, pairs))
    return AgreementData(people=people, skill_names=names)


# --- Readiness pipeline ----------------------------------------------------------------


def plans_with_readiness(*, today: date) -> QuerySet[Plan]:
    """Engineers' active plans, each with its person's readiness for the target and its bucket.

    readiness: the target role's readiness in the person's latest result (None if that
    result did not rate the role, or there is none). goal_due: the plan's last milestone
    due date, of those it still holds (a dropped or not-needed milestone sets no date). Readiness is
    read from the RoleReadiness index (services.readiness_index_update).
    """
    latest = Result.objects.filter(user=OuterRef("user_id")).order_by("-created_at", "-pk").values("pk")[:1]
    readiness = RoleReadiness.objects.filter(
        result_id=OuterRef("latest_result_id"), role_slug=OuterRef("target_slug")
    ).order_by()
    last_due = Milestone.objects.filter(held_q(), plan_id=OuterRef("pk")).order_by("-due_date").values("due_date")[:1]
    return (
        Plan.objects.filter(engineer_q("user__"), status=Plan.Status.ACTIVE)
        .annotate(latest_result_id=Subquery(latest))
        .annotate(
            readiness=Subquery(readiness.values("readiness")[:1]),
            goal_due=Subquery(last_due),
        )
        .annotate(
            bucket=Case(
                When(readiness__gte=READY_NOW_MIN, then=Value(READY_NOW)),
                When(
                    Q(readiness__gte=SOON_MIN) | Q(goal_due__lte=today + timedelta(days=SOON_DAYS)),
                    then=Value(WITHIN_12_MONTHS),
                ),
                default=Value(LATER),
                output_field=CharField(),
            )
        )
    )


@dataclass(frozen=True)
class PipelineRow:
    target_slug: str
    target_name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def readiness_pipeline(*, today: date) -> list[PipelineRow]:
    rows = (
        plans_with_readiness(today=today)
        .order_by()
        .values("target_slug", "bucket")
        .annotate(n=Count("pk"), name=Max("target_name"))
    )
    by_target: dict[str, PipelineRow] = {}
    for row in rows:
        entry = by_target.setdefault(
            row["target_slug"], PipelineRow(row["target_slug"], row["name"], dict.fromkeys(BUCKETS, 0))
        )
        entry.counts[row["bucket"]] = row["n"]
    return sorted(by_target.values(), key=lambda r: (-r.total, r.target_name))


# --- Track orientation -----------------------------------------------------------------


@dataclass(frozen=True)
class OrientationRow:
    discipline_id: int | None
    discipline: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def track_orientation() -> tuple[OrientationRow, list[OrientationRow]]:
    """Engineers by their latest result's best fit: overall, then per discipline (one query)."""
    rows = (
        engineers()
        .annotate(fit=best_fit_annotation())
        .order_by()
        .values("profile__discipline_id", "profile__discipline__name", "fit")
        .annotate(n=Count("pk"))
    )
    overall = OrientationRow(None, "All engineers", dict.fromkeys(ORIENTATIONS, 0))
    by_discipline: dict[int | None, OrientationRow] = {}
    for row in rows:
        discipline_id = row["profile__discipline_id"]
        entry = by_discipline.setdefault(
            discipline_id,
            OrientationRow(
                discipline_id, row["profile__discipline__name"] or "No discipline", dict.fromkeys(ORIENTATIONS, 0)
            ),
        )
        entry.counts[row["fit"]] += row["n"]
        overall.counts[row["fit"]] += row["n"]
    return overall, sorted(by_discipline.values(), key=lambda r: (r.discipline_id is None, r.discipline))


# --- Skill gaps and certification demand ------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    slug: str
    name: str
    count: int


def _active_engineer_milestones() -> QuerySet[Milestone]:
    return Milestone.objects.filter(engineer_q("plan__user__"), plan__status=Plan.Status.ACTIVE)


def plan_demand(*, limit: int = TOP_GAPS) -> tuple[list[CountRow], list[CountRow]]:
    """The skill gaps and the certification demand from one pass over the active plans' milestones,
    then the names of the few skills and credentials shown (3 queries).

    Skill gaps: skills most often still to raise (active plans with an unfinished skill milestone for
    each). Certification demand: credentials by how many active plans include a milestone for them
    (done or not). Milestones set aside (dropped, not needed) count in neither."""
    skill, certification = Milestone.Kind.SKILL, Milestone.Kind.CERTIFICATION
    rows = (
        _active_engineer_milestones()
        .filter(held_q())  # a dropped or not-needed milestone is no gap and no demand
        .filter(Q(kind=skill) & ~Q(status=Milestone.Status.DONE) | Q(kind=certification))
        .exclude(subject_slug="")
        .order_by()
        .values("kind", "subject_slug")
        .annotate(n=Count("plan_id", distinct=True))
    )
    counts: dict[str, list[tuple[int, str]]] = {skill: [], certification: []}
    for row in rows:
        counts[row["kind"]].append((row["n"], row["subject_slug"]))
    top = {kind: sorted(pairs, key=lambda pair: (-pair[0], pair[1]))[:limit] for kind, pairs in counts.items()}
    names = {
        skill: _names(Skill, [slug for _, slug in top[skill]]),
        certification: _names(Certification, [slug for _, slug in top[certification]]),
    }
    gaps, demand = (
        [CountRow(slug, names[kind].get(slug, slug), n) for n, slug in top[kind]] for kind in (skill, certification)
    )
    return gaps, demand


def _names(model, slugs: list[str]) -> dict[str, str]:
    if not slugs:
        return {}
    return dict(model.objects.filter(slug__in=slugs).values_list("slug", "name"))


# --- Milestones per month ---------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: date
    completed: int
    overdue: int


def month_starts(today: date, months: int = MONTHS_SHOWN) -> list[date]:
    this_month = today.replace(day=1)
    return [add_months(this_month, -back) for back in range(months - 1, -1, -1)]


def milestones_by_month(*, today: date, months: int = MONTHS_SHOWN) -> list[MonthRow]:
    """Per calendar month of the last `months`: milestones completed then (any plan), and
    milestones of active plans that fell due then and are still not done (so overdue now).
    One pass over the milestones: each row counts toward the month it was completed in, the
    month it fell due in, or both."""
    starts = month_starts(today, months)
    first = starts[0]
    # From the first month's first moment in the site's time zone (what __date__gte means, as a range).
    completed = Q(completed_at__gte=timezone.make_aware(datetime.combine(first, datetime.min.time())))
    overdue = Q(plan__status=Plan.Status.ACTIVE) & overdue_q(today) & Q(due_date__gte=first)
    rows = (
        Milestone.objects.filter(engineer_q("plan__user__"), completed | overdue)
        .annotate(done_month=TruncMonth("completed_at"), due_month=TruncMonth("due_date"))
        .order_by()
        .values("done_month", "due_month")
        .annotate(done=Count("pk", filter=completed), late=Count("pk", filter=overdue))
    )
    done: dict[date, int] = defaultdict(int)
    late: dict[date, int] = defaultdict(int)
    for row in rows:
        if row["done"]:
            done[_month(row["done_month"])] += row["done"]
        if row["late"]:
            late[_month(row["due_month"])] += row["late"]
    return [MonthRow(start, done.get(start, 0), late.get(start, 0)) for start in starts]


def _month(value) -> date:
    if hasattr(value, "date") and callable(value.date):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return date(value.year, value.month, 1)


# --- Questionnaire quality --------------------------------------------------------------


@dataclass(frozen=True)
class ScaleReport:
    dimension: str
    label: str
    items: list[Item]
    quality: psychometrics.ScaleQuality | None  # None: fewer than MIN_RESPONSES complete responses
    respondents: int

    @property
    def rows(self) -> list[tuple[Item, psychometrics.ItemQuality]]:
        return list(zip(self.items, self.quality.items, strict=True)) if self.quality else []


def questionnaire_quality(
    *, version: QuestionnaireVersion | None = None, keys: list[ItemKey] | None = None
) -> tuple[QuestionnaireVersion | None, list[ScaleReport]]:
    """Cronbach's alpha and item–total correlations per orientation scale of a version (the active one by default).

    A scale is the version's agreement statements keyed to one dimension (choice and
    skill items are left out), each counted in its key's direction. Only submitted
    responses that answered every statement of the scale count. The figures come from the
    version's running sums (ScaleItemSums), which must be up to date
    (services.scale_statistics_update): 1 query for the statements (unless `keys` are
    given), 1 for the sums, whatever the number of responses.
    """
    version = version or active_version()
    if version is None:
        return None, []
    keys = scale_keys(version=version) if keys is None else keys
    if not keys:
        return version, []
    sums = {(row.dimension, row.item_id): row for row in ScaleItemSums.objects.filter(version=version).order_by()}
    reports = []
    for dimension, label in Dimension.choices:
        scale = [key for key in keys if key.dimension == dimension]
        if not scale:
            continue
        items = [key.item for key in scale]
        rows = [sums.get((dimension, item.pk)) for item in items]
        n = rows[0].respondents if rows[0] else 0
        if n < psychometrics.MIN_RESPONSES or not all(rows):
            reports.append(ScaleReport(dimension, label, items, None, n))
            continue
        moments = psychometrics.ScaleMoments(
            respondents=n,
            total=float(rows[0].sum_t),
            squares=float(rows[0].sum_t2),
            items=tuple(
                psychometrics.ItemMoments(item.key, float(row.sum_x), float(row.sum_x2), float(row.sum_xt))
                for item, row in zip(items, rows, strict=True)
            ),
        )
        reports.append(ScaleReport(dimension, label, items, psychometrics.scale_quality_from_moments(moments), n))
    return version, reports


def scale_keys(*, version: QuestionnaireVersion) -> list[ItemKey]:
    """The version's scale statements: agreement items keyed to a dimension (choice and skill items aren't)."""
    return list(
        ItemKey.objects.filter(item__version=version, item__kind=Item.Kind.LIKERT, option="")
        .select_related("item__section")
        .order_by("dimension", "item__section__order", "item__order")
    )


def active_version() -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.filter(is_active=True).select_related("questionnaire").first()


def disciplines() -> QuerySet[Discipline]:
    return Discipline.objects.order_by("order", "name")


# --- The whole dashboard, cached -------------------------------------------------------------

# The dashboard's figures are organisation-wide and change slowly: services.dashboard_refresh works
# them out and keeps them for settings.HR_DASHBOARD_CACHE_SECONDS (0: not kept).
DASHBOARD_CACHE_KEY = "hr:dashboard:{today}"


@dataclass(frozen=True)
class DashboardFigures:
    computed_at: datetime
    pipeline: list[PipelineRow]
    orientation_overall: OrientationRow
    orientation_by_discipline: list[OrientationRow]
    skill_gaps: list[CountRow]
    certifications: list[CountRow]
    months: list[MonthRow]
    quality_version: QuestionnaireVersion | None
    quality: list[ScaleReport]


def dashboard_figures_compute(*, today: date) -> DashboardFigures:
    """Work the figures out from what is stored: the readiness index and the quality sums as
    services.dashboard_refresh last brought them up to date. Reads only."""
    overall, by_discipline = track_orientation()
    version = active_version()
    keys = scale_keys(version=version) if version else []
    version, quality = questionnaire_quality(version=version, keys=keys)
    gaps, certifications = plan_demand()
    return DashboardFigures(
        computed_at=timezone.now(),
        pipeline=readiness_pipeline(today=today),
        orientation_overall=overall,
        orientation_by_discipline=by_discipline,
        skill_gaps=gaps,
        certifications=certifications,
        months=milestones_by_month(today=today),
        quality_version=version,
        quality=quality,
    )


def dashboard_figures(*, today: date) -> DashboardFigures:
    """The figures services.dashboard_refresh kept (the beat task refreshes them every few minutes, and
    a submitted self-assessment does); when none are kept yet, worked out now and not kept (docs/hr.md)."""
    kept = settings.HR_DASHBOARD_CACHE_SECONDS
    figures = cache.get(DASHBOARD_CACHE_KEY.format(today=today.isoformat())) if kept else None
    return figures if figures is not None else dashboard_figures_compute(today=today)


def people_import_known() -> imports.Known:
    """What a people import is checked against: everyone's account and profile, the catalog's disciplines and roles."""
    people = {
        email: imports.KnownPerson(pk, name, manager_email or "", discipline_id, role_id, started_on)
        for pk, email, name, manager_email, discipline_id, role_id, started_on in User.objects.values_list(
            "pk",
            "email",
            "name",
            "profile__manager__email",
            "profile__discipline_id",
            "profile__current_role_id",
            "profile__started_on",
        )
    }

    def by_name_and_slug(queryset) -> dict[str, tuple[int, str]]:
        found = {}
        for pk, slug, name in queryset.values_list("pk", "slug", "name"):
            found[slug.lower()] = found.setdefault(name.lower(), (pk, name))
        return found

    return imports.Known(
        people=people,
        disciplines=by_name_and_slug(Discipline.objects.all()),
        roles=by_name_and_slug(Role.objects.all()),
    )
