"""The mistakes people make, in a real browser: each gets a message that helps, and nothing is lost.

Wrong passwords until log-ins pause; a password-reset link opened too late; a questionnaire
section sent half-filled; a milestone dated in the past; a role HR deleted from the catalog
while an old result still shows it. Every page shown is checked with axe-core.
"""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from accounts.services import hr_member_add
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from assessments.models import Answer
from assessments.tests.factories import submit_self_assessment
from plans.models import Milestone, Plan
from plans.tests.test_plan_pages import post_data_from
from roles.models import Role

from .journey import Visitor, context_args

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser_context_args(browser_context_args):
    return context_args(browser_context_args, "desktop")


@pytest.fixture
def v(page: Page, live_server) -> Visitor:
    return Visitor(page, live_server.url, name="mistakes")


@pytest.fixture
def engineer(catalog, version):
    """An engineer in the small test catalog, with the questionnaire published (root conftest.py)."""
    return UserFactory(
        email="sam.mistakes@example.com", name="Sam Mistakes", profile__current_role=catalog.roles["engineer"]
    )


def logged_in(v: Visitor, user) -> None:
    v.goto("/accounts/login/")
    v.check()
    v.log_in(user.email, TEST_PASSWORD)
    expect(v.page.get_by_role("link", name=user.get_short_name())).to_be_visible()
    v.check()


def saved_plan(user, target: Role) -> Plan:
    """A plan made the way the plan page makes it (through the test client, not the browser)."""
    client = Client()
    client.force_login(user)
    result = user.results.first()
    proposal = client.get(reverse("plans:create"), {"result": result.pk, "target": target.slug})
    client.post(reverse("plans:create"), post_data_from(proposal))
    return Plan.objects.get(user=user, status=Plan.Status.ACTIVE)


def test_wrong_passwords_pause_log_ins_with_a_clear_message_and_the_account_is_intact(v: Visitor, engineer, catalog):
    page = v.page
    limit = settings.AXES_FAILURE_LIMIT
    v.goto("/accounts/login/")
    for attempt in range(1, limit):
        v.log_in(engineer.email, f"wrong-password-{attempt}")
        expect(page.get_by_role("alert")).to_contain_text("That email address and password do not match an account")
        expect(page.get_by_label("Email")).to_have_value(engineer.email)  # nothing to type again
    v.check()

    v.log_in(engineer.email, "wrong-password-again")
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed log-ins")
    expect(page.get_by_role("alert")).to_contain_text(f"After {limit} wrong passwords in a row")
    expect(page.get_by_role("alert")).to_contain_text("Wait 15 minutes, then try again.")
    expect(page.get_by_role("link", name="Reset it by email")).to_be_visible()
    v.check()
    v.shot("01-locked-out")

    # Even the right password waits for the pause to end...
    v.goto("/accounts/login/")
    v.log_in(engineer.email, TEST_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed log-ins")

    # ...and works after it, with the account as it was.
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1), tick=True):
        v.goto("/accounts/login/")
        v.log_in(engineer.email, TEST_PASSWORD)
        expect(page.get_by_role("link", name="Sam")).to_be_visible()
        v.check()
        v.goto("/accounts/profile/")
        expect(page.get_by_label("Full name")).to_have_value("Sam Mistakes")
        expect(page.get_by_label("Current role")).to_have_value(str(catalog.roles["engineer"].pk))
        v.check()
    v.assert_every_page_passed()


