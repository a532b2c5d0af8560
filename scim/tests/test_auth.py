"""Only a bearer token HR made opens the API: no token, a wrong or revoked one, or a session cookie get 401."""

import pytest
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import UserFactory
from scim.models import ScimToken
from scim.services import scim_token_revoke

from .conftest import Scim, assert_scim_error

pytestmark = pytest.mark.django_db
ENDPOINTS = ["Users", "Users/1", "Groups", "Groups/1", "ServiceProviderConfig", "ResourceTypes", "Schemas"]


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(
    "header",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not-a-token", "Bearer " + "x" * 5000, "Token abc"],
    ids=["none", "empty", "scheme-only", "blank", "basic", "wrong", "huge", "other-scheme"],
)
def test_every_endpoint_refuses_a_missing_or_wrong_token_with_a_scim_401(path, header, token):
    client = Client(**({"HTTP_AUTHORIZATION": header} if header is not None else {}))

    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        response = client.generic(method, f"/scim/v2/{path}", "{}", content_type="application/scim+json")
        assert_scim_error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_stops_working_at_once(token, hr_admin):
    scim = Scim(token[1])
    assert scim.get("Users").status_code == 200

    scim_token_revoke(token=token[0], revoked_by=hr_admin)

    assert_scim_error(scim.get("Users"), 401)


def test_a_session_cookie_opens_nothing_not_even_a_superusers(token):
    from accounts.models import User

    client = Client()
    client.force_login(User.objects.create_superuser(email="root@example.com", password="x-long-password-1"))

    assert_scim_error(client.get("/scim/v2/Users"), 401)
    assert_scim_error(
        client.post("/scim/v2/Users", {"userName": "new@example.com"}, content_type="application/json"), 401
    )
    assert not User.objects.filter(email="new@example.com").exists()


def test_the_api_needs_no_csrf_token_but_only_because_it_takes_no_cookie(scim):
    scim.client.handler.enforce_csrf_checks = True

    response = scim.post("Users", {"userName": "csrf@example.com"})

    assert response.status_code == 201


def test_only_a_digest_of_the_secret_is_kept_and_use_is_recorded(token):
    row, secret = token
    row.refresh_from_db()
    assert secret not in {row.digest, row.prefix, row.name}
    assert secret.startswith(row.prefix) and len(secret) > 40
    assert row.last_used_at is None

    Scim(secret).get("ServiceProviderConfig")

    row.refresh_from_db()
    assert row.last_used_at is not None and (timezone.now() - row.last_used_at).total_seconds() < 60


def test_last_used_is_written_at_most_once_a_minute(scim, token, django_assert_num_queries):
    scim.get("ServiceProviderConfig")  # writes last_used_at

    with django_assert_num_queries(1):  # the token's look-up only
        scim.get("ServiceProviderConfig")


def test_superusers_are_not_scim_resources(scim):
    from accounts.models import User

    root = User.objects.create_superuser(email="root@example.com", password="x-long-password-1")
    UserFactory()

    assert_scim_error(scim.get(f"Users/{root.pk}"), 404)
    assert_scim_error(scim.patch(f"Users/{root.pk}", {"schemas": [], "Operations": []}), 404)
    assert "root@example.com" not in scim.get("Users").content.decode()
    assert ScimToken.objects.count() == 1
