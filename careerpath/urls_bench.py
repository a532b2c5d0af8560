"""The project's URLs plus the benchmark's trivial view; used only by careerpath.settings.bench."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import path

from .urls import urlpatterns as project_urlpatterns


def trivial(request):
    """A short constant response: what Django itself costs to answer a request here."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = list(project_urlpatterns)
if settings.BENCH_TRIVIAL_VIEW:
    # Last, so resolving it walks the same patterns a page's URL does.
    urlpatterns.append(path("bench/trivial/", trivial, name="bench-trivial"))
