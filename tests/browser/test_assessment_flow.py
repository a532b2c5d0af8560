"""An engineer answers the real questionnaire in Chromium, leaves half-way, resumes, submits,
sees the chart and the matches, then makes a plan, ticks a milestone off and downloads the calendar."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from icalendar import Calendar
from playwright.sync_api import Page, expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from assessments.models import Response
from plans.models import Milestone, Plan
from roles.models import Role

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def answer_section(page: Page, value: int) -> None:
    """Choose the value-th option of every question on the page, by keyboard-reachable radio labels."""
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input[type=radio]").nth(value - 1).check()


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_role("textbox", name=re.compile(r"^Password\*?$")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_answer_leave_resume_submit_then_plan(page: Page, live_server):
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    engineer = Role.objects.get(slug="engineer")
    user = UserFactory(email="browser.engineer@example.com", profile__current_role=engineer)
    page.set_default_timeout(15_000)

    log_in(page, live_server.url, user.email)
    page.goto(f"{live_server.url}/assessments/")
    page.get_by_role("button", name="Start your self-assessment").click()
    expect(page.get_by_text(re.compile(r"Section 1 of 5"))).to_be_visible()

    # Next without answering: the missing questions are marked, nothing is lost.
    page.get_by_role("button", name="Next section").click()
    expect(page.get_by_role("alert").filter(has_text="still need")).to_be_visible()

    # Answer the first two sections (the first one using the keyboard), then leave.
    first = page.locator("fieldset.question input[type=radio]").first
    first.focus()
    page.keyboard.press("ArrowRight")  # moves within the radio group and selects the next option
    expect(page.locator("fieldset.question").first.locator("input[type=radio]").nth(1)).to_be_checked()
    answer_section(page, 4)
    shot(page, "questionnaire-section-1")
    page.get_by_role("button", name="Next section").click()
    expect(page.get_by_text(re.compile(r"Section 2 of 5"))).to_be_visible()
    answer_section(page, 2)
    page.get_by_role("button", name="Save and continue later").click()
    expect(page.get_by_role("heading", name="You have a self-assessment in progress")).to_be_visible()

    # Come back in a new session: resume where we were, answers in place.
    page.context.clear_cookies()
    log_in(page, live_server.url, user.email)
    page.goto(f"{live_server.url}/assessments/")
    page.get_by_role("link", name="Resume").click()
    expect(page.get_by_text(re.compile(r"Section 2 of 5"))).to_be_visible()
    expect(page.locator("fieldset.question").first.locator("input[type=radio]").nth(1)).to_be_checked()
    page.get_by_role("button", name="Next section").click()
    for section in (3, 4, 5):
        expect(page.get_by_text(re.compile(rf"Section {section} of 5"))).to_be_visible()
        answer_section(page, 3 if section < 4 else 2)
        page.get_by_role("button", name=re.compile("Next section|Review and submit")).click()

    page.get_by_role("button", name="Submit and see my result").click()
    expect(page.get_by_role("heading", name=re.compile("Your direction"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Your next step: "))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Your skill levels against"))).to_be_visible()
    expect(page.get_by_role("heading", name="Next steps: one move away")).to_be_visible()
    assert page.locator("#next-steps-heading ~ ol > li").count() >= 1
    shot(page, "result")
    assert Response.objects.get(user=user).is_submitted

    # Make a plan for Engineering Manager from the result, save the proposal, tick a milestone off.
    page.goto(page.url.split("?")[0] + "?target=engineering-manager")
    page.get_by_role("link", name=re.compile("Make a plan for Engineering manager", re.I)).last.click()
    expect(page.get_by_role("heading", name=re.compile("Your plan toward Engineering manager", re.I))).to_be_visible()
    page.get_by_role("button", name="Save this plan").click()
    expect(page.get_by_role("status").filter(has_text="is saved")).to_be_visible()
    plan = Plan.objects.get(user=user)
    first_milestone = plan.milestones.order_by("order").first()
    card = page.locator(f"#m-{first_milestone.pk}")
    card.get_by_label("Status").select_option("done")
    card.get_by_role("button", name=re.compile("^Update")).click()
    expect(page.get_by_role("status").filter(has_text="is now done")).to_be_visible()
    first_milestone.refresh_from_db()
    assert first_milestone.status == Milestone.Status.DONE
    shot(page, "plan")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download .ics").click()
    calendar = Calendar.from_ical(Path(download_info.value.path()).read_bytes())
    assert len(calendar.walk("VEVENT")) == plan.milestones.count()
