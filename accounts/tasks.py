"""Celery tasks for accounts: an interface over accounts/services.py, not logic.

The views queue them with the `*_request` functions below (after the commit); the tasks take
plain values and decide nothing the service does not. The services never import this module.
"""

from functools import partial

from celery import shared_task
from django.contrib.auth.hashers import make_password
from django.db import transaction

from . import services


@shared_task
def signup_email_send(*, email: str, name: str, password_hash: str, domain: str, use_https: bool) -> None:
    services.signup_email_send(
        email=email, name=name, password_hash=password_hash, site=services.SiteLink(domain, use_https)
    )


@shared_task
def password_reset_email_send(*, email: str, domain: str, use_https: bool) -> None:
    services.password_reset_email_send(email=email, site=services.SiteLink(domain, use_https))


@shared_task
def delete_expired_signups() -> int:
    return services.signups_expired_delete()


def signup_request(*, email: str, password: str, name: str, site: services.SiteLink) -> None:
    """Queue the sign-up email for an address, known or not (the task signup_email_send decides which).

    The password is hashed here, in the request, for every address, so both cases cost the same;
    the task gets only the hash.
    """
    job = partial(
        signup_email_send.delay,
        email=services.email_normalize(email),
        name=name.strip(),
        password_hash=make_password(password),
        domain=site.domain,
        use_https=site.use_https,
    )
    transaction.on_commit(job)


def password_reset_request(*, email: str, site: services.SiteLink) -> None:
    """Queue the password-reset email for an address, known or not (the task sends it only to an account)."""
    job = partial(password_reset_email_send.delay, email=email, domain=site.domain, use_https=site.use_https)
    transaction.on_commit(job)
