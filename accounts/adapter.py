"""How allauth (django-allauth's `account` app) fits careerpath: its emails leave through Celery, and a new
account gets its name and profile from accounts' services."""

from functools import partial

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.urls import reverse

from accounts import services, tasks


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": "That email address and password do not match an account. Check both and try again.",
        "too_many_login_attempts": "Too many failed log-ins from here. Wait a few minutes, then try again.",
        "rate_limited": "Too many requests from here in a short time. Wait a minute, then try again.",
    }

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render the email in the request, send it from a task after the commit.

        Sending (an SMTP round trip) is what would take longest in a sign-up or a reset request, and it
        happens only for some addresses (a reset for an unknown address sends nothing): queued, it no
        longer shows in how long the answer takes (tests/security/test_account_enumeration.py).
        """
        request = allauth_context.request
        context = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        job = partial(
            tasks.email_send.delay,
            subject=message.subject,
            body=message.body,
            html=html,
            from_email=message.from_email,
            to=list(message.to),
        )
        transaction.on_commit(job)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        if commit:
            services.user_signed_up(user=user, name=form.cleaned_data.get("name", ""))
        return user

    def confirm_email(self, request, email_address) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed and email_address.user.signup_pending:
            services.signup_confirmed(user=email_address.user)
            messages.success(
                request,
                f"Welcome to careerpath, {email_address.user.get_short_name()}. Fill in your profile below: "
                "your discipline, current role and experience shape the roles and plans we suggest.",
            )
        return confirmed

    def get_password_change_redirect_url(self, request) -> str:
        return reverse("accounts:profile")
