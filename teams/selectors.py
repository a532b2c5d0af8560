"""Reads for a manager's team: who is in it, and what the team page shows of each of them.

Who reports to whom is `accounts.Profile.manager`, set by HR. A manager's team is the active people
whose profile names them; when HR's team policy allows it, also the people below those, level by
level (one query per level, at most MAX_DEPTH levels).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from assessments import advice, calibration, reports, scoring
from assessments import selectors as assessments_selectors
from assessments.models import Result
from plans import progress
from plans import selectors as plan_selectors
from plans.agreement import Agreement
from plans.models import Milestone, Plan
from roles.models import RoleRequirement, Skill

from . import comparison
from .models import ManagerRating, PeerAnswer, PeerRequest, PeerRound, PeerRoundSkill, SkillRating, TeamPolicy

MAX_DEPTH = 10  # levels of reports' reports a team page follows, however deep the organisation is


def team_policy() -> TeamPolicy:
    """HR's team rules; the defaults, unsaved, until HR first saves them (a read never writes)."""
    return TeamPolicy.objects.filter(pk=TeamPolicy.SINGLETON_PK).first() or TeamPolicy(pk=TeamPolicy.SINGLETON_PK)


@dataclass(frozen=True)
class Member:
    user_id: int
    manager_id: int
    depth: int  # 1 for a direct report, 2 for a report's report, ...


def team_members(*, manager: User, include_indirect: bool | None = None) -> list[Member]:
    """The active people in `manager`'s team, direct reports first; indirect ones only if the policy allows."""
    if include_indirect is None:
        include_indirect = team_policy().include_indirect_reports
    members: list[Member] = []
    seen = {manager.pk}
    level = [manager.pk]
    for depth in range(1, (MAX_DEPTH if include_indirect else 1) + 1):
        rows = list(
            User.objects.filter(profile__manager_id__in=level, is_active=True)
            .exclude(pk__in=seen)
            .values_list("pk", "profile__manager_id")
        )
        if not rows:
            break
        members += [Member(pk, manager_id, depth) for pk, manager_id in rows]
        seen.update(pk for pk, _ in rows)
        level = [pk for pk, _ in rows]
    return members


def report_for(*, manager: User, person_id: int) -> User:
    """The person, if they are in `manager`'s team (404 otherwise: a manager can't tell who exists)."""
    if not any(member.user_id == person_id for member in team_members(manager=manager)):
        raise Http404("No such person in your team.")
    return User.objects.select_related("profile").get(pk=person_id)


def report_result(*, manager: User, person_id: int, pk: int) -> Result:
    person = report_for(manager=manager, person_id=person_id)
    result = Result.objects.select_related("response__version", "user").filter(user=person, pk=pk).first()
    if result is None:
        raise Http404("No such result.")
    return result


def report_plan(*, manager: User, person_id: int, pk: int) -> Plan:
    """The report's plan with its milestones (and who confirmed each, who agreed it). A plan the person
    keeps private from their managers answers 404 like a missing one: nothing of it reaches the page."""
    person = report_for(manager=manager, person_id=person_id)
    plan = (
        Plan.objects.select_related("user", "agreed_by")
        .prefetch_related(plan_selectors.plan_milestones())
        .filter(user=person, pk=pk, private_from_manager=False)
        .first()
    )
    if plan is None:
        raise Http404("No such plan.")
    return plan


def report_milestone(*, person: User, pk: int) -> Milestone:
    """A milestone of the report's plan (`person` from report_for); 404 when the plan is private, as for none."""
    milestone = (
        Milestone.objects.select_related("plan")
        .filter(pk=pk, plan__user=person, plan__private_from_manager=False)
        .first()
    )
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone


@dataclass(frozen=True)
class TeamRow:
    """One person on the team page."""

    user_id: int
    name: str
    email: str
    depth: int
    manager_name: str
    current_role: str
    result_id: int | None
    result_at: datetime | None
    best_fit: str
    next_step: str
    next_step_readiness: int | None
    plan_id: int | None
    target_name: str
    target_readiness: int | None
    target_band: tuple[str, str] | None
    progress: progress.Progress | None
    next_due: date | None
    # An active plan kept private from the manager: the row says one exists, and nothing else of it.
    plan_private: bool = False
    confirmed: int = 0  # done milestones the manager confirmed
    agreement: Agreement | None = None
    # Readiness for the plan's target (without a plan: the next step) on calibrated skill levels, and
    # what it rests on: self, the manager's latest rating (calibrated_for_role).
    calibrated: calibration.RoleCalibration | None = None
    calibrated_sources: str = ""  # "self", "self and manager"

    @property
    def overdue(self) -> int:
        return self.progress.overdue if self.progress else 0


