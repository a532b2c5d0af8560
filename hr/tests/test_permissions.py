"""Who may open which panel page: HR, an ordinary user, an anonymous visitor and a superuser, on every URL."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from hr.views import DASHBOARD_TABLES
from reminders.models import Reminder

from .factories import stored_plan

pytestmark = pytest.mark.django_db

ANONYMOUS, ORDINARY, HR, SUPERUSER = "anonymous", "ordinary", "hr", "superuser"


@pytest.fixture
def objects(make_result, version):
    engineer = UserFactory(name="Ada Engineer")
    result = make_result(engineer)
    plan = stored_plan(engineer, milestones=[{"kind": "skill", "subject": "design"}])
    item = version.items.first()
    now = timezone.now()
    reminder = Reminder.objects.create(
        user=engineer,
        kind=Reminder.Kind.REASSESS,
        due_date=now.date(),
        status=Reminder.Status.FAILED,
        send_after=now,
        next_attempt_at=now,
        last_error="550 no such user",
    )
    return {"engineer": engineer, "result": result, "plan": plan, "version": version, "item": item,
            "reminder": reminder}  # fmt: skip


def panel_urls(o) -> list[tuple[str, int]]:
    """(url, status for HR) of every page HR uses; superusers get the same, others none."""
    person, result, plan = o["engineer"], o["result"], o["plan"]
    urls = [
        (reverse("admin:index"), 200),
        (reverse("hr:dashboard"), 200),
        *[(reverse("hr:dashboard_csv", args=[chart]), 200) for chart in DASHBOARD_TABLES],
        (reverse("hr:exports"), 200),
        (reverse("hr:export_people"), 200),
        (reverse("hr:export_plans"), 200),
        (reverse("hr:export_results"), 200),
        (reverse("hr:person_result", args=[person.pk, result.pk]), 200),
        (reverse("hr:person_plan", args=[person.pk, plan.pk]), 200),
        (reverse("admin:hr_person_changelist"), 200),
        (reverse("admin:hr_person_change", args=[person.pk]), 200),
        (reverse("admin:assessments_questionnaire_changelist"), 200),
        (reverse("admin:assessments_questionnaireversion_changelist"), 200),
        (reverse("admin:assessments_questionnaireversion_change", args=[o["version"].pk]), 200),
        (reverse("admin:assessments_questionnaireversion_preview", args=[o["version"].pk]), 200),
        (reverse("admin:assessments_item_changelist"), 200),
        (reverse("admin:assessments_item_change", args=[o["item"].pk]), 200),
        (reverse("admin:assessments_result_changelist"), 200),
        (reverse("admin:assessments_result_change", args=[result.pk]), 302),  # on to HR's result page
        (reverse("admin:assessments_response_changelist"), 200),
        (reverse("admin:assessments_response_change", args=[result.response_id]), 200),
        (reverse("admin:plans_plan_changelist"), 200),
        (reverse("admin:plans_plan_change", args=[plan.pk]), 302),  # on to HR's plan page
        (reverse("admin:roles_role_changelist"), 200),
        (reverse("admin:reminders_reminder_changelist"), 200),
        (reverse("admin:reminders_reminder_change", args=[o["reminder"].pk]), 200),  # read-only
        (reverse("admin:reminders_reminderpolicy_changelist"), 302),  # on to the one policy's page
        (reverse("admin:reminders_reminderpolicy_change", args=[1]), 200),
    ]
    return urls


def superuser_only_urls() -> list[str]:
    return [
        reverse("admin:hr_accessrecord_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:accounts_user_changelist"),
    ]


def log_in(client, who, hr_user, superuser):
    if who == ORDINARY:
        client.force_login(UserFactory())
    elif who == HR:
        client.force_login(hr_user)
    elif who == SUPERUSER:
        client.force_login(superuser)


@pytest.mark.parametrize("who", [ANONYMOUS, ORDINARY, HR, SUPERUSER])
def test_every_panel_url_admits_hr_and_superusers_and_turns_away_everyone_else(
    client, who, objects, hr_user, superuser
):
    log_in(client, who, hr_user, superuser)
    login_url = reverse("admin:login")

    for url, hr_status in panel_urls(objects):
        response = client.get(url)
        if who in (HR, SUPERUSER):
            assert response.status_code == hr_status, url
        elif who == ANONYMOUS:
            assert response.status_code == 302, url
            assert response["Location"].startswith(login_url), url
        elif url.startswith("/hr/") and response.status_code == 302:
            # Django's admin sends a logged-in non-staff person to its log-in page.
            assert response["Location"].startswith(login_url), url
        else:
            assert response.status_code == 403, url


@pytest.mark.parametrize("who", [ANONYMOUS, ORDINARY, HR, SUPERUSER])
def test_the_access_log_and_account_admin_are_for_superusers_only(client, who, hr_user, superuser):
    log_in(client, who, hr_user, superuser)

    for url in superuser_only_urls():
        response = client.get(url)
        expected = {ANONYMOUS: 302, ORDINARY: 302, HR: 403, SUPERUSER: 200}[who]
        assert response.status_code == expected, url


def test_ordinary_users_get_403_on_the_panels_own_pages(client, objects):
    client.force_login(UserFactory())

    assert client.get(reverse("hr:dashboard")).status_code == 403
    assert client.get(reverse("hr:export_people")).status_code == 403
    assert (
        client.get(reverse("hr:person_result", args=[objects["engineer"].pk, objects["result"].pk])).status_code == 403
    )


def test_staff_outside_the_hr_group_can_enter_the_admin_but_not_the_panel_pages(client, objects):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("hr:dashboard")).status_code == 403
    assert client.get(reverse("admin:hr_person_changelist")).status_code == 403


def test_the_old_admin_address_leads_to_the_panel(client):
    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
