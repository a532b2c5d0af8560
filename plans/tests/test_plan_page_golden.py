"""The plan page's whole HTML for a fixed plan on a fixed day, compared with a stored copy
(plans/tests/data/plan_page_golden.html) with the CSRF tokens normalised: a change to the page's
markup shows here, and is made on purpose by regenerating the copy
(`GOLDEN_UPDATE=1 pytest plans/tests/test_plan_page_golden.py`) and reading the diff."""

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from plans import agreement
from plans.models import Milestone, Plan, PlanComment

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
TODAY = datetime(2026, 6, 15, 9, 30, tzinfo=UTC)


def normalised(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="CSRF"', html)


def fixed_plan() -> Plan:
    """One plan with every kind of card: plain, done with everything filled in, overdue, markup to
    escape, and two set aside (one dropped, one not needed, overdue both but not shown so)."""
    user = User.objects.create_user(pk=7001, email="golden@example.com", password=None, name="Gold Engineer")
    manager = User.objects.create_user(pk=7002, email="golden.boss@example.com", password=None, name="Mo <Boss>")
    plan = Plan.objects.create(
        pk=7101,
        user=user,
        target_slug="manager",
        target_name="Engineering Manager",
        goal_slug="senior",
        goal_name="Senior Engineer",
        path=[
            {"slug": "engineer", "name": "Engineer", "kind": "current"},
            {"slug": "senior", "name": "Senior Engineer", "kind": "intermediate"},
            {"slug": "manager", "name": "Engineering Manager", "kind": "target"},
        ],
        generator_version="golden",
        starts_on=date(2026, 1, 10),
        horizon_months=24,
        calendar_token="golden-calendar-token",
    )
    Milestone.objects.create(
        pk=7201,
        plan=plan,
        kind=Milestone.Kind.SKILL,
        title="Raise System design to level 3",
        subject_slug="design",
        from_level=2,
        to_level=3,
        order=1,
        due_date=date(2026, 9, 1),
        description="Design and defend the structure of a service.",
        actions=["Lead a design review", "Write a decision record"],
    )
    Milestone.objects.create(
        pk=7202,
        plan=plan,
        kind=Milestone.Kind.CERTIFICATION,
        title='<script>alert("t")</script> & co',
        subject_slug="pmp",
        order=2,
        due_date=date(2026, 3, 1),
        status=Milestone.Status.DONE,
        completed_at=datetime(2026, 2, 20, 10, 0, tzinfo=UTC),
        note="Done 'at last' <3",
        evidence_url='https://example.com/a?b=1&c="2"',
        confirmed_by=manager,
        confirmed_at=datetime(2026, 2, 25, 11, 0, tzinfo=UTC),
    )
    Milestone.objects.create(
        pk=7203,
        plan=plan,
        kind=Milestone.Kind.CUSTOM,
        title="Mentor a new hire",
        order=3,
        due_date=date(2026, 5, 31),
        status=Milestone.Status.IN_PROGRESS,
        note="half way",
    )
    Milestone.objects.create(
        pk=7204,
        plan=plan,
        kind=Milestone.Kind.ROLE,
        title="Become Senior Engineer",
        order=4,
        due_date=date(2027, 12, 1),
    )
    Milestone.objects.create(
        pk=7205,
        plan=plan,
        kind=Milestone.Kind.CUSTOM,
        title="Give a conference talk",
        order=5,
        due_date=date(2026, 4, 1),
        status=Milestone.Status.DROPPED,
    )
    Milestone.objects.create(
        pk=7206,
        plan=plan,
        kind=Milestone.Kind.CERTIFICATION,
        title="Earn the Certified Scrum Master",
        subject_slug="csm",
        order=6,
        due_date=date(2026, 8, 1),
        status=Milestone.Status.NOT_NEEDED,
        set_aside_reason="My team's coach covers it <b>already</b>",
    )
    # Agreed by the manager when "Become Senior Engineer" was due a month later: it was re-dated since.
    facts = [
        f if f.pk != 7204 else agreement.MilestoneFacts(f.pk, f.status, date(2028, 1, 1))
        for f in agreement.facts(plan.milestones.all())
    ]
    Plan.objects.filter(pk=plan.pk).update(
        agreed_by=manager,
        agreed_at=datetime(2026, 2, 1, 9, 0, tzinfo=UTC),
        agreed_fingerprint=agreement.fingerprint(facts),
    )
    PlanComment.objects.create(pk=7301, plan=plan, author=manager, body="Looks good.\nLet's <b>talk</b> in June.")
    PlanComment.objects.create(pk=7302, plan=plan, author=user, body="Thanks!")
    return plan


@pytest.mark.parametrize(
    "url_name, archived, golden",  # not "page": that is pytest-playwright's fixture, and would make this a browser test
    [
        ("plans:detail", False, "plan_page_golden.html"),
        ("plans:detail", True, "plan_page_archived_golden.html"),
        ("plans:print", False, "plan_print_golden.html"),
    ],
)
def test_the_plan_page_is_the_stored_html(client, url_name, archived, golden):
    with time_machine.travel(TODAY, tick=False):
        plan = fixed_plan()
        if archived:
            Plan.objects.filter(pk=plan.pk).update(
                status=Plan.Status.ARCHIVED, archived_at=datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
            )
        client.force_login(plan.user)
        response = client.get(reverse(url_name, kwargs={"pk": plan.pk}))

    assert response.status_code == 200
    html = normalised(response.content.decode())
    stored = DATA / golden
    if os.environ.get("GOLDEN_UPDATE") == "1":
        stored.write_text(html)
    assert html == stored.read_text()
