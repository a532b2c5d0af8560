from django.urls import path

from . import views

app_name = "roles"

urlpatterns = [
    path("", views.RoleListView.as_view(), name="list"),
    path("map/", views.CareerMapView.as_view(), name="map"),
    path("compare/", views.RoleCompareView.as_view(), name="compare"),
    path("<slug:slug>/", views.RoleDetailView.as_view(), name="detail"),
]
