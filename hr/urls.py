from django.urls import path

from . import views

app_name = "hr"

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/<slug:chart>.csv", views.DashboardCSVView.as_view(), name="dashboard_csv"),
    path("exports/", views.ExportsView.as_view(), name="exports"),
    path("reminders/send-due/", views.RemindersSendDueView.as_view(), name="reminders_send_due"),
    path("exports/people.csv", views.PeopleExportView.as_view(), name="export_people"),
    path("exports/plans.csv", views.PlansExportView.as_view(), name="export_plans"),
    path("exports/results.csv", views.ResultsExportView.as_view(), name="export_results"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("agreement/", views.AgreementView.as_view(), name="agreement"),
    path("agreement.csv", views.AgreementCSVView.as_view(), name="agreement_csv"),
    path("people/import/", views.PeopleImportView.as_view(), name="people_import"),
    path("people/<id:person_id>/results/<id:pk>/", views.PersonResultView.as_view(), name="person_result"),
    path("people/<id:person_id>/plans/<id:pk>/", views.PersonPlanView.as_view(), name="person_plan"),
    path("api-tokens/", views.ApiTokensView.as_view(), name="api_tokens"),
    path("api-tokens/<id:pk>/revoke/", views.ApiTokenRevokeView.as_view(), name="api_token_revoke"),
    path("scim-tokens/", views.ScimTokensView.as_view(), name="scim_tokens"),
    path("scim-tokens/<id:pk>/revoke/", views.ScimTokenRevokeView.as_view(), name="scim_token_revoke"),
]
