"""Celery tasks for accounts: an interface over accounts/services.py, not logic.

accounts/adapter.py queues `email_send` (after the commit) for every email allauth sends; the tasks take
plain values and decide nothing the service does not. The services never import this module.
"""

from celery import shared_task

from . import services


@shared_task
def email_send(*, subject: str, body: str, html: str, from_email: str, to: list[str]) -> None:
    services.email_send(subject=subject, body=body, html=html, from_email=from_email, to=to)


@shared_task
def delete_expired_signups() -> int:
    return services.signups_expired_delete()
