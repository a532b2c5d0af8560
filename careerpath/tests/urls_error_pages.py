"""The site's addresses plus one that fails, to see the 500 page."""

from django.urls import path

from careerpath.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("a deliberate failure for the 500 page test")


urlpatterns = [path("test-failure/", fail), *site_urlpatterns]
