"""Writes for reminders: sweep, queue, claim, send, retry, unsubscribe, HR's reminder policy."""

import itertools
import logging
import random
import secrets
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import Profile
from plans.models import Milestone, Plan
from teams.models import PeerRequest, PeerRound

from . import email, rules
from .models import Reminder, ReminderPolicy

# The sweep records what is due (reminders/rules.py decides), the queue step hands ids to
# the workers, and the send step claims rows before sending so that no reminder goes out
# twice. docs/reminders.md explains the design and its guarantees.

logger = logging.getLogger(__name__)

# The tunables (batch and chunk sizes, the lease, attempts, backoff) are settings, declared and
# explained in careerpath/settings/base.py and docs/reminders.md. A send task takes
# REMINDER_SEND_BATCH_SIZE rows and claims REMINDER_CLAIM_CHUNK_SIZE of them at a time: each chunk
# costs a claim's round trip and commit, so bigger chunks send faster (50 sent about an eighth
# more per second than 20 in bench_reminders); a batch checks its deadline before every email,
# so a chunk's size does not stretch a batch's time.
SWEEP_INSERT_BATCH = 5000
# Id lists are written back in pieces this big, so no statement has too many parameters.
_UPDATE_CHUNK = 5000
# A batch renews its lease when a sixth of it has passed, checked before every email, so an
# email would have to take five sixths of the lease (25 s by default) for its row to be taken over.
LEASE_RENEWALS = 6


def _lease() -> timedelta:
    """How long a send batch holds its rows without renewing; past that it is taken to have died."""
    return timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def batches(ids: list[int]) -> list[list[int]]:
    """Reminder ids in the batches one send task takes."""
    return list(_chunks(list(ids), settings.REMINDER_SEND_BATCH_SIZE))


def reminder_policy() -> rules.Policy:
    policy = ReminderPolicy.load()
    return rules.Policy(send_hour=policy.send_hour, reassess_after_months=policy.reassess_after_months)


def _open_milestones():
    return Milestone.objects.filter(
        plan__status=Plan.Status.ACTIVE,
        plan__user__is_active=True,
        plan__user__profile__reminders_enabled=True,
        status__in=(Milestone.Status.TODO, Milestone.Status.IN_PROGRESS),  # not done, dropped or not needed
    )


