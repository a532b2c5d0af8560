"""Sessions and log-in: key rotation, ending other sessions, throttling of failed log-ins."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import get_hasher, identify_hasher
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
PROFILE = reverse("accounts:profile")
NEW_PASSWORD = "another-long-passphrase-77"


def log_in(client: Client, email: str, password: str = TEST_PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def is_logged_in(client: Client) -> bool:
    response = client.get(PROFILE)
    return response.status_code == 200


# --- Passwords ----------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_outside_the_test_settings():
    assert settings.PASSWORD_HASHERS  # the test settings use MD5 for speed; production inherits base.py
    from careerpath.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = UserFactory()
        user.set_password("a-long-test-password-42")
        assert identify_hasher(user.password).algorithm == "argon2"
        assert get_hasher().algorithm == "argon2"


def test_passwords_shorter_than_ten_characters_are_refused(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "short@example.com", "name": "", "password1": "Xq7#kd9!a", "password2": "Xq7#kd9!a"},
    )

    assert response.status_code == 200
    assert not User.objects.filter(email="short@example.com").exists()
    assert "at least 10 characters" in response.content.decode()


# --- Session keys -------------------------------------------------------------------


def test_the_session_key_changes_at_log_in(client):
    user = UserFactory()
    session = client.session  # an anonymous session, as a visitor has before logging in
    session["before"] = True
    session.save()
    before = session.session_key

    response = log_in(client, user.email)

    assert response.status_code == 302
    assert client.session.session_key != before
    assert client.session[SESSION_KEY] == str(user.pk)


def test_log_out_ends_the_session_on_the_server(client):
    user = UserFactory()
    log_in(client, user.email)
    key = client.session.session_key

    client.post(reverse("account_logout"))

    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()
    assert not is_logged_in(client)


def test_a_password_change_logs_out_every_other_session_but_keeps_this_one():
    user = UserFactory()
    here, elsewhere = Client(), Client()
    log_in(here, user.email)
    log_in(elsewhere, user.email)
    assert is_logged_in(elsewhere)

    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": TEST_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)


def test_deactivating_an_account_ends_its_sessions():
    user = UserFactory()
    client = Client()
    log_in(client, user.email)

    User.objects.filter(pk=user.pk).update(is_active=False)

    assert not is_logged_in(client)
    refused = log_in(client, user.email)  # and it cannot log in again: allauth says the account is inactive
    assert refused.status_code == 302 and refused.url == reverse("account_inactive")
    assert not is_logged_in(client)


def test_log_out_everywhere_else_ends_other_sessions_and_keeps_this_one():
    user, stranger = UserFactory(), UserFactory()
    here, phone, laptop, strangers = Client(), Client(), Client(), Client()
    for client in (here, phone, laptop):
        log_in(client, user.email)
    log_in(strangers, stranger.email)

    response = here.post(reverse("accounts:sessions_end_others"), follow=True)

    assert "Logged out of 2 other sessions." in response.content.decode()
    assert is_logged_in(here)
    assert not is_logged_in(phone)
    assert not is_logged_in(laptop)
    assert is_logged_in(strangers)


def test_sessions_are_kept_in_the_database_as_the_log_out_everywhere_service_expects():
    """accounts.services.user_sessions_end reads the session table (and drops cached_db's copies);
    another engine needs another way."""
    from careerpath.settings import base

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert base.SESSION_ENGINE in {"django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"}


# --- Throttling (django-axes) -----------------------------------------------------------

LIMIT = settings.AXES_FAILURE_LIMIT


def fail(client: Client, email: str, times: int, **extra):
    response = None
    for _ in range(times):
        response = log_in(client, email, "not-the-password", **extra)
    return response


def test_repeated_failed_log_ins_lock_out_with_a_clear_message(client):
    user = UserFactory()

    assert fail(client, user.email, LIMIT - 1).status_code == 200
    response = fail(client, user.email, 1)

    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed log-ins" in html
    assert f"After {LIMIT} wrong passwords" in html
    assert "Wait 15 minutes" in html
    assert reverse("account_reset_password") in html
    # While locked out, even the right password is refused.
    assert log_in(client, user.email).status_code == 429
    assert not is_logged_in(client)


def test_the_lock_out_ignores_the_case_of_the_email_address(client):
    UserFactory(email="case@example.com")
    fail(client, "CASE@example.com", LIMIT - 1)

    assert fail(client, "case@EXAMPLE.com", 1).status_code == 429


def test_the_cool_off_lets_the_person_in_again():
    user = UserFactory()
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        fail(client, user.email, LIMIT)
        assert log_in(client, user.email).status_code == 429
        clock.shift(timedelta(minutes=14))
        assert log_in(client, user.email).status_code == 429
        clock.shift(timedelta(minutes=16))

        assert log_in(client, user.email).status_code == 302
    assert is_logged_in(client)


def test_the_lock_out_is_per_account_and_per_address():
    user, other = UserFactory(), UserFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    fail(attacker, user.email, LIMIT)

    # The same account from another address still works: an attacker cannot lock its owner out.
    assert log_in(Client(REMOTE_ADDR="198.51.100.7"), user.email).status_code == 302
    # Another account from the attacker's address still works too.
    assert log_in(attacker, other.email).status_code == 302


def test_a_successful_log_in_resets_the_count():
    user = UserFactory()
    client = Client()
    fail(client, user.email, LIMIT - 1)
    assert log_in(client, user.email).status_code == 302
    client.post(reverse("account_logout"))

    assert fail(client, user.email, LIMIT - 1).status_code == 200


@override_settings(AXES_IPWARE_PROXY_COUNT=1)
def test_behind_a_proxy_the_address_the_proxy_saw_counts_and_a_forged_header_does_not_help():
    user = UserFactory()
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy)
    # The attacker writes a fresh fake address into X-Forwarded-For each time; the proxy appends the real one.
    for n in range(LIMIT):
        log_in(attacker, user.email, "wrong", headers={"x-forwarded-for": f"192.0.2.{n}, 203.0.113.9"})

    assert log_in(attacker, user.email, headers={"x-forwarded-for": "192.0.2.99, 203.0.113.9"}).status_code == 429
    # Someone else behind the same proxy is not affected.
    assert log_in(Client(REMOTE_ADDR=proxy), user.email, headers={"x-forwarded-for": "198.51.100.4"}).status_code == 302


def test_without_a_configured_proxy_x_forwarded_for_is_ignored():
    user = UserFactory()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(LIMIT):
        log_in(attacker, user.email, "wrong", headers={"x-forwarded-for": f"192.0.2.{n}"})

    assert log_in(attacker, user.email, headers={"x-forwarded-for": "192.0.2.200"}).status_code == 429


def test_the_panel_log_in_is_the_sites_so_its_lock_out_applies():
    user = UserFactory(is_staff=True)
    client = Client()
    sent_on = client.post(reverse("admin:login"), {"username": user.email, "password": TEST_PASSWORD})
    assert sent_on.status_code == 302 and sent_on.url.startswith(reverse("account_login"))
    assert not is_logged_in(client)  # the panel's own form checks no password any more
    for _ in range(LIMIT):
        log_in(client, user.email, "wrong")

    response = log_in(client, user.email)

    assert response.status_code == 429
