"""In a browser at phone and desktop width: the manager rates with the keyboard-reachable radios, and both
pages pass axe-core with labels of at least 10 px and nothing wider than the screen but the chart's own scroller."""

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Page

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from assessments.tests.factories import submit_self_assessment
from tests.browser.a11y import axe_violations, describe

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "bypass_csp": True}  # axe is injected as an inline script


def log_in(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])


def overflowing(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth + 1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_manager_rates_and_both_see_the_comparison(page: Page, live_server, viewport):
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    manager, engineer = UserFactory(name="Maya Manager"), UserFactory(name="Ali Engineer")
    Profile.objects.filter(user=engineer).update(manager=manager)
    submit_self_assessment(engineer, 3)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.set_default_timeout(15_000)

    log_in(page, live_server, manager)
    page.goto(f"{live_server.url}/team/{engineer.pk}/rate/")
    assert not axe_violations(page), describe(axe_violations(page))
    assert not overflowing(page)
    fieldsets = page.locator("fieldset")
    count = fieldsets.count()
    assert count >= 3
    for index in range(count):  # self-rated 3 everywhere: every other skill two levels higher
        fieldsets.nth(index).get_by_label("Level 5:" if index % 2 else "Level 3:", exact=False).check()
    page.get_by_role("button", name="Save the rating").click()
    assert page.url.endswith(f"/team/{engineer.pk}/ratings/")
    assert page.get_by_text("is saved").is_visible()

    for who, path in ((manager, f"/team/{engineer.pk}/ratings/"), (engineer, "/team/ratings/")):
        log_in(page, live_server, who)
        page.goto(live_server.url + path)
        page.screenshot(path=f"/tmp/ratings-shots/{viewport}-{who.pk}.png", full_page=True)
        assert page.locator("#agreement").is_visible()
        assert page.locator("#calibration-basis").is_visible()  # the calibrated readiness, and what it rests on
        assert page.get_by_text("Based on self and manager ratings").is_visible()
        assert page.get_by_text("worth talking about").first.is_visible()
        assert not overflowing(page), path
        smallest = page.evaluate(
            "Math.min(...[...document.querySelectorAll('figure svg text')].map(t => t.getBoundingClientRect().height))"
        )
        assert smallest >= 10, (path, smallest)
        assert not axe_violations(page), describe(axe_violations(page))
