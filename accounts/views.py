"""Sign-up, log-in/out, password change and reset, and the profile page."""

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import urlsafe_base64_decode
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import FormView, TemplateView

from accounts import personal_data, selectors, services, tasks, time_zones
from accounts.forms import (
    AccountDeleteForm,
    AccountPasswordResetForm,
    EmailAuthenticationForm,
    ProfileForm,
    SignupForm,
)
from careerpath.security import PrivateView

# The backend that checks email + password; named so login() works if more backends are added.
PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"


class AnonymousOnlyMixin:
    """Send people who are already logged in to their profile instead."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)


def site_link(request) -> services.SiteLink:
    """Where links in an email point: the host this request came to (checked against ALLOWED_HOSTS)."""
    return services.SiteLink(domain=request.get_host(), use_https=request.is_secure())


@method_decorator([sensitive_post_parameters("password1", "password2"), csrf_protect, never_cache], name="dispatch")
class SignupView(AnonymousOnlyMixin, FormView):
    """Sign-up answers alike for any address: the email says whether an account was made or already exists."""

    template_name = "accounts/user_signup.html"
    form_class = SignupForm
    success_url = reverse_lazy("accounts:signup_sent")

    def form_valid(self, form):
        data = form.cleaned_data
        tasks.signup_request(
            email=data["email"], password=data["password1"], name=data["name"], site=site_link(self.request)
        )
        return super().form_valid(form)


class SignupSentView(TemplateView):
    template_name = "accounts/signup_sent.html"


@method_decorator([csrf_protect, never_cache], name="dispatch")
class SignupConfirmView(View):
    """The link of the sign-up email: GET shows a button (a GET changes nothing), POST activates and logs in."""

    template_name = "accounts/signup_confirm.html"

    def pending_user(self, uidb64: str, token: str):
        try:
            pk = int(urlsafe_base64_decode(uidb64).decode())
        except (ValueError, UnicodeDecodeError):
            return None
        user = selectors.pending_signup(pk)
        if user is None or not default_token_generator.check_token(user, token):
            return None
        return user

    def get(self, request, uidb64: str, token: str):
        user = self.pending_user(uidb64, token)
        return render(request, self.template_name, {"valid": user is not None})

    def post(self, request, uidb64: str, token: str):
        user = self.pending_user(uidb64, token)
        if user is None:
            return render(request, self.template_name, {"valid": False})
        services.signup_activate(user=user)
        login(request, user, backend=PASSWORD_BACKEND)
        messages.success(
            request,
            f"Welcome to careerpath, {user.get_short_name()}. Fill in your profile below: "
            "your discipline, current role and experience shape the roles and plans we suggest.",
        )
        return redirect("accounts:profile")


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


class PasswordResetView(auth_views.PasswordResetView):
    """Answers alike for any address: the email is queued for every address and sent only to an account."""

    template_name = "accounts/password_reset_form.html"
    form_class = AccountPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        tasks.password_reset_request(email=form.cleaned_data["email"], site=site_link(self.request))
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "link_lifetime": services.reset_link_lifetime()}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


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
