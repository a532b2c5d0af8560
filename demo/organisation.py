"""The demo organisation's org chart: a director, twelve managers and their teams, and what the managers
did with their reports (seed_demo calls `organise` after the engineers are made).

The first ORG_ENGINEERS demo engineers are split into teams of TEAM_SIZES in number order (engineer 1 to
7 in team 1, 8 to 16 in team 2, ...); engineers past them have no manager. Team 1 is the demo manager's
(create_demo_users' manager@example.com, with the demo engineer in it too) when that account exists, and
every manager reports to the director. The rest goes through the services the pages call:

- RATED_SHARE of the engineers have a manager rating (teams.services.manager_rating_submit) of the skills
  their self-assessment rated, some "not observed"; WIDE_GAP_SHARE of the rated skills sit two levels or
  more from the self-rating (the "worth talking about" mark), the others within a level and a half;
- of the active plans, COMMENTED_SHARE have a manager's comment, AGREED_SHARE are agreed, and in an agreed
  plan CONFIRMED_SHARE of the done milestones are confirmed (plans.services);
- one engineer of the demo team keeps their plan private from the manager;
- PEER_SHARE of the engineers with a result asked three to five teammates for their view of three to five
  of their rated skills (teams.services.peer_round_create, weeks ago) and every one answered, peers rating
  a little below the self-rating more often than above (teams.services.peer_answer_submit); the demo
  engineer always did, so their ratings page shows the peers' column. A teammate of the demo engineer's
  asked them, three days ago, with two of the four answers in: the request waits on the demo engineer's home.

Each engineer's share of it depends only on their number (their own random stream). It is done once per
engineer, when they are first given their manager (peer input: once per engineer who has asked nobody
yet): a later run leaves anyone who has one as they are, so a second `make run` changes nothing, and
whatever was changed in the demo by hand stays.
"""

import math
import random
from dataclasses import astuple, dataclass
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.management.commands.create_demo_users import DEMO_ENGINEER, DEMO_MANAGER
from accounts.models import Profile, User
from accounts.services import email_addresses_confirmed_create, profile_manager_set
from assessments import reports
from assessments.models import Result
from plans import services as plan_services
from plans.models import Milestone, Plan
from roles.models import LEVEL_MAX, LEVEL_MIN, Role
from teams import selectors as team_selectors
from teams import services as team_services
from teams.models import PeerRequest, PeerRound

# Twelve teams of 6 to 10; the demo team (the first) has room for the demo engineer.
TEAM_SIZES = (7, 9, 10, 8, 6, 9, 8, 10, 7, 9, 8, 9)
ORG_ENGINEERS = sum(TEAM_SIZES)  # 100, what `make run` seeds
DEMO_TEAM = 1
RATED_SHARE = 0.75
NOT_OBSERVED_SHARE = 0.08  # of the skills a manager goes through
WIDE_GAP_SHARE = 0.12  # of the skills a manager rated
COMMENTED_SHARE = 0.35
AGREED_SHARE = 0.45
CONFIRMED_SHARE = 0.6
PEER_SHARE = 0.3
PEERS_ASKED = (3, 5)  # colleagues asked in a round, at least the threshold that shows their aggregate
PEER_SKILLS = (3, 5)
MANAGER_ROLE, DIRECTOR_ROLE = "engineering-manager", "engineering-director"
MANAGER_COMMENTS = (
    "Good target. Let's go through “{milestone}” at our next one-to-one.",
    "I can find you a project for “{milestone}” this quarter; let's talk about which.",
    "This looks right to me. Is the date for “{milestone}” realistic with the release coming up?",
    "Happy to sponsor the training for “{milestone}”; send me the course when you have picked one.",
    "Let's pair you with someone who did “{milestone}” last year.",
)
REPLY = "Thanks, I'll bring some options to our one-to-one."


