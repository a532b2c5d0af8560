"""What the HR panel does when the apps below it send a signal (connected in HrConfig.ready).

The lower apps never import hr: they send their signals, and hr keeps its own data in step.
"""

from django.db import transaction

from . import tasks
from .models import AccessRecord


def access_records_anonymise(sender, *, user, reference: str, **kwargs) -> None:
    """An account is being erased (accounts.signals.account_erasing): the access trail outlives it,
    holding only the person's reference, whether they were looked at or did the looking."""
    AccessRecord.objects.filter(actor=user).update(actor=None, actor_email=f"erased-{reference}")
    AccessRecord.objects.filter(subject=user).update(subject=None, subject_ref=reference)


def dashboard_refresh_on_commit(sender, **kwargs) -> None:
    """A self-assessment was submitted (assessments.signals.response_submitted): once its transaction
    commits, queue the dashboard's refresh, which indexes the new result and counts its answers.
    Robust: a broker that refuses it is logged, the submit stands, and the beat's next refresh catches up."""
    transaction.on_commit(tasks.refresh_dashboard.delay, robust=True)
