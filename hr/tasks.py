"""Celery tasks for the HR panel: an interface over hr/services.py, not logic."""

from celery import shared_task

from . import services


@shared_task
def refresh_dashboard() -> str:
    """Bring the readiness dashboard's data up to date and keep its figures (beat, every 4 minutes;
    queued on each submitted self-assessment).

    Idempotent: running it twice indexes and counts nothing twice.
    """
    return services.dashboard_refresh().computed_at.isoformat()
