"""The milestone cards written in Python (plans/templatetags/plan_cards.py) give exactly the markup the
template gave: the same labels, ids, hidden button text and escaping, with and without the status forms."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.template import engines
from django.template.loader import get_template
from django.test import RequestFactory

from plans.models import Milestone, Plan

# plans/_milestone_list.html as it was until the cards moved to Python (commit 5c75d64).
TEMPLATE_BEFORE = (Path(__file__).parent / "data" / "milestone_list_before.html").read_text()

STATUS_CHOICES = [(value, str(label)) for value, label in Milestone.Status.choices]


def milestones():
    """Unsaved milestones covering every branch: done, overdue, actions, note, evidence, markup to escape."""
    plain = Milestone(pk=11, title="Lead a design review", kind=Milestone.Kind.SKILL, due_date=date(2027, 3, 5))
    full = Milestone(
        pk=12,
        title='<script>alert("t")</script> & co',
        kind=Milestone.Kind.CERTIFICATION,
        status=Milestone.Status.DONE,
        due_date=date(2026, 1, 9),
        description="Pass <b>it</b> & frame it",
        actions=['Read "the" book', "<i>Practise</i>"],
        note="Done 'at last' <3",
        evidence_url='https://example.com/a?b=1&c="2"',
    )
    late = Milestone(
        pk=13,
        title="Mentor",
        kind=Milestone.Kind.CUSTOM,
        status=Milestone.Status.IN_PROGRESS,
        due_date=date(2025, 12, 31),
        note="half way",
    )
    for m in (plain, full, late):
        m.status_url = f"/plans/milestones/{m.pk}/status/?x=1&y=2"
        m.edit_url = f"/plans/milestones/{m.pk}/edit/"
    return [plain, full, late]


def render_both(**context):
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    before = engines["django"].from_string(TEMPLATE_BEFORE).render(context, request)
    after = get_template("plans/_milestone_list.html").render(context, request)
    return before, after


def masked_tokens_equalised(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="T"', html)


@pytest.mark.parametrize("plan_status", [Plan.Status.ACTIVE, Plan.Status.ARCHIVED])
@pytest.mark.parametrize("read_only", [False, True])
def test_the_cards_are_the_markup_the_template_gave(plan_status, read_only):
    context = {
        "plan": Plan(status=plan_status),
        "milestones": milestones(),
        "overdue_ids": {13},
        "status_choices": STATUS_CHOICES,
        "read_only": read_only,
    }

    before, after = render_both(**context)

    assert masked_tokens_equalised(after) == masked_tokens_equalised(before)
    assert ("csrfmiddlewaretoken" in after) is (plan_status == Plan.Status.ACTIVE and not read_only)
    assert "<script>" not in after and "<b>" not in after and "<i>" not in after


@pytest.mark.parametrize("read_only", [False, True])
def test_an_empty_plan_says_so_as_before(read_only):
    before, after = render_both(plan=Plan(status=Plan.Status.ACTIVE), milestones=[], read_only=read_only)

    assert after == before
    assert "has no milestones" in after
