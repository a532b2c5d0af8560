from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from . import converters, views  # noqa: F401  (converters registers <id:…> before the apps' URLs load)

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.FaviconView.as_view(), name="favicon"),
    path("accounts/", include("accounts.urls")),
    # allauth: sign-up, log-in and out, email confirmation, password change and reset (docs/security.md).
    path("accounts/", include("allauth.urls")),
    path("roles/", include("roles.urls")),
    path("assessments/", include("assessments.urls")),
    # Before plans/: the unsubscribe address every sent email links to has always been under plans/.
    path("plans/reminders/", include("reminders.urls")),
    path("plans/", include("plans.urls")),
    path("team/", include("teams.urls")),
    # Provisioning from the company's directory (docs/scim.md): bearer tokens, no session.
    path("scim/v2/", include("scim.urls")),
    # The HR panel: its own pages first, then the admin site (careerpath/admin.py), both under /hr/.
    path("hr/", include("hr.urls")),
    path("hr/", admin.site.urls),
    # The REST API (docs/api.md), versioned: a version that changes incompatibly gets a new prefix.
    path("api/v1/", include("api.urls")),
    path("admin/", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]

handler404 = "careerpath.views.page_not_found"
