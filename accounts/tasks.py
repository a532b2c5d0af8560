"""Celery tasks for accounts: an interface over accounts/services.py, not logic.

Queued with transaction.on_commit by the services; both take plain values and decide nothing
the service does not.
"""

from celery import shared_task

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
