from django.urls import path

from . import views

app_name = "teams"

urlpatterns = [
    path("", views.TeamView.as_view(), name="team"),
    path("<int:person_id>/results/<int:pk>/", views.ReportResultView.as_view(), name="report_result"),
    path("<int:person_id>/plans/<int:pk>/", views.ReportPlanView.as_view(), name="report_plan"),
    path("<int:person_id>/rate/", views.RateView.as_view(), name="rate"),
    path("<int:person_id>/ratings/", views.ReportRatingsView.as_view(), name="report_ratings"),
    path("ratings/", views.MyRatingsView.as_view(), name="my_ratings"),
]
