"""A person shapes their plan: drop a milestone, mark it not needed (with a reason), put it back,
move it up or down, add their own. Progress stays honest: set-aside milestones count neither as
done nor as still to do, and 100 % is reached only by doing everything the plan still holds."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from plans import progress, services
from plans.models import Milestone, Plan

pytestmark = pytest.mark.django_db


def make_plan(user, *titles: str, status=Plan.Status.ACTIVE) -> Plan:
    plan = Plan.objects.create(
        user=user,
        status=status,
        archived_at=None if status == Plan.Status.ACTIVE else timezone.now(),
        target_slug="manager",
        target_name="Engineering Manager",
        goal_slug="manager",
        goal_name="Engineering Manager",
        generator_version="test",
        starts_on=timezone.localdate(),
        horizon_months=12,
    )
    due = timezone.localdate() + timedelta(days=30)
    Milestone.objects.bulk_create(
        Milestone(plan=plan, title=title, due_date=due + timedelta(days=n), order=n)
        for n, title in enumerate(titles, start=1)
    )
    return plan


def titles_in_order(plan) -> list[str]:
    return list(plan.milestones.order_by("order", "due_date", "pk").values_list("title", flat=True))


def view(pk, status, due=date(2026, 1, 1)):
    return progress.MilestoneView(pk, f"m{pk}", "custom", status, due)


# --- Progress (pure) ---------------------------------------------------------------


def test_a_dropped_milestone_counts_neither_as_done_nor_as_remaining():
    views = [view(1, "done"), view(2, "todo"), view(3, "dropped"), view(4, "not_needed")]

    result = progress.progress(views, today=date(2026, 6, 1))

    assert (result.total, result.done, result.set_aside) == (2, 1, 2)
    assert result.percent == 50
    assert result.overdue == 1  # the open one; set-aside milestones are never overdue


def test_dropping_everything_left_is_not_a_finished_plan():
    assert progress.progress([view(1, "dropped"), view(2, "not_needed")], today=date(2026, 6, 1)).percent == 0
    assert progress.progress([], today=date(2026, 6, 1)).percent == 0


@pytest.mark.parametrize("total", [3, 6, 7, 199, 200])
def test_one_short_of_all_done_is_never_shown_as_100(total):
    views = [view(n, "done") for n in range(total - 1)] + [view(total, "in_progress")]

    assert progress.progress(views, today=date(2026, 6, 1)).percent < 100


def test_the_timeline_leaves_set_aside_milestones_out():
    views = [view(1, "todo", date(2026, 3, 1)), view(2, "dropped", date(2027, 3, 1))]

    line = progress.timeline(views, start=date(2026, 1, 1), today=date(2026, 1, 5))

    assert [p.pk for p in line.points] == [1]
    assert line.end == date(2026, 3, 1)


def test_a_reached_skill_set_aside_is_not_offered_as_reached_or_as_a_new_gap():
    skill = progress.MilestoneView(1, "Design", "skill", "not_needed", date(2026, 1, 1), "design", 3)

    changes = progress.reassessment_changes(
        [skill], skill_levels={"design": 4}, goal_gaps=[progress.NewGap("design", "Design", 2, 3)]
    )

    assert changes.reached == () and changes.new_gaps == ()


# --- Dropping, not needed, putting back ---------------------------------------------


def test_dropping_a_milestone_keeps_it_and_the_page_counts_it_out(client_logged_in, user):
    plan = make_plan(user, "Lead a design review", "Give a talk")
    talk = plan.milestones.get(title="Give a talk")

    response = client_logged_in.post(reverse("plans:milestone_set_aside", args=[talk.pk]), {"status": "dropped"})

    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.status == "dropped"
    page = client_logged_in.get(plan.get_absolute_url())
    assert [m.title for m in page.context["milestones"]] == ["Lead a design review"]
    assert [m.title for m in page.context["set_aside"]] == ["Give a talk"]
    assert page.context["progress"].total == 1
    assert "Put back in the plan" in page.content.decode()


def test_not_needed_without_a_reason_is_refused_with_a_message(client_logged_in, user):
    plan = make_plan(user, "Earn the PMP")
    milestone = plan.milestones.get()

    response = client_logged_in.post(
        reverse("plans:milestone_set_aside", args=[milestone.pk]), {"status": "not_needed", "reason": "   "}
    )

    assert response.status_code == 200
    assert "Say why it is not needed" in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "todo"


def test_not_needed_with_a_reason_records_it(client_logged_in, user):
    plan = make_plan(user, "Earn the PMP")
    milestone = plan.milestones.get()

    client_logged_in.post(
        reverse("plans:milestone_set_aside", args=[milestone.pk]),
        {"status": "not_needed", "reason": "My employer does not ask for it"},
    )

    milestone.refresh_from_db()
    assert (milestone.status, milestone.set_aside_reason) == ("not_needed", "My employer does not ask for it")
    assert "My employer does not ask for it" in client_logged_in.get(plan.get_absolute_url()).content.decode()


def test_the_database_refuses_not_needed_without_a_reason(user):
    from django.db import IntegrityError, transaction

    milestone = make_plan(user, "Earn the PMP").milestones.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(status="not_needed", set_aside_reason="")


def test_a_done_milestone_cannot_be_set_aside(user):
    milestone = make_plan(user, "Earn the PMP").milestones.get()
    services.milestone_set_status(milestone=milestone, status="done")

    with pytest.raises(ValidationError, match="stays done"):
        services.milestone_set_aside(milestone=milestone, status="dropped")


def test_the_status_form_cannot_set_a_milestone_aside_without_a_reason(client_logged_in, user):
    milestone = make_plan(user, "Earn the PMP").milestones.get()

    client_logged_in.post(reverse("plans:milestone_status", args=[milestone.pk]), {"status": "not_needed"})

    milestone.refresh_from_db()
    assert milestone.status == "todo"


def test_putting_a_milestone_back_makes_it_to_do(client_logged_in, user):
    milestone = make_plan(user, "Give a talk").milestones.get()
    services.milestone_set_aside(milestone=milestone, status="not_needed", reason="No conference nearby")

    client_logged_in.post(reverse("plans:milestone_restore", args=[milestone.pk]))

    milestone.refresh_from_db()
    assert (milestone.status, milestone.set_aside_reason) == ("todo", "")


def test_an_archived_plan_cannot_be_reshaped(client_logged_in, user):
    milestone = make_plan(user, "A", "B", status=Plan.Status.ARCHIVED).milestones.first()

    client_logged_in.post(reverse("plans:milestone_set_aside", args=[milestone.pk]), {"status": "dropped"})
    client_logged_in.post(reverse("plans:milestone_move", args=[milestone.pk]), {"direction": "down"})

    milestone.refresh_from_db()
    assert milestone.status == "todo" and milestone.order == 1


@pytest.mark.parametrize("name", ["milestone_set_aside", "milestone_restore", "milestone_move"])
def test_someone_elses_milestone_answers_404(client_logged_in, name):
    other = make_plan(UserFactory(), "Theirs").milestones.get()

    response = client_logged_in.post(reverse(f"plans:{name}", args=[other.pk]), {"status": "dropped"})

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "todo"


def test_the_plan_list_counts_set_aside_milestones_out(client_logged_in, user):
    plan = make_plan(user, "A", "B", "C")
    a, b, _ = plan.milestones.order_by("order")
    services.milestone_set_status(milestone=a, status="done")
    services.milestone_set_aside(milestone=b, status="dropped")

    active = client_logged_in.get(reverse("plans:list")).context["active"]

    assert (active.milestone_count, active.done_count) == (2, 1)


# --- Reordering -----------------------------------------------------------------------


def test_moving_a_milestone_up_and_down_swaps_it_with_its_neighbour(client_logged_in, user):
    plan = make_plan(user, "A", "B", "C")
    c = plan.milestones.get(title="C")

    client_logged_in.post(reverse("plans:milestone_move", args=[c.pk]), {"direction": "up"})
    assert titles_in_order(plan) == ["A", "C", "B"]
    client_logged_in.post(reverse("plans:milestone_move", args=[c.pk]), {"direction": "up"})
    assert titles_in_order(plan) == ["C", "A", "B"]
    client_logged_in.post(reverse("plans:milestone_move", args=[c.pk]), {"direction": "down"})
    assert titles_in_order(plan) == ["A", "C", "B"]


def test_the_first_cannot_go_up_nor_the_last_down(user):
    plan = make_plan(user, "A", "B")
    a, b = plan.milestones.order_by("order")

    assert services.milestone_move(milestone=a, direction="up") is False
    assert services.milestone_move(milestone=b, direction="down") is False
    assert titles_in_order(plan) == ["A", "B"]


def test_moving_skips_over_set_aside_milestones(user):
    plan = make_plan(user, "A", "B", "C")
    services.milestone_set_aside(milestone=plan.milestones.get(title="B"), status="dropped")

    services.milestone_move(milestone=plan.milestones.get(title="C"), direction="up")

    shown = [t for t in titles_in_order(plan) if t != "B"]
    assert shown == ["C", "A"]


def test_an_unknown_direction_changes_nothing(client_logged_in, user):
    plan = make_plan(user, "A", "B")

    response = client_logged_in.post(
        reverse("plans:milestone_move", args=[plan.milestones.get(title="B").pk]), {"direction": "sideways"}
    )

    assert response.status_code == 302
    assert titles_in_order(plan) == ["A", "B"]


def test_the_page_offers_up_only_where_it_can_go(client_logged_in, user):
    plan = make_plan(user, "A", "B")

    html = client_logged_in.get(plan.get_absolute_url()).content.decode()

    assert html.count('value="up">Move up') == 1 and html.count('value="down">Move down') == 1


# --- Adding -------------------------------------------------------------------------


def test_a_milestone_added_later_goes_last(client_logged_in, user):
    plan = make_plan(user, "A", "B")
    due = (timezone.localdate() + timedelta(days=10)).isoformat()

    client_logged_in.post(reverse("plans:milestone_add", args=[plan.pk]), {"title": "Mine", "due_date": due})

    assert titles_in_order(plan) == ["A", "B", "Mine"]


# --- Query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 50])
def test_the_plan_page_with_set_aside_milestones_costs_the_same_queries(
    client_logged_in, user, django_assert_num_queries, extra
):
    plan = make_plan(user, "A", "B", *(f"Extra {n}" for n in range(extra)))
    Milestone.objects.filter(plan=plan, title__startswith="Extra").update(status="dropped")

    # session, user, plan (with who agreed it), milestones (with who confirmed each), comments, latest result
    with django_assert_num_queries(6):
        page = client_logged_in.get(plan.get_absolute_url())
    assert len(page.context["set_aside"]) == extra


def test_the_edit_page_query_count(client_logged_in, user, django_assert_num_queries):
    milestone = make_plan(user, "A").milestones.get()

    # session, user, milestone with its plan
    with django_assert_num_queries(3):
        page = client_logged_in.get(reverse("plans:milestone_edit", args=[milestone.pk]))
    assert "Take it out of the plan" in page.content.decode()


# --- A credential earned goes on the profile ------------------------------------------


def test_completing_a_credential_milestone_adds_it_to_the_profile(client_logged_in, user, catalog):
    plan = make_plan(user, "Earn the PMP")
    milestone = plan.milestones.get()
    Milestone.objects.filter(pk=milestone.pk).update(kind="certification", subject_slug="pmp")

    client_logged_in.post(reverse("plans:milestone_status", args=[milestone.pk]), {"status": "done"})

    assert list(user.profile.certifications.values_list("slug", flat=True)) == ["pmp"]
    form = client_logged_in.get(reverse("accounts:profile")).context["form"]
    assert [int(pk) for pk in form["certifications"].value()] == [catalog.certifications["pmp"].pk]


def test_a_credential_already_held_is_not_added_twice_and_a_skill_adds_nothing(user, catalog):
    user.profile.certifications.add(catalog.certifications["pmp"])
    plan = make_plan(user, "Earn the PMP", "Design")
    pmp, design = plan.milestones.order_by("order")
    Milestone.objects.filter(pk=pmp.pk).update(kind="certification", subject_slug="pmp")
    Milestone.objects.filter(pk=design.pk).update(kind="skill", subject_slug="design")
    pmp.refresh_from_db()
    design.refresh_from_db()

    services.milestone_set_status(milestone=pmp, status="done")
    services.milestone_set_status(milestone=design, status="done")

    assert list(user.profile.certifications.values_list("slug", flat=True)) == ["pmp"]


def test_a_credential_no_longer_in_the_catalog_completes_without_error(user):
    milestone = make_plan(user, "Earn a retired credential").milestones.get()
    Milestone.objects.filter(pk=milestone.pk).update(kind="certification", subject_slug="retired-one")
    milestone.refresh_from_db()

    services.milestone_set_status(milestone=milestone, status="done")

    assert milestone.is_done and not user.profile.certifications.exists()


def test_the_calendar_feed_leaves_set_aside_milestones_out(client, user):
    plan = make_plan(user, "Kept", "Dropped")
    services.milestone_set_aside(milestone=plan.milestones.get(title="Dropped"), status="dropped")

    feed = client.get(reverse("plans:calendar", kwargs={"token": plan.calendar_token})).content.decode()

    assert "SUMMARY:Kept" in feed and "Dropped" not in feed