def reminder_sweep(*, now: datetime | None = None, on_recorded: Callable[[list[int]], None] | None = None) -> int:
    """Record every reminder that is due now as a pending row; returns how many were found due
    (each is recorded once, by this sweep or an earlier one).

    With `on_recorded`, the rows are recorded as queued already and the new rows' ids are passed
    to it inside the transaction that inserts them, one slice at a time, so the caller can hand
    them to the workers on commit (the sweep task does) while the rest are still being recorded.

    Safe to run at any time and any number of times at once: rows are unique per (person,
    milestone, kind, date) and inserted with bulk_create(ignore_conflicts=True), so each is
    created once. A fixed number of queries however many milestones are due (up to
    SWEEP_INSERT_BATCH; an INSERT and a SELECT more per further 5,000 on PostgreSQL; SQLite
    takes at most 999 parameters a statement, so its INSERTs are smaller).
    """
    now = now or timezone.now()
    policy = reminder_policy()
    utc_today = now.astimezone(UTC).date()
    # Every local date on earth is within a day of the UTC date; the pure rules narrow it down.
    lo, hi = utc_today - timedelta(days=1), utc_today + timedelta(days=1)
    one_day = Value(timedelta(days=1), output_field=DurationField())
    milestones = (
        _open_milestones()
        .filter(plan__user__profile__weekly_digest=False)
        .annotate(
            remind_on=ExpressionWrapper(
                F("due_date") - Cast("plan__user__profile__reminder_lead_days", IntegerField()) * one_day,
                output_field=DateField(),
            ),
            has_upcoming=Exists(
                Reminder.objects.filter(
                    milestone=OuterRef("pk"), kind=Reminder.Kind.UPCOMING, due_date=OuterRef("due_date")
                )
            ),
            has_overdue=Exists(
                Reminder.objects.filter(
                    milestone=OuterRef("pk"), kind=Reminder.Kind.OVERDUE, due_date=OuterRef("due_date")
                )
            ),
        )
        .filter(
            Q(has_upcoming=False, due_date__gte=lo, remind_on__lte=hi)
            | Q(
                has_overdue=False,
                due_date__lt=hi,
                due_date__gte=lo - timedelta(days=rules.OVERDUE_STALE_DAYS + 1),
            )
        )
        .values_list(
            "pk",
            "plan__user_id",
            "due_date",
            "plan__user__profile__time_zone",
            "plan__user__profile__reminder_lead_days",
        )
    )
    # Recorded SWEEP_INSERT_BATCH at a time as they are found, one INSERT each, so memory stays
    # flat however many are due, and (with on_recorded) workers start on the first slice while
    # the sweep finds the rest.
    waiting: list[rules.Due] = []
    found = 0

    def record(items, *, last: bool = False) -> None:
        nonlocal found
        waiting.extend(items)
        found += len(items)
        while len(waiting) >= SWEEP_INSERT_BATCH or (last and waiting):
            chunk = waiting[:SWEEP_INSERT_BATCH]
            del waiting[:SWEEP_INSERT_BATCH]
            if on_recorded is None:
                _record(chunk)
                continue
            with transaction.atomic():
                on_recorded(_record(chunk, queued_at=now))

    facts = (rules.MilestoneFacts(*row) for row in milestones.iterator(chunk_size=SWEEP_INSERT_BATCH))
    for chunk in itertools.batched(facts, SWEEP_INSERT_BATCH):
        record(rules.milestone_reminders(chunk, policy=policy, now=now))

    digest_people = (
        Profile.objects.filter(reminders_enabled=True, weekly_digest=True, user__is_active=True)
        .annotate(
            # A digest row for a Monday in the last three days is this week's (the window ends on Wednesday).
            has_digest=Exists(
                Reminder.objects.filter(
                    user_id=OuterRef("user_id"),
                    kind=Reminder.Kind.DIGEST,
                    due_date__gte=utc_today - timedelta(days=3),
                )
            ),
            has_items=Exists(
                _open_milestones().filter(
                    plan__user_id=OuterRef("user_id"),
                    due_date__lte=hi + timedelta(days=rules.DIGEST_HORIZON_DAYS),
                )
            ),
        )
        .filter(has_digest=False, has_items=True)
        .values_list("user_id", "time_zone")
    )
    for user_id, tz in digest_people:
        digest = rules.digest_due(rules.PersonFacts(user_id, tz), policy=policy, now=now)
        if digest is not None:
            record([digest])

    months = policy.reassess_after_months
    # A few days' margin: an interval ending on a short month's last day (31 August + 6 months
    # = 28 February) is due before add_months(today, -6) reaches the day it started.
    cutoff = datetime.combine(rules.add_months(hi, -months) + timedelta(days=4), datetime.min.time(), tzinfo=UTC)
    lapsed = (
        Profile.objects.filter(reminders_enabled=True, user__is_active=True)
        .annotate(
            last_assessed_at=Max("user__results__created_at"),
            # Interval dates are at least 28 days per month apart, so a row this recent is this interval's.
            has_recent=Exists(
                Reminder.objects.filter(
                    user_id=OuterRef("user_id"),
                    kind=Reminder.Kind.REASSESS,
                    due_date__gt=utc_today - timedelta(days=28 * months - 2),
                )
            ),
        )
        .filter(last_assessed_at__lt=cutoff, has_recent=False)
        .values_list("user_id", "time_zone", "last_assessed_at")
    )
    for user_id, tz, last_assessed_at in lapsed:
        nudge = rules.reassess_due(
            rules.PersonFacts(user_id, tz), last_assessed_at=last_assessed_at, policy=policy, now=now
        )
        if nudge is not None:
            record([nudge])

    _sweep_peer_input(record=record, policy=policy, now=now)
    record([], last=True)
    return found


