"""How long the links accounts emails work, in words, for the emails and pages that mention it."""

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from accounts import services

register = template.Library()


@register.simple_tag
def reset_link_lifetime() -> str:
    """A password-reset link's (PASSWORD_RESET_TIMEOUT), e.g. "3 days"."""
    return services.reset_link_lifetime()


@register.simple_tag
def confirmation_link_lifetime() -> str:
    """A sign-up confirmation link's (ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS), e.g. "3 days"."""
    start = timezone.now()
    return timesince(start, start + services.email_confirmation_lifetime()).replace("\xa0", " ")
