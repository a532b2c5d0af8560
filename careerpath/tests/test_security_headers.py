"""Headers, cookies and error pages under the production settings.

The production module is imported with a made-up secret and host, and every setting it
changes (except storage, database, mail and logging, which need real services) is applied
with override_settings, so these tests see what a production response carries.
"""

import importlib
import re
import sys

import pytest
from django.test import Client, override_settings
from django.urls import clear_url_caches, path

from accounts.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NOT_APPLIED = {"DATABASES", "STORAGES", "STATIC_ROOT", "MAILERS", "LOGGING", "CACHES", "SECRET_KEY"}
HOST = "careerpath.example.com"


def production_values(monkeypatch) -> dict:
    monkeypatch.setenv("SECRET_KEY", "test-only-production-secret-key-long-enough-1234567890")
    monkeypatch.setenv("ALLOWED_HOSTS", HOST)
    sys.modules.pop("careerpath.settings.production", None)
    module = importlib.import_module("careerpath.settings.production")
    sys.modules.pop("careerpath.settings.production", None)
    return {name: getattr(module, name) for name in dir(module) if name.isupper() and name not in NOT_APPLIED}


@pytest.fixture
def production(monkeypatch):
    with override_settings(**production_values(monkeypatch)):
        yield


def get(client: Client, url: str, **extra):
    return client.get(url, secure=True, headers={"host": HOST}, **extra)


def test_production_settings_turn_debug_off_and_require_https(production):
    from django.conf import settings

    assert settings.DEBUG is False
    assert settings.SECURE_SSL_REDIRECT is True
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE


@pytest.mark.parametrize("url", ["/", "/roles/", "/accounts/login/", "/accounts/signup/"])
def test_every_page_sends_hsts_nosniff_referrer_policy_frame_denial_and_an_enforced_csp(production, client, url):
    response = get(client, url)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in response
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"].startswith("'self'")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_plain_http_is_sent_to_https(production, client):
    response = client.get("/roles/", headers={"host": HOST})

    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/roles/"


def test_the_csp_is_enforced_under_the_test_settings_too(client):
    response = client.get("/")

    assert "script-src 'self'" in response["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(rb"\son[a-z]+=\"", re.I)


def test_pages_carry_no_inline_script_style_or_event_handler(client):
    """The CSP forbids them, so a page using one would silently break in the browser."""
    user = UserFactory()
    client.force_login(user)
    for url in ["/", "/roles/", "/roles/map/", "/accounts/profile/", "/accounts/delete/", "/plans/", "/assessments/"]:
        html = client.get(url).content
        assert not INLINE_SCRIPT.search(html), url
        assert not INLINE_HANDLER.search(html), url
        assert b"<style" not in html, url
        assert b' style="' not in html, url


# --- No caching of personal pages ---------------------------------------------------


def test_a_logged_in_persons_pages_are_never_stored(production, client):
    client.force_login(UserFactory())
    for url in ["/accounts/profile/", "/roles/", "/", "/accounts/data/export/"]:
        response = get(client, url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_anonymous_public_pages_stay_cacheable(client):
    response = client.get("/roles/")

    assert "no-store" not in response.get("Cache-Control", "")


def test_the_no_store_middleware_adds_no_query(client, django_assert_num_queries):
    user = UserFactory()
    client.force_login(user)
    client.get("/healthz")  # a page that never looks at the session
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"]  # healthz is never_cache itself


# --- Cookies ----------------------------------------------------------------------


def test_session_and_csrf_cookies_are_secure_httponly_and_same_site_in_production(production, client):
    user = UserFactory(email="cookie@example.com")
    page = get(client, "/accounts/login/")
    csrf = page.cookies["csrftoken"]
    response = client.post(
        "/accounts/login/",
        {"login": user.email, "password": TEST_PASSWORD, "csrfmiddlewaretoken": csrf.value},
        secure=True,
        headers={"host": HOST},
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


# --- Error pages ------------------------------------------------------------------


def boom(request):
    raise RuntimeError("SECRET-DETAIL from the database layer")


def test_a_404_under_production_settings_shows_our_page_and_nothing_else(production, client):
    response = get(client, "/no/such/page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "We couldn't find that page" in html
    assert "Traceback" not in html and "urlpatterns" not in html.lower() and "SECRET_KEY" not in html


def test_a_500_under_production_settings_shows_no_traceback_or_settings(production, monkeypatch):
    from careerpath import urls

    monkeypatch.setattr(urls, "urlpatterns", [*urls.urlpatterns, path("boom/", boom)])
    client = Client(raise_request_exception=False)
    clear_url_caches()
    try:
        response = get(client, "/boom/")
    finally:
        clear_url_caches()

    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    for leak in ("SECRET-DETAIL", "Traceback", "RuntimeError", "SECRET_KEY", "DATABASES", "settings"):
        assert leak not in html