def _latest_result(field: str) -> Subquery:
    return Subquery(Result.objects.filter(user=OuterRef("pk")).order_by("-created_at", "-pk").values(field)[:1])


def team(*, manager: User, today: date) -> list[TeamRow]:
    """Every member of `manager`'s team with their latest result, next step and active plan's progress.

    A fixed number of queries whatever the team's size: the members (one per level), their
    accounts with the latest result's id, those results' stored readiness, their active plans,
    and those plans' milestones.
    """
    members = team_members(manager=manager)
    if not members:
        return []
    by_id = {member.user_id: member for member in members}
    people = {
        user.pk: user
        for user in User.objects.filter(pk__in=by_id)
        .select_related("profile__current_role", "profile__manager")
        .annotate(result_id=_latest_result("pk"))
    }
    results = {
        result.user_id: result
        for result in Result.objects.filter(pk__in=[u.result_id for u in people.values() if u.result_id]).only(
            "pk", "user_id", "created_at", "best_fit", "top_role_slug", "top_role_name", "top_role_readiness", "data"
        )
    }
    latest_rating = ManagerRating.objects.filter(subject=OuterRef("subject")).order_by("-submitted_at", "-pk")
    ratings = {
        rating.subject_id: rating
        for rating in ManagerRating.objects.filter(subject_id__in=by_id, pk=Subquery(latest_rating.values("pk")[:1]))
        .order_by()
        .prefetch_related(Prefetch("skills", queryset=SkillRating.objects.order_by("pk")))
    }
    plans = {
        plan.user_id: plan
        for plan in Plan.objects.filter(user_id__in=by_id, status=Plan.Status.ACTIVE)
        .select_related("agreed_by")
        .only(
            "pk",
            "user_id",
            "target_slug",
            "target_name",
            "private_from_manager",
            "agreed_at",
            "agreed_fingerprint",
            "agreed_by__name",
            "agreed_by__email",
        )
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.only("pk", "plan_id", "title", "kind", "status", "due_date", "confirmed_at"),
            )
        )
    }
    rows = []
    for user_id, member in by_id.items():
        user = people[user_id]
        result = results.get(user_id)
        plan = plans.get(user_id)
        private = plan is not None and plan.private_from_manager
        if private:
            plan = None  # from here on the row knows nothing of the plan but that it exists
        target_readiness = None
        stored = reports.StoredResult.from_data(result.data) if result else None
        if stored and plan:
            target_readiness = next(
                (role.readiness for role in stored.result.readiness if role.slug == plan.target_slug), None
            )
        calibrated = sources = None
        if stored is not None:
            calibrated, levels = calibrated_for_role(
                stored=stored, rating=ratings.get(user_id), slug=plan.target_slug if plan else result.top_role_slug
            )
            sources = levels.label
        views = (
            [progress.MilestoneView(m.pk, m.title, m.kind, m.status, m.due_date) for m in plan.milestones.all()]
            if plan
            else []
        )
        open_dates = sorted(m.due_date for m in views if m.status != progress.DONE)
        rows.append(
            TeamRow(
                user_id=user_id,
                name=str(user),
                email=user.email,
                depth=member.depth,
                manager_name=str(user.profile.manager) if user.profile.manager else "",
                current_role=user.profile.current_role.name if user.profile.current_role else "",
                result_id=result.pk if result else None,
                result_at=result.created_at if result else None,
                best_fit=result.best_fit if result else "",
                next_step=result.top_role_name if result else "",
                next_step_readiness=result.top_role_readiness if result else None,
                plan_id=plan.pk if plan else None,
                target_name=plan.target_name if plan else "",
                target_readiness=target_readiness,
                target_band=scoring.readiness_band(target_readiness) if target_readiness is not None else None,
                progress=progress.progress(views, today=today) if plan else None,
                next_due=open_dates[0] if open_dates else None,
                plan_private=private,
                confirmed=sum(m.confirmed_at is not None for m in plan.milestones.all()) if plan else 0,
                agreement=plan_selectors.plan_agreement(plan, plan.milestones.all()) if plan else None,
                calibrated=calibrated,
                calibrated_sources=sources or "",
            )
        )
    rows.sort(key=lambda row: (row.depth, row.name.casefold(), row.user_id))
    return rows


