"""A NUL character anywhere a visitor controls gets the 400 page, never a 500 (careerpath.security).

PostgreSQL text cannot hold U+0000 and psycopg2 raises ValueError for a query with one;
the first test shows that is still so, the others that the guard answers first.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.services import hr_member_add
from accounts.tests.factories import UserFactory
from hr.tests.factories import stored_plan

pytestmark = pytest.mark.django_db

GUARD = "careerpath.security.RefuseNulCharactersMiddleware"
MESSAGE = "contains a NUL character"


@pytest.fixture
def hr_client(client):
    hr = UserFactory(email="hr.person@example.com")
    hr_member_add(user=hr)
    client.force_login(hr)
    return client


@pytest.fixture
def aimed_plan():
    """An engineer with an active plan, so the people list offers (and applies) its target-role filter."""
    return stored_plan(UserFactory(), target="senior", milestones=[{}])


def assert_refused(response):
    assert response.status_code == 400
    assert "400.html" in [t.name for t in response.templates]
    assert MESSAGE in response.content.decode()


@pytest.mark.postgres
def test_without_the_guard_postgres_turns_a_nul_in_a_lookup_into_a_500(client, settings):
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != GUARD]

    with pytest.raises(ValueError, match="NUL"):
        client.get("/plans/calendar/%00.ics")  # the feed looks its token up


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("admin:hr_person_changelist", {"target": "\x00"}),  # the people list's target-role filter
        ("admin:hr_person_changelist", {"readiness": "ready_now", "target": "senior\x00"}),
        ("admin:hr_person_changelist", {"q": "\x00"}),  # the admin's search
        ("admin:plans_plan_changelist", {"q": "ada\x00"}),
        ("admin:assessments_result_changelist", {"data__has_key": "\x00"}),  # a lookup on a field
        ("admin:hr_person_changelist", {"\x00": "1"}),  # in a parameter's name
    ],
)
def test_a_nul_in_a_query_parameter_gets_the_400_page(hr_client, aimed_plan, url, params):
    assert_refused(hr_client.get(reverse(url), params))


def test_a_nul_in_the_path_gets_the_400_page(client):
    # The calendar feed looks its token up in the database: on PostgreSQL this was a 500.
    assert_refused(client.get("/plans/calendar/%00.ics"))


def test_a_nul_in_a_posted_field_gets_the_400_page_and_changes_nothing(client_logged_in, user):
    name = user.name

    response = client_logged_in.post(reverse("accounts:profile"), {"name": "Ada\x00", "time_zone": "UTC"})

    assert_refused(response)
    user.refresh_from_db()
    assert user.name == name


def test_a_nul_in_a_posted_field_name_or_upload_field_name_gets_the_400_page(client_logged_in):
    url = reverse("accounts:profile")

    assert_refused(client_logged_in.post(url, {"name\x00": "Ada"}))
    assert_refused(client_logged_in.post(url, {"cv\x00": SimpleUploadedFile("cv.pdf", b"%PDF")}))


def test_a_plain_request_passes_the_guard(client_logged_in):
    assert client_logged_in.get(reverse("accounts:profile")).status_code == 200


def test_a_session_cookie_holding_a_nul_is_ignored_as_if_not_sent(client):
    # A quoted cookie value may spell NUL as \000; the session middleware would look it up.
    response = client.get(reverse("accounts:profile"), HTTP_COOKIE='sessionid="abcdefghijk\\000lmnopq"')

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
