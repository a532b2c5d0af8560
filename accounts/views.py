"""The profile page and the person's own data: export, erasure, other sessions.

Sign-up, log-in and out, email confirmation and passwords are allauth's (`allauth.account`, under
/accounts/ too: careerpath/urls.py)."""

from django.contrib import messages
from django.contrib.auth import logout
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from accounts import personal_data, selectors, services, time_zones
from accounts.forms import AccountDeleteForm, ProfileForm
from careerpath.security import PrivateView


class ProfileView(PrivateView, FormView):
    """The logged-in person's own profile; there is no id in the URL, so nobody edits another's."""

    template_name = "accounts/profile_edit.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:profile")

    def get_form_kwargs(self):
        # Only a POST (saving the form) may create a missing profile; showing the page writes nothing.
        self.profile = selectors.profile_for(self.request.user, create=self.request.method == "POST")
        return {**super().get_form_kwargs(), "instance": self.profile}

    def form_valid(self, form):
        try:
            services.profile_update(profile=self.profile, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        time_zones.remember(self.request, self.profile.time_zone)
        messages.success(self.request, "Your profile is saved.")
        return super().form_valid(form)


class DataView(PrivateView):
    """Everything careerpath holds about the logged-in person, to read: names and question text, not ids."""

    def get(self, request):
        context = {
            "holdings": personal_data.readable_export(user=request.user),
            "failed_log_ins": services.account_failed_log_ins(user=request.user),
        }
        return render(request, "accounts/data_view.html", context)


class DataExportView(PrivateView):
    """Download everything careerpath holds about the logged-in person, as one JSON file."""

    def get(self, request):
        data = services.account_export_data(user=request.user)
        response = HttpResponse(personal_data.export_json(data), content_type="application/json; charset=utf-8")
        filename = personal_data.export_filename(request.user, timezone.now())
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class OtherSessionsEndView(PrivateView):
    """Log out every other browser and device; this one stays logged in."""

    http_method_names = ["post"]

    def post(self, request):
        ended = services.user_sessions_end(user=request.user, keep_session_key=request.session.session_key)
        if ended:
            messages.success(request, f"Logged out of {ended} other session{'s' if ended != 1 else ''}.")
        else:
            messages.info(request, "You were not logged in anywhere else.")
        return redirect("accounts:profile")


@method_decorator(sensitive_post_parameters("password"), name="dispatch")
class AccountDeleteView(PrivateView, FormView):
    """Erase the account and everything about the person, after they type their password."""

    template_name = "accounts/user_delete.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "holdings": personal_data.HOLDINGS}

    def form_valid(self, form):
        services.account_delete(user=self.request.user)
        logout(self.request)
        messages.success(self.request, "Your account and everything careerpath held about you are erased.")
        return redirect("home")
