"""Sessions read through a shared cache (SESSION_ENGINE cached_db, chosen when CACHE_URL is shared).

The pinned query counts elsewhere use the database engine; these tests run the cached one
and check that it never keeps someone logged in, or logged in as someone else.
"""

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CACHED_DB = override_settings(SESSION_ENGINE="django.contrib.sessions.backends.cached_db")
PROFILE = reverse("accounts:profile")


def log_in(client: Client, email: str) -> None:
    response = client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})
    assert response.status_code == 302


@CACHED_DB
def test_a_logged_in_page_reads_the_session_from_the_cache():
    user = UserFactory()
    client = Client()
    log_in(client, user.email)

    with CaptureQueriesContext(connection) as captured:
        assert client.get(PROFILE).status_code == 200

    assert captured.captured_queries
    assert not [q for q in captured.captured_queries if "django_session" in q["sql"]]


@CACHED_DB
def test_each_person_sees_their_own_page_through_the_cache():
    alice, bob = UserFactory(name="Alice Example"), UserFactory(name="Bob Example")
    first, second = Client(), Client()
    log_in(first, alice.email)
    log_in(second, bob.email)

    assert "Alice Example" in first.get(PROFILE).content.decode()
    assert "Bob Example" in second.get(PROFILE).content.decode()
    assert "Alice Example" not in second.get(PROFILE).content.decode()


@CACHED_DB
def test_logging_out_ends_the_cached_session():
    user = UserFactory()
    client = Client()
    log_in(client, user.email)
    cookie = client.cookies["sessionid"].value

    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie

    assert replay.get(PROFILE).status_code == 302


@CACHED_DB
def test_log_out_everywhere_else_drops_the_cached_copies_of_the_other_sessions():
    user = UserFactory()
    here, phone = Client(), Client()
    log_in(here, user.email)
    log_in(phone, user.email)
    assert phone.get(PROFILE).status_code == 200  # its session is now in the cache too

    here.post(reverse("accounts:sessions_end_others"))

    assert phone.get(PROFILE).status_code == 302
    assert here.get(PROFILE).status_code == 200
