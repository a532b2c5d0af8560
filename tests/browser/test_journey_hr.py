"""HR runs careerpath from the panel in a real browser, every page checked with axe-core.

Log in; raise a skill requirement of a role and add another (inline on the role's page, the
new skill picked with the autocomplete); clone the active questionnaire into a draft and
publish it; find an engineer by name and open their plan (which leaves an access record);
read the readiness dashboard; retry a reminder that failed (it is then sent, once); download
an export.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.services import hr_member_add
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from assessments.models import QuestionnaireVersion
from assessments.tests.factories import build_questionnaire, submit_self_assessment
from hr import services as hr_services
from hr.models import AccessRecord
from hr.tests.factories import stored_plan, stored_result
from reminders.models import Reminder
from roles.models import RoleRequirement
from roles.tests.factories import SkillFactory, build_catalog

from .journey import DOCS_IMG, UPDATE_SCREENSHOTS, Visitor, context_args


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args, "desktop")


def failed_reminder_for(plan) -> Reminder:
    """The plan's first milestone's "coming up" email, failed for good with the server's refusal."""
    milestone = plan.milestones.order_by("order").first()
    now = timezone.now()
    return Reminder.objects.create(
        user=plan.user,
        milestone=milestone,
        kind=Reminder.Kind.UPCOMING,
        due_date=milestone.due_date,
        status=Reminder.Status.FAILED,
        send_after=now,
        next_attempt_at=now,
        attempts=5,
        last_error="SMTPRecipientsRefused: 452 4.2.2 mailbox full",
    )


def colleagues(catalog, version) -> None:
    """A few more engineers, so the dashboard has something to show: results and plans stored directly."""
    software, mechanical = catalog.disciplines["software"], catalog.disciplines["mechanical"]
    for name, discipline, fit, readiness, target in [
        ("Grace Hopper", software, "managerial", {"manager": 72}, ("manager", "Engineering Manager")),
        ("Linus Torvalds", software, "technical", {"senior": 55}, ("senior", "Senior Engineer")),
        ("Margaret Hamilton", software, "project", {"project-manager": 88}, ("project-manager", "Project Manager")),
        ("Emily Roebling", mechanical, "project", {"project-manager": 64}, ("project-manager", "Project Manager")),
        (
            "Henry Ford",
            mechanical,
            "managerial",
            {"mech-manager": 91},
            ("mech-manager", "Mechanical Engineering Manager"),
        ),
        ("Barbara Liskov", software, "balanced", {"staff": 70}, None),
        ("Ken Thompson", mechanical, None, None, None),
    ]:
        first, last = name.lower().split()
        user = UserFactory(email=f"{first}.{last}@example.com", name=name, profile__discipline=discipline)
        if fit:
            stored_result(user, version=version, best_fit=fit, readiness=readiness)
        if target:
            stored_plan(
                user, target=target[0], target_name=target[1], milestones=[{"kind": "skill", "subject": "people"}]
            )
    # Stored without a submit: take them into the dashboard as the beat's refresh would.
    hr_services.dashboard_refresh()