def _sweep_peer_input(*, record, policy: rules.Policy, now: datetime) -> None:
    """Peer input's emails (docs/teams.md): the request and one reminder to each colleague who has not
    answered, while the request is open; a notice to the engineer when it closed with someone not
    answering. Three queries; each email is recorded once (reminder_once_per_peer_round)."""
    open_requests = PeerRequest.objects.filter(
        status=PeerRequest.Status.PENDING,
        round__expires_at__gt=now,
        rater__is_active=True,
        rater__profile__reminders_enabled=True,
    )
    columns = ("round_id", "rater_id", "rater__profile__time_zone", "round__created_at", "round__expires_at")
    days_before = settings.PEER_REMINDER_DAYS_BEFORE
    for kind, narrow in (
        (Reminder.Kind.PEER_REQUEST, {}),
        (Reminder.Kind.PEER_REMINDER, {"round__expires_at__lte": now + timedelta(days=days_before + 1)}),
    ):
        rows = open_requests.filter(**narrow).filter(
            ~Exists(Reminder.objects.filter(peer_round=OuterRef("round_id"), kind=kind, user=OuterRef("rater_id")))
        )
        for row in rows.values_list(*columns):
            facts = rules.PeerFacts(*row)
            if kind == Reminder.Kind.PEER_REQUEST:
                due = rules.peer_request_due(facts, policy=policy, now=now)
            else:
                due = rules.peer_reminder_due(facts, policy=policy, now=now, days_before=days_before)
            if due is not None:
                record([due])
    closed = (
        PeerRound.objects.filter(
            expires_at__lte=now,
            expires_at__gt=now - timedelta(days=rules.OVERDUE_STALE_DAYS),
            subject__is_active=True,
            subject__profile__reminders_enabled=True,
        )
        .filter(Exists(PeerRequest.objects.filter(round=OuterRef("pk"), status=PeerRequest.Status.PENDING)))
        .filter(~Exists(Reminder.objects.filter(peer_round=OuterRef("pk"), kind=Reminder.Kind.PEER_EXPIRED)))
        .values_list("pk", "subject_id", "subject__profile__time_zone", "created_at", "expires_at")
    )
    for row in closed:
        due = rules.peer_expired_due(rules.PeerFacts(*row), policy=policy, now=now)
        if due is not None:
            record([due])


def _record(due: list[rules.Due], *, queued_at: datetime | None = None) -> list[int]:
    """Insert due reminders as pending rows; those recorded already are skipped (the unique
    constraints decide, with ignore_conflicts), so two sweeps at once record each row once.

    With `queued_at` the new rows are stamped queued (saving the UPDATE reminders_queue would
    make) and their ids returned; otherwise nothing is returned and the rows are left for
    reminders_queue.
    """
    Reminder.objects.bulk_create(
        [
            Reminder(
                user_id=d.user_id,
                milestone_id=d.milestone_id,
                peer_round_id=d.peer_round_id,
                kind=d.kind,
                due_date=d.due_date,
                send_after=d.send_after,
                next_attempt_at=d.send_after,
                queued_at=queued_at,
            )
            for d in due
        ],
        batch_size=SWEEP_INSERT_BATCH,
        ignore_conflicts=True,
    )
    if queued_at is None:
        return []
    # An insert that ignores conflicts can't say which rows it created: they are the ones with
    # this slice's keys and its queued_at (a row recorded earlier was stamped at another time).
    keys = {(d.user_id, d.milestone_id, d.kind, d.due_date) for d in due}
    milestones = [d.milestone_id for d in due if d.milestone_id is not None]
    people = sorted({d.user_id for d in due if d.milestone_id is None})
    rows = Reminder.objects.filter(
        Q(milestone_id__in=milestones) | Q(milestone__isnull=True, user_id__in=people),
        status=Reminder.Status.PENDING,
        queued_at=queued_at,
    ).values_list("pk", "user_id", "milestone_id", "kind", "due_date")
    return sorted(pk for pk, *key in rows if tuple(key) in keys)


