"""The panel's Reminders pages: the reminder log (read-only, filterable, with "Retry") and the reminder policy."""

import importlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import HR_GROUP_NAME
from accounts.tests.factories import UserFactory
from reminders.models import Reminder, ReminderPolicy
from reminders.tests.reminder_fixtures import failed_reminder, person, plan_for

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:reminders_reminder_changelist")
POLICY = reverse("admin:reminders_reminderpolicy_change", args=[ReminderPolicy.SINGLETON_PK])


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


def in_a_week():
    return timezone.localdate() + timedelta(days=7)


def reminder(user, *, status, kind=Reminder.Kind.REASSESS, error="", days_ago=0):
    """A reminder row in any state (re-assessment nudges need no milestone)."""
    now = timezone.now()
    return Reminder.objects.create(
        user=user,
        kind=kind,
        due_date=timezone.localdate() - timedelta(days=days_ago),
        status=status,
        send_after=now,
        next_attempt_at=now,
        sent_at=now if status == Reminder.Status.SENT else None,
        last_error=error,
    )


def shown(response) -> list[int]:
    return [r.pk for r in response.context["cl"].result_list]


def retry(client, *reminders):
    return client.post(
        CHANGELIST, {"action": "retry", "_selected_action": [r.pk for r in reminders], "index": 0}, follow=True
    )


# --- The log ------------------------------------------------------------------------------------


def test_the_log_shows_who_what_when_and_the_error_of_a_failed_reminder(hr_client):
    failed = failed_reminder(
        person(name="Ada Engineer", email="ada@example.com"),
        due=in_a_week(),
        error="Recipient refused: ada@example.com: 550 5.1.1 no such user",
    )

    html = hr_client.get(CHANGELIST).content.decode()

    assert "Ada Engineer" in html and "ada@example.com" in html
    assert "Lead a design review" in html
    assert "Milestone coming up" in html and "Failed" in html
    assert "550 5.1.1 no such user" in html
    assert f'value="{failed.pk}"' in html  # selectable for the retry action


@pytest.mark.parametrize(("status", "expected"), [("failed", {"failed"}), ("sent", {"sent"}), ("pending", {"pending"})])
def test_the_log_filters_by_status(hr_client, status, expected):
    user = person()
    rows = {s: reminder(user, status=s, days_ago=n) for n, s in enumerate(["pending", "sent", "failed", "cancelled"])}

    response = hr_client.get(CHANGELIST, {"status__exact": status})

    assert shown(response) == [rows[s].pk for s in expected]


def test_the_log_filters_by_kind(hr_client):
    user = person()
    nudge = reminder(user, status="sent", kind=Reminder.Kind.REASSESS)
    digest = reminder(user, status="sent", kind=Reminder.Kind.DIGEST)

    assert shown(hr_client.get(CHANGELIST, {"kind__exact": "digest"})) == [digest.pk]
    assert shown(hr_client.get(CHANGELIST, {"kind__exact": "reassess"})) == [nudge.pk]


def test_the_log_is_searchable_by_the_persons_name_or_email(hr_client):
    ada = reminder(person(name="Ada Lovelace", email="ada@example.com"), status="sent")
    reminder(person(name="Grace Hopper", email="grace@example.com"), status="sent")

    assert shown(hr_client.get(CHANGELIST, {"q": "Lovelace"})) == [ada.pk]
    assert shown(hr_client.get(CHANGELIST, {"q": "ada@example"})) == [ada.pk]


@pytest.mark.parametrize("account", [{"is_staff": True}, {"is_active": False}], ids=["staff", "inactive"])
def test_hr_sees_only_the_people_lists_reminders_and_a_superuser_all(hr_client, superuser_client, account):
    engineer = reminder(person(email="eng@example.com"), status="sent")
    outside = reminder(person(email="outside@example.com", **account), status="failed", error="SMTP 550")

    assert shown(hr_client.get(CHANGELIST)) == [engineer.pk]
    assert hr_client.get(reverse("admin:reminders_reminder_change", args=[outside.pk])).status_code == 302  # not found
    assert retry(hr_client, outside).status_code == 200
    outside.refresh_from_db()
    assert outside.status == Reminder.Status.FAILED  # not HR's to retry
    assert sorted(shown(superuser_client.get(CHANGELIST))) == sorted([engineer.pk, outside.pk])


