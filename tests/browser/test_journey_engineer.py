"""An engineer tries careerpath as a new user would, on a desktop and on a phone.

From the landing page and the career map to sign-up, the profile, the whole
self-assessment (left half-way and resumed in another browser), the result and its
chart, a plan two steps up, its calendar and CSV, a reminder email a few weeks later
(with time moved, the sweep run as the beat would, links followed in the browser), a
re-assessment a month later, the data export and finally deleting the account. Every
page is checked with axe-core.
"""

import csv
import io
import json
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from assessments.forms import field_name
from assessments.models import Item
from plans.models import Milestone, Plan
from reminders.models import Reminder
from reminders.tasks import sweep_reminders

from .journey import (
    DOCS_IMG,
    UPDATE_SCREENSHOTS,
    VIEWPORTS,
    Visitor,
    answer_remaining_sections,
    answer_section,
    context_args,
)

PASSWORD = "journey-through-careers-42"
TIME_ZONE = "Asia/Tokyo"
ZONE = ZoneInfo(TIME_ZONE)


@pytest.fixture
def browser_context_args(browser_context_args, request):
    return context_args(browser_context_args, request.node.callspec.params["viewport"])


# Kim's self-ratings the first time (the n-th skill question takes the n-th value, cycling).
FIRST_SKILLS = (3, 4, 2, 3)


def technical_leaning_answers() -> dict[str, int]:
    """How someone who leans clearly, and consistently, towards the technical track answers each question.

    Agree (4) with what points to technical work and disagree (2) with what points away from it;
    the other way round for management and project work; for a choice, the technical option.
    Skill questions are left out (`FIRST_SKILLS`).
    """
    answers = {}
    for item in Item.objects.filter(version__is_active=True).prefetch_related("keys"):
        if item.kind == Item.Kind.SKILL:
            continue
        lean = sum(k.direction if k.dimension == "technical" else -k.direction for k in item.keys.all() if not k.option)
        if item.kind == Item.Kind.CHOICE:
            b_is_technical = any(k.dimension == "technical" for k in item.keys.all() if k.option == "b")
            a_is_technical = any(k.dimension == "technical" for k in item.keys.all() if k.option == "a")
            lean = 1 if b_is_technical else -1 if a_is_technical else 0
        answers[field_name(item)] = 3 + (lean > 0) - (lean < 0)
    return answers


def local_moment(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZONE)