def reminders_queue(*, now: datetime | None = None, batch_size: int | None = None) -> list[list[int]]:
    """Mark the rows that can be sent now as queued and return their ids in batches for the workers.

    Sendable: pending and due, or claimed by a batch whose lease has run out (its worker died).
    Not queued again: a row a running batch holds (its lease is live), or one handed to the
    broker less than REMINDER_REQUEUE_AFTER_SECONDS ago (its task is still on its way; after
    that the broker is taken to have lost it). A crashed batch's rows are queued again as soon as
    its lease runs out: the batch cleared their queued_at when it took them. Rows another queue
    step is queueing at this moment are skipped, not waited for (where the database locks rows:
    SKIP LOCKED on PostgreSQL; SQLite runs one writer at a time anyway).
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.REMINDER_SEND_BATCH_SIZE
    requeue_before = now - timedelta(seconds=settings.REMINDER_REQUEUE_AFTER_SECONDS)
    not_held = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    not_queued = Q(queued_at__isnull=True) | Q(queued_at__lt=requeue_before)
    sendable = Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now) | Q(status=Reminder.Status.SENDING)
    with transaction.atomic():
        rows = (
            Reminder.objects.filter(sendable & not_held & not_queued)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
        )
        ids = list(rows.values_list("pk", flat=True))
        for chunk in _chunks(ids, _UPDATE_CHUNK):
            Reminder.objects.filter(pk__in=chunk).update(queued_at=now)
    return list(_chunks(ids, batch_size))


def reminders_unqueue(*, ids: list[int]) -> None:
    """These pending ids are on nobody's way any more (the broker refused them, or a batch gave
    them back): let the next queue step hand them out again at once."""
    Reminder.objects.filter(pk__in=ids, status=Reminder.Status.PENDING).update(queued_at=None, lease_until=None)


def _lease_pending(*, ids: list[int], now: datetime) -> None:
    """A send batch takes its pending rows off the broker's hands: held on a lease from now."""
    if ids:
        Reminder.objects.filter(pk__in=ids, status=Reminder.Status.PENDING, next_attempt_at__lte=now).update(
            lease_until=now + _lease(), queued_at=None
        )


def _renew_lease(*, token: str | None, claimed: int, later: list[int], now: datetime) -> bool:
    """Renew the batch's lease on its claimed rows not yet done and on its later, pending ones;
    returns whether the `claimed` rows are all still ours (a batch stalled past its lease may
    have had them taken over: then it must not send them)."""
    until = now + _lease()
    if later:
        Reminder.objects.filter(pk__in=later, status=Reminder.Status.PENDING).update(lease_until=until)
    if token is None:
        return True
    held = Reminder.objects.filter(claim_token=token, status=Reminder.Status.SENDING).update(lease_until=until)
    return held >= claimed


def reminders_claim(*, ids: list[int], now: datetime | None = None) -> str:
    """Claim what among `ids` may be sent now (pending and due, or claimed by a batch whose lease
    has run out) for one sender; returns the claim token that marks the claimed rows.

    The rows are picked with select_for_update(skip_locked=True), so rows another sender is
    claiming are skipped, not waited for, and claimed with one UPDATE that checks the same
    conditions again, so of two senders claiming the same rows at once each row goes to exactly
    one (on any database: SQLite has no row locks, but runs one writer at a time). The claimed
    rows are held on a fresh lease. Every claim counts as an attempt.
    """
    now = now or timezone.now()
    token = secrets.token_hex(16)
    claimable = Q(status=Reminder.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Reminder.Status.SENDING, lease_until__lt=now
    )
    with transaction.atomic():
        picked = Reminder.objects.filter(claimable, pk__in=ids).select_for_update(skip_locked=True)
        Reminder.objects.filter(claimable, pk__in=list(picked.values_list("pk", flat=True))).update(
            status=Reminder.Status.SENDING,
            claim_token=token,
            claimed_at=now,
            lease_until=now + _lease(),
            queued_at=None,
            attempts=F("attempts") + 1,
        )
    return token


def _claim_and_load(*, ids: list[int], now: datetime, policy: rules.Policy):
    """Claim what among `ids` may be sent now and load it for sending: (token, prepared rows)."""
    token = reminders_claim(ids=ids, now=now)
    try:
        return token, _load_claimed(ids=ids, token=token, policy=policy, now=now)
    except Exception:
        _release_claims(token=token, keep=None)
        raise


def _finish(reminder: "Reminder | ClaimedReminder", token: str, **changes) -> bool:
    """Write the outcome of a claimed row, only if the claim is still ours; returns whether it was.

    One conditional UPDATE by primary key, committed on its own (outside the batch's other
    work), so a `sent` mark is durable as soon as the mail server has accepted the email.
    """
    return (
        Reminder.objects.filter(pk=reminder.pk, claim_token=token, status=Reminder.Status.SENDING).update(**changes)
        == 1
    )


