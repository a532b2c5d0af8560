from django.urls import path

from . import views

app_name = "plans"

urlpatterns = [
    path("", views.PlanListView.as_view(), name="list"),
    path("new/", views.PlanCreateView.as_view(), name="create"),
    path("credentials/", views.CredentialDatesView.as_view(), name="credentials"),
    path("<int:pk>/", views.PlanDetailView.as_view(), name="detail"),
    path("<int:pk>/print/", views.PlanPrintView.as_view(), name="print"),
    path("<int:pk>/milestones.csv", views.PlanCSVView.as_view(), name="csv"),
    path("<int:pk>/milestones/add/", views.MilestoneAddView.as_view(), name="milestone_add"),
    path("<int:pk>/archive/", views.PlanArchiveView.as_view(), name="archive"),
    path("<int:pk>/calendar/rotate/", views.CalendarRotateView.as_view(), name="calendar_rotate"),
    path("milestones/<int:pk>/status/", views.MilestoneStatusView.as_view(), name="milestone_status"),
    path("milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("milestones/<int:pk>/set-aside/", views.MilestoneSetAsideView.as_view(), name="milestone_set_aside"),
    path("milestones/<int:pk>/restore/", views.MilestoneRestoreView.as_view(), name="milestone_restore"),
    path("milestones/<int:pk>/move/", views.MilestoneMoveView.as_view(), name="milestone_move"),
    path("calendar/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar"),
    path("<int:pk>/comments/", views.PlanCommentAddView.as_view(), name="comment_add"),
    path("comments/<int:pk>/delete/", views.PlanCommentDeleteView.as_view(), name="comment_delete"),
    path("<int:pk>/privacy/", views.PlanPrivacyView.as_view(), name="privacy"),
    path("milestones/<int:pk>/evidence/", views.MilestoneEvidenceView.as_view(), name="milestone_evidence"),
]