def test_a_reminders_page_shows_the_whole_error_read_only(hr_client):
    long_error = "SMTPDataError: (554, '" + "x" * 300 + " end of the reply')"
    failed = failed_reminder(person(), due=in_a_week(), error=long_error)

    response = hr_client.get(reverse("admin:reminders_reminder_change", args=[failed.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "end of the reply" in html
    assert 'name="_save"' not in html and "<textarea" not in html


@pytest.mark.parametrize("client_fixture", ["hr_client", "superuser_client"])
def test_nobody_changes_adds_or_deletes_a_reminder_row(request, client_fixture):
    client = request.getfixturevalue(client_fixture)
    failed = failed_reminder(person(), due=in_a_week())
    change = reverse("admin:reminders_reminder_change", args=[failed.pk])

    edited = client.post(change, {"status": "sent", "attempts": 0, "last_error": ""})
    added = client.post(reverse("admin:reminders_reminder_add"), {})
    deleted = client.post(reverse("admin:reminders_reminder_delete", args=[failed.pk]), {"post": "yes"})

    assert (edited.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("failed", 5)


def test_hr_cannot_delete_reminders_with_the_bulk_action_either(hr_client):
    failed = failed_reminder(person(), due=in_a_week())

    response = hr_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [failed.pk], "index": 0, "post": "yes"}
    )

    assert response.status_code == 302  # back to the list: there is no such action for them
    assert Reminder.objects.filter(pk=failed.pk).exists()


# --- Retry --------------------------------------------------------------------------------------


def test_retry_puts_a_failed_reminder_back_and_it_is_sent_once(hr_client, django_capture_on_commit_callbacks):
    failed = failed_reminder(person(email="ada@example.com"), due=in_a_week())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = retry(hr_client, failed)

    assert len(callbacks) == 1  # one batch handed to the (eager) worker after the commit
    assert "1 failed reminder was retried" in response.content.decode()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.last_error) == ("sent", 1, "")
    assert [m.to for m in mail.outbox] == [["ada@example.com"]]

    with django_capture_on_commit_callbacks(execute=True):
        again = retry(hr_client, failed)

    assert "1 reminder was skipped: only a failed reminder can be retried" in again.content.decode()
    assert len(mail.outbox) == 1


def test_retry_before_the_commit_only_marks_the_row_pending(hr_client, django_capture_on_commit_callbacks):
    failed = failed_reminder(person(), due=in_a_week())

    with django_capture_on_commit_callbacks(execute=False):
        retry(hr_client, failed)

    failed.refresh_from_db()
    assert (failed.status, failed.attempts, failed.claim_token) == ("pending", 0, "")
    assert failed.queued_at is not None and failed.next_attempt_at <= timezone.now()
    assert mail.outbox == []


def test_retry_counts_what_it_retried_and_what_it_skipped(hr_client, django_capture_on_commit_callbacks):
    first = failed_reminder(person(), due=in_a_week())
    second = failed_reminder(person(), due=in_a_week())
    sent = reminder(person(), status="sent")
    pending = reminder(person(), status="pending")

    with django_capture_on_commit_callbacks(execute=True):
        html = retry(hr_client, first, second, sent, pending).content.decode()

    assert "2 failed reminders were retried" in html
    assert "2 reminders were skipped: only failed reminders can be retried" in html
    assert len(mail.outbox) == 2
    assert Reminder.objects.get(pk=sent.pk).attempts == 0  # untouched


def test_staff_who_may_only_view_reminders_get_no_retry_action(client, django_capture_on_commit_callbacks):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_reminder"))
    client.force_login(viewer)
    failed = failed_reminder(person(), due=in_a_week())

    assert client.get(CHANGELIST).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        retry(client, failed)

    assert Reminder.objects.get(pk=failed.pk).status == "failed"
    assert mail.outbox == []


# --- Who may open the pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", "login"), ("ordinary", "login"), ("hr", 200), ("superuser", 200)]
)
def test_only_hr_and_superusers_open_the_reminder_pages(client, hr_user, superuser, who, expected):
    failed = failed_reminder(person(), due=in_a_week())
    if who != "anonymous":
        client.force_login({"ordinary": UserFactory(), "hr": hr_user, "superuser": superuser}[who])
    urls = [CHANGELIST, reverse("admin:reminders_reminder_change", args=[failed.pk]), POLICY]

    for url in urls:
        response = client.get(url)
        if expected == "login":
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("admin:login")), url
        else:
            assert response.status_code == expected, url


