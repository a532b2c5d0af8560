"""Celery tasks for the HR panel: an interface over hr/selectors.py, not logic."""

from celery import shared_task
from django.utils import timezone

from . import selectors


@shared_task
def refresh_dashboard() -> str:
    """Work out the readiness dashboard's figures again and keep them (beat, every 4 minutes).

    Idempotent: running it twice only computes the same figures twice.
    """
    figures = selectors.dashboard_figures(today=timezone.localdate(), refresh=True)
    return figures.computed_at.isoformat()
