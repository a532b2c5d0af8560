"""A newcomer signs up, fills in their profile, then browses the roles catalog, in a real browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from roles.tests.factories import build_catalog

EMAIL = "ada.browser@example.com"
PASSWORD = "correct-horse-battery-42"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signup_fill_profile_then_browse_to_a_role(page: Page, live_server):
    # The roles app's realistic small catalog (tracks, roles with skills, pay, moves, credentials).
    catalog = build_catalog()
    senior = catalog.roles["senior"]

    page.set_default_timeout(10_000)

    # Sign up.
    page.goto(f"{live_server.url}/accounts/signup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your account")
    page.get_by_label("Email").fill(EMAIL.upper())
    page.get_by_label("Full name").fill("Ada Browser")
    # crispy marks required fields with "*", which is part of the label's text.
    page.get_by_role("textbox", name=re.compile(r"^Password\*?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    # The page says to check the inbox; the email's link confirms the address and logs in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)[1]
    page.goto(f"{live_server.url}{link}")
    page.get_by_role("button", name="Confirm my address").click()

    # Land on the profile, logged in and welcomed.
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    expect(page.get_by_role("status").filter(has_text="Fill in your profile")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Ada Browser")

    # Fill in the profile and save it.
    page.get_by_label("Discipline").select_option(label="Software")
    page.get_by_label("Current role").select_option(label=senior.name)
    page.get_by_label("Years of professional experience").fill("6")
    page.get_by_label("Highest education").select_option(label="Master's degree")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label(str(catalog.certifications["pe"])).check()
    page.get_by_role("button", name="Save profile").click()

    expect(page.get_by_role("status").filter(has_text="Your profile is saved.")).to_be_visible()
    expect(page.get_by_label("Current role")).to_have_value(str(senior.pk))
    profile = User.objects.select_related("profile").get(email=EMAIL.lower()).profile
    assert (profile.discipline, profile.current_role) == (catalog.disciplines["software"], senior)
    assert (profile.years_experience, profile.education, profile.time_zone) == (6, "master", "Europe/Berlin")
    assert list(profile.certifications.all()) == [catalog.certifications["pe"]]

    # Browse to the roles catalog, then to one role's page.
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Roles", exact=True).click()
    expect(page).to_have_url(re.compile(r"/roles/$"))
    page.get_by_role("link", name=senior.name, exact=True).click()

    expect(page).to_have_url(re.compile(rf"/roles/{senior.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(senior.name)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(("stored", "shown"), [("UTC", "Asia/Kolkata"), ("Europe/Berlin", "Europe/Berlin")])
def test_the_time_zone_field_proposes_the_browsers_zone_only_while_none_is_chosen(browser, live_server, stored, shown):
    from accounts.models import Profile
    from accounts.tests.factories import TEST_PASSWORD, UserFactory

    user = UserFactory(email=f"zone.{stored.replace('/', '-').lower()}@example.com")
    Profile.objects.filter(user=user).update(time_zone=stored)
    context = browser.new_context(timezone_id="Asia/Kolkata")
    page = context.new_page()
    page.set_default_timeout(10_000)

    page.goto(f"{live_server.url}/accounts/login/?next=/accounts/profile/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_role("textbox", name=re.compile(r"^Password\*?$")).fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")

    # A profile still on the default zone: blank, and the script proposes the browser's; a chosen one stays.
    expect(page.get_by_label("Time zone")).to_have_value(shown)
    context.close()
