from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("new/", views.PlanCreateView.as_view(), name="create"),
    path("credentials/", views.CredentialDatesView.as_view(), name="credentials"),
    path("<id:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<id:pk>/print/", views.PlanPrintView.as_view(), name="print"),
    path("<id:pk>/milestones.csv", views.PlanCSVView.as_view(), name="csv"),
    path("<id:pk>/milestones/add/", views.MilestoneAddView.as_view(), name="milestone_add"),
    path("<id:pk>/archive/", views.PlanArchiveView.as_view(), name="archive"),
    path("<id:pk>/calendar/rotate/", views.CalendarRotateView.as_view(), name="calendar_rotate"),
    path("milestones/<id:pk>/status/", views.MilestoneStatusView.as_view(), name="milestone_status"),
    path("milestones/<id:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<id:pk>/set-aside/", views.MilestoneSetAsideView.as_view(), name="milestone_set_aside"),
    path("milestones/<id:pk>/restore/", views.MilestoneRestoreView.as_view(), name="milestone_restore"),
    path("milestones/<id:pk>/move/", views.MilestoneMoveView.as_view(), name="milestone_move"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar"),
    path("<id:pk>/comments/", views.PlanCommentAddView.as_view(), name="comment_add"),
    path("comments/<id:pk>/delete/", views.PlanCommentDeleteView.as_view(), name="comment_delete"),
    path("<id:pk>/privacy/", views.PlanPrivacyView.as_view(), name="privacy"),
    path("milestones/<id:pk>/evidence/", views.MilestoneEvidenceView.as_view(), name="milestone_evidence"),
]
