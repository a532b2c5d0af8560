from django.urls import path

from . import views

app_name = "accounts"

# Sign-up, log-in, log-out, email confirmation and passwords are allauth's, included beside these under
# /accounts/ (careerpath/urls.py), with allauth's URL names: account_login, account_signup, ...
urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("data/", views.DataView.as_view(), name="data_view"),
    path("data/export/", views.DataExportView.as_view(), name="data_export"),
    path("delete/", views.AccountDeleteView.as_view(), name="delete"),
    path("sessions/end-others/", views.OtherSessionsEndView.as_view(), name="sessions_end_others"),
]
