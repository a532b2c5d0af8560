from django.urls import path

from . import plan_views, views

app_name = "teams"

urlpatterns = [
    path("", views.TeamView.as_view(), name="team"),
    path("<id:person_id>/results/<id:pk>/", views.ReportResultView.as_view(), name="report_result"),
    path("<id:person_id>/plans/<id:pk>/", views.ReportPlanView.as_view(), name="report_plan"),
    path("<id:person_id>/rate/", views.RateView.as_view(), name="rate"),
    path("<id:person_id>/ratings/", views.ReportRatingsView.as_view(), name="report_ratings"),
    path("ratings/", views.MyRatingsView.as_view(), name="my_ratings"),
    path("peers/", views.PeerRoundView.as_view(), name="peers"),
    path("peers/<id:pk>/close/", views.PeerRoundCloseView.as_view(), name="peer_round_close"),
    path("peers/requests/<id:pk>/", views.PeerAnswerView.as_view(), name="peer_answer"),
    path(
        "<id:person_id>/plans/<id:pk>/comments/",
        plan_views.ReportPlanCommentView.as_view(),
        name="report_plan_comment",
    ),
    path("<id:person_id>/plans/<id:pk>/agree/", plan_views.ReportPlanAgreeView.as_view(), name="report_plan_agree"),
    path(
        "<id:person_id>/milestones/<id:pk>/confirm/",
        plan_views.ReportMilestoneConfirmView.as_view(),
        name="report_milestone_confirm",
    ),
]
