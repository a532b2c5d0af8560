"""seed_demo's org chart: a director, twelve teams with managers, and the managers' work with their reports."""

import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.management.commands.create_demo_users import DEMO_ENGINEER, DEMO_MANAGER
from accounts.models import Profile, User
from demo import organisation
from demo.management.commands.seed_demo import EMAIL_DOMAIN, engineer_email
from plans.models import Milestone, Plan, PlanComment
from teams import comparison, selectors
from teams.models import ManagerRating, PeerRequest, PeerRound, SkillRating

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def demo_users(settings):
    call_command("load_catalog", stdout=io.StringIO())
    call_command("load_questionnaire", stdout=io.StringIO())
    settings.DEBUG = True  # create_demo_users refuses to run without it
    call_command("create_demo_users", stdout=io.StringIO())


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, jobs=1, **options)
    return out.getvalue()


def org_state() -> dict:
    """Everything the org chart step writes, to compare two runs."""
    return {
        "users": sorted(User.objects.values_list("email", flat=True)),
        "managers": sorted(Profile.objects.values_list("user__email", "manager__email")),
        "ratings": ManagerRating.objects.count(),
        "skill_ratings": sorted(SkillRating.objects.values_list("rating__subject__email", "skill_slug", "level")),
        "comments": sorted(PlanComment.objects.values_list("plan__user__email", "author__email", "body")),
        "agreed": sorted(Plan.objects.filter(agreed_at__isnull=False).values_list("user__email", flat=True)),
        "confirmed": Milestone.objects.filter(confirmed_at__isnull=False).count(),
        "private": sorted(Plan.objects.filter(private_from_manager=True).values_list("user__email", flat=True)),
        "peer_requests": sorted(PeerRequest.objects.values_list("subject__email", "rater__email", "status")),
        "peer_answers": sorted(
            PeerRequest.objects.filter(answers__isnull=False).values_list(
                "subject__email", "rater__email", "answers__skill_slug", "answers__level"
            ),
            key=str,  # a level may be None (not observed)
        ),
    }


def test_twelve_teams_of_six_to_ten_under_a_director_three_quarters_rated_one_in_eight_skills_far_apart(demo_users):
    seed(engineers=100)

    director = User.objects.get(email=organisation.director_email(EMAIL_DOMAIN))
    managers = list(User.objects.filter(profile__manager=director))
    assert len(managers) == 12 and DEMO_MANAGER["email"] in {m.email for m in managers}
    sizes = Counter(Profile.objects.filter(manager__in=managers).values_list("manager__email", flat=True))
    assert all(6 <= size <= 10 for size in sizes.values()) and sum(sizes.values()) == 101  # 100 and the demo engineer
    assert not Profile.objects.filter(user=director, manager__isnull=False).exists()

    people = User.objects.filter(profile__manager__in=managers)
    rated = people.filter(manager_ratings_received__isnull=False).distinct().count()
    assert 0.65 <= rated / people.count() <= 0.85
    assert not ManagerRating.objects.exclude(rater__in=managers).exists()  # each by the person's own manager
    assert not ManagerRating.objects.exclude(subject__profile__manager=F("rater")).exists()
    gaps = []
    for rating in ManagerRating.objects.select_related("subject").prefetch_related("skills"):
        page = selectors.ratings_page(person=rating.subject)
        gaps += [row for row in page.comparison.rows if row.gap is not None]
    wide = sum(row.worth_talking for row in gaps)
    assert 0.08 <= wide / len(gaps) <= 0.16
    assert all(abs(row.gap) < comparison.WORTH_TALKING - 0.4 for row in gaps if not row.worth_talking)


def test_managers_comment_on_agree_and_confirm_some_plans_and_one_plan_is_kept_private(demo_users):
    seed(engineers=100)

    active = Plan.objects.filter(status=Plan.Status.ACTIVE, user__profile__manager__isnull=False)
    agreed = active.filter(agreed_at__isnull=False)
    assert 0.3 <= agreed.count() / active.count() <= 0.6
    assert not agreed.exclude(agreed_by=F("user__profile__manager")).exists()
    assert PlanComment.objects.filter(author=F("plan__user__profile__manager")).count() >= 15
    confirmed = Milestone.objects.filter(confirmed_at__isnull=False)
    assert confirmed.count() >= 10 and not confirmed.exclude(status=Milestone.Status.DONE).exists()
    private = Plan.objects.get(private_from_manager=True)
    assert private.user.profile.manager.email == DEMO_MANAGER["email"]
    assert not private.comments.exists() and private.agreed_at is None


def test_the_demo_manager_leads_the_demo_engineer_whose_page_shows_a_gap_worth_talking_about(demo_users):
    seed(engineers=10)

    manager = User.objects.get(email=DEMO_MANAGER["email"])
    engineer = User.objects.get(email=DEMO_ENGINEER["email"])
    team = {member.user_id for member in selectors.team_members(manager=manager)}
    assert engineer.pk in team
    assert team == {
        engineer.pk,
        *User.objects.filter(email__in=[engineer_email(n) for n in range(1, 8)]).values_list("pk", flat=True),
    }
    page = selectors.ratings_page(person=User.objects.select_related("profile__manager").get(pk=engineer.pk))
    assert page.rating.rater == manager and page.comparison.worth_talking >= 1
    plan = Plan.objects.get(user=engineer, status=Plan.Status.ACTIVE)
    assert plan.agreed_by == manager and plan.comments.filter(author=manager).exists()
    assert plan.milestones.filter(confirmed_by=manager).count() == 1
    rows = {row.user_id: row for row in selectors.team(manager=manager, today=plan.starts_on)}
    assert sum(row.plan_private for row in rows.values()) == 1


