"""Peer input in real browsers: an engineer asks their manager for a rating and three colleagues for their
view; the manager and each colleague work in their own browser context; the engineer sees the calibrated
result with the peers' average beside self and manager. Screenshots: docs/img/peer-request.png and
docs/img/peer-result.png."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, BrowserContext

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from assessments.tests.factories import submit_self_assessment

DOCS_IMG = Path(__file__).resolve().parent.parent.parent / "docs" / "img"
VIEWPORT = {"width": 1280, "height": 900}


def context_for(browser: Browser, live_server, user) -> BrowserContext:
    """A browser context of its own, signed in as `user`."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=VIEWPORT)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    context.set_default_timeout(15_000)
    return context


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_engineer_asks_a_manager_and_three_peers_and_sees_the_calibrated_result(browser: Browser, live_server):
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    manager = UserFactory(name="Maya Manager", email="maya@example.com")
    engineer = UserFactory(name="Ali Engineer", email="ali@example.com")
    peers = [UserFactory(name=f"{name} Peer", email=f"{name.lower()}@example.com") for name in ("Bea", "Cem", "Dia")]
    Profile.objects.filter(user=engineer).update(manager=manager)
    submit_self_assessment(engineer, 3)

    # The engineer chooses three skills and the three colleagues.
    ali = context_for(browser, live_server, engineer).new_page()
    ali.goto(f"{live_server.url}/team/peers/")
    boxes = ali.locator("input[name=skills]")
    for index in range(3):
        boxes.nth(index).check()
    ali.get_by_label("Colleagues' email addresses").fill(", ".join(p.email for p in peers))
    ali.screenshot(path=str(DOCS_IMG / "peer-request.png"), full_page=True)
    ali.get_by_role("button", name="Send the request").click()
    assert ali.get_by_text("Your request went to 3 colleagues").is_visible()
    assert ali.get_by_text("0 of 3 answered").is_visible()

    # The manager rates every skill one level above the self-assessment.
    maya = context_for(browser, live_server, manager).new_page()
    maya.goto(f"{live_server.url}/team/{engineer.pk}/rate/")
    fieldsets = maya.locator("fieldset")
    for index in range(fieldsets.count()):
        fieldsets.nth(index).get_by_label("Level 4:", exact=False).check()
    maya.get_by_role("button", name="Save the rating").click()
    assert maya.get_by_text("is saved").is_visible()

    # Each colleague, in their own context, finds the request on their home and answers it.
    for n, peer in enumerate(peers):
        page = context_for(browser, live_server, peer).new_page()
        page.goto(f"{live_server.url}/")
        page.get_by_role("link", name="Rate Ali Engineer’s skills").click()
        answers = page.locator("fieldset")
        for index in range(answers.count()):
            answers.nth(index).get_by_label(f"Level {4 + n % 2}", exact=False).first.check()
        page.get_by_role("button", name="Send your answer").click()
        assert page.get_by_text("your answer is saved").is_visible()
        page.context.close()

    # The engineer sees the peers' average beside self and manager, and the calibrated readiness uses it.
    ali.goto(f"{live_server.url}/team/ratings/")
    assert ali.locator("#peer-column").is_visible()
    assert ali.locator("#peer-basis").is_visible()
    assert "Based on self, manager and peers ratings" in ali.locator("#calibration-basis").inner_text()
    ali.screenshot(path=str(DOCS_IMG / "peer-result.png"), full_page=True)
    ali.goto(f"{live_server.url}/team/peers/")
    assert ali.get_by_text("3 of 3 answered").is_visible()
