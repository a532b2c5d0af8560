"""The demo as `make run` seeds it, seen by the demo manager: they log in with the printed password and their
team page is populated (every report with a verdict, calibrated readiness, plan progress; one plan kept
private), at desktop and phone width, with nothing wider than the screen and axe-core clean.

With CAREERPATH_UPDATE_SCREENSHOTS=1 the desktop team page is saved for the README (docs/img/team.png).
"""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, expect

from accounts.management.commands.create_demo_users import DEMO_MANAGER

from .journey import DOCS_IMG, UPDATE_SCREENSHOTS, Visitor

VIEWPORTS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_manager_logs_in_and_sees_their_team_populated(browser: Browser, live_server, settings):
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    settings.DEBUG = True  # create_demo_users runs only with it, as under `make run`
    call_command("create_demo_users", stdout=io.StringIO())
    settings.DEBUG = False
    call_command("seed_demo", engineers=20, jobs=1, stdout=io.StringIO())

    for name, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport, bypass_csp=True)  # axe is injected inline
        v = Visitor(context.new_page(), live_server.url, name=f"demo-manager-{name}")
        page = v.page
        v.goto(reverse("account_login"))
        v.check()
        v.log_in(DEMO_MANAGER["email"], DEMO_MANAGER["password"])
        expect(page).to_have_url(live_server.url + "/")  # their own home
        v.check()
        v.goto(reverse("teams:team"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Your team")
        cards = page.get_by_role("list", name="People in your team").get_by_role("article")
        expect(cards).to_have_count(8)  # seven demo engineers and the demo engineer
        expect(page.get_by_role("heading", name="Dana Engineer")).to_be_visible()
        expect(page.get_by_text("Has a plan, kept private")).to_have_count(1)
        assert page.locator(".calibrated-readiness").count() >= 6
        expect(page.get_by_text("self and manager").first).to_be_visible()
        expect(page.locator("progress").first).to_be_visible()
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (name, width)
        v.check()
        v.shot("team")
        if UPDATE_SCREENSHOTS and name == "desktop":
            DOCS_IMG.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(DOCS_IMG / "team.png"))  # the first screenful, 1366 px wide

        # The demo engineer's comparison: the manager's rating with a gap worth talking about.
        page.get_by_role("article", name="Dana Engineer").get_by_role("link", name="Self and manager").click()
        expect(page.get_by_text("worth talking about").first).to_be_visible()
        v.check()
        v.assert_every_page_passed()
        context.close()
