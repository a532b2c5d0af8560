"""careerpath.security.PrivateView: one base for every page with someone's personal data."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.tests.factories import UserFactory
from careerpath.security import PrivateView

PROJECT_APPS = ("accounts", "assessments", "careerpath", "hr", "plans", "reminders", "roles", "teams")
CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")
PLACEHOLDERS = {"id": "1", "int": "1", "uuid": "00000000-0000-0000-0000-000000000001", "path": "x"}


class Page(PrivateView):
    def get(self, request):
        return HttpResponse("someone's data")


def _project_views() -> list[tuple[str, type]]:
    """(path with placeholder parameters, view class) for every class-based view of the project's apps."""
    found = []

    def walk(patterns, prefix: str):
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern):
                view_class = getattr(entry.callback, "view_class", None)
                if view_class is not None and view_class.__module__.split(".")[0] in PROJECT_APPS:
                    path = "/" + CONVERTER.sub(lambda m: PLACEHOLDERS.get(m[1] or "str", "x"), route)
                    found.append((path, view_class))

    walk(get_resolver().url_patterns, "")
    return found


def test_the_project_has_private_views_in_every_app_with_personal_pages():
    apps = {view.__module__.split(".")[0] for _, view in _project_views() if issubclass(view, PrivateView)}
    assert {"accounts", "assessments", "plans", "hr", "teams"} <= apps


def test_every_view_that_checks_who_is_logged_in_is_a_private_view():
    """A log-in check of its own (LoginRequiredMixin, AccessMixin) would miss the no-store guarantee."""
    own = [view for _, view in _project_views() if issubclass(view, AccessMixin) and not issubclass(view, PrivateView)]
    assert own == []


@pytest.mark.django_db
def test_every_private_page_sends_anonymous_visitors_to_log_in_and_is_never_stored(client):
    views = [(path, view) for path, view in _project_views() if issubclass(view, PrivateView)]
    assert len(views) > 15
    for path, view in views:
        method = "get" if "get" in view.http_method_names and hasattr(view, "get") else "post"
        response = getattr(client, method)(path)
        assert response.status_code == 302, path
        location = urlsplit(response["Location"])
        login = reverse("admin:login") if path.startswith("/hr/") else resolve_url(settings.LOGIN_URL)
        assert location.path == login, path
        assert parse_qs(location.query)["next"] == [path], path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


def test_a_private_view_redirects_anonymous_visitors_with_no_store():
    request = RequestFactory().get("/mine/")
    request.user = AnonymousUser()

    response = Page.as_view()(request)

    assert response.status_code == 302
    assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next=/mine/"
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_private_view_is_never_stored_even_when_no_session_was_read():
    """PrivateView sets the headers itself; it doesn't rely on the middleware seeing the session."""
    request = RequestFactory().get("/mine/")
    request.user = UserFactory()

    response = Page.as_view()(request)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
