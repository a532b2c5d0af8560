"""Working on a plan with the manager, from the plans side: the services (comments, agreement,
evidence and confirmation, privacy) with their permission checks, and the engineer's pages."""

import csv
import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Profile
from accounts.services import account_delete, account_export_data, hr_member_add
from accounts.tests.factories import UserFactory
from plans import agreement, selectors, services
from plans.models import COMMENT_MAX_LENGTH, EVIDENCE_NOTE_MAX_LENGTH, Milestone, Plan, PlanComment
from plans.tests.test_milestone_changes import make_plan
from teams.services import team_policy_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    """Eve reports to Max; Max reports to Big (Eve's indirect manager); Ola manages someone else."""
    eve, max_, big, ola, olas_report = (UserFactory(name=n) for n in ("Eve", "Max", "Big", "Ola", "Pat"))
    Profile.objects.filter(user=eve).update(manager=max_)
    Profile.objects.filter(user=max_).update(manager=big)
    Profile.objects.filter(user=olas_report).update(manager=ola)
    return SimpleNamespace(eve=eve, manager=max_, indirect=big, other_manager=ola)


@pytest.fixture
def plan(people) -> Plan:
    return make_plan(people.eve, "Lead a design review", "Mentor a new hire", "Give a talk")


def milestones(plan: Plan) -> list[Milestone]:
    return list(plan.milestones.order_by("order"))


def done(milestone: Milestone, **kwargs) -> Milestone:
    return services.milestone_set_status(milestone=milestone, status="done", **kwargs)


def agreement_of(plan: Plan) -> agreement.Agreement | None:
    plan = Plan.objects.select_related("agreed_by").get(pk=plan.pk)
    return selectors.plan_agreement(plan, plan.milestones.all())


# --- Comments ----------------------------------------------------------------------------------


def test_the_engineer_and_their_manager_comment_on_the_plan(people, plan):
    services.plan_comment_add(plan=plan, author=people.eve, body="  Can we talk about the talk?  ")
    services.plan_comment_add(plan=plan, author=people.manager, body="Yes.\nThursday?")

    thread = selectors.plan_comments(plan=plan)
    assert [(c.author, c.body) for c in thread] == [
        (people.eve, "Can we talk about the talk?"),
        (people.manager, "Yes.\nThursday?"),
    ]


@pytest.mark.parametrize("who", ["indirect", "other_manager"])
def test_nobody_but_the_engineer_and_their_direct_manager_comments(people, plan, who):
    team_policy_update(include_indirect_reports=True)  # the indirect manager sees the plan, and only reads it
    with pytest.raises(PermissionDenied):
        services.plan_comment_add(plan=plan, author=getattr(people, who), body="Hello")
    assert not PlanComment.objects.exists()


def test_hr_does_not_comment_on_someone_elses_plan(people, plan):
    hr = UserFactory()
    hr_member_add(user=hr)
    with pytest.raises(PermissionDenied):
        services.plan_comment_add(plan=plan, author=hr, body="Hello")


def test_a_former_manager_no_longer_comments(people, plan):
    Profile.objects.filter(user=people.eve).update(manager=people.other_manager)
    with pytest.raises(PermissionDenied):
        services.plan_comment_add(plan=plan, author=people.manager, body="Still here")
    services.plan_comment_add(plan=plan, author=people.other_manager, body="Hello, I'm your new manager")


@pytest.mark.parametrize(
    "body",
    ["", "   \n  ", "a" * (COMMENT_MAX_LENGTH + 1), "bad \x00 nul", "bell\x07", "rtl \u202e override"],
    ids=["empty", "blank", "too-long", "nul", "control", "override"],
)
def test_a_comment_must_be_text_of_a_sensible_length(people, plan, body):
    with pytest.raises(ValidationError):
        services.plan_comment_add(plan=plan, author=people.eve, body=body)
    assert not PlanComment.objects.exists()


def test_a_comment_of_the_longest_length_with_line_breaks_and_tabs_is_kept(people, plan):
    body = "line\r\n\tindented " + "a" * (COMMENT_MAX_LENGTH - 16)
    assert len(body) == COMMENT_MAX_LENGTH
    comment = services.plan_comment_add(plan=plan, author=people.eve, body=body)
    assert PlanComment.objects.get(pk=comment.pk).body == body


def test_an_archived_plan_takes_no_more_comments(people, plan):
    services.plan_archive(plan=plan)
    with pytest.raises(ValidationError):
        services.plan_comment_add(plan=plan, author=people.manager, body="Too late")


