"""HR's SCIM tokens page: make a token (its secret shown once), see them, revoke one."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import UserFactory
from scim.models import ScimToken
from scim.services import scim_token_create

pytestmark = pytest.mark.django_db
URL = reverse("hr:scim_tokens")


def scim_status(secret: str) -> int:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/scim/v2/ServiceProviderConfig").status_code


def test_hr_makes_a_token_and_sees_its_secret_once(hr_client, hr_user):
    response = hr_client.post(URL, {"name": "Okta"})

    assert response.status_code == 302 and response["Location"] == URL
    shown = hr_client.get(URL)
    secret = shown.context["secret"]
    token = ScimToken.objects.get()
    assert (token.name, token.created_by, token.revoked_at) == ("Okta", hr_user, None)
    assert secret in shown.content.decode()
    assert "/scim/v2/" in shown.content.decode()  # the base URL to give the provider
    assert scim_status(secret) == 200
    again = hr_client.get(URL)
    assert secret not in again.content.decode()  # once only
    assert token.prefix in again.content.decode()


def test_revoking_a_token_stops_it_and_says_who_did(hr_client, hr_user):
    token, secret = scim_token_create(name="Entra", created_by=hr_user)

    response = hr_client.post(reverse("hr:scim_token_revoke", kwargs={"pk": token.pk}), follow=True)

    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == hr_user
    assert scim_status(secret) == 401
    again = hr_client.post(reverse("hr:scim_token_revoke", kwargs={"pk": token.pk}), follow=True)
    assert "was revoked already" in again.content.decode()


def test_revoking_a_missing_token_is_404(hr_client):
    assert hr_client.post(reverse("hr:scim_token_revoke", kwargs={"pk": 999_999})).status_code == 404


@pytest.mark.parametrize("name", ["", "   ", "a" * 101, "Okta\r\nX-Evil: 1", "a\u202eb"])
def test_a_bad_name_is_refused_and_no_token_is_made(hr_client, name):
    response = hr_client.post(URL, {"name": name})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ScimToken.objects.exists()


def test_an_engineer_gets_403_and_makes_nothing(client):
    client.force_login(UserFactory())

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "Okta"}).status_code == 403
    assert not ScimToken.objects.exists()


def test_the_page_lists_tokens_in_five_queries_however_many(hr_client, hr_user, django_assert_num_queries):
    for n in range(5):
        scim_token_create(name=f"Provider {n}", created_by=hr_user)
    hr_client.get(URL)

    # the session, the user, their own and their groups' permissions, the tokens with creators and revokers
    with django_assert_num_queries(5):
        hr_client.get(URL)
    for n in range(20):
        scim_token_create(name=f"More {n}", created_by=UserFactory())
    with django_assert_num_queries(5):
        response = hr_client.get(URL)
    assert response.content.decode().count("Revoke<span") == 25


def test_the_panel_links_to_the_page(hr_client):
    assert URL in hr_client.get(reverse("admin:index")).content.decode()
