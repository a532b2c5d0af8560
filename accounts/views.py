"""Sign-up, log-in/out, password change and reset, and the profile page."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.timesince import timesince
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView

from accounts import personal_data, selectors, services, time_zones
from accounts.forms import (
    AccountDeleteForm,
    AccountPasswordResetForm,
    EmailAuthenticationForm,
    ProfileForm,
    SignupForm,
)

# The backend that checks email + password; named so login() works if more backends are added.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AnonymousOnlyMixin:
    """Send people who are already logged in to their profile instead."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)


@method_decorator([sensitive_post_parameters("password1", "password2"), csrf_protect, never_cache], name="dispatch")
class SignupView(AnonymousOnlyMixin, FormView):
    template_name = "accounts/user_signup.html"
    form_class = SignupForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            user = services.user_create(email=data["email"], password=data["password1"], name=data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        login(self.request, user, backend=PASSWORD_BACKEND)
        messages.success(
            self.request,
            f"Welcome to careerpath, {user.get_short_name()}. Fill in your profile below: "
            "your discipline, current role and experience shape the roles and plans we suggest.",
        )
        return super().form_valid(form)


class LoginView(auth_views.LoginView):
    template_name = "accounts/user_login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView refuses GET), then back home with a note."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "You are logged out.")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


def reset_link_lifetime() -> str:
    """How long a password-reset link works, in words ("3 days"): PASSWORD_RESET_TIMEOUT."""
    start = timezone.now()
    # timesince joins number and unit with a no-break space; plain text emails read better with a space.
    return timesince(start, start + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)).replace("\xa0", " ")


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    form_class = AccountPasswordResetForm
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self):
        return {"link_lifetime": reset_link_lifetime()}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_lifetime": reset_link_lifetime()}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class ProfileView(LoginRequiredMixin, FormView):
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


class DataExportView(LoginRequiredMixin, View):
    """Download everything careerpath holds about the logged-in person, as one JSON file."""

    def get(self, request):
        data = services.account_export_data(user=request.user)
        response = HttpResponse(personal_data.export_json(data), content_type="application/json; charset=utf-8")
        filename = personal_data.export_filename(request.user, timezone.now())
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class OtherSessionsEndView(LoginRequiredMixin, View):
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
class AccountDeleteView(LoginRequiredMixin, FormView):
    """Erase the account and everything about the person, after they type their password."""

    template_name = "accounts/user_delete.html"
    form_class = AccountDeleteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "holdings": personal_data.installed_holdings()}

    def form_valid(self, form):
        services.account_delete(user=self.request.user)
        logout(self.request)
        messages.success(self.request, "Your account and everything careerpath held about you are erased.")
        return redirect("home")