def _load_claimed(*, ids: list[int], token: str, policy: rules.Policy, now: datetime):
    """The claimed rows with what their emails show, in a fixed number of queries.

    Plain values, not model instances with their related ones (four per row): this runs for
    every email, and building those objects cost more than the query.
    """
    rows = [
        _ClaimedRow(*values)
        for values in Reminder.objects.filter(pk__in=ids, claim_token=token, status=Reminder.Status.SENDING)
        .order_by("pk")
        .values_list(*_CLAIMED_COLUMNS)
    ]
    return _prepare_claimed(rows, token=token, policy=policy, now=now)


def _prepare_claimed(rows: list["_ClaimedRow"], *, token: str, policy: rules.Policy, now: datetime):
    """Each claimed row as (reminder, why it must not be sent or "", its email's content)."""
    digest_users = {r.user_id for r in rows if r.kind == Reminder.Kind.DIGEST}
    items: dict[int, list] = defaultdict(list)
    if digest_users:
        horizon = now.date() + timedelta(days=rules.DIGEST_HORIZON_DAYS + 1)
        for m in (
            _open_milestones()
            .filter(plan__user_id__in=digest_users, due_date__lte=horizon)
            .values("pk", "plan_id", "plan__user_id", "title", "due_date")
        ):
            items[m["plan__user_id"]].append(
                DigestEntry(milestone_id=m["pk"], plan_id=m["plan_id"], title=m["title"], due_date=m["due_date"])
            )
    reassess_users = {r.user_id for r in rows if r.kind == Reminder.Kind.REASSESS}
    last_assessed = {}
    if reassess_users:
        from assessments.models import Result

        last_assessed = dict(
            Result.objects.filter(user_id__in=reassess_users)
            .values("user_id")
            .annotate(last=Max("created_at"))
            .values_list("user_id", "last")
        )
    # Peer input: the colleague's request (answered yet?), and for a closed round how many answered.
    to_raters = [r for r in rows if r.kind in rules.PEER_TO_RATER]
    peer_requests = {}
    if to_raters:
        peer_requests = {
            (round_id, rater_id): (pk, status)
            for pk, round_id, rater_id, status in PeerRequest.objects.filter(
                round_id__in={r.peer_round_id for r in to_raters}, rater_id__in={r.user_id for r in to_raters}
            ).values_list("pk", "round_id", "rater_id", "status")
        }
    closed_rounds = {r.peer_round_id for r in rows if r.kind == Reminder.Kind.PEER_EXPIRED}
    peer_counts = {}
    if closed_rounds:
        peer_counts = {
            row["round_id"]: (row["answered"], row["asked"])
            for row in PeerRequest.objects.filter(round_id__in=closed_rounds)
            .values("round_id")
            .annotate(
                asked=Count("pk"),
                answered=Count("pk", filter=Q(status=PeerRequest.Status.ANSWERED)),
            )
        }
    prepared = []
    for r in rows:
        has_profile = r.time_zone is not None
        tz = r.time_zone or "UTC"
        today = rules.local_today(now, tz)
        overdue, coming = rules.digest_items(items.get(r.user_id, []), today=today)
        last = last_assessed.get(r.user_id)
        has_milestone = r.milestone_id is not None
        state = rules.ReminderState(
            kind=r.kind,
            due_date=r.due_date,
            user_active=r.user_active,
            reminders_enabled=bool(has_profile and r.reminders_enabled),
            weekly_digest=bool(has_profile and r.weekly_digest),
            milestone_done=bool(has_milestone and r.milestone_status == Milestone.Status.DONE),
            milestone_set_aside=bool(
                has_milestone and r.milestone_status in (Milestone.Status.DROPPED, Milestone.Status.NOT_NEEDED)
            ),
            plan_active=bool(has_milestone and r.plan_status == Plan.Status.ACTIVE),
            milestone_due_date=r.milestone_due_date if has_milestone else None,
            assessed_since=bool(last and last > r.created_at),
            digest_items=len(overdue) + len(coming),
            peer_answered=peer_requests.get((r.peer_round_id, r.user_id), (None, None))[1]
            == PeerRequest.Status.ANSWERED,
            peer_closed=bool(r.peer_expires_at and r.peer_expires_at <= now)
            or (r.kind in rules.PEER_TO_RATER and (r.peer_round_id, r.user_id) not in peer_requests),
        )
        answered, asked = peer_counts.get(r.peer_round_id, (0, 0))
        content = email.ReminderContent(
            reminder_id=r.pk,
            kind=r.kind,
            to=r.email,
            name=r.user_name.split(" ")[0] if r.user_name else r.email,  # User.get_short_name()
            user_id=r.user_id,
            due_date=r.due_date,
            milestone_id=r.milestone_id,
            milestone_title=r.milestone_title if has_milestone else "",
            plan_id=r.plan_id if has_milestone else None,
            plan_target=r.plan_target if has_milestone else "",
            last_assessed=rules.local_today(last, tz) if last else None,
            reassess_after_months=policy.reassess_after_months,
            overdue=overdue,
            coming=coming,
            peer_name=(r.peer_subject_name or r.peer_subject_email or "") if r.peer_round_id else "",
            peer_expires_at=r.peer_expires_at,
            peer_request_id=peer_requests.get((r.peer_round_id, r.user_id), (None, None))[0],
            peer_answered=answered,
            peer_asked=asked,
        )
        reminder = ClaimedReminder(pk=r.pk, attempts=r.attempts)
        prepared.append((reminder, rules.cancel_reason(state), content))
    return prepared