def test_only_the_author_deletes_a_comment(people, plan):
    comment = services.plan_comment_add(plan=plan, author=people.manager, body="Mine")
    with pytest.raises(PermissionDenied):
        services.plan_comment_delete(comment=comment, user=people.eve)  # not even the plan's owner
    services.plan_comment_delete(comment=comment, user=people.manager)
    assert not PlanComment.objects.exists()


# --- Agreement -----------------------------------------------------------------------------------


def test_the_manager_agrees_the_plan_and_it_reads_agreed_by_them(people, plan):
    services.plan_agree(plan=plan, manager=people.manager)

    state = agreement_of(plan)
    assert state.agreed_by == "Max" and not state.changed_since
    assert abs(state.agreed_at - timezone.now()) < timedelta(minutes=1)


@pytest.mark.parametrize("who", ["eve", "indirect", "other_manager"])
def test_only_the_direct_manager_agrees(people, plan, who):
    team_policy_update(include_indirect_reports=True)
    with pytest.raises(PermissionDenied):
        services.plan_agree(plan=plan, manager=getattr(people, who))
    assert agreement_of(plan) is None


def test_a_private_plan_is_neither_agreed_nor_commented_by_the_manager(people, plan):
    services.plan_privacy_set(plan=plan, user=people.eve, private=True)
    with pytest.raises(PermissionDenied):
        services.plan_agree(plan=plan, manager=people.manager)
    with pytest.raises(PermissionDenied):
        services.plan_comment_add(plan=plan, author=people.manager, body="Hi")
    services.plan_comment_add(plan=plan, author=people.eve, body="A note to self")  # the owner still may


def change_add(plan, m):
    services.milestone_add(plan=plan, draft=services.MilestoneDraft(kind="custom", title="New", due_date=m[0].due_date))


def change_drop(plan, m):
    services.milestone_set_aside(milestone=m[1], status="dropped")


def change_not_needed(plan, m):
    services.milestone_set_aside(milestone=m[1], status="not_needed", reason="Covered")


def change_redate(plan, m):
    services.milestone_update(milestone=m[2], title=m[2].title, due_date=m[2].due_date + timedelta(days=7))


@pytest.mark.parametrize("change", [change_add, change_drop, change_not_needed, change_redate])
def test_a_material_change_after_the_agreement_marks_it_changed_since(people, plan, change):
    services.plan_agree(plan=plan, manager=people.manager)

    change(plan, milestones(plan))

    state = agreement_of(plan)
    assert state.changed_since and state.agreed_by == "Max"


def change_rename(plan, m):
    services.milestone_update(milestone=m[0], title="Renamed", due_date=m[0].due_date, description="More")


def change_progress(plan, m):
    done(m[0], note="Did it", evidence_url="https://example.com/x")
    services.milestone_set_status(milestone=m[1], status="in_progress")


def change_order(plan, m):
    services.milestone_move(milestone=m[0], direction="down")


def change_evidence(plan, m):
    services.milestone_evidence_set(milestone=m[0], user=plan.user, url="https://example.com/y", note="See")


@pytest.mark.parametrize("change", [change_rename, change_progress, change_order, change_evidence])
def test_renaming_progress_order_and_evidence_leave_the_agreement_standing(people, plan, change):
    services.plan_agree(plan=plan, manager=people.manager)

    change(plan, milestones(plan))

    assert not agreement_of(plan).changed_since


def test_agreeing_again_agrees_the_plan_as_it_is_now(people, plan):
    services.plan_agree(plan=plan, manager=people.manager)
    change_drop(plan, milestones(plan))
    assert agreement_of(plan).changed_since

    services.plan_agree(plan=plan, manager=people.manager)

    assert not agreement_of(plan).changed_since


def test_moving_a_date_back_to_the_agreed_one_reads_as_agreed_again(people, plan):
    services.plan_agree(plan=plan, manager=people.manager)
    m = milestones(plan)[2]
    agreed_due = m.due_date
    change_redate(plan, milestones(plan))
    assert agreement_of(plan).changed_since

    services.milestone_update(milestone=m, title=m.title, due_date=agreed_due)

    assert not agreement_of(plan).changed_since


def test_a_plan_with_every_milestone_set_aside_has_nothing_to_agree(people, plan):
    Milestone.objects.filter(plan=plan).update(status="dropped")
    with pytest.raises(ValidationError):
        services.plan_agree(plan=plan, manager=people.manager)


