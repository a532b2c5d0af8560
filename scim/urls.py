from django.urls import path

from . import views

app_name = "scim"

urlpatterns = [
    path("Users", views.UsersView.as_view(), name="users"),
    path("Users/<str:pk>", views.UserView.as_view(), name="user"),
    path("Groups", views.GroupsView.as_view(), name="groups"),
    path("Groups/<str:pk>", views.GroupView.as_view(), name="group"),
    path("ServiceProviderConfig", views.ServiceProviderConfigView.as_view(), name="service_provider_config"),
    path("ResourceTypes", views.ResourceTypesView.as_view(), name="resource_types"),
    path("Schemas", views.SchemasView.as_view(), name="schemas"),
]
