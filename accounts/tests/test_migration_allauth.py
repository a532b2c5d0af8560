"""Accounts, passwords and sessions from before allauth keep working after its migration (issue 17).

accounts/migrations/0013_allauth_email_addresses.py gives every account made before allauth its
address as an EmailAddress row, confirmed unless the account was a sign-up still waiting for its
link. Here the database is taken back to before that migration, accounts and a session are made
the way the hand-written code made them, and then it runs.
"""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("accounts", "0012_credential_earned")]


def migrate(targets=None):
    """Migrate to `targets` (every app's latest without), and the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.fixture
def before_allauth():
    old_apps = migrate(BEFORE)
    yield old_apps
    migrate()  # every app's latest again, whatever the test did


def old_session_for(user_pk: int, password_hash: str) -> str:
    """A session as the hand-written log-in left it: django.contrib.auth.login() through ModelBackend."""
    session = SessionStore()
    session[SESSION_KEY] = str(user_pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = User(password=password_hash).get_session_auth_hash()
    session.create()
    return session.session_key


def test_a_person_from_before_allauth_logs_in_with_their_password_and_their_session_stays_valid(before_allauth):
    OldUser = before_allauth.get_model("accounts", "User")
    password_hash = make_password(TEST_PASSWORD)
    person = OldUser.objects.create(email="before@example.com", password=password_hash, is_active=True)
    session_key = old_session_for(person.pk, password_hash)

    migrate()

    logged_in_before = Client()
    logged_in_before.cookies[settings.SESSION_COOKIE_NAME] = session_key
    assert get_user(logged_in_before).pk == person.pk
    assert logged_in_before.get(reverse("accounts:profile")).status_code == 200
    fresh = Client()
    response = fresh.post(reverse("account_login"), {"login": "Before@Example.com", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("home")
    assert get_user(fresh).pk == person.pk
    [address] = EmailAddress.objects.filter(user_id=person.pk)
    assert (address.email, address.primary, address.verified) == ("before@example.com", True, True)


def test_a_sign_up_still_waiting_for_its_link_gets_an_unconfirmed_address_and_cannot_log_in(before_allauth):
    OldUser = before_allauth.get_model("accounts", "User")
    waiting = OldUser.objects.create(
        email="waiting@example.com", password=make_password(TEST_PASSWORD), is_active=False, signup_pending=True
    )

    migrate()

    assert not EmailAddress.objects.get(user_id=waiting.pk).verified
    client = Client()
    client.post(reverse("account_login"), {"login": "waiting@example.com", "password": TEST_PASSWORD})
    assert not get_user(client).is_authenticated
