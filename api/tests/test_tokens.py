"""API tokens: only a fingerprint kept, shown once on HR's page, scoped, revocable, last use noted."""

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import hr_member_add
from accounts.tests.factories import UserFactory
from api.models import ApiToken
from api.selectors import api_token_for
from api.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(db):
    person = UserFactory(email="hr@example.com")
    hr_member_add(user=person)
    return User.objects.get(pk=person.pk)  # permissions read afresh


def test_only_the_tokens_fingerprint_is_stored(hr):
    token, secret = api_token_create(name="Sync", scope="read", user=hr, created_by=hr)

    stored = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith("cp_") and len(secret) > 40
    assert secret not in (stored.digest, stored.prefix, stored.name)
    assert secret.startswith(stored.prefix)
    assert api_token_for(secret) == token


def test_a_revoked_token_is_found_no_more_and_revoking_twice_says_so(hr):
    token, secret = api_token_create(name="Sync", scope="read", user=hr, created_by=hr)

    assert api_token_revoke(token=token, revoked_by=hr) is True
    assert api_token_revoke(token=token, revoked_by=hr) is False
    assert api_token_for(secret) is None
    token.refresh_from_db()
    assert token.revoked_by == hr and token.revoked_at is not None


def test_a_token_never_acts_as_a_superuser(hr):
    root = User.objects.create_superuser(email="root@example.com", password="a-long-password-1")

    with pytest.raises(ValidationError):
        api_token_create(name="Root", scope="write", user=root, created_by=hr)


def test_last_use_is_written_at_most_once_a_minute(hr, client):
    token, secret = api_token_create(name="Sync", scope="read", user=hr, created_by=hr)
    header = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    with time_machine.travel("2026-03-02 10:00:00Z", tick=False):
        client.get("/api/v1/tracks/", **header)
    with time_machine.travel("2026-03-02 10:00:30Z", tick=False):
        client.get("/api/v1/tracks/", **header)
    token.refresh_from_db()
    assert token.last_used_at == timezone.datetime(2026, 3, 2, 10, 0, tzinfo=timezone.UTC)

    with time_machine.travel("2026-03-02 10:01:30Z", tick=False):
        client.get("/api/v1/tracks/", **header)
    token.refresh_from_db()
    assert token.last_used_at.minute == 1


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer cp_unknown", "Bearer \u00e9t\u00e9"])
def test_a_malformed_or_unknown_token_answers_401_in_json(header, client):
    response = client.get("/api/v1/tracks/", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "detail" in response.json()


def test_hr_makes_a_token_on_the_panel_and_its_secret_is_shown_once(hr, client):
    client.force_login(hr)

    made = client.post(reverse("hr:api_tokens"), {"name": "HR system sync", "scope": "write", "acts_as": ""})
    shown = client.get(reverse("hr:api_tokens"))
    again = client.get(reverse("hr:api_tokens"))

    assert made.status_code == 302
    token = ApiToken.objects.get()
    assert (token.name, token.scope, token.user, token.created_by) == ("HR system sync", "write", hr, hr)
    secret = shown.context["secret"]
    assert api_token_for(secret) == token and secret in shown.content.decode()
    assert again.context["secret"] is None and secret not in again.content.decode()
    assert "HR system sync" in again.content.decode()


def test_the_panel_refuses_a_token_acting_as_a_superuser_or_nobody(hr, client):
    User.objects.create_superuser(email="root@example.com", password="a-long-password-1")
    client.force_login(hr)

    for email in ("root@example.com", "nobody@example.com"):
        response = client.post(reverse("hr:api_tokens"), {"name": "X", "scope": "read", "acts_as": email})
        assert response.status_code == 200 and response.context["form"].errors["acts_as"]
    assert not ApiToken.objects.exists()


def test_hr_revokes_a_token_on_the_panel(hr, client):
    token, secret = api_token_create(name="Old sync", scope="read", user=hr, created_by=hr)
    client.force_login(hr)

    response = client.post(reverse("hr:api_token_revoke", kwargs={"pk": token.pk}))

    assert response.status_code == 302
    assert client.get("/api/v1/tracks/", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    assert client.post(reverse("hr:api_token_revoke", kwargs={"pk": 999_999})).status_code == 404
    page = client.get(reverse("hr:api_tokens")).content.decode()
    assert f"by {hr.email}" in page.split("Revoked", 1)[1]  # who revoked it, as on the SCIM tokens page


def test_a_token_acting_as_an_engineer_is_listed_with_who_it_acts_as(hr, client):
    engineer = UserFactory(email="ada@example.com")
    api_token_create(name="Ada's calendar", scope="read", user=engineer, created_by=hr)
    client.force_login(hr)

    page = client.get(reverse("hr:api_tokens")).content.decode()

    assert "Ada&#x27;s calendar" in page and "ada@example.com" in page
