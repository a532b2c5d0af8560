"""Three people from the persona suite take the questionnaire in the browser and read their advice.

A software engineer who wants to manage, a civil engineer with a PMP who runs projects, and a VP of
engineering with twenty years who wants to be CTO (assessments/tests/personas/personas.yaml, written
from descriptions with the roles an adviser would expect). Each logs in with their profile filled
in, answers every section as their persona does, submits, and must see a next step the adviser
named at the top of the page and among the first three next steps; every page passes axe. With
CAREERPATH_UPDATE_SCREENSHOTS=1 the result pages are saved for the README at both widths.
"""

import re
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from playwright.sync_api import Page, expect

from accounts.models import Profile, User
from accounts.services import profile_update, user_create
from assessments.forms import field_name
from assessments.models import Item
from roles.models import Certification, Discipline, Role

from .journey import DOCS_IMG, UPDATE_SCREENSHOTS, VIEWPORTS, Visitor, answer_remaining_sections, context_args

PERSONAS = {
    persona["key"]: persona
    for persona in yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "assessments/tests/personas/personas.yaml").read_text(encoding="utf-8")
    )
}
SHOWN = ("tom-software-senior-wants-em", "aisha-civil-project-pmp", "david-vp-wants-cto")
PASSWORD = "advice-for-every-engineer-7"


@pytest.fixture
def browser_context_args(browser_context_args, request):
    return context_args(browser_context_args, request.node.callspec.params["viewport"])


def person_for(persona: dict, viewport: str) -> User:
    data = persona["profile"]
    user = user_create(email=f"{persona['key']}.{viewport}@example.com", password=PASSWORD)  # address confirmed
    profile_update(
        profile=Profile.objects.get_or_create(user=user)[0],
        discipline=Discipline.objects.get(slug=data["discipline"]),
        current_role=Role.objects.get(slug=data["current_role"]) if data["current_role"] else None,
        years_experience=data["years_experience"],
        goal_role=Role.objects.get(slug=data["goal_role"]) if data["goal_role"] else None,
        goal_direction=data["goal_direction"],
        direct_reports=data["direct_reports"],
        certifications=list(Certification.objects.filter(slug__in=data["certifications"])),
    )
    return user


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("key", SHOWN)
def test_a_persona_takes_the_questionnaire_and_sees_a_sensible_next_step(
    page: Page, browser_context_args, live_server, viewport, key
):
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    persona = PERSONAS[key]
    user = person_for(persona, viewport)
    fields = {field_name(item): persona["answers"][item.key] for item in Item.objects.filter(version__is_active=True)}
    v = Visitor(page, live_server.url, name=f"{viewport}-{key}")

    v.goto("/accounts/login/")
    v.check()
    v.log_in(user.email, PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    v.check()
    v.goto("/assessments/")
    v.check()
    page.get_by_role("button", name="Start your self-assessment").click()
    answer_remaining_sections(v, fields, skills=())  # every answer, skills included, is the persona's
    expect(page.get_by_role("heading", name="Where you stand today")).to_be_visible()
    page.get_by_role("button", name="Submit and see my result").click()

    expected = persona["expected"]["next_roles"]
    names = dict(Role.objects.filter(slug__in=expected).values_list("slug", "name"))
    heading = page.get_by_role("heading", name=re.compile("^Your next step: "))
    expect(heading).to_be_visible()
    assert any(heading.inner_text().endswith(name) for name in names.values()), (heading.inner_text(), names)
    top_three = page.locator("#next-steps-heading ~ ol > li a.fw-semibold").all_inner_texts()[:3]
    assert set(top_three) & set(names.values()), (top_three, names)
    # Nothing behind the person is offered, and the page never scrolls sideways at phone width.
    behind = page.locator("details", has_text="never suggested")
    if behind.count():
        assert not set(behind.locator("li").all_inner_texts()) & set(top_three)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    v.check()
    v.shot("result")
    if UPDATE_SCREENSHOTS:
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        size = VIEWPORTS[viewport]
        page.screenshot(path=str(DOCS_IMG / f"advice-{key}-{viewport}.png"), clip={"x": 0, "y": 0, **size})
    v.assert_every_page_passed()