def test_the_fingerprint_ignores_order_and_set_aside_milestones():
    a = agreement.MilestoneFacts(1, "todo", date(2027, 1, 1))
    b = agreement.MilestoneFacts(2, "done", date(2027, 2, 1))
    dropped = agreement.MilestoneFacts(3, "dropped", date(2027, 3, 1))

    assert agreement.fingerprint([a, b]) == agreement.fingerprint([b, dropped, a])
    assert agreement.fingerprint([a, b]) != agreement.fingerprint([a])
    assert agreement.fingerprint([a, b]) != agreement.fingerprint(
        [a, agreement.MilestoneFacts(2, "done", date(2027, 2, 2))]
    )
    assert len(agreement.fingerprint([])) == 64


def test_an_erased_manager_leaves_an_agreement_by_a_former_manager(people, plan):
    services.plan_agree(plan=plan, manager=people.manager)

    account_delete(user=people.manager)

    assert agreement_of(plan).agreed_by == "a former manager"


# --- Evidence and confirmation -----------------------------------------------------------------


def test_the_engineer_attaches_evidence_a_link_and_a_note(people, plan):
    m = milestones(plan)[0]
    services.milestone_evidence_set(milestone=m, user=people.eve, url=" https://example.com/pr/1 ", note="My PR")
    m.refresh_from_db()
    assert (m.evidence_url, m.note) == ("https://example.com/pr/1", "My PR")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.com/file",
        "data:text/html,hi",
        "https://example.com/" + "a" * 481,  # 501 characters
        "not a url",
    ],
)
def test_evidence_is_an_http_or_https_link_of_at_most_500_characters(people, plan, url):
    m = milestones(plan)[0]
    with pytest.raises(ValidationError):
        services.milestone_evidence_set(milestone=m, user=people.eve, url=url, note="")
    with pytest.raises(ValidationError):
        services.milestone_set_status(milestone=m, status="done", evidence_url=url)
    m.refresh_from_db()
    assert m.evidence_url == "" and m.status == "todo"


def test_an_evidence_note_has_a_sensible_length_and_no_control_characters(people, plan):
    m = milestones(plan)[0]
    for note in ("a" * (EVIDENCE_NOTE_MAX_LENGTH + 1), "x\x1by"):
        with pytest.raises(ValidationError):
            services.milestone_evidence_set(milestone=m, user=people.eve, url="", note=note)


def test_only_the_owner_attaches_evidence(people, plan):
    with pytest.raises(PermissionDenied):
        services.milestone_evidence_set(milestone=milestones(plan)[0], user=people.manager, url="", note="x")


def test_the_manager_confirms_a_done_milestone_and_takes_it_back(people, plan):
    m = done(milestones(plan)[0], evidence_url="https://example.com/cert")

    services.milestone_confirm(milestone=m, manager=people.manager)
    m.refresh_from_db()
    assert m.is_confirmed and m.confirmed_by == people.manager

    services.milestone_unconfirm(milestone=m, manager=people.manager)
    m.refresh_from_db()
    assert not m.is_confirmed and m.confirmed_by is None


def test_a_milestone_that_is_not_done_cannot_be_confirmed(people, plan):
    m = milestones(plan)[0]
    with pytest.raises(ValidationError):
        services.milestone_confirm(milestone=m, manager=people.manager)


@pytest.mark.parametrize("who", ["eve", "indirect", "other_manager"])
def test_only_the_direct_manager_confirms(people, plan, who):
    team_policy_update(include_indirect_reports=True)
    m = done(milestones(plan)[0])
    with pytest.raises(PermissionDenied):
        services.milestone_confirm(milestone=m, manager=getattr(people, who))
    m.refresh_from_db()
    assert not m.is_confirmed


def confirmed(people, plan) -> Milestone:
    m = done(milestones(plan)[0], note="Passed", evidence_url="https://example.com/cert")
    return services.milestone_confirm(milestone=m, manager=people.manager)


@pytest.mark.parametrize("status", ["todo", "in_progress"])
def test_reopening_a_confirmed_milestone_takes_the_confirmation_back(people, plan, status):
    m = confirmed(people, plan)

    services.milestone_set_status(milestone=m, status=status, evidence_url=m.evidence_url)

    m.refresh_from_db()
    assert not m.is_confirmed


def test_saving_a_done_milestone_with_the_same_evidence_keeps_its_confirmation(people, plan):
    m = confirmed(people, plan)

    services.milestone_set_status(milestone=m, status="done", note="Passed, 92%", evidence_url=m.evidence_url)

    m.refresh_from_db()
    assert m.is_confirmed


