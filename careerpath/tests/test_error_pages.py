"""Error pages in the site's look (DEBUG is off in the tests, as in production)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITE_LOOK = ('href="/static/css/careerpath.css"', "navbar-brand")


def assert_site_look(response):
    html = response.content.decode()
    for mark in SITE_LOOK:
        assert mark in html, mark


def test_debug_is_off_here():
    assert settings.DEBUG is False


def test_an_unknown_address_gets_the_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We couldn't find that page" in response.text
    assert_site_look(response)


def test_a_page_someone_may_not_see_gets_the_403_page(client_logged_in):
    response = client_logged_in.get(reverse("hr:dashboard"))

    assert response.status_code == 403
    assert "This page is not open to you" in response.text
    assert reverse("home") in response.text
    assert_site_look(response)


def test_a_form_without_its_csrf_token_gets_the_403_csrf_page(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})

    assert response.status_code == 403
    assert "We couldn't accept that form" in response.text
    assert_site_look(response)


def test_a_request_that_cannot_be_read_gets_the_400_page(client):
    response = client.get(reverse("roles:list"), {"track": "a\x00b"})

    assert response.status_code == 400
    assert "We couldn't accept that request" in response.text
    assert_site_look(response)


@pytest.mark.urls("careerpath.tests.urls_error_pages")
def test_a_failure_gets_the_500_page_without_details():
    client = Client(raise_request_exception=False)

    response = client.get("/test-failure/")

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "deliberate failure" not in response.text
    assert_site_look(response)
