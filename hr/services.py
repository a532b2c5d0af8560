"""Writes for the HR panel: the access trail and the readiness index."""

from django.db import transaction
from django.db.models import Subquery
from django.db.models.functions import Coalesce

from assessments.models import Result

from .models import AccessRecord, RoleReadiness, subject_reference

# Results indexed per query when catching up; each brings its readiness list (one entry per role).
INDEX_BATCH = 500


def access_record_create(*, actor, subject, kind: str, object_id: int) -> AccessRecord:
    """Note that `actor` opened `subject`'s result, answers or plan (kind from AccessRecord.Kind)."""
    if kind not in AccessRecord.Kind.values:
        raise ValueError(f"Unknown access kind {kind!r}.")
    return AccessRecord.objects.create(
        actor=actor,
        actor_email=actor.email,
        subject=subject,
        subject_ref=subject_reference(subject.pk),
        kind=kind,
        object_id=object_id,
    )


def readiness_index_update() -> int:
    """Copy the readiness figures of results stored since the last update into RoleReadiness.

    Results never change, so only results newer than the newest indexed one are read:
    when nothing is new this is one query. Returns how many results were indexed.
    Safe to run concurrently (duplicates are ignored).
    """
    indexed = 0
    after = Coalesce(Subquery(RoleReadiness.objects.order_by("-result_id").values("result_id")[:1]), 0)
    while True:
        batch = list(
            Result.objects.filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", "data__result__readiness")[:INDEX_BATCH]
        )
        if not batch:
            return indexed
        entries = [
            RoleReadiness(result_id=pk, role_slug=role["slug"], readiness=min(100, max(0, int(role["readiness"]))))
            for pk, readiness in batch
            for role in readiness or ()
        ]
        with transaction.atomic():
            RoleReadiness.objects.bulk_create(entries, ignore_conflicts=True, batch_size=2000)
        indexed += len(batch)
        if len(batch) < INDEX_BATCH:
            return indexed
        after = batch[-1][0]  # go on from this batch, whatever was stored for it