def test_seeding_again_changes_nothing_and_a_reset_makes_the_same_org_chart(demo_users):
    seed(engineers=20)
    first = org_state()

    again = seed(engineers=20)

    assert org_state() == first
    assert "this run placed 0 people" in again
    seed(engineers=20, reset=True)
    after_reset = org_state()
    # The demo engineer keeps their result, manager and rating (a reset is of the generated people only).
    assert after_reset == first
    assert User.objects.filter(email__startswith="manager-").count() == 2  # teams 2 and 3; team 1 is the demo manager's


def test_make_run_prints_the_managers_log_in_beside_the_engineers_and_hrs(demo_users):
    output = seed(engineers=3)

    log_ins = output[output.index("Log in to the demo as:") :]
    for account in (DEMO_ENGINEER, DEMO_MANAGER):
        assert account["email"] in log_ins and account["password"] in log_ins
    assert "(their manager)" in log_ins and "hr@example.com" in log_ins


def test_without_the_demo_manager_a_generated_manager_leads_team_one(db):
    call_command("load_catalog", stdout=io.StringIO())
    call_command("load_questionnaire", stdout=io.StringIO())

    seed(engineers=8)

    first = User.objects.get(email=engineer_email(1))
    assert first.profile.manager.email == organisation.manager_email(1, EMAIL_DOMAIN)
    assert User.objects.get(email=engineer_email(8)).profile.manager.email == organisation.manager_email(
        2, EMAIL_DOMAIN
    )


def test_a_managers_levels_stay_within_a_level_and_a_half_unless_chosen_far_apart():
    self_levels = {f"s{n}": 1 + n * 0.2 for n in range(21)}  # 1.0 to 5.0
    skills = [(n, f"s{n}") for n in range(21)]
    for seed_value in range(30):
        levels, comments = organisation.manager_levels(self_levels, skills, random.Random(seed_value))
        for pk, level in levels.items():
            if level is None:
                continue
            gap = abs(level - self_levels[f"s{pk}"])
            assert 1 <= level <= 5
            assert (gap >= 2) == (pk in comments), (seed_value, pk, level)


def test_the_demo_managers_team_page_shows_calibrated_readiness_in_a_pinned_number_of_queries(
    demo_users, client, django_assert_num_queries
):
    seed(engineers=10)
    client.force_login(User.objects.get(email=DEMO_MANAGER["email"]))
    client.get(reverse("teams:team"))

    # session, user, policy, members, accounts, results, plans, milestones, latest ratings, their skills
    with django_assert_num_queries(10):
        response = client.get(reverse("teams:team"))

    rows = response.context["rows"]
    assert len(rows) == 8  # seven demo engineers and the demo engineer
    assert sum(row.calibrated_sources == "self and manager" for row in rows) >= 4
    assert "Has a plan, kept private" in response.content.decode()


def test_a_third_of_the_engineers_asked_teammates_and_the_demo_engineer_sees_peers_and_a_request(demo_users):
    seed(engineers=100)

    rounds = PeerRound.objects.all()
    asked = PeerRequest.objects.exclude(subject__email=DEMO_ENGINEER["email"], status=PeerRequest.Status.PENDING)
    assert 20 <= rounds.count() <= 45
    # Colleagues are teammates: the engineer's manager is theirs too
    assert not asked.exclude(rater__profile__manager=F("subject__profile__manager")).exists()
    engineer = User.objects.select_related("profile__manager").get(email=DEMO_ENGINEER["email"])
    page = selectors.ratings_page(person=engineer)
    shown = selectors.peer_aggregate(subject=engineer)
    assert shown is not None and shown.answered >= 3 and shown.skills
    assert page.peers is not None
    waiting = selectors.peer_requests_waiting(rater=engineer)
    assert len(waiting) == 1
    pending = waiting[0]
    assert pending.subject.profile.manager == engineer.profile.manager
    assert pending.round.requests.filter(status=PeerRequest.Status.ANSWERED).count() == 2
    # Nothing shown of that open round yet: two answers reveal nothing
    assert selectors.peer_aggregate(subject=pending.subject) is None or (
        selectors.peer_aggregate(subject=pending.subject).round_id != pending.round_id
    )


def test_every_seeded_round_is_answered_but_the_one_waiting_on_the_demo_engineer(demo_users):
    # So the reminder sweep of `make run` sends no expiry notice for weeks-old rounds, only that request's emails
    seed(engineers=30)

    waiting = PeerRequest.objects.exclude(status=PeerRequest.Status.ANSWERED)
    assert waiting.values("round").distinct().count() == 1
    assert sorted(waiting.values_list("status", flat=True)) == ["pending", "pending"]
    assert waiting.filter(rater__email=DEMO_ENGINEER["email"]).exists()
    assert waiting.first().round.expires_at > timezone.now()