# --- Manager ratings -------------------------------------------------------------------------------


def direct_report_for(*, manager: User, person_id: int) -> User:
    """The person, if `manager` is their manager now (404 otherwise). Only a direct manager rates."""
    person = (
        User.objects.select_related("profile__manager")
        .filter(pk=person_id, is_active=True, profile__manager=manager)
        .first()
    )
    if person is None:
        raise Http404("No such person in your team.")
    return person


def rateable_skills() -> list[Skill]:
    """Every skill a role of the catalog asks for, in the catalog's order: what a manager rates."""
    return list(Skill.objects.filter(pk__in=RoleRequirement.objects.values("skill_id")).select_related("area"))


def latest_manager_rating(*, subject: User) -> ManagerRating | None:
    """The person's latest submitted manager rating, with its skills and who gave it."""
    return (
        ManagerRating.objects.filter(subject=subject)
        .select_related("rater")
        .prefetch_related(Prefetch("skills", queryset=SkillRating.objects.order_by("pk")))
        .first()
    )


def latest_result(*, person: User) -> Result | None:
    return Result.objects.filter(user=person).order_by("-created_at", "-pk").first()


@dataclass(frozen=True)
class RatingsPage:
    """What the self-against-manager page shows of one person; each part may be missing."""

    person: User
    manager: User | None  # their manager now
    result: Result | None  # their latest self-assessment result
    rating: ManagerRating | None  # the latest manager rating
    comparison: comparison.Comparison | None  # when there is a rating (without a result: no self levels)
    stored: reports.StoredResult | None = None  # the latest result's stored data, read once
    peers: "PeerAggregate | None" = None  # the latest round of peer input that may be shown


def ratings_page(*, person: User, now: datetime | None = None) -> RatingsPage:
    """Three queries: the manager (unless already loaded), the latest result, the latest rating and its skills;
    and two for the peers' aggregate (peer_aggregate)."""
    peers = peer_aggregate(subject=person, now=now)
    profile = getattr(person, "profile", None)  # an account made from the command line may have none
    manager = profile.manager if profile is not None else None
    result = latest_result(person=person)
    rating = latest_manager_rating(subject=person)
    stored = reports.StoredResult.from_data(result.data) if result is not None else None
    compared = None
    if rating is not None:
        compared = comparison.compare(
            self_levels=stored.result.skill_levels if stored else {},
            names=stored.skills if stored else {},
            manager=[
                comparison.ManagerLevel(row.skill_slug, row.skill_name, row.level, row.comment)
                for row in rating.skills.all()
            ],
            peers=peers.as_peers() if peers else None,
            peer_names=peers.names() if peers else None,
        )
    elif peers is not None:
        compared = comparison.compare(
            self_levels=stored.result.skill_levels if stored else {},
            names=stored.skills if stored else {},
            manager=[],
            peers=peers.as_peers(),
            peer_names=peers.names(),
        )
    return RatingsPage(
        person=person, manager=manager, result=result, rating=rating, comparison=compared, stored=stored, peers=peers
    )


# --- Calibrated readiness -------------------------------------------------------------------------


@dataclass(frozen=True)
class CalibratedReadiness:
    """The latest result's readiness and next step worked out again on calibrated skill levels."""

    calibration: calibration.Calibration
    roles: tuple[calibration.RoleCalibration, ...]  # the next steps on calibrated levels (or closest matches)
    first_step: str  # the recommended next step's name on calibrated levels ("" when there is none)
    self_first_step: str  # and on the self-assessment alone


CALIBRATED_MATCHES = 5  # roles shown for a result scored before the advice (no next steps)