@dataclass(frozen=True, slots=True)
class ClaimedReminder:
    """What sending needs of a claimed row (its id and attempts so far); a model instance per
    email cost more to build than the rest of loading it."""

    pk: int
    attempts: int


@dataclass(frozen=True, slots=True)
class _ClaimedRow:
    pk: int
    kind: str
    due_date: date
    user_id: int
    milestone_id: int | None
    attempts: int
    created_at: datetime
    user_active: bool
    email: str
    user_name: str
    time_zone: str | None
    reminders_enabled: bool | None
    weekly_digest: bool | None
    milestone_title: str | None
    milestone_due_date: date | None
    milestone_status: str | None
    plan_id: int | None
    plan_status: str | None
    plan_target: str | None
    peer_round_id: int | None
    peer_subject_name: str | None
    peer_subject_email: str | None
    peer_expires_at: datetime | None


_CLAIMED_COLUMNS = (
    "pk",
    "kind",
    "due_date",
    "user_id",
    "milestone_id",
    "attempts",
    "created_at",
    "user__is_active",
    "user__email",
    "user__name",
    "user__profile__time_zone",
    "user__profile__reminders_enabled",
    "user__profile__weekly_digest",
    "milestone__title",
    "milestone__due_date",
    "milestone__status",
    "milestone__plan_id",
    "milestone__plan__status",
    "milestone__plan__target_name",
    "peer_round_id",
    "peer_round__subject__name",
    "peer_round__subject__email",
    "peer_round__expires_at",
)


@dataclass(frozen=True)
class DigestEntry:
    milestone_id: int
    plan_id: int
    title: str
    due_date: date


