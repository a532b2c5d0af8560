"""Checks of the services careerpath depends on, for /healthz."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return Check("database", False, exc.__class__.__name__)
    return Check("database", True, connection.vendor)


def check_broker(broker_url: str | None = None) -> Check | None:
    """The broker's state, or None when tasks run eagerly with no broker."""
    if broker_url is None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return None
        broker_url = settings.CELERY_BROKER_URL
    from careerpath.celery import app

    try:
        with app.connection_for_write(broker_url) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # any transport error means "down"
        return Check("broker", False, exc.__class__.__name__)
    return Check("broker", True, broker_url.split("://", 1)[0])