def calibrated_readiness(
    *, page: RatingsPage, peers: Mapping[str, tuple[float, int]] | None = None
) -> CalibratedReadiness | None:
    """Self, the manager's latest rating and `peers` (skill slug -> (mean, count); by default the page's
    peer aggregate, when one may be shown) combined per skill (assessments.calibration), then readiness
    and advice on those levels; None without a result.

    No query of its own once the catalog's moves and credentials are kept (assessments.selectors.
    kept_advice_inputs): it works on what `ratings_page` read.
    """
    stored = page.stored
    if stored is None:
        return None
    if peers is None and page.peers is not None:
        peers = page.peers.as_peers()
    calibrated = calibrate_levels(stored=stored, rating=page.rating, peers=peers)
    roles = list(stored.roles.values())
    before, after = _rescored(stored=stored, calibrated=calibrated, names=_names(stored, page.rating))
    first_step = self_first_step = ""
    slugs: list[str] = []
    if stored.advice is not None:
        moves, credentials = assessments_selectors.kept_advice_inputs()
        advised = advice.advise(result=after, roles=roles, moves=moves, credentials=credentials)
        slugs = [step.slug for step in advised.next_steps]
        first_step = advised.first_step.name if advised.first_step else ""
        if stored.advice.first_step is not None:
            self_first_step = stored.advice.first_step.name
            slugs.append(stored.advice.first_step.slug)  # shown beside, when calibration changed the steps
    if not slugs:
        slugs = [role.slug for role in after.readiness if not role.is_current][:CALIBRATED_MATCHES]
    rows = calibration.compare_roles(
        before=before, after=after, calibration=calibrated, roles=stored.roles, slugs=slugs
    )
    return CalibratedReadiness(
        calibration=calibrated, roles=rows, first_step=first_step, self_first_step=self_first_step
    )


def _names(stored: reports.StoredResult, rating: ManagerRating | None) -> dict[str, str]:
    if rating is None:
        return stored.skills
    return {**stored.skills, **{row.skill_slug: row.skill_name for row in rating.skills.all()}}


def calibrate_levels(
    *,
    stored: reports.StoredResult,
    rating: ManagerRating | None,
    peers: Mapping[str, tuple[float, int]] | None = None,
) -> calibration.Calibration:
    """The result's self-ratings, the manager's latest rating (its skills prefetched) and `peers` combined
    per skill (assessments.calibration). No query."""
    manager = {row.skill_slug: row.level for row in rating.skills.all()} if rating is not None else {}
    return calibration.calibrate(
        self_levels=stored.result.skill_levels, manager=manager, peers=peers or {}, names=_names(stored, rating)
    )


def _rescored(
    *, stored: reports.StoredResult, calibrated: calibration.Calibration, names: Mapping[str, str]
) -> tuple[scoring.AssessmentResult, scoring.AssessmentResult]:
    """The result as scored now on the self-ratings, and on the calibrated levels."""
    roles = list(stored.roles.values())
    before = stored.result
    if before.engine_version != scoring.ENGINE_VERSION:  # scored by an older rule: compare like with like
        before = scoring.with_skill_levels(before, before.skill_levels, roles=roles, skills=names)
    after = calibration.role_readiness(result=before, calibration=calibrated, roles=roles, skills=names)
    return before, after


def calibrated_for_role(
    *, stored: reports.StoredResult, rating: ManagerRating | None, slug: str
) -> tuple[calibration.RoleCalibration | None, calibration.Calibration]:
    """One role's readiness on the self-ratings and on the calibrated levels (the team page's figure);
    None when the result did not score that role), and the calibration it rests on. No query."""
    calibrated = calibrate_levels(stored=stored, rating=rating)
    if not slug or slug not in stored.roles:
        return None, calibrated
    before, after = _rescored(stored=stored, calibrated=calibrated, names=_names(stored, rating))
    rows = calibration.compare_roles(
        before=before, after=after, calibration=calibrated, roles=stored.roles, slugs=[slug]
    )
    return (rows[0] if rows else None), calibrated


# --- Peer input (docs/teams.md) ------------------------------------------------------------------
#
# The anonymity rule lives here, in one place: peers' answers leave this module only as a mean and a
# count per skill, only from a round that has closed (every colleague answered, or its date passed,
# so no answer can be worked out from how the mean moved), only when at least PEERS_MIN colleagues
# answered, and only for skills at least PEERS_MIN of them gave a level. Nothing else reads PeerAnswer.

PEERS_MIN = calibration.PEERS_MIN


@dataclass(frozen=True)
class PeerSkill:
    slug: str
    name: str
    mean: float
    count: int


@dataclass(frozen=True)
class PeerAggregate:
    """What may be shown of a round of peer input: per skill the peers' mean level and how many gave one."""

    round_id: int
    created_at: datetime
    answered: int
    skills: tuple[PeerSkill, ...]

    def as_peers(self) -> dict[str, tuple[float, int]]:
        return {skill.slug: (skill.mean, skill.count) for skill in self.skills}

    def names(self) -> dict[str, str]:
        return {skill.slug: skill.name for skill in self.skills}


