"""One small world for the security tests: two engineers, an HR member, a superuser, the engineer's
manager and another manager, a colleague the engineer asked for their view and one nobody asked.

The first engineer owns everything the object pages show: an in-progress self-assessment,
a submitted result, an active plan with milestones, and a reminder.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.utils import timezone

from accounts.models import Profile, User
from accounts.services import hr_member_add
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from api.models import ApiToken
from api.services import api_token_create
from assessments import services as assessment_services
from assessments.models import Response, Result
from assessments.tests.factories import build_questionnaire, submit_self_assessment
from plans.models import Milestone, Plan, PlanComment
from reminders import email as reminder_email
from reminders.models import Reminder
from roles.tests.factories import build_catalog
from scim.models import ScimToken
from scim.services import scim_token_create
from teams.models import PeerRequest
from teams.selectors import rateable_skills
from teams.services import peer_round_create

ROLES = ("anonymous", "engineer", "other", "hr", "superuser", "manager", "peer", "unasked", "other_manager")


@dataclass
class World:
    engineer: User
    other: User
    hr: User
    superuser: User
    response: Response  # the engineer's, in progress
    result: Result  # the engineer's, submitted
    plan: Plan  # the engineer's, active
    milestone: Milestone
    reminder: Reminder
    manager: User  # the engineer's manager (accounts.Profile.manager): sees the engineer through the team pages
    comment: PlanComment | None = None  # the engineer's, on their plan
    api_token: ApiToken | None = None  # an HR-made read token acting as HR (docs/api.md)
    scim_token: ScimToken | None = None  # HR's, for the SCIM API (scim/)
    # Peer input (docs/teams.md): the engineer asked `peer` to rate their skills (an open request);
    # `unasked` is a colleague nobody asked; `other_manager` manages someone else, not the engineer.
    peer: User | None = None
    unasked: User | None = None
    other_manager: User | None = None
    peer_request: PeerRequest | None = None

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)

    def client(self, role: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if role != "anonymous":
            client.force_login(self.user(role))
        return client

    @property
    def unsubscribe_token(self) -> str:
        return reminder_email.unsubscribe_token(self.engineer.pk)


submit_all = submit_self_assessment


def build_world() -> World:
    catalog = build_catalog()
    build_questionnaire(skills=list(catalog.skills.values()))
    engineer = UserFactory(
        email="ada.engineer@example.com",
        name="Ada Lovelace-Engineer",
        profile__current_role=catalog.roles["engineer"],
        profile__years_experience=3,
    )
    other = UserFactory(email="other.engineer@example.com", name="Otto Other")
    hr = UserFactory(email="hr.member@example.com", name="Harriet Ross")
    hr_member_add(user=hr)
    TOTP.activate(hr, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")  # the panel asks HR members for a second factor
    superuser = User.objects.create_superuser(email="root@example.com", password=TEST_PASSWORD)
    # Confirmed, as an address becomes when a superuser made by createsuperuser first logs in (allauth's
    # confirmation email); without a row, allauth's email page would make one on a GET.
    EmailAddress.objects.create(user=superuser, email=superuser.email, primary=True, verified=True)
    manager = UserFactory(email="manager@example.com", name="Mona Manager")
    Profile.objects.filter(user=engineer).update(manager=manager)
    result = submit_all(engineer)
    response = assessment_services.response_start(user=engineer)
    today = timezone.localdate()
    plan = Plan.objects.create(
        user=engineer,
        result=result,
        target_role=catalog.roles["senior"],
        target_slug="senior",
        target_name="Senior Engineer",
        goal_slug="senior",
        goal_name="Senior Engineer",
        generator_version="test",
        starts_on=today,
        horizon_months=24,
    )
    milestone = Milestone.objects.create(
        plan=plan, title="Lead a design review", due_date=today + timedelta(days=30), note="Ada's private note"
    )
    reminder = Reminder.objects.create(
        user=engineer,
        milestone=milestone,
        kind=Reminder.Kind.UPCOMING,
        due_date=milestone.due_date,
        send_after=timezone.now(),
        next_attempt_at=timezone.now(),
    )
    world = World(engineer, other, hr, superuser, response, result, plan, milestone, reminder, manager)
    world.comment = PlanComment.objects.create(plan=plan, author=engineer, body="Ada's comment on her plan")
    world.api_token, _ = api_token_create(name="Reporting", scope="read", user=hr, created_by=hr)
    world.scim_token = scim_token_create(name="Okta", created_by=hr)[0]
    world.peer = UserFactory(email="pia.peer@example.com", name="Pia Peer")
    world.unasked = UserFactory(email="uma.unasked@example.com", name="Uma Unasked")
    world.other_manager = UserFactory(email="omar.manager@example.com", name="Omar Other-Manager")
    Profile.objects.filter(user=other).update(manager=world.other_manager)
    peer_round = peer_round_create(
        subject=engineer, skill_ids=[rateable_skills()[0].pk], rater_emails=[world.peer.email]
    )
    world.peer_request = peer_round.requests.get()
    return world


@pytest.fixture(autouse=True)
def hr_require_mfa(settings):
    """The security tests run with the HR panel's second-factor requirement on, as deployments do."""
    settings.HR_REQUIRE_MFA = True


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """One world for a whole module, for tests that only read or whose writes roll back.

    It is built inside a transaction that is rolled back when the module ends; each test
    runs in a savepoint inside it (pytest-django's `db`), so one test's writes never reach
    the next.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)