def panel_link(page: Page, name: str) -> None:
    """Follow a model's link on the panel's index (not a group's heading, not the side bar)."""
    page.locator("#content-main th[scope=row]").get_by_role("link", name=name, exact=True).click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hr_edits_the_catalog_publishes_a_questionnaire_reads_people_and_retries_a_reminder(
    page: Page, live_server, settings, tmp_path
):
    settings.SITE_URL = live_server.url  # links in emails point at this server
    catalog = build_catalog()
    budgeting = SkillFactory(name="Budgeting and forecasting", slug="budgeting", area=catalog.areas["leadership"])
    active = build_questionnaire(skills=list(catalog.skills.values()))
    hr = UserFactory(email="harriet.hr@example.com", name="Harriet HR")
    hr_member_add(user=hr)
    ada = UserFactory(
        email="ada.lovelace@example.com", name="Ada Lovelace", profile__current_role=catalog.roles["engineer"]
    )
    colleagues(catalog, active)
    submit_self_assessment(ada, 4)
    today = timezone.localdate()
    plan = stored_plan(
        ada,
        target="senior",
        target_name="Senior Engineer",
        milestones=[
            {"kind": "skill", "subject": "design", "title": "Lead a design review", "due": today + timedelta(days=5)},
            {"kind": "skill", "subject": "planning", "title": "Plan a quarter", "due": today + timedelta(days=60)},
        ],
    )
    reminder = failed_reminder_for(plan)
    manager = catalog.roles["manager"]
    v = Visitor(page, live_server.url, name="hr")

    # Log in to the panel.
    v.goto("/hr/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fhr%2F"))  # the panel's log-in is the site's
    v.check()
    page.locator("#id_login").fill(hr.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="careerpath HR")).to_be_visible()
    v.check()
    v.shot("01-index")

    # Catalog: the Engineering Manager's skills, inline on the role's page.
    panel_link(page, "Roles")
    v.check()
    page.get_by_role("link", name=manager.name, exact=True).click()
    expect(page.get_by_role("heading", level=2, name=manager.name)).to_be_visible()
    v.check()
    people_row = page.locator("#requirements-group tr.form-row").filter(has_text="Coaching people")
    people_row.locator("input[name$='-level']").fill("5")
    new_row = page.locator("#requirements-group tr.form-row:not(.has_original):not(.empty-form)").last
    new_row.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Budget")
    page.locator(".select2-results__option", has_text=budgeting.name).click()
    new_row.locator("input[name$='-level']").fill("3")
    v.shot("02-role-requirements")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    v.check()
    levels = dict(RoleRequirement.objects.filter(role=manager).values_list("skill__slug", "level"))
    assert levels["people"] == 5
    assert levels["budgeting"] == 3
    assert len(levels) == 5

    # Questionnaires: clone the active version into a draft, publish it.
    page.get_by_role("link", name="Home", exact=True).click()
    panel_link(page, "Questionnaire versions")
    v.check()
    page.get_by_role("link", name=re.compile(rf"v{active.number} \(Published\)")).click()
    v.check()
    page.get_by_role("button", name="Clone into a new draft").click()
    expect(page.locator(".messagelist")).to_contain_text(f"new draft v{active.number + 1}")
    v.check()
    page.get_by_role("button", name="Publish and make active").click()
    expect(page.locator(".messagelist")).to_contain_text("is published and active")
    v.check()
    v.shot("03-questionnaire-published")
    published = QuestionnaireVersion.objects.get(is_active=True)
    assert (published.number, published.status) == (active.number + 1, "published")

    # People: find Ada by name, open her plan; the visit is recorded.
    page.get_by_role("link", name="Home", exact=True).click()
    panel_link(page, "Engineers")
    v.check()
    page.locator("#searchbar").fill("Lovelace")
    page.locator("#searchbar").press("Enter")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Ada Lovelace")
    v.check()
    v.shot("04-people-search")
    assert not AccessRecord.objects.exists()
    rows.first.get_by_role("link", name="Senior Engineer", exact=True).click()  # the plan, not the result
    expect(page.get_by_role("heading", level=1)).to_contain_text("Senior Engineer")
    expect(page.get_by_role("heading", name="Lead a design review")).to_be_visible()
    v.check()
    v.shot("05-plan")
    record = AccessRecord.objects.get()
    assert (record.actor_id, record.subject_id, record.kind, record.object_id) == (hr.pk, ada.pk, "plan", plan.pk)

    # The readiness dashboard.
    v.nav("Dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness dashboard")
    expect(page.get_by_role("heading", name="Readiness pipeline by target role")).to_be_visible()
    expect(page.get_by_role("heading", name="Track orientation")).to_be_visible()
    v.check()
    v.shot("06-dashboard")
    if UPDATE_SCREENSHOTS:
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(DOCS_IMG / "hr-dashboard.png"))  # the first screenful, 1200 px wide

    # Reminders: the failed one, retried; it is sent once.
    v.goto("/hr/")
    panel_link(page, "Reminders")
    v.check()
    page.get_by_role("link", name="Failed", exact=True).click()
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("452 4.2.2 mailbox full")
    v.check()
    v.shot("07-failed-reminders")
    mail.outbox.clear()
    rows.first.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Retry the selected failed reminders")
    page.get_by_role("button", name="Run").click()
    expect(page.locator(".messagelist")).to_contain_text("1 failed reminder was retried")
    v.check()
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 1, "")
    assert [m.to for m in mail.outbox] == [[ada.email]]
    assert "Lead a design review" in mail.outbox[0].body
    page.get_by_role("link", name="Sent", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    v.check()
    assert len(mail.outbox) == 1

    # An export downloads as a CSV file.
    page.get_by_role("navigation", name="HR pages").get_by_role("link", name="Exports").click()
    v.check()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download plans and milestones (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"careerpath-plans-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0].startswith("plan_id,person_id,email,plan_status")
    assert sum(ada.email in line for line in lines[1:]) == 2  # one row per milestone

    v.assert_every_page_passed()