def test_an_ordinary_user_cannot_retry(client, django_capture_on_commit_callbacks):
    client.force_login(UserFactory())
    failed = failed_reminder(person(), due=in_a_week())

    with django_capture_on_commit_callbacks(execute=True):
        response = retry(client, failed)

    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
    assert Reminder.objects.get(pk=failed.pk).status == "failed"


# --- The policy ---------------------------------------------------------------------------------


def test_the_policy_list_opens_the_one_policy(hr_client):
    response = hr_client.get(reverse("admin:reminders_reminderpolicy_changelist"))

    assert response.status_code == 302
    assert response["Location"] == POLICY


def test_hr_changes_the_reassessment_interval_and_send_hour(hr_client):
    response = hr_client.post(POLICY, {"reassess_after_months": 3, "send_hour": 14})

    assert response.status_code == 302 and response["Location"] == POLICY
    policy = ReminderPolicy.objects.get()
    assert (policy.pk, policy.reassess_after_months, policy.send_hour) == (1, 3, 14)


@pytest.mark.parametrize(
    ("field", "value"), [("reassess_after_months", 0), ("reassess_after_months", 37), ("send_hour", 24)]
)
def test_the_policy_refuses_values_out_of_range(hr_client, field, value):
    data = {"reassess_after_months": 6, "send_hour": 9} | {field: value}

    response = hr_client.post(POLICY, data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert ReminderPolicy.load().reassess_after_months == 6


def test_the_policy_is_never_added_or_deleted_in_the_panel(hr_client, superuser_client):
    ReminderPolicy.load()
    for client in (hr_client, superuser_client):
        assert client.get(reverse("admin:reminders_reminderpolicy_add")).status_code == 403
        assert client.post(POLICY.replace("change/", "delete/"), {"post": "yes"}).status_code == 403
    assert ReminderPolicy.objects.count() == 1


def test_only_the_one_policy_row_has_a_page(hr_client):
    response = hr_client.get(reverse("admin:reminders_reminderpolicy_change", args=[2]))

    assert response.status_code == 302  # Django's "doesn't exist" redirect to the index
    assert not ReminderPolicy.objects.filter(pk=2).exists()


def test_the_reminders_group_lists_the_log_and_the_policy_for_hr(hr_client):
    response = hr_client.get(reverse("admin:index"))

    groups = {app["name"]: [m["object_name"] for m in app["models"]] for app in response.context["app_list"]}
    assert groups["Reminders"] == ["Reminder", "ReminderPolicy"]


# --- Queries ------------------------------------------------------------------------------------

REMINDER_LIST_QUERIES = 6


@pytest.mark.parametrize("people", [3, 30])
def test_the_reminder_log_costs_the_same_queries_with_ten_times_more_rows(hr_client, people, django_assert_num_queries):
    for n in range(people):
        user = person(name=f"Person {n}")
        plan = plan_for(user, in_a_week())
        milestone = plan.milestones.get()
        now = timezone.now()
        for kind, status in ((Reminder.Kind.UPCOMING, "failed"), (Reminder.Kind.OVERDUE, "sent")):
            Reminder.objects.create(
                user=user,
                milestone=milestone,
                kind=kind,
                due_date=milestone.due_date,
                status=status,
                send_after=now,
                next_attempt_at=now,
                sent_at=now if status == "sent" else None,
                last_error="550 no such user" if status == "failed" else "",
            )
        reminder(user, status="pending")

    hr_client.get(CHANGELIST)  # warm the process-wide caches (content types), as in a running server
    with django_assert_num_queries(REMINDER_LIST_QUERIES):
        response = hr_client.get(CHANGELIST)
    with django_assert_num_queries(REMINDER_LIST_QUERIES):
        hr_client.get(CHANGELIST, {"status__exact": "failed", "q": "Person"})

    assert len(response.context["cl"].result_list) == min(3 * people, 100)


REMINDER_PAGE_QUERIES = 5
POLICY_PAGE_QUERIES = 5


def test_a_reminders_page_and_the_policy_page_cost_a_fixed_number_of_queries(hr_client, django_assert_num_queries):
    failed = failed_reminder(person(), due=in_a_week())
    ReminderPolicy.load()
    for url in (reverse("admin:reminders_reminder_change", args=[failed.pk]), POLICY):
        hr_client.get(url)  # warm the process-wide caches (content types), as in a running server

    with django_assert_num_queries(REMINDER_PAGE_QUERIES):
        hr_client.get(reverse("admin:reminders_reminder_change", args=[failed.pk]))
    with django_assert_num_queries(POLICY_PAGE_QUERIES):
        hr_client.get(POLICY)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/hr/plans/reminder/", CHANGELIST),
        ("/hr/plans/reminder/?status__exact=failed", CHANGELIST + "?status__exact=failed"),
        ("/hr/plans/reminder/7/change/", reverse("admin:reminders_reminder_change", args=[7])),
        ("/hr/plans/reminderpolicy/1/change/", POLICY),
    ],
)
def test_the_panel_addresses_from_before_the_reminders_app_lead_to_the_new_ones(hr_client, old, new):
    response = hr_client.get(old)

    assert (response.status_code, response["Location"]) == (301, new)


