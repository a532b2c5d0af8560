from django.apps import AppConfig


class HrConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "hr"
    verbose_name = "HR panel"

    def ready(self):
        # The apps below hr send signals; hr keeps its own data in step (hr/receivers.py).
        from accounts.signals import account_erasing
        from assessments.signals import response_submitted

        from . import receivers

        account_erasing.connect(receivers.access_records_anonymise, dispatch_uid="hr-access-records-anonymise")
        response_submitted.connect(receivers.dashboard_refresh_on_commit, dispatch_uid="hr-dashboard-refresh")
