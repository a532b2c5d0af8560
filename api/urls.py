"""The REST API, version 1, under /api/v1/ (docs/api.md)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[], authentication_classes=[]),
        name="docs",
    ),
    path("tracks/", views.TrackList.as_view(), name="tracks"),
    path("tracks/<slug:slug>/", views.TrackDetail.as_view(), name="track"),
    path("roles/", views.RoleList.as_view(), name="roles"),
    path("roles/<slug:slug>/", views.RoleDetail.as_view(), name="role"),
    path("skills/", views.SkillList.as_view(), name="skills"),
    path("skills/<slug:slug>/", views.SkillDetail.as_view(), name="skill"),
    path("certifications/", views.CertificationList.as_view(), name="certifications"),
    path("certifications/<slug:slug>/", views.CertificationDetail.as_view(), name="certification"),
    path("me/results/", views.MyResults.as_view(), name="my_results"),
    path("me/results/<id:pk>/", views.MyResult.as_view(), name="my_result"),
    path("me/plans/", views.MyPlans.as_view(), name="my_plans"),
    path("me/plans/<id:pk>/", views.MyPlan.as_view(), name="my_plan"),
    path("people/", views.People.as_view(), name="people"),
    path("people/<id:pk>/", views.Person.as_view(), name="person"),
    path("people/<id:person_id>/results/", views.PersonResults.as_view(), name="person_results"),
    path("people/<id:person_id>/results/<id:pk>/", views.PersonResult.as_view(), name="person_result"),
    path("people/<id:person_id>/plans/", views.PersonPlans.as_view(), name="person_plans"),
    path("people/<id:person_id>/plans/<id:pk>/", views.PersonPlan.as_view(), name="person_plan"),
    path("readiness/", views.Readiness.as_view(), name="readiness"),
]