def test_an_expired_reset_link_explains_itself_and_a_new_one_works(v: Visitor, engineer):
    page = v.page
    v.goto("/accounts/login/")
    v.check()
    page.get_by_role("link", name="Forgot your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    v.check()
    page.get_by_label("Email").fill(engineer.email)
    page.get_by_role("button", name="Send the reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    v.check()
    assert "works once, for 3 days" in mail.outbox[-1].body
    old_link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)

    # Four days later the link has run out.
    with time_machine.travel(timezone.now() + timedelta(days=4), tick=True):
        page.goto(old_link)
        expect(page.get_by_role("heading", level=1)).to_have_text("This reset link no longer works")
        expect(page.get_by_role("main")).to_contain_text("A reset link works once, for 3 days.")
        v.check()
        v.shot("02-reset-link-expired")
        page.get_by_role("link", name="Send me a new link").click()
        page.get_by_label("Email").fill(engineer.email)
        page.get_by_role("button", name="Send the reset link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
        new_link = re.search(r"http://\S+/accounts/password/reset/\S+/", mail.outbox[-1].body).group(0)
        assert new_link != old_link

        page.goto(new_link)
        expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
        v.check()
        page.get_by_role("textbox", name=re.compile(r"^New Password\*?$")).fill("a-fresh-start-passphrase-7")
        page.get_by_label("New Password (again)").fill("a-fresh-start-passphrase-7")
        page.get_by_role("button", name="Set the new password").click()
        v.check()
        v.goto("/accounts/login/")
        v.log_in(engineer.email, "a-fresh-start-passphrase-7")
        expect(page.get_by_role("link", name="Sam")).to_be_visible()
        v.check()
    v.assert_every_page_passed()


def test_a_half_filled_section_marks_the_missing_questions_and_keeps_the_answers_given(v: Visitor, engineer):
    page = v.page
    logged_in(v, engineer)
    v.goto("/assessments/")
    v.check()
    page.get_by_role("button", name="Start your self-assessment").click()
    questions = page.locator("fieldset.question")
    expect(questions.first).to_be_visible()
    v.check()
    count = questions.count()
    assert count >= 2
    answered = list(range(0, count, 2))  # every other question
    for i in answered:
        questions.nth(i).locator("input[type=radio]").nth(3).check()

    page.get_by_role("button", name="Next section").click()

    missing = count - len(answered)
    summary = page.get_by_role("alert").filter(has_text="still need")
    expect(summary).to_contain_text(f"{missing} question")
    expect(summary).to_contain_text("The answers you gave are saved.")
    for i in range(count):
        radios = questions.nth(i).locator("input[type=radio]")
        if i in answered:
            expect(radios.nth(3)).to_be_checked()
            expect(questions.nth(i)).not_to_contain_text("Please choose an answer.")
        else:
            expect(questions.nth(i)).to_contain_text("Please choose an answer.")
            expect(questions.nth(i)).to_have_attribute("aria-describedby", re.compile(r"^err-"))
    v.check()
    v.shot("03-half-filled-section")
    assert Answer.objects.filter(response__user=engineer).count() == len(answered)

    # Reading the page again shows the same answers: they were stored, not just echoed back.
    page.reload()
    expect(questions.nth(answered[-1]).locator("input[type=radio]").nth(3)).to_be_checked()
    for i in range(count):
        questions.nth(i).locator("input[type=radio]").nth(3).check()
    page.get_by_role("button", name="Next section").click()
    expect(page.get_by_text(re.compile(r"Section 2 of \d"))).to_be_visible()
    v.check()
    v.assert_every_page_passed()


def test_a_milestone_date_in_the_past_is_refused_clearly_and_nothing_typed_is_lost(v: Visitor, engineer, catalog):
    page = v.page
    submit_self_assessment(engineer, 2)
    result = engineer.results.get()
    target = catalog.roles["manager"]
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    logged_in(v, engineer)

    # In the proposal: one title changed, one date in the past.
    v.goto(f"/plans/new/?result={result.pk}&target={target.slug}")
    expect(page.get_by_role("button", name="Save this plan")).to_be_visible()
    v.check()
    page.get_by_role("textbox", name="Title of milestone 1", exact=True).fill("My own words for the first step")
    page.get_by_label("Due date of milestone 2", exact=True).fill(yesterday)
    page.get_by_role("button", name="Save this plan").click()

    expect(page.get_by_role("alert").filter(has_text="Some milestones need attention")).to_contain_text(
        "nothing was saved yet"
    )
    expect(page.locator("tr.table-danger")).to_have_count(1)
    expect(page.locator("tr.table-danger")).to_contain_text("A due date can't be in the past")
    expect(page.get_by_label("Due date of milestone 2", exact=True)).to_have_value(yesterday)
    expect(page.get_by_role("textbox", name="Title of milestone 1", exact=True)).to_have_value(
        "My own words for the first step"
    )
    v.check()
    v.shot("04-proposal-date-in-the-past")
    assert not Plan.objects.filter(user=engineer).exists()

    later = (timezone.localdate() + timedelta(days=60)).isoformat()
    page.get_by_label("Due date of milestone 2", exact=True).fill(later)
    page.get_by_role("button", name="Save this plan").click()
    expect(page.get_by_role("status").filter(has_text="is saved")).to_be_visible()
    v.check()
    plan = Plan.objects.get(user=engineer)
    assert plan.milestones.filter(title="My own words for the first step").exists()

    # Editing a saved milestone: the same rule, the same care.
    milestone = plan.milestones.order_by("order").first()
    page.locator(f"#m-{milestone.pk}").get_by_role("link", name=re.compile("^Edit")).click()
    page.get_by_label("Title").fill("A title I do not want to type twice")
    page.get_by_label("Due date").fill(yesterday)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A due date can't be in the past; choose today or a later date.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("A title I do not want to type twice")
    expect(page.get_by_label("Due date")).to_have_value(yesterday)
    v.check()
    milestone.refresh_from_db()
    assert milestone.title == "My own words for the first step"  # unchanged until a valid save

    # Adding one of their own with a past date.
    v.goto(plan.get_absolute_url())
    page.get_by_role("textbox", name="Title").fill("Present at the design review")
    page.locator("#add-due").fill(yesterday)
    page.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a milestone")
    expect(page.get_by_text("A due date can't be in the past")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Present at the design review")
    v.check()
    assert not Milestone.objects.filter(title="Present at the design review").exists()
    v.assert_every_page_passed()


def test_a_role_hr_deletes_leaves_old_results_and_plans_readable_with_a_note(
    v: Visitor, engineer, catalog, browser: Browser, browser_context_args, live_server
):
    page = v.page
    submit_self_assessment(engineer, 3)
    result = engineer.results.get()
    doomed = catalog.roles["manager"]
    plan = saved_plan(engineer, doomed)
    hr = UserFactory(email="harriet.mistakes@example.com")
    hr_member_add(user=hr)

    # HR deletes the role in the panel: a confirmation page, then a message, not an error.
    hr_tab = Visitor.in_new_context(browser, live_server.url, name="mistakes-hr", args=browser_context_args)
    hr_tab.goto(f"/hr/roles/role/{doomed.pk}/change/")
    hr_tab.page.locator("#id_login").fill(hr.email)
    hr_tab.page.locator("#id_password").fill(TEST_PASSWORD)
    hr_tab.page.get_by_role("button", name="Log in").click()
    hr_tab.page.get_by_role("button", name="Delete", exact=True).click()  # the admin's link styled as a button
    confirmation = hr_tab.page.locator("#content")
    expect(confirmation).to_contain_text("Are you sure you want to delete the role")
    expect(confirmation).to_contain_text("Nobody's data is lost")
    hr_tab.shot("06-hr-deletes-a-role")
    hr_tab.page.get_by_role("button", name=re.compile("Yes, I.m sure")).click()
    expect(hr_tab.page.locator(".messagelist")).to_contain_text("was deleted successfully")
    assert not Role.objects.filter(pk=doomed.pk).exists()
    hr_tab.page.context.close()

    # The engineer's old result still reads, and says what happened.
    logged_in(v, engineer)
    v.goto(f"{result.get_absolute_url()}?target={doomed.slug}")
    expect(page.get_by_role("heading", name=f"You and {doomed.name}", exact=True)).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="has been removed from the roles catalog")).to_be_visible()
    next_step = page.locator(".card", has=page.get_by_role("heading", name=f"Plan for {doomed.name}"))
    expect(next_step).to_contain_text("no longer in the roles catalog, so there is no plan to make for it")
    expect(next_step.get_by_role("link", name="browse the roles catalog")).to_be_visible()
    expect(page.get_by_role("link", name=f"About {doomed.name}")).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(f"Make a plan for {doomed.name}"))).to_have_count(0)
    v.check()
    v.shot("05-result-role-deleted")

    # So does the plan made for it.
    v.goto(plan.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Toward {doomed.name}")
    expect(page.locator("ol.list-unstyled > li.card")).to_have_count(plan.milestones.count())
    v.check()

    # Asking for a new plan toward it by its old address is answered, not failed.
    v.goto(f"/plans/new/?result={result.pk}&target={doomed.slug}")
    expect(page.get_by_role("alert")).to_contain_text("That role is not in the catalog any more")
    v.check()
    v.assert_every_page_passed()
