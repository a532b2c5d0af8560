"""The HR panel asks its HR members for a second factor: without one set up, they are sent to set it up."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import selectors

MFA_REQUIRED_MESSAGE = (
    "The HR panel shows everyone's data, so it asks for a second factor when you log in. "
    "Set one up here (an authenticator app or a passkey), then go back to the panel."
)


class PanelMfaRequiredMiddleware:
    """HR_REQUIRE_MFA: a member of the HR group without a second factor who opens any page under the
    panel (/hr/: its own pages and the admin's) is sent to allauth's two-factor page, `next` the panel.

    Once they have one, allauth asks for it at every log-in, and the panel's log-in is allauth's
    (careerpath.admin.PanelSite.login), so the panel is never reached with the password alone. Its
    log-out stays reachable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.HR_REQUIRE_MFA and self.applies(request):
            messages.warning(request, MFA_REQUIRED_MESSAGE)
            return redirect(f"{reverse('mfa_index')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def applies(request) -> bool:
        panel = reverse("admin:index")
        if not request.path.startswith(panel) or request.path == reverse("admin:logout"):
            return False
        return request.user.is_authenticated and selectors.hr_member_without_second_factor(request.user)