def save_docs_image(v: Visitor, name: str, *, start_at: str | None = None) -> None:
    """The README's picture of this page, 900 pixels tall at the desktop width (only on request).

    It starts at the element `start_at` selects (a little above it), or at the top of the page.
    """
    if not (UPDATE_SCREENSHOTS and v.name == "desktop"):
        return
    DOCS_IMG.mkdir(parents=True, exist_ok=True)
    top = (
        max(v.page.locator(start_at).bounding_box()["y"] + v.page.evaluate("window.scrollY") - 24, 0) if start_at else 0
    )
    size = VIEWPORTS["desktop"]
    v.page.screenshot(path=str(DOCS_IMG / f"{name}.png"), full_page=True, clip={"x": 0, "y": top, **size})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_an_engineer_goes_from_the_landing_page_to_a_plan_and_back_out(
    page: Page, browser: Browser, browser_context_args, live_server, settings, viewport
):
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    settings.SITE_URL = live_server.url  # links in emails point at this server
    email = f"kim.{viewport}@example.com"
    v = Visitor(page, live_server.url, name=viewport)

    # --- Land on the home page and read the career map ----------------------------------
    v.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Technical track or management track?")
    v.check()
    v.shot("01-home")
    page.get_by_role("link", name="See the career map").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Career map")
    expect(page.get_by_role("link", name="Staff engineer").first).to_be_attached()
    v.check()
    v.shot("02-career-map")

    # --- Sign up and fill in the profile ---------------------------------------------------
    v.nav("Sign up")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    v.check()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Full name").fill("Kim Journey")
    page.get_by_role("textbox", name=re.compile(r"^Password\*?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    v.check()
    # The confirmation link arrives by email (the page answers alike for any address).
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)[1]
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your address")
    v.check()
    page.get_by_role("button", name="Confirm my address").click()
    expect(page.get_by_role("status").filter(has_text="Fill in your profile")).to_be_visible()
    v.check()
    page.get_by_label("Discipline").select_option(label="Software engineering")
    page.get_by_label("Current role").select_option(label="Engineer")
    page.get_by_label("Years of professional experience").fill("3")
    page.get_by_label("Highest education").select_option(label="Bachelor's degree")
    page.get_by_label("Time zone").select_option(TIME_ZONE)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status").filter(has_text="Your profile is saved.")).to_be_visible()
    v.check()
    v.shot("03-profile")
    user = User.objects.select_related("profile__current_role").get(email=email)
    assert (user.profile.current_role.slug, user.profile.time_zone) == ("engineer", TIME_ZONE)

    # --- No plan yet, and no result: each page says what to do next ----------------------
    v.nav("My plan")
    expect(page.get_by_text("You have no active plan yet")).to_be_visible()
    v.check()
    page.get_by_role("main").get_by_role("link", name="the self-assessment").click()
    expect(page.get_by_text("No results yet")).to_be_visible()
    v.check()

    # --- The self-assessment: start, answer two sections, leave --------------------------
    page.get_by_role("button", name="Start your self-assessment").click()
    expect(page.get_by_text("Section 1 of 5")).to_be_visible()
    v.check()
    answers = technical_leaning_answers()
    answer_section(page, answers, FIRST_SKILLS)
    page.get_by_role("button", name="Next section").click()
    expect(page.get_by_text("Section 2 of 5")).to_be_visible()
    v.check()
    answer_section(page, answers, FIRST_SKILLS)
    page.get_by_role("button", name="Save and continue later").click()
    expect(page.get_by_role("heading", name="You have a self-assessment in progress")).to_be_visible()
    v.check()
    assert v.failures == {}, v.failures

    # --- Come back on another device: log in, resume where they left off ------------------
    page = v.new_device(browser, browser_context_args)
    v.goto("/assessments/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/assessments/$"))
    v.check()
    v.log_in(email, PASSWORD)
    expect(page.get_by_role("heading", name="You have a self-assessment in progress")).to_be_visible()
    page.get_by_role("link", name="Resume").click()
    expect(page.get_by_text("Section 2 of 5")).to_be_visible()
    first_question = page.locator("fieldset.question").first.locator("input[type=radio]")
    given = answers[first_question.first.get_attribute("name")]
    expect(first_question.nth(given - 1)).to_be_checked()  # the answer given before leaving
    page.get_by_role("button", name="Next section").click()
    answer_remaining_sections(v, answers, FIRST_SKILLS)
    page.get_by_role("button", name="Submit and see my result").click()

    # --- The result and its chart, which has a text alternative --------------------------
    expect(page.get_by_role("heading", name=re.compile("Your direction"))).to_be_visible()
    expect(page.get_by_role("heading", name="Next steps: one move away")).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("Your skill levels against what .+ expects"))
    expect(chart).to_be_visible()
    expect(page.locator("#radar-desc")).to_contain_text("The same numbers are in the table beside it")
    table = page.get_by_role("table", name=re.compile("Skills .+ expects, levels 1–5"))
    expect(table.locator("tbody tr").first).to_be_visible()
    v.check()
    v.shot("04-result")

    # --- A plan toward a role two steps up: Engineer → Senior engineer → Staff engineer ---
    page.get_by_label("Compare yourself with another role").select_option("staff-engineer")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("heading", name="You and Staff engineer", exact=True)).to_be_visible()
    v.check()
    save_docs_image(v, "result", start_at="#target-heading")
    page.get_by_role("link", name=re.compile("Make a plan for Staff engineer", re.I)).last.click()
    expect(page.get_by_role("heading", name=re.compile("Your plan toward Staff engineer", re.I))).to_be_visible()
    route = page.get_by_role("region", name="The usual route").locator("ol.path-steps li")
    expect(route).to_have_count(3)
    expect(route.nth(0)).to_contain_text("Engineer")
    expect(route.nth(1)).to_contain_text(re.compile("Senior engineer", re.I))
    expect(route.nth(2)).to_contain_text(re.compile("Staff engineer", re.I))
    v.check()
    page.get_by_role("button", name="Save this plan").click()
    expect(page.get_by_role("status").filter(has_text="is saved")).to_be_visible()
    v.check()
    plan = Plan.objects.get(user=user)
    assert plan.target_slug == "staff-engineer"
    assert [step["slug"] for step in plan.path] == ["engineer", "senior-engineer", "staff-engineer"]
    milestones = list(plan.milestones.order_by("order"))
    first, second = milestones[0], milestones[1]

    # Bring the second milestone forward to four weeks from today (in Tokyo).
    today = timezone.localtime(timezone.now(), ZONE).date()
    new_due = today + timedelta(days=28)
    page.locator(f"#m-{second.pk}").get_by_role("link", name=re.compile("^Edit")).click()
    expect(page.get_by_role("heading", name="Edit milestone")).to_be_visible()
    v.check()
    page.get_by_label("Due date").fill(new_due.isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="Milestone saved.")).to_be_visible()
    expect(page.locator(f"#m-{second.pk} time")).to_have_attribute("datetime", new_due.isoformat())
    v.check()

    # Tick the first one off.
    card = page.locator(f"#m-{first.pk}")
    card.get_by_label("Status").select_option("done")
    card.get_by_role("button", name=re.compile("^Update")).click()
    expect(page.get_by_role("status").filter(has_text="is now done")).to_be_visible()
    v.check()
    v.shot("05-plan")
    save_docs_image(v, "plan")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Milestone.Status.DONE
    assert second.due_date == new_due
    open_milestones = plan.milestones.exclude(status=Milestone.Status.DONE).order_by("due_date", "order")
    assert open_milestones.first() == second  # it is now the next milestone

    # --- The calendar feed and the CSV -------------------------------------------------------
    with page.expect_download() as download:
        page.get_by_role("link", name="Download .ics").click()
    events = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert len(events) == len(milestones)
    by_uid = {str(e["uid"]): e for e in events}
    assert by_uid[f"milestone-{second.pk}@careerpath"].decoded("dtstart") == new_due
    assert str(by_uid[f"milestone-{first.pk}@careerpath"]["summary"]) == f"✓ {first.title}"

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == f"careerpath-plan-{plan.pk}.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert [row["title"] for row in rows] == [m.title for m in milestones]
    assert rows[0]["status"] == "Done"
    assert rows[0]["completed_at"] == today.isoformat()
    assert rows[1]["due_date"] == new_due.isoformat()
    assert {row["status"] for row in rows[1:]} == {"To do"}

    # --- Three weeks later, at 10:00 in Tokyo: the reminder for the next milestone --------
    mail.outbox.clear()
    with time_machine.travel(local_moment(new_due - timedelta(days=7), 10), tick=True):
        sweep_reminders.delay()  # what the beat does every 15 minutes (tasks run eagerly in tests)
        assert [m.to for m in mail.outbox] == [[email]]
        message = mail.outbox[0]
        assert second.title in message.subject
        assert Reminder.objects.get(user=user).milestone == second
        link = re.search(rf"{re.escape(live_server.url)}/plans/{plan.pk}/#m-{second.pk}", message.body)
        assert link, message.body
        unsubscribe = re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)
        assert unsubscribe in message.body

        # The link works in the browser: the session (two weeks) has expired meanwhile, so log in first.
        page = v.new_tab()  # opened from the mail client
        page.goto(link.group(0))
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        v.check()
        v.log_in(email, PASSWORD)
        expect(page.locator(f"#m-{second.pk}")).to_contain_text(second.title)
        v.check()

        # One-click unsubscribe, from a browser that is not logged in.
        stranger = Visitor.in_new_context(browser, live_server.url, name=f"{viewport}-mail", args=browser_context_args)
        stranger.page.goto(unsubscribe)
        expect(stranger.page.get_by_role("heading", name="Stop reminder emails")).to_be_visible()
        stranger.check()
        stranger.page.get_by_role("button", name="Turn off reminders").click()
        expect(stranger.page.get_by_role("heading", name="Reminders are off")).to_be_visible()
        stranger.check()
        stranger.shot("06-unsubscribed")
        stranger.assert_every_page_passed()
        stranger.page.context.close()

        # The profile shows reminders off.
        v.nav(user.get_short_name())
        expect(page.get_by_label("Email me reminders about my plan")).not_to_be_checked()
        v.check()

    # --- A month after the first one: take the self-assessment again, see the progress ----
    again = local_moment(today + timedelta(days=32), 11)
    with time_machine.travel(again, tick=True):
        v.nav("Self-assessment")  # still logged in since the reminder, eleven days ago
        page.get_by_role("button", name="Take it again").click()
        answer_remaining_sections(v, answers, 5)  # the same leanings; every skill now at 5
        page.get_by_role("button", name="Submit and see my result").click()
        expect(page.get_by_role("heading", name=re.compile("Your direction"))).to_be_visible()
        # The live server runs in another thread and sees the moved clock, in the person's time zone.
        expect(page.get_by_text(f"Submitted {again.day} {again:%B %Y}")).to_be_visible()
        v.check()

        v.nav("My plan")
        v.check()
        page.get_by_role("link", name=re.compile("Toward Staff engineer", re.I)).click()
        changes = page.get_by_role("region", name=re.compile("Since your newer self-assessment"))
        expect(changes).to_contain_text("You now rate yourself at the target level for")
        v.check()
        v.shot("07-plan-progress")
        reached = changes.get_by_role("button", name=re.compile("^Mark done")).first
        reached.click()
        expect(page.get_by_role("status").filter(has_text="is now done")).to_be_visible()
        v.check()
        assert plan.milestones.filter(status=Milestone.Status.DONE).count() == 2

    # --- Export their data, then delete the account ----------------------------------------
    v.nav(user.get_short_name())
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your data").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    exported_text = json.dumps(exported)
    assert email in exported_text
    assert "staff-engineer" in exported_text
    assert all(m.title in exported_text for m in milestones)
    # The same data to read: names, not ids.
    page.get_by_role("link", name="See your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Everything careerpath holds about you")
    expect(page.get_by_role("main")).to_contain_text("Staff engineer")
    v.check()
    # Their own home: the plan they made, with its progress.
    v.goto("/")
    expect(page.get_by_role("heading", name="Your plan")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("2 of ")
    v.check()
    v.nav(user.get_short_name())

    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    v.check()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label(re.compile("I understand that my profile")).check()
    page.get_by_role("button", name="Erase my account").click()
    expect(
        page.get_by_role("status").filter(has_text="everything careerpath held about you are erased")
    ).to_be_visible()
    v.check()
    assert not User.objects.filter(email=email).exists()
    assert not Plan.objects.filter(pk=plan.pk).exists()

    v.nav("Log in")
    v.log_in(email, PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    v.check()
    v.shot("08-deleted")

    v.assert_every_page_passed()
