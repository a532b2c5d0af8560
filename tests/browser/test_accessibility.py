"""axe-core finds no serious or critical accessibility problem on the pages people use, on a desktop and a phone."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Page

from accounts.tests.factories import UserFactory
from assessments import services as assessment_services
from plans.tests.test_plan_pages import post_data_from
from roles.models import Role

from .a11y import axe_violations, describe

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def browser_context_args(browser_context_args):
    # axe is injected as an inline script, which the site's Content Security Policy rightly forbids.
    return {**browser_context_args, "bypass_csp": True}


def submitted(user, value):
    response = assessment_services.response_start(user=user)
    for section in response.version.sections.all():
        assessment_services.response_save_section(
            response=response, section=section, answers={item.pk: value for item in section.items.all()}
        )
    return assessment_services.response_submit(response=response)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pages_have_no_serious_accessibility_violations(page: Page, live_server, client, viewport):
    call_command("load_catalog", verbosity=0)
    call_command("load_questionnaire", verbosity=0)
    user = UserFactory(profile__current_role=Role.objects.get(slug="engineer"))
    first = submitted(user, 2)
    second = submitted(user, 4)
    in_progress = assessment_services.response_start(user=user)
    client.force_login(user)
    proposal = client.get(reverse("plans:create") + f"?result={second.pk}&target=engineering-manager")
    client.post(reverse("plans:create"), post_data_from(proposal))
    plan = user.plans.get()

    public = [
        "/",
        "/roles/",
        "/roles/engineering-manager/",
        "/roles/map/",
        "/roles/compare/?a=senior-engineer&b=engineering-manager",
        "/accounts/login/",
        "/accounts/signup/",
        "/does-not-exist/",
    ]
    private = [
        "/accounts/profile/",
        "/assessments/",
        reverse("assessments:section", kwargs={"pk": in_progress.pk, "order": 1}),
        reverse("assessments:section", kwargs={"pk": in_progress.pk, "order": 4}),
        reverse("assessments:review", kwargs={"pk": in_progress.pk}),
        second.get_absolute_url(),
        reverse("assessments:compare") + f"?a={first.pk}&b={second.pk}",
        "/plans/",
        reverse("plans:create") + f"?result={second.pk}&target=engineering-director",
        plan.get_absolute_url(),
        reverse("plans:print", kwargs={"pk": plan.pk}),
    ]
    page.set_viewport_size(VIEWPORTS[viewport])
    page.set_default_timeout(15_000)
    failures = {}
    for path in public:
        page.goto(live_server.url + path)
        if found := axe_violations(page):
            failures[path] = describe(found)

    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    for path in private:
        page.goto(live_server.url + path)
        assert "/accounts/login/" not in page.url, path
        if found := axe_violations(page):
            failures[path] = describe(found)

    assert not failures, "\n\n".join(f"{path}\n{text}" for path, text in failures.items())
