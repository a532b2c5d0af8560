from django.urls import path

from . import plan_views, views

app_name = "teams"

urlpatterns = [
    path("", views.TeamView.as_view(), name="team"),
    path("<int:person_id>/results/<int:pk>/", views.ReportResultView.as_view(), name="report_result"),
    path("<int:person_id>/plans/<int:pk>/", views.ReportPlanView.as_view(), name="report_plan"),
    path("<int:person_id>/rate/", views.RateView.as_view(), name="rate"),
    path("<int:person_id>/ratings/", views.ReportRatingsView.as_view(), name="report_ratings"),
    path("ratings/", views.MyRatingsView.as_view(), name="my_ratings"),
    path("peers/", views.PeerRoundView.as_view(), name="peers"),
    path("peers/requests/<int:pk>/", views.PeerAnswerView.as_view(), name="peer_answer"),
    path(
        "<int:person_id>/plans/<int:pk>/comments/",
        plan_views.ReportPlanCommentView.as_view(),
        name="report_plan_comment",
    ),
    path("<int:person_id>/plans/<int:pk>/agree/", plan_views.ReportPlanAgreeView.as_view(), name="report_plan_agree"),
    path(
        "<int:person_id>/milestones/<int:pk>/confirm/",
        plan_views.ReportMilestoneConfirmView.as_view(),
        name="report_milestone_confirm",
    ),
]
