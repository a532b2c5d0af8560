"""Reads for the plan pages."""

from django.core.validators import slug_re
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import CredentialEarned, Profile
from assessments.models import Result
from roles.models import Certification, Role, RoleRequirement, Skill

from . import agreement, feasibility, generator, renewals
from .models import OPEN, SET_ASIDE, Milestone, Plan, PlanComment


def plans_for_user(*, user) -> QuerySet[Plan]:
    today = timezone.localdate()
    return (
        Plan.objects.filter(user=user)
        .annotate(
            # set-aside milestones count neither as done nor as still to do (plans/progress.py)
            milestone_count=Count("milestones", filter=~Q(milestones__status__in=SET_ASIDE)),
            done_count=Count("milestones", filter=Q(milestones__status=Milestone.Status.DONE)),
            overdue_count=Count(
                "milestones", filter=Q(milestones__status__in=OPEN) & Q(milestones__due_date__lt=today)
            ),
        )
        .order_by("-created_at")
    )


def plan_milestones() -> Prefetch:
    """A plan page's milestones, in order, with who confirmed each."""
    return Prefetch(
        "milestones", queryset=Milestone.objects.select_related("confirmed_by").order_by("order", "due_date", "pk")
    )


def plan_for_user(*, user, pk: int) -> Plan:
    """The person's own plan with its milestones and who agreed it; anyone else's answers 404 like a missing one."""
    return get_object_or_404(
        Plan.objects.select_related("agreed_by").prefetch_related(plan_milestones()), pk=pk, user=user
    )


def plan_comments(*, plan: Plan) -> list[PlanComment]:
    """The plan's comment thread, oldest first, with each author."""
    return list(PlanComment.objects.filter(plan=plan).select_related("author").order_by("created_at", "pk"))


def comment_for_author(*, user, pk: int) -> PlanComment:
    """A comment its author may delete; anyone else's answers 404 like a missing one."""
    return get_object_or_404(PlanComment.objects.select_related("plan"), pk=pk, author_id=user.pk)


def plan_agreement(plan: Plan, milestones) -> agreement.Agreement | None:
    """The plan's agreement, read from the plan (with agreed_by loaded) and its milestones."""
    return agreement.agreement(
        agreed_at=plan.agreed_at,
        agreed_fingerprint=plan.agreed_fingerprint,
        agreed_by=str(plan.agreed_by) if plan.agreed_by_id else None,
        milestones=milestones,
    )


def plan_by_calendar_token(*, token: str) -> Plan:
    return get_object_or_404(
        Plan.objects.select_related("user").prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "due_date", "pk"))
        ),
        calendar_token=token,
    )


def milestone_for_user(*, user, pk: int) -> Milestone:
    return get_object_or_404(Milestone.objects.select_related("plan"), pk=pk, plan__user=user)


def latest_result(*, user) -> Result | None:
    """The person's newest result, without its stored data (40 KB of JSON): pages use its id and date,
    and the plan page reads the data (one more query) only when the result is newer than the plan's."""
    return Result.objects.filter(user=user).defer("data").order_by("-created_at").first()


def role_for_plan(*, slug: str) -> Role | None:
    """The role a plan aims at, or None for an unknown slug (or one no role could have, such as
    text with a NUL character, which PostgreSQL refuses in a query)."""
    if not slug_re.match(slug):
        return None
    return (
        Role.objects.select_related("track")
        .prefetch_related(
            Prefetch("requirements", queryset=RoleRequirement.objects.select_related("skill").order_by("pk")),
            Prefetch("certifications", queryset=Certification.objects.only("slug", "name").order_by("slug")),
        )
        .filter(slug=slug)
        .first()
    )


def role_names() -> dict[str, str]:
    return dict(Role.objects.values_list("slug", "name"))


def skill_actions() -> dict[str, list[str]]:
    return {slug: Skill(actions=actions).action_list for slug, actions in Skill.objects.values_list("slug", "actions")}


def credentials() -> list[Certification]:
    return list(
        Certification.objects.prefetch_related(Prefetch("prerequisites", queryset=Certification.objects.only("slug")))
    )


def credential_inputs() -> dict[str, generator.CredentialInput]:
    """Every credential by slug, as the plan generator takes them."""
    return {
        cert.slug: generator.CredentialInput(
            slug=cert.slug,
            name=cert.name,
            kind=cert.kind,
            prep_months=cert.prep_months,
            prerequisites=tuple(p.slug for p in cert.prerequisites.all()),
            min_years_experience=cert.min_years_experience,
        )
        for cert in credentials()
    }


def credential_check(*, user, today, milestones=(), catalog=None) -> feasibility.Check:
    """What the plan forms check credential dates against: the catalog's credentials, the person's
    years of experience and held credentials (with those whose milestone, of `milestones`, is done)."""
    years = Profile.objects.filter(user=user).values_list("years_experience", flat=True).first() or 0
    held = set(
        Profile.certifications.through.objects.filter(profile__user=user).values_list("certification__slug", flat=True)
    )
    held |= {m.subject_slug for m in milestones if m.kind == Milestone.Kind.CERTIFICATION and m.is_done}
    return feasibility.Check(
        catalog=credential_inputs() if catalog is None else catalog,
        person=feasibility.Person(years, frozenset(held)),
        today=today,
    )


def planned_credentials(milestones, *, leave_out=None) -> dict[str, object]:
    """slug -> due date of the credential milestones the plan holds and has still to do."""
    return {
        m.subject_slug: m.due_date
        for m in milestones
        if m.kind == Milestone.Kind.CERTIFICATION and m.subject_slug and m.is_open and m.pk != leave_out
    }


def renewal_inputs(*, user, today) -> tuple[generator.RenewalInput, ...]:
    """The next renewal of each credential the person holds, has said when they earned, and the
    catalog gives a renewal cycle for."""
    held = Profile.certifications.through.objects.filter(profile__user=user).values("certification_id")
    rows = (
        CredentialEarned.objects.filter(
            profile__user=user, certification__renewal_months__isnull=False, certification_id__in=held
        )
        .select_related("certification")
        .order_by("certification__slug")
    )
    return tuple(
        generator.RenewalInput(
            slug=row.certification.slug,
            name=row.certification.name,
            due_date=renewals.next_renewal(row.earned_on, row.certification.renewal_months, today=today),
            cycle_months=row.certification.renewal_months,
        )
        for row in rows
    )


def held_credentials(*, user) -> list[tuple[Certification, object]]:
    """The credentials the person holds, each with the date they earned it (or None), by name."""
    earned = dict(CredentialEarned.objects.filter(profile__user=user).values_list("certification_id", "earned_on"))
    held = Certification.objects.filter(
        pk__in=Profile.certifications.through.objects.filter(profile__user=user).values("certification_id")
    ).order_by("name")
    return [(cert, earned.get(cert.pk)) for cert in held]