# --- The HR group's permissions (accounts/migrations/0007) ----------------------------------------

reminder_migration = importlib.import_module("accounts.migrations.0007_hr_reminder_permissions")
REMINDER_GRANTS = {"reminders.view_reminder", "reminders.retry_reminder", "reminders.view_reminderpolicy",
                   "reminders.change_reminderpolicy"}  # fmt: skip


def hr_permissions() -> set[str]:
    group = Group.objects.get(name=HR_GROUP_NAME)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_hr_may_view_and_retry_reminders_and_change_the_policy_but_never_edit_a_reminder():
    perms = hr_permissions()

    assert perms >= REMINDER_GRANTS
    assert not perms & {"reminders.add_reminder", "reminders.change_reminder", "reminders.delete_reminder",
                        "reminders.add_reminderpolicy", "reminders.delete_reminderpolicy"}  # fmt: skip


class SchemaEditor:
    connection = connection


def state_at(app_label: str, migration: str):
    return MigrationLoader(None).project_state((app_label, migration)).apps


content_type_move = importlib.import_module("reminders.migrations.0002_content_types")
AFTER_THE_MOVE = state_at("reminders", "0002_content_types")


def in_the_plans_app(permissions: set[str]) -> set[str]:
    return {p.replace("reminders.", "plans.", 1) for p in permissions}


@pytest.fixture
def before_the_move():
    """The reminder content types back in the plans app, as they were when accounts 0007 ran."""
    content_type_move.backwards(AFTER_THE_MOVE, SchemaEditor())
    yield
    content_type_move.forwards(AFTER_THE_MOVE, SchemaEditor())
    ContentType.objects.clear_cache()


def test_the_reminder_permissions_migration_reverses_and_reapplies(before_the_move):
    state_apps = state_at("accounts", "0007_hr_reminder_permissions")
    before = hr_permissions()

    reminder_migration.revoke(state_apps, SchemaEditor())
    assert not hr_permissions() & in_the_plans_app(REMINDER_GRANTS)
    assert "plans.view_plan" in hr_permissions()  # the earlier grants stay

    reminder_migration.grant(state_apps, SchemaEditor())
    assert hr_permissions() == before


def test_the_reminder_permissions_migration_creates_the_retry_permission_first(before_the_move):
    # On a fresh database the custom permission does not exist yet while migrations run.
    Permission.objects.filter(codename="retry_reminder").delete()
    state_apps = state_at("accounts", "0007_hr_reminder_permissions")

    reminder_migration.grant(state_apps, SchemaEditor())

    assert "plans.retry_reminder" in hr_permissions()


# --- The move to the reminders app (reminders/migrations/0002) ------------------------------------


def test_moving_the_content_types_takes_hr_s_reminder_grants_along_and_reverses():
    before = hr_permissions()
    assert before >= REMINDER_GRANTS

    content_type_move.backwards(AFTER_THE_MOVE, SchemaEditor())
    assert hr_permissions() == in_the_plans_app(before)

    content_type_move.forwards(AFTER_THE_MOVE, SchemaEditor())
    assert hr_permissions() == before


def test_moving_the_content_types_drops_an_empty_one_made_in_between(before_the_move):
    # post_migrate of a migrate run that stopped after reminders 0001 makes the app's own content type.
    ContentType.objects.create(app_label="reminders", model="reminder")

    content_type_move.forwards(AFTER_THE_MOVE, SchemaEditor())

    assert list(ContentType.objects.filter(model="reminder").values_list("app_label", flat=True)) == ["reminders"]
    assert hr_permissions() >= REMINDER_GRANTS