def _with_counts(rounds):
    return rounds.annotate(
        answered=Count("requests", filter=Q(requests__status=PeerRequest.Status.ANSWERED), distinct=True),
        waiting=Count("requests", filter=Q(requests__status=PeerRequest.Status.PENDING), distinct=True),
        asked=Count("requests", distinct=True),
    )


def _closed(peer_round, now: datetime) -> bool:
    return peer_round.expires_at <= now or peer_round.waiting == 0


def peer_aggregate(*, subject: User, now: datetime | None = None) -> PeerAggregate | None:
    """The latest round of `subject`'s that may be shown (closed, PEERS_MIN answers or more), as an
    aggregate; None when there is none. Two queries."""
    now = now or timezone.now()
    rounds = _with_counts(PeerRound.objects.filter(subject=subject)).filter(answered__gte=PEERS_MIN)
    shown = next((r for r in rounds.order_by("-created_at", "-pk") if _closed(r, now)), None)
    if shown is None:
        return None
    names = dict(PeerRoundSkill.objects.filter(round=shown).values_list("skill_slug", "skill_name"))
    rows = (
        PeerAnswer.objects.filter(
            request__round=shown, request__status=PeerRequest.Status.ANSWERED, level__isnull=False
        )
        .values("skill_slug")
        .annotate(count=Count("pk"), total=Sum("level"))
        .filter(count__gte=PEERS_MIN)
    )
    by_slug = {row["skill_slug"]: row for row in rows}
    skills = tuple(
        PeerSkill(slug, name, by_slug[slug]["total"] / by_slug[slug]["count"], by_slug[slug]["count"])
        for slug, name in names.items()
        if slug in by_slug
    )
    return PeerAggregate(round_id=shown.pk, created_at=shown.created_at, answered=shown.answered, skills=skills)


@dataclass(frozen=True)
class PeerRoundView:
    """A round as its engineer sees it: whom they asked and how many answered, never who answered what."""

    pk: int
    created_at: datetime
    expires_at: datetime
    skill_names: tuple[str, ...]
    asked: tuple[str, ...]  # the colleagues' names, in alphabetical order (not the order of answers)
    answered: int
    closed: bool

    @property
    def shown(self) -> bool:
        return self.closed and self.answered >= PEERS_MIN

    @property
    def too_few(self) -> bool:
        return self.closed and self.answered < PEERS_MIN


def peer_rounds(*, subject: User, now: datetime | None = None) -> list[PeerRoundView]:
    """The engineer's rounds, latest first. Three queries, however many rounds."""
    now = now or timezone.now()
    rounds = (
        _with_counts(PeerRound.objects.filter(subject=subject))
        .order_by("-created_at", "-pk")
        .prefetch_related(
            Prefetch("skills", queryset=PeerRoundSkill.objects.order_by("pk")),
            Prefetch("requests", queryset=PeerRequest.objects.select_related("rater").only("round_id", "rater")),
        )
    )
    return [
        PeerRoundView(
            pk=r.pk,
            created_at=r.created_at,
            expires_at=r.expires_at,
            skill_names=tuple(skill.skill_name for skill in r.skills.all()),
            asked=tuple(sorted((str(request.rater) for request in r.requests.all()), key=str.casefold)),
            answered=r.answered,
            closed=_closed(r, now),
        )
        for r in rounds
    ]


def peer_requests_waiting(*, rater: User, now: datetime | None = None) -> list[PeerRequest]:
    """The open requests `rater` has not answered yet, soonest to close first (for their home). One query."""
    now = now or timezone.now()
    return list(
        PeerRequest.objects.filter(rater=rater, status=PeerRequest.Status.PENDING, round__expires_at__gt=now)
        .select_related("round__subject")
        .annotate(skill_count=Count("round__skills"))
        .order_by("round__expires_at", "pk")
    )


def peer_request_for_rater(*, rater: User, pk: int) -> PeerRequest:
    """A request to `rater`, whatever its state, with its round's skills; 404 for anyone else's."""
    request = (
        PeerRequest.objects.select_related("round__subject")
        .prefetch_related(
            Prefetch("round__skills", queryset=PeerRoundSkill.objects.select_related("skill").order_by("pk"))
        )
        .filter(pk=pk, rater=rater)
        .first()
    )
    if request is None:
        raise Http404("No such request.")
    return request
