"""HR in a real browser: log in to the panel, publish a new questionnaire version, open the dashboard, export."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.services import hr_member_add
from accounts.tests.factories import TEST_PASSWORD, UserFactory
from assessments.models import QuestionnaireVersion
from assessments.tests.factories import build_questionnaire
from roles.tests.factories import build_catalog


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_hr_publishes_a_new_questionnaire_version_then_reads_the_dashboard_and_exports(
    page: Page, live_server, tmp_path
):
    catalog = build_catalog()
    active = build_questionnaire(skills=list(catalog.skills.values()))
    hr = UserFactory(email="harriet.hr@example.com", name="Harriet HR")
    hr_member_add(user=hr)
    UserFactory(email="ada.engineer@example.com", name="Ada Engineer")
    page.set_default_timeout(10_000)

    # Log in to the panel.
    page.goto(f"{live_server.url}/hr/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=%2Fhr%2F"))  # the panel's log-in is the site's
    page.locator("#id_login").fill(hr.email)
    page.locator("#id_password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="careerpath HR")).to_be_visible()

    # Questionnaires → the active version → clone it into a draft.
    page.locator("#content-main").get_by_role("link", name="Questionnaire versions").click()
    page.get_by_role("link", name=re.compile(rf"v{active.number} \(Published\)")).click()
    page.get_by_role("button", name="Clone into a new draft").click()
    expect(page.locator(".messagelist")).to_contain_text(f"new draft v{active.number + 1}")

    # Publish the clone.
    page.get_by_role("button", name="Publish and make active").click()
    expect(page.locator(".messagelist")).to_contain_text("is published and active")
    published = QuestionnaireVersion.objects.get(is_active=True)
    assert (published.number, published.status) == (active.number + 1, "published")

    # The dashboard.
    page.get_by_role("navigation", name="HR pages").get_by_role("link", name="Readiness dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Readiness dashboard")
    expect(page.get_by_role("heading", name="Track orientation")).to_be_visible()

    # An export downloads as a CSV file.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Exports").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download people (CSV)").click()
    download = download_info.value
    assert re.fullmatch(r"careerpath-people-\d{4}-\d{2}-\d{2}\.csv", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    lines = saved.read_text().splitlines()
    assert lines[0].startswith("person_id,email,name,discipline")
    assert any("ada.engineer@example.com" in line for line in lines[1:])