def test_changing_the_evidence_of_a_confirmed_milestone_takes_the_confirmation_back(people, plan):
    m = confirmed(people, plan)
    services.milestone_evidence_set(milestone=m, user=people.eve, url=m.evidence_url, note=m.note)
    m.refresh_from_db()
    assert m.is_confirmed  # the same evidence again

    services.milestone_evidence_set(milestone=m, user=people.eve, url="https://example.com/other", note=m.note)

    m.refresh_from_db()
    assert not m.is_confirmed


def test_the_database_refuses_a_confirmed_milestone_that_is_not_done(people, plan):
    from django.db import IntegrityError, transaction

    m = confirmed(people, plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=m.pk).update(status="todo", completed_at=None)


# --- Privacy -------------------------------------------------------------------------------------


def test_only_the_owner_makes_a_plan_private(people, plan):
    with pytest.raises(PermissionDenied):
        services.plan_privacy_set(plan=plan, user=people.manager, private=False)
    services.plan_privacy_set(plan=plan, user=people.eve, private=True)
    assert Plan.objects.get(pk=plan.pk).private_from_manager


# --- The engineer's pages ----------------------------------------------------------------------


@pytest.fixture
def eve_client(client, people):
    client.force_login(people.eve)
    return client


def test_the_engineer_comments_from_the_plan_page_and_deletes_their_comment(eve_client, people, plan):
    response = eve_client.post(reverse("plans:comment_add", args=[plan.pk]), {"body": "First <b>thoughts</b>"})
    assert response.status_code == 302 and response["Location"].endswith("#comments")

    page = eve_client.get(plan.get_absolute_url()).content.decode()
    assert "First &lt;b&gt;thoughts&lt;/b&gt;" in page
    comment = PlanComment.objects.get()
    assert reverse("plans:comment_delete", args=[comment.pk]) in page

    eve_client.post(reverse("plans:comment_delete", args=[comment.pk]))
    assert not PlanComment.objects.exists()


def test_an_over_long_comment_is_refused_with_a_message(eve_client, plan):
    response = eve_client.post(
        reverse("plans:comment_add", args=[plan.pk]), {"body": "a" * (COMMENT_MAX_LENGTH + 1)}, follow=True
    )
    assert "The comment was not added" in response.content.decode()
    assert not PlanComment.objects.exists()


def test_the_engineer_cannot_delete_their_managers_comment(eve_client, people, plan):
    comment = services.plan_comment_add(plan=plan, author=people.manager, body="Mine")
    assert eve_client.post(reverse("plans:comment_delete", args=[comment.pk])).status_code == 404
    assert PlanComment.objects.filter(pk=comment.pk).exists()


def test_the_plan_page_says_who_agreed_it_and_when_and_whether_it_changed_since(eve_client, people, plan):
    assert "Not agreed with your manager yet." in eve_client.get(plan.get_absolute_url()).content.decode()
    services.plan_agree(plan=plan, manager=people.manager)
    today = timezone.localdate().strftime("%-d %b %Y")

    page = eve_client.get(plan.get_absolute_url()).content.decode()
    assert f'Agreed by Max on <time datetime="{timezone.localdate():%Y-%m-%d}">{today}</time>.' in page
    assert "Changed since" not in page

    change_redate(plan, milestones(plan))
    assert "Changed since" in eve_client.get(plan.get_absolute_url()).content.decode()


def test_the_evidence_page_saves_a_link_and_a_note(eve_client, plan):
    m = milestones(plan)[0]
    url = reverse("plans:milestone_evidence", args=[m.pk])
    assert eve_client.get(url).status_code == 200

    response = eve_client.post(url, {"evidence_url": "https://example.com/doc", "note": "The design doc, approved"})

    assert response.status_code == 302
    m.refresh_from_db()
    assert (m.evidence_url, m.note) == ("https://example.com/doc", "The design doc, approved")


