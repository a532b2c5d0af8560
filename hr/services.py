"""Writes for the HR panel: the access trail, the readiness index, the questionnaire-quality sums and the
dashboard's kept figures."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Profile, User
from accounts.personal_data import subject_reference
from accounts.services import user_create
from assessments.models import Answer, Item, ItemKey, QuestionnaireVersion, Response, Result

from . import imports, selectors
from .models import AccessRecord, CountedResponse, RoleReadiness, ScaleItemSums, ScaleStatistics

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


def dashboard_refresh(*, today: date | None = None) -> selectors.DashboardFigures:
    """Bring what the dashboard reads up to date (the readiness index, the active version's quality
    sums), work its figures out and keep them for HR_DASHBOARD_CACHE_SECONDS.

    Run by the beat task hr.tasks.refresh_dashboard ahead of the kept figures' expiry, and queued
    when a self-assessment is submitted (hr/receivers.py), so no page view writes (docs/hr.md).
    Idempotent: run twice, the second finds nothing new to index or count.
    """
    today = today or timezone.localdate()
    readiness_index_update()
    version = selectors.active_version()
    if version is not None:
        scale_statistics_update(version=version)
    figures = selectors.dashboard_figures_compute(today=today)
    if settings.HR_DASHBOARD_CACHE_SECONDS:
        key = selectors.DASHBOARD_CACHE_KEY.format(today=today.isoformat())
        cache.set(key, figures, timeout=settings.HR_DASHBOARD_CACHE_SECONDS)
    return figures


# A result is stored in its submit's transaction, so one with a lower id can commit just after one
# with a higher id was indexed. Results of this last stretch of time that have no entry yet are
# looked at again on every update; no submit's transaction stays open anywhere near that long.
LATE_COMMIT_WINDOW = timedelta(minutes=10)


def readiness_index_update() -> int:
    """Copy the readiness figures of results stored since the last update into RoleReadiness.

    Results never change, so only results newer than the newest indexed one are read (and those
    of the last LATE_COMMIT_WINDOW not indexed yet): when nothing is new this is one query.
    Returns how many results were read. Safe to run concurrently (duplicates are ignored).
    """
    indexed = 0
    newest = Coalesce(Subquery(RoleReadiness.objects.order_by("-result_id").values("result_id")[:1]), 0)
    late = Q(created_at__gte=timezone.now() - LATE_COMMIT_WINDOW) & ~Exists(
        RoleReadiness.objects.filter(result_id=OuterRef("pk"))
    )
    new = Q(pk__gt=newest) | late
    while True:
        batch = list(
            Result.objects.filter(new).order_by("pk").values_list("pk", "data__result__readiness")[:INDEX_BATCH]
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
        new = Q(pk__gt=batch[-1][0])  # go on from this batch, whatever was stored for it


# --- Questionnaire-quality sums ---------------------------------------------------------------


def scale_keys_fingerprint(keys: list[ItemKey]) -> str:
    """What the sums depend on in the statements: which item counts toward which scale, which way."""
    text = ";".join(f"{key.item_id}:{key.dimension}:{key.direction}" for key in sorted(keys, key=lambda k: k.pk))
    return hashlib.sha256(text.encode()).hexdigest()


def scale_statistics_update(*, version: QuestionnaireVersion, keys: list[ItemKey] | None = None) -> int:
    """Bring the version's questionnaire-quality sums (ScaleItemSums) up to date; returns how many
    responses were added to them.

    Only responses submitted since the last update are read, so a dashboard refresh costs about
    as much as the responses that are new, not all of them. Submitted responses never change;
    when one that was counted is deleted, or the version's scale statements changed, the sums are
    worked out again from every response. Checking that nothing changed is one query. Safe
    to run concurrently: updates of one version take turns on its ScaleStatistics row.
    """
    keys = selectors.scale_keys(version=version) if keys is None else keys
    fingerprint = scale_keys_fingerprint(keys)
    submitted = Response.objects.filter(version=version, status=Response.Status.SUBMITTED)
    counted_now = CountedResponse.objects.filter(version=version)
    state = (
        ScaleStatistics.objects.filter(version=version)
        .annotate(counted=_count(counted_now), submitted=_count(submitted))
        .first()
    )
    if state is not None and state.keys == fingerprint and state.counted == state.responses == state.submitted:
        return 0  # every counted response is still there, and no other was submitted
    with transaction.atomic():
        state, _ = ScaleStatistics.objects.get_or_create(version=version, defaults={"keys": fingerprint})
        state = ScaleStatistics.objects.select_for_update().get(pk=state.pk)
        counted = CountedResponse.objects.filter(version=version).count()
        if state.keys != fingerprint or counted != state.responses:
            CountedResponse.objects.filter(version=version).delete()
            ScaleItemSums.objects.filter(version=version).delete()
            state.keys, state.responses = fingerprint, 0
        state.batches += 1
        batch = state.batches
        # The new responses are listed under this update's number first, and summed from that list:
        # one submitted in between is then either in both or in neither.
        new = CountedResponse.objects.bulk_create(
            CountedResponse(response_id=pk, version=version, batch=batch)
            for pk in submitted.exclude(pk__in=CountedResponse.objects.filter(version=version).values("response_id"))
            .order_by("pk")
            .values_list("pk", flat=True)
            .iterator(chunk_size=5000)
        )
        if new and keys:
            _add_scale_sums(version=version, batch=batch)
        state.responses += len(new)
        state.save(update_fields=["keys", "responses", "batches", "updated_at"])
    return len(new)


def _count(queryset) -> Coalesce:
    """COUNT(*) of `queryset` as a scalar subquery."""
    counts = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _add_scale_sums(*, version: QuestionnaireVersion, batch: int) -> None:
    """Add one update's responses to the version's sums (the caller holds its ScaleStatistics row)."""
    existing = {(row.dimension, row.item_id): row for row in ScaleItemSums.objects.filter(version=version)}
    for dimension, item_id, n, sum_x, sum_x2, sum_xt, sum_t, sum_t2 in _batch_sums(version=version, batch=batch):
        row = existing.get((dimension, item_id))
        if row is None:
            row = existing[(dimension, item_id)] = ScaleItemSums(
                version=version, dimension=dimension, item_id=item_id,
                respondents=0, sum_x=0, sum_x2=0, sum_xt=0, sum_t=0, sum_t2=0,
            )  # fmt: skip
        row.respondents += n
        row.sum_x += sum_x
        row.sum_x2 += sum_x2
        row.sum_xt += sum_xt
        row.sum_t += sum_t
        row.sum_t2 += sum_t2
    ScaleItemSums.objects.filter(version=version).delete()
    ScaleItemSums.objects.bulk_create(existing.values())


# One pass over the batch's answers. Window sums give each response's scale total T beside every
# answer, so each statement's Σx, Σx², Σx·T and the scale's n, ΣT, ΣT² come out grouped by
# (scale, statement); only responses that answered the whole scale count (answered = size).
# Plain SQL because the ORM can't aggregate over window functions; it runs on SQLite and PostgreSQL.
_BATCH_SUMS_SQL = """
WITH scale AS (
    SELECT k.item_id, k.dimension, k.direction, COUNT(*) OVER (PARTITION BY k.dimension) AS size
    FROM {itemkey} k JOIN {item} i ON i.id = k.item_id
    WHERE i.version_id = %s AND i.kind = %s AND k.option = %s
),
scored AS (
    SELECT a.response_id, s.dimension, a.item_id, s.size,
           CASE WHEN s.direction = -1 THEN 6 - a.value ELSE a.value END AS x
    FROM {counted} c
    JOIN {answer} a ON a.response_id = c.response_id
    JOIN scale s ON s.item_id = a.item_id
    WHERE c.version_id = %s AND c.batch = %s
),
totals AS (
    SELECT dimension, item_id, size, x,
           SUM(x) OVER (PARTITION BY response_id, dimension) AS t,
           COUNT(*) OVER (PARTITION BY response_id, dimension) AS answered
    FROM scored
)
SELECT dimension, item_id, COUNT(*), SUM(x), SUM(x * x), SUM(x * t), SUM(t), SUM(t * t)
FROM totals
WHERE answered = size
GROUP BY dimension, item_id
"""


def _batch_sums(*, version: QuestionnaireVersion, batch: int) -> list[tuple]:
    sql = _BATCH_SUMS_SQL.format(
        itemkey=ItemKey._meta.db_table,
        item=Item._meta.db_table,
        counted=CountedResponse._meta.db_table,
        answer=Answer._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk, Item.Kind.LIKERT.value, "", version.pk, batch])
        return [(row[0], row[1], *(int(value) for value in row[2:])) for row in cursor.fetchall()]


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int


def people_import_apply(*, text: str) -> ImportSummary:
    """Apply a people file (hr/imports.py) in one transaction: every row, or none.

    The file is checked again against the database as it is now; if any row is wrong the
    ValidationError lists them and nothing changes. New people get an account without a usable
    password (they set one with "Forgot your password?"); nobody is deactivated by a file.
    """
    with transaction.atomic():
        preview = imports.preview(text, selectors.people_import_known())
        if not preview.ok:
            raise ValidationError(
                [f"Line {row.line}: {' '.join(row.errors)}" for row in preview.error_rows], code="import_rows"
            )
        for row in preview.rows:
            if row.action == "create":
                user_create(email=row.email, password=None, name=row.name)
        emails = {row.email for row in preview.rows} | {row.manager_email for row in preview.rows if row.manager_email}
        users = {user.email: user for user in User.objects.filter(email__in=emails)}
        profiles = {p.user_id: p for p in Profile.objects.filter(user__in=[users[row.email] for row in preview.rows])}
        changed_users, changed_profiles = [], []
        for row in preview.rows:
            if row.action not in ("create", "update"):
                continue
            user = users[row.email]
            if row.name and user.name != row.name:
                user.name = row.name
                changed_users.append(user)
            profile = profiles[user.pk]
            profile.manager = users[row.manager_email] if row.manager_email else None
            if row.discipline:
                profile.discipline_id = row.discipline[0]
            if row.current_role:
                profile.current_role_id = row.current_role[0]
            if row.start_date:
                profile.started_on = row.start_date
            profile.updated_at = timezone.now()
            changed_profiles.append(profile)
        User.objects.bulk_update(changed_users, ["name"])
        Profile.objects.bulk_update(
            changed_profiles, ["manager", "discipline", "current_role", "started_on", "updated_at"], batch_size=500
        )
    return ImportSummary(
        created=preview.count("create"), updated=preview.count("update"), unchanged=preview.count("unchanged")
    )
