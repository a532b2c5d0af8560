"""Which permissions each HR page needs. The HR group gets them from a data migration.

Staff status lets a person into the panel at all; these decide what they see there.
"""

from django.contrib.auth.mixins import AccessMixin
from django.urls import reverse_lazy

VIEW_PEOPLE = "hr.view_person"
VIEW_RESULTS = "assessments.view_result"
VIEW_PLANS = "plans.view_plan"
IMPORT_PEOPLE = "hr.import_people"

DASHBOARD_PERMISSIONS = (VIEW_PEOPLE, VIEW_RESULTS, VIEW_PLANS)
# The SCIM tokens page: see and create tokens; revoking one changes it.
SCIM_TOKEN_PERMISSIONS = ("scim.view_scimtoken", "scim.add_scimtoken")
REVOKE_SCIM_TOKEN = "scim.change_scimtoken"
# Sending the due reminders at once: whoever may retry failed ones (the HR group) may send due ones.
SEND_REMINDERS = "reminders.retry_reminder"


class PanelAccessMixin(AccessMixin):
    """Anonymous visitors go to the panel's log-in; logged-in people without staff status
    or the page's permissions get 403. Superusers pass every check."""

    permissions: tuple[str, ...] = DASHBOARD_PERMISSIONS
    login_url = reverse_lazy("admin:login")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not (user.is_active and user.is_staff and user.has_perms(self.permissions)):
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)