def test_the_evidence_note_is_one_line_as_the_cards_note_is(eve_client, plan):
    m = milestones(plan)[0]
    response = eve_client.post(
        reverse("plans:milestone_evidence", args=[m.pk]), {"evidence_url": "", "note": "Line one\nLine two"}
    )
    assert response.status_code == 200 and response.context["form"].errors["note"]
    m.refresh_from_db()
    assert m.note == ""


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/x", "https://example.com/" + "a" * 481])
def test_the_evidence_page_refuses_a_bad_link_with_a_message(eve_client, plan, url):
    m = milestones(plan)[0]
    response = eve_client.post(reverse("plans:milestone_evidence", args=[m.pk]), {"evidence_url": url, "note": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["evidence_url"]
    m.refresh_from_db()
    assert m.evidence_url == ""


def test_the_status_form_refuses_an_ftp_evidence_link(eve_client, plan):
    m = milestones(plan)[0]
    eve_client.post(reverse("plans:milestone_status", args=[m.pk]), {"status": "done", "evidence_url": "ftp://x.org/a"})
    m.refresh_from_db()
    assert m.status == "todo" and m.evidence_url == ""


def test_the_privacy_button_keeps_the_plan_private_and_shares_it_again(eve_client, plan):
    url = reverse("plans:privacy", args=[plan.pk])
    eve_client.post(url, {"private_from_manager": "on"})
    assert Plan.objects.get(pk=plan.pk).private_from_manager
    assert "Share it with my manager again" in eve_client.get(plan.get_absolute_url()).content.decode()

    eve_client.post(url, {})
    assert not Plan.objects.get(pk=plan.pk).private_from_manager


def test_confirmed_milestones_are_marked_on_the_plan_page_the_print_view_and_the_csv(eve_client, people, plan):
    m = confirmed(people, plan)

    page = eve_client.get(plan.get_absolute_url()).content.decode()
    printed = eve_client.get(reverse("plans:print", args=[plan.pk])).content.decode()
    rows = list(csv.DictReader(io.StringIO(eve_client.get(reverse("plans:csv", args=[plan.pk])).content.decode())))

    assert '<span class="badge text-bg-success">Confirmed</span> by Max' in page
    assert "confirmed by Max" in printed
    by_title = {row["title"]: row for row in rows}
    assert by_title[m.title]["confirmed_by"] == "Max"
    assert by_title[m.title]["confirmed_at"] == timezone.localdate().isoformat()
    assert by_title["Mentor a new hire"]["confirmed_at"] == by_title["Mentor a new hire"]["confirmed_by"] == ""


@pytest.mark.parametrize("extra", [0, 10])
def test_the_plan_page_costs_the_same_queries_with_ten_times_the_comments_and_confirmations(
    eve_client, people, django_assert_num_queries, extra
):
    plan = make_plan(people.eve, *(f"Step {n}" for n in range(3 + 10 * extra)))
    for m in milestones(plan)[: 1 + extra]:
        services.milestone_confirm(milestone=done(m), manager=people.manager)
    for n in range(2 + 20 * extra):
        services.plan_comment_add(plan=plan, author=people.manager if n % 2 else people.eve, body=f"Comment {n}")
    services.plan_agree(plan=plan, manager=people.manager)

    # session, user, plan (with who agreed it), milestones (with who confirmed each), comments, latest result
    with django_assert_num_queries(6):
        response = eve_client.get(plan.get_absolute_url())
    assert response.content.decode().count('id="comment-') == 2 + 20 * extra


# --- Personal data -----------------------------------------------------------------------------


def test_comments_are_in_the_export_of_the_engineer_and_of_their_author(people, plan):
    services.plan_comment_add(plan=plan, author=people.manager, body="From the manager")
    services.plan_comment_add(plan=plan, author=people.eve, body="From Eve")

    eve_rows = account_export_data(user=people.eve)["records"]["plans.PlanComment"]["rows"]
    manager_data = account_export_data(user=people.manager)["records"]
    manager_rows = manager_data["plans.PlanComment"]["rows"]

    assert sorted(row["body"] for row in eve_rows) == ["From Eve", "From the manager"]
    assert [row["body"] for row in manager_rows] == ["From the manager"]
    assert manager_data["plans.Plan"]["rows"] == []  # the engineer's plan is not the manager's data


def test_erasing_the_manager_erases_their_comments_and_keeps_the_engineers(people, plan):
    services.plan_comment_add(plan=plan, author=people.manager, body="From the manager")
    services.plan_comment_add(plan=plan, author=people.eve, body="From Eve")

    account_delete(user=people.manager)

    assert list(PlanComment.objects.values_list("body", flat=True)) == ["From Eve"]


def test_erasing_the_engineer_erases_the_whole_thread(people, plan):
    services.plan_comment_add(plan=plan, author=people.manager, body="From the manager")

    account_delete(user=people.eve)

    assert not PlanComment.objects.exists()