@dataclass(frozen=True)
class Done:
    """What one run added."""

    placed: int = 0
    rated: int = 0
    commented: int = 0
    agreed: int = 0
    confirmed: int = 0
    private: int = 0
    peer_rounds: int = 0
    peer_answers: int = 0

    def __add__(self, other: "Done") -> "Done":
        return Done(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def team_of(number: int) -> int | None:
    """The team (1-based) of demo engineer `number`, or None past the org chart."""
    end = 0
    for team, size in enumerate(TEAM_SIZES, start=1):
        end += size
        if number <= end:
            return team
    return None


def manager_email(team: int, domain: str) -> str:
    return f"manager-{team:02d}@{domain}"


def director_email(domain: str) -> str:
    return f"director@{domain}"


@transaction.atomic
def organise(*, engineer_email, domain: str, seed: int, names) -> str:
    """Place the demo engineers in their teams (see the module's docstring); returns what it did, in words."""
    wanted = [engineer_email(n) for n in range(1, ORG_ENGINEERS + 1)]
    engineers = {user.email: user for user in User.objects.filter(email__in=wanted).select_related("profile")}
    numbers = sorted(n for n in range(1, ORG_ENGINEERS + 1) if engineer_email(n) in engineers)
    if not numbers:
        return "No demo engineers to put in teams."
    rng = random.Random(f"{seed}:org")
    director = _person(director_email(domain), names(rng), DIRECTOR_ROLE, years=20)
    demo_manager = User.objects.filter(email=DEMO_MANAGER["email"]).select_related("profile").first()
    demo_engineer = User.objects.filter(email=DEMO_ENGINEER["email"]).select_related("profile").first()
    placed_before = {user.pk for user in [*engineers.values(), demo_engineer] if user and user.profile.manager_id}
    skills = [(skill.pk, skill.slug) for skill in team_selectors.rateable_skills()]
    done = Done()
    rosters: list[list[tuple[User, str]]] = []
    teams = sorted({team_of(n) for n in numbers})
    for team in range(1, len(TEAM_SIZES) + 1):
        name = names(rng)  # drawn for every team, so each manager's name is the same whoever is seeded
        if team not in teams:
            continue
        if team == DEMO_TEAM and demo_manager is not None:
            manager = demo_manager
        else:
            manager = _person(manager_email(team, domain), name, MANAGER_ROLE, years=10 + team % 5)
        profile_manager_set(profile=manager.profile, manager=director)
        members = [(engineers[engineer_email(n)], f"{seed}:org:{n}") for n in numbers if team_of(n) == team]
        if team == DEMO_TEAM and manager is demo_manager and demo_engineer is not None:
            members.append((demo_engineer, f"{seed}:org:demo-engineer"))
        rosters.append(members)
        members = [(person, stream) for person, stream in members if person.pk not in placed_before]
        if not members:
            continue  # placed before (or by HR since): left as they are
        ids = [person.pk for person, _ in members]
        results = {}
        for result in Result.objects.filter(user_id__in=ids).order_by("created_at", "pk"):
            results[result.user_id] = result  # the latest last
        plans = {
            plan.user_id: plan
            for plan in Plan.objects.filter(user_id__in=ids, status=Plan.Status.ACTIVE).prefetch_related("milestones")
        }
        private_picked = team != DEMO_TEAM or _team_has_private_plan(members)
        for person, stream in members:
            made = _place(
                person,
                manager,
                random.Random(stream),
                skills,
                result=results.get(person.pk),
                plan=plans.get(person.pk),
                keep_private=not private_picked,
            )
            private_picked = private_picked or made.private > 0
            done += made
    done += _peer_input(rosters, skills, demo_engineer=demo_engineer)
    return (
        f"Org chart: {len(teams)} teams under {director.name}; this run placed {done.placed} people, "
        f"rated {done.rated}, commented on {done.commented} plans, agreed {done.agreed}, confirmed "
        f"{done.confirmed} milestones{', kept one plan private' if done.private else ''}, and made "
        f"{done.peer_rounds} rounds of peer input with {done.peer_answers} answers."
    )


def _person(email: str, name: str, role_slug: str, *, years: int) -> User:
    user = User.objects.filter(email=email).select_related("profile").first()
    if user is None:
        user = User.objects.create(email=email, name=name, password=make_password(None))
        email_addresses_confirmed_create(users=[user])
        user.profile = Profile.objects.create(
            user=user,
            current_role=Role.objects.filter(slug=role_slug).first(),
            years_experience=years,
        )
    return user


def _team_has_private_plan(members) -> bool:
    return Plan.objects.filter(
        user__in=[person for person, _ in members], status=Plan.Status.ACTIVE, private_from_manager=True
    ).exists()


def _place(
    person: User,
    manager: User,
    rng: random.Random,
    skills,
    *,
    result: Result | None,
    plan: Plan | None,
    keep_private: bool,
) -> Done:
    """Give `person` their manager, the manager's rating and the manager's work on their plan."""
    profile_manager_set(profile=person.profile, manager=manager)
    rated = commented = agreed = confirmed = 0
    demo_engineer = person.email == DEMO_ENGINEER["email"]
    if result is not None and (demo_engineer or rng.random() < RATED_SHARE):
        levels, comments = manager_levels(
            reports.StoredResult.from_data(result.data).result.skill_levels, skills, rng, wide_gap=demo_engineer
        )
        if any(level is not None for level in levels.values()):
            now = timezone.now()
            submitted = max(result.created_at + timedelta(days=3), now - timedelta(days=rng.randint(5, 90)))
            team_services.manager_rating_submit(
                rater=manager, subject=person, levels=levels, comments=comments, now=min(submitted, now)
            )
            rated = 1
    if plan is None or plan.private_from_manager:
        return Done(placed=1, rated=rated)
    if keep_private and not demo_engineer:
        plan_services.plan_privacy_set(plan=plan, user=person, private=True)
        return Done(placed=1, rated=rated, private=1)
    milestones = sorted(plan.milestones.all(), key=lambda m: m.order)
    open_ones = [m for m in milestones if m.is_open]
    if open_ones and (demo_engineer or rng.random() < COMMENTED_SHARE):
        text = rng.choice(MANAGER_COMMENTS).format(milestone=open_ones[0].title)
        plan_services.plan_comment_add(plan=plan, author=manager, body=text)
        if rng.random() < 0.5:
            plan_services.plan_comment_add(plan=plan, author=person, body=REPLY)
        commented = 1
    if any(not m.is_set_aside for m in milestones) and (demo_engineer or rng.random() < AGREED_SHARE):
        plan_services.plan_agree(plan=plan, manager=manager)
        agreed = 1
        for index, milestone in enumerate(m for m in milestones if m.status == Milestone.Status.DONE):
            if (demo_engineer and index == 0) or (not demo_engineer and rng.random() < CONFIRMED_SHARE):
                plan_services.milestone_confirm(milestone=milestone, manager=manager)
                confirmed += 1
    return Done(placed=1, rated=rated, commented=commented, agreed=agreed, confirmed=confirmed)


def _peer_input(rosters, skills, *, demo_engineer: User | None) -> Done:
    """Rounds of peer input within each team (see the module's docstring), for engineers who asked nobody yet."""
    everyone = [person.pk for members in rosters for person, _ in members]
    asked_before = set(PeerRound.objects.filter(subject_id__in=everyone).values_list("subject_id", flat=True))
    results = {}
    for result in Result.objects.filter(user_id__in=everyone).order_by("created_at", "pk"):
        results[result.user_id] = result  # the latest last
    now = timezone.now()
    done = Done()
    for members in rosters:
        for index, (person, stream) in enumerate(members):
            rng = random.Random(f"{stream}:peers")
            is_demo = demo_engineer is not None and person.pk == demo_engineer.pk
            wanted = is_demo or rng.random() < PEER_SHARE
            teammates = [other for other, _ in members if other.pk != person.pk]
            result = results.get(person.pk)
            if person.pk in asked_before or result is None or len(teammates) < PEERS_ASKED[0]:
                continue
            own = reports.StoredResult.from_data(result.data).result.skill_levels
            rated = [(pk, slug) for pk, slug in skills if slug in own]
            if len(rated) < PEER_SKILLS[0]:
                continue
            if wanted:
                chosen = rng.sample(rated, min(len(rated), rng.randint(*PEER_SKILLS)))
                raters = rng.sample(teammates, min(len(teammates), rng.randint(*PEERS_ASKED)))
                sent = now - timedelta(days=rng.randint(30, 120))
                done += _peer_round(person, chosen, raters, own, rng, sent=sent, answering=len(raters))
            # The request waiting on the demo engineer: from the first teammate in the demo team who has asked
            # nobody, sent three days ago to them and three others, two of whom answered.
            if demo_engineer is not None and index == 0 and any(o.pk == demo_engineer.pk for o in teammates):
                others = [o for o in teammates if o.pk != demo_engineer.pk]
                raters = [demo_engineer, *rng.sample(others, min(len(others), 3))]
                chosen = rng.sample(rated, min(len(rated), PEER_SKILLS[0]))
                done += _peer_round(person, chosen, raters, own, rng, sent=now - timedelta(days=3), answering=0)
                done += _peer_answers(raters[-2:], chosen, own, rng, sent=now - timedelta(days=3), person=person)
    return done


def _peer_round(person, chosen, raters, own, rng, *, sent, answering: int) -> Done:
    """`person` asks `raters` about the `chosen` (id, slug) skills at `sent`; the first `answering` of them answer."""
    team_services.peer_round_create(
        subject=person, skill_ids=[pk for pk, _ in chosen], rater_emails=[r.email for r in raters], now=sent
    )
    answered = _peer_answers(raters[:answering], chosen, own, rng, sent=sent, person=person)
    return Done(peer_rounds=1) + answered


def _peer_answers(raters, chosen, own, rng, *, sent, person) -> Done:
    answers = 0
    for rater in raters:
        request = PeerRequest.objects.get(subject=person, rater=rater, status=PeerRequest.Status.PENDING)
        levels = {slug: peer_level(own[slug], rng) for _, slug in chosen}
        if all(level is None for level in levels.values()):
            levels[chosen[0][1]] = max(LEVEL_MIN, min(LEVEL_MAX, round(own[chosen[0][1]])))
        answered_at = sent + timedelta(days=rng.randint(1, 2), hours=rng.randint(0, 8))
        team_services.peer_answer_submit(rater=rater, request_id=request.pk, levels=levels, now=answered_at)
        answers += 1
    return Done(peer_answers=answers)


def peer_level(own: float, rng: random.Random) -> int | None:
    """A colleague's level for a skill rated `own` by its engineer: None (not observed) one time in ten,
    else within a level of it, a little lower more often than higher."""
    if rng.random() < 0.1:
        return None
    return max(LEVEL_MIN, min(LEVEL_MAX, round(own) + rng.choice((-1, -1, 0, 0, 0, 1))))


def manager_levels(
    self_levels: dict[str, float], skills: list[tuple[int, str]], rng: random.Random, *, wide_gap: bool = False
) -> tuple[dict[int, int | None], dict[int, str]]:
    """A manager's levels (by skill id) for the skills the self-assessment rated, and a comment on each wide gap.

    Mostly within a level and a half of the self-rating, a little lower more often than higher (people
    rate themselves leniently); WIDE_GAP_SHARE of them two levels or more away, more often below. With
    `wide_gap`, the first rated skill is one of those (the demo engineer's page shows the mark).
    """
    levels: dict[int, int | None] = {}
    comments: dict[int, str] = {}
    for pk, slug in skills:
        own = self_levels.get(slug)
        if own is None:
            continue
        if rng.random() < NOT_OBSERVED_SHARE:
            levels[pk] = None
            continue
        if rng.random() < WIDE_GAP_SHARE or (wide_gap and not comments):
            down, up = math.floor(own - 2), math.ceil(own + 2)
            level = down if down >= LEVEL_MIN and (up > LEVEL_MAX or rng.random() < 0.7) else up
            comments[pk] = (
                "I see this less often than you do; let's find examples together."
                if level < own
                else "You undersell this: the last two projects showed it clearly."
            )
        else:
            level = round(own) + rng.choice((-1, -1, 0, 0, 0, 1))
        levels[pk] = max(LEVEL_MIN, min(LEVEL_MAX, level))
    return levels, comments