def reminder_send(*, reminder: Reminder | ClaimedReminder, token: str, content, mailer) -> str:
    """Send one claimed reminder and record the outcome; returns the new status.

    The row is marked sent in its own transaction right after the mail server accepted the
    message, and only if the claim is still ours. Temporary errors leave it pending with a later
    next attempt (exponential backoff with jitter, rules.retry_delay) until REMINDER_MAX_ATTEMPTS;
    permanent ones fail it.
    """
    max_attempts = settings.REMINDER_MAX_ATTEMPTS
    if reminder.attempts > max_attempts:
        _finish(
            reminder,
            token,
            status=Reminder.Status.FAILED,
            last_error=f"Gave up after {max_attempts} attempts without a confirmed delivery "
            "(a worker may have stopped while sending).",
        )
        return Reminder.Status.FAILED
    try:
        message = email.build_message(content)
        mailer.open()
        mailer.send_messages([message])
    except Exception as exc:  # every failure is recorded on the row, none is lost
        # The connection may be half-broken (a 421 closes it); the next send opens a fresh one.
        _close_quietly(mailer)
        error = rules.describe_error(exc)[:2000]
        now = timezone.now()
        if rules.classify_error(exc) == rules.TEMPORARY and reminder.attempts < max_attempts:
            delay = rules.retry_delay(
                reminder.attempts,
                rand=random.random(),
                base=settings.REMINDER_RETRY_BASE_SECONDS,
                cap=settings.REMINDER_RETRY_CAP_SECONDS,
            )
            _finish(
                reminder,
                token,
                status=Reminder.Status.PENDING,
                next_attempt_at=now + delay,
                queued_at=None,
                claim_token="",
                claimed_at=None,
                lease_until=None,
                last_error=error,
            )
            logger.warning("Reminder %s: temporary error, retrying in %s: %s", reminder.pk, delay, error)
            return Reminder.Status.PENDING
        _finish(reminder, token, status=Reminder.Status.FAILED, last_error=error)
        logger.error("Reminder %s failed: %s", reminder.pk, error)
        return Reminder.Status.FAILED
    sent = {"status": Reminder.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    if not _finish(reminder, token, **sent):
        logger.warning("Reminder %s was sent after its claim was taken over", reminder.pk)
    return Reminder.Status.SENT


def reminders_send_batch(*, ids: list[int], deadline_seconds: float | None = None) -> Counter:
    """Claim and send the given reminders, a chunk at a time; returns how many ended in each status.

    The batch holds its rows on a lease (REMINDER_LEASE_SECONDS): its later, pending rows from
    the start, each chunk's rows as it claims them. Before every email it renews the lease once a
    sixth of it has passed, so while the batch works no other can take its rows, and once its
    worker dies they are queued and claimed again as soon as the lease runs out. Should the
    renewal find a claimed row taken over (the batch stalled past its lease), the batch stops and
    sends none of them.

    A batch stops after `deadline_seconds` (REMINDER_BATCH_SECONDS by default, below the task
    time limit), checked before each email: the rows of its chunk it has not tried yet are given
    back and the rest are left for the next queue step, so a batch runs at most one email's SMTP
    timeout past its deadline, whatever the chunk size.
    """
    from django.core.mail import mailers

    renew_every = settings.REMINDER_LEASE_SECONDS / LEASE_RENEWALS
    deadline = time.monotonic() + (
        deadline_seconds if deadline_seconds is not None else settings.REMINDER_BATCH_SECONDS
    )
    counts: Counter = Counter()
    policy = reminder_policy()
    mailer = None
    chunks = list(_chunks(list(ids), settings.REMINDER_CLAIM_CHUNK_SIZE))
    # The first chunk is leased by its claim, a moment later.
    _lease_pending(ids=[pk for later in chunks[1:] for pk in later], now=timezone.now())
    renewed = time.monotonic()
    try:
        for index, chunk in enumerate(chunks):
            later = [pk for rest in chunks[index + 1 :] for pk in rest]
            if time.monotonic() > deadline:
                reminders_unqueue(ids=chunk + later)
                counts["deferred"] += len(chunk) + len(later)
                break
            now = timezone.now()
            token = None
            in_flight = None
            stop = False
            try:
                token, prepared = _claim_and_load(ids=chunk, now=now, policy=policy)
                for position, (reminder, reason, content) in enumerate(prepared):
                    if reason:
                        _finish(reminder, token, status=Reminder.Status.CANCELLED, last_error=reason)
                        counts[Reminder.Status.CANCELLED] += 1
                        continue
                    if time.monotonic() > deadline:
                        stop = True
                        break
                    if time.monotonic() - renewed >= renew_every:
                        claimed = len(prepared) - position
                        if not _renew_lease(token=token, claimed=claimed, later=later, now=timezone.now()):
                            logger.warning("A reminder batch outlived its lease; its rows were taken over")
                            stop = True
                            break
                        renewed = time.monotonic()
                    if mailer is None:
                        mailer = mailers.default
                    in_flight = reminder.pk
                    status = reminder_send(reminder=reminder, token=token, content=content, mailer=mailer)
                    counts[status] += 1
                    in_flight = None
            except Exception:
                # A database error (a deadlock, a lost connection) stops the batch; the task's retry
                # or the next queue step carries on. Give back the rows not yet tried, so they need
                # not wait for the lease; the one in flight may have been delivered, so it waits.
                if token is not None:
                    _release_claims(token=token, keep=in_flight)
                raise
            if stop:
                # Slow sends (a mail server timing out) used the batch's time, or its lease was
                # lost: give back this chunk's untried rows and the rest of the batch.
                counts["deferred"] += _release_claims(token=token, keep=None)
                reminders_unqueue(ids=later)
                counts["deferred"] += len(later)
                break
    finally:
        _close_quietly(mailer)
    return counts


def _release_claims(*, token: str, keep: int | None) -> int:
    """Give back the rows still claimed under `token` (but `keep`) as pending; returns how many."""
    try:
        return (
            Reminder.objects.filter(claim_token=token, status=Reminder.Status.SENDING)
            .exclude(pk=keep)
            .update(
                status=Reminder.Status.PENDING,
                claim_token="",
                claimed_at=None,
                lease_until=None,
                queued_at=None,
                attempts=F("attempts") - 1,
            )
        )
    except Exception:  # the database may be the thing that failed; the lease runs out anyway
        logger.exception("Could not release claimed reminders; they are queued again when their lease runs out")
        return 0


def _close_quietly(mailer) -> None:
    if mailer is not None:
        try:
            mailer.close()
        except Exception:  # a broken connection is thrown away anyway
            logger.debug("Closing the mail connection failed", exc_info=True)
    return None


@transaction.atomic
def reminders_retry(
    *, ids: list[int], now: datetime | None = None, on_retried: Callable[[list[int]], None] | None = None
) -> list[int]:
    """Put the failed reminders among `ids` back in the queue with a fresh set of attempts (HR's
    "Retry" in the panel); returns the ids retried. Rows in any other state are left alone.

    The rows become pending, due at once (HR asked for it now, so the person's send window is
    not waited for). `on_retried` gets their ids inside the transaction, as reminder_sweep's
    `on_recorded` does (tasks.queue_batches hands them to the workers once it commits); without
    it, or if the broker refuses them, the next queue step queues them.
    """
    now = now or timezone.now()
    retried: list[int] = []
    for chunk in _chunks(sorted(set(ids)), _UPDATE_CHUNK):
        failed = Reminder.objects.select_for_update().filter(pk__in=chunk, status=Reminder.Status.FAILED)
        found = list(failed.values_list("pk", flat=True))
        Reminder.objects.filter(pk__in=found, status=Reminder.Status.FAILED).update(
            status=Reminder.Status.PENDING,
            attempts=0,
            next_attempt_at=now,
            queued_at=now,
            claim_token="",
            claimed_at=None,
            lease_until=None,
        )
        retried.extend(found)
    if retried and on_retried is not None:
        on_retried(retried)
    return retried


def reminder_policy_update(*, reassess_after_months: int, send_hour: int) -> ReminderPolicy:
    """HR's reminder settings: the re-assessment interval and the local send hour (the one policy row)."""
    policy, _ = ReminderPolicy.objects.update_or_create(
        pk=ReminderPolicy.SINGLETON_PK,
        defaults={"reassess_after_months": reassess_after_months, "send_hour": send_hour},
    )
    return policy


@transaction.atomic
def reminders_unsubscribe(*, user) -> bool:
    """Turn the person's reminders off and cancel what is waiting; returns False if they were already off."""
    changed = Profile.objects.filter(user=user, reminders_enabled=True).update(
        reminders_enabled=False, updated_at=timezone.now()
    )
    Reminder.objects.filter(user=user, status=Reminder.Status.PENDING).update(
        status=Reminder.Status.CANCELLED, last_error="reminders are turned off"
    )
    return bool(changed)


# HR's "send the due reminders now" sends in the request for at most this long; what is left goes with the sweeps.
SEND_NOW_SECONDS = 20


def reminders_send_due(*, now: datetime | None = None, deadline_seconds: float = SEND_NOW_SECONDS) -> Counter:
    """Record what is due now and send it at once, in this process (HR's button); how many ended how.

    The same steps as the periodic sweep, without waiting for it: the send window, the preferences
    and the claims apply as ever, so nothing is sent twice and nobody is emailed at night. Sending
    stops after `deadline_seconds`; the rest (counted as "deferred") goes out with the next sweeps.
    """
    reminder_sweep(now=now)
    counts: Counter = Counter()
    started = time.monotonic()
    for batch in reminders_queue(now=now):
        left = deadline_seconds - (time.monotonic() - started)
        if left <= 0:
            counts["deferred"] += len(batch)
            continue
        counts.update(reminders_send_batch(ids=batch, deadline_seconds=left))
    return counts
