"""The one page of the reminders app: one-click unsubscribe from the reminder emails."""

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from . import email, services


@method_decorator([never_cache, csrf_exempt], name="dispatch")
class UnsubscribeView(View):
    """One-click unsubscribe from reminder emails, without logging in (RFC 8058).

    The signed token in the address is the credential. GET only shows a button, because mail
    scanners fetch links; POST (the button, or the mail client's one-click request) turns
    reminders off. A token that does not verify gets a 400 page.
    """

    template_name = "reminders/unsubscribe.html"

    def _user(self, token: str):
        user_id = email.user_id_from_token(token) if len(token) <= 200 else None
        if user_id is None:
            return None
        return get_user_model().objects.filter(pk=user_id).first()

    def _bad_link(self, request):
        return render(request, "reminders/unsubscribe_invalid.html", status=400)

    def get(self, request, token: str):
        user = self._user(token)
        if user is None:
            return self._bad_link(request)
        return render(request, self.template_name, {"token": token, "email": _masked(user.email), "done": False})

    def post(self, request, token: str):
        user = self._user(token)
        if user is None:
            return self._bad_link(request)
        services.reminders_unsubscribe(user=user)
        return render(request, self.template_name, {"token": token, "email": _masked(user.email), "done": True})


def _masked(address: str) -> str:
    """e•••@example.com: enough for the owner to recognise, little for whoever the email was forwarded to."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"
