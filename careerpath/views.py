from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView, TemplateView

from roles.cache import AnonymousPageCacheMixin

from . import health, home


class HomeView(AnonymousPageCacheMixin, TemplateView):
    """The landing page for visitors (whole from the cache); a signed-in person's own home for them."""

    template_name = "home.html"
    page_cache_name = "home"

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().get(request, *args, **kwargs)
        today = timezone.localdate()
        context = {"home": home.person_home(user=request.user, today=today), "today": today}
        return render(request, "home_person.html", context)


FAVICON = "img/favicon.svg"


class FaviconView(RedirectView):
    """/favicon.ico, which browsers and crawlers ask for whatever the pages link to: the SVG icon.

    A temporary redirect (302), because in production the icon's address carries a hash of its
    content (the manifest storage) and changes when the icon does; looked up per request for the same reason.
    """

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static(FAVICON)


@never_cache
@require_safe
def healthz(request):
    checks = [c for c in (health.check_database(), health.check_broker()) if c is not None]
    healthy = all(c.ok for c in checks)
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks},
    }
    return JsonResponse(body, status=200 if healthy else 503)


API_PREFIX = "/api/"


def page_not_found(request, exception):
    """The 404 page; under /api/ the REST API's JSON error instead (docs/api.md), whatever address was asked."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "No such endpoint: /api/v1/docs/ lists the ones there are."}, status=404)
    return defaults.page_not_found(request, exception)
