"""What reminder is due when: pure rules, plain data in, plain data out.

No ORM and no clock here: the sweep (reminders/services.py) loads facts, passes `now`, and
records whatever these functions say is due. Every rule works in the person's own time
zone; the moments it returns are aware datetimes in UTC.

The send window: a reminder goes out from the policy's local hour (09:00 by default)
for `SEND_WINDOW`, never past local midnight. A reminder that becomes due outside the
window (a milestone added at 23:00, a beat that was down all morning) waits for the next
day's window, so nobody is emailed in the middle of the night.
"""

import smtplib
import socket
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from careerpath.dates import add_months

UPCOMING, OVERDUE, REASSESS, DIGEST = "upcoming", "overdue", "reassess", "digest"
PEER_REQUEST, PEER_REMINDER, PEER_EXPIRED = "peer_request", "peer_reminder", "peer_expired"
PEER_TO_RATER = (PEER_REQUEST, PEER_REMINDER)

SEND_WINDOW = timedelta(hours=6)
# An overdue reminder is sent the day after the due date, or on one of the next few days if
# the sweep could not run; after that it would be stale news and is never sent.
OVERDUE_STALE_DAYS = 7
# The digest goes out on Monday; Tuesday and Wednesday only catch up a missed Monday.
DIGEST_LAST_WEEKDAY = 2
# The digest lists what is overdue and what falls due within this many days.
DIGEST_HORIZON_DAYS = 7
MAX_LEAD_DAYS = 60


@dataclass(frozen=True)
class Policy:
    send_hour: int = 9
    reassess_after_months: int = 6


@dataclass(frozen=True)
class MilestoneFacts:
    milestone_id: int
    user_id: int
    due_date: date
    time_zone: str
    lead_days: int


@dataclass(frozen=True)
class PersonFacts:
    user_id: int
    time_zone: str


@dataclass(frozen=True)
class PeerFacts:
    """A round of peer input as one person's reminders see it: the colleague asked, or the engineer."""

    round_id: int
    user_id: int
    time_zone: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class Due:
    user_id: int
    milestone_id: int | None
    kind: str
    due_date: date
    send_after: datetime
    peer_round_id: int | None = None


@dataclass(frozen=True)
class ReminderState:
    """What the send step knows about a recorded reminder, to decide whether it is still wanted."""

    kind: str
    due_date: date
    user_active: bool
    reminders_enabled: bool
    weekly_digest: bool
    milestone_done: bool = False
    milestone_set_aside: bool = False  # dropped or marked not needed
    plan_active: bool = True
    milestone_due_date: date | None = None
    assessed_since: bool = False
    digest_items: int = 0
    peer_answered: bool = False  # the colleague has answered the request
    peer_closed: bool = False  # the request's date has passed


def zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def local_moment(day: date, hour: int, tz: str) -> datetime:
    """`hour`:00 on `day` in the zone, as UTC. In a DST gap the clock reading after the jump is used."""
    return datetime.combine(day, time(hour), tzinfo=zone(tz)).astimezone(UTC)


def local_today(now: datetime, tz: str) -> date:
    return now.astimezone(zone(tz)).date()


@lru_cache(maxsize=1024)
def send_window(now: datetime, tz: str, hour: int) -> tuple[date, datetime] | None:
    """(the person's local date, the window's start in UTC) when `now` is inside today's send window.

    Cached: a sweep asks it for every due milestone with the same `now`, and people share zones.
    """
    today = local_today(now, tz)
    start = local_moment(today, hour, tz)
    end = min(start + SEND_WINDOW, local_moment(today + timedelta(days=1), 0, tz))
    if start <= now < end:
        return today, start
    return None


def upcoming_due(m: MilestoneFacts, *, policy: Policy, now: datetime) -> Due | None:
    """The heads-up: from `lead_days` before the due date up to the due date itself."""
    window = send_window(now, m.time_zone, policy.send_hour)
    if window is None:
        return None
    today, start = window
    lead = min(max(m.lead_days, 1), MAX_LEAD_DAYS)
    if m.due_date - timedelta(days=lead) <= today <= m.due_date:
        return Due(m.user_id, m.milestone_id, UPCOMING, m.due_date, start)
    return None


def overdue_due(m: MilestoneFacts, *, policy: Policy, now: datetime) -> Due | None:
    """Once, the day after the due date passed (or a few days later if the sweep was down)."""
    window = send_window(now, m.time_zone, policy.send_hour)
    if window is None:
        return None
    today, start = window
    first = m.due_date + timedelta(days=1)
    if first <= today <= first + timedelta(days=OVERDUE_STALE_DAYS):
        return Due(m.user_id, m.milestone_id, OVERDUE, m.due_date, start)
    return None


def milestone_reminders(milestones, *, policy: Policy, now: datetime) -> list[Due]:
    found = []
    for m in milestones:
        for rule in (upcoming_due, overdue_due):
            due = rule(m, policy=policy, now=now)
            if due is not None:
                found.append(due)
    return found


def week_monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def digest_due(p: PersonFacts, *, policy: Policy, now: datetime) -> Due | None:
    """The weekly digest: Monday's window (Tuesday and Wednesday catch up a missed Monday)."""
    window = send_window(now, p.time_zone, policy.send_hour)
    if window is None:
        return None
    today, start = window
    if today.weekday() > DIGEST_LAST_WEEKDAY:
        return None
    return Due(p.user_id, None, DIGEST, week_monday(today), start)


def digest_items(items, *, today: date) -> tuple[list, list]:
    """(overdue, coming up) among open milestones, each sorted by due date; `items` have a `due_date`."""
    horizon = today + timedelta(days=DIGEST_HORIZON_DAYS)
    overdue = sorted((i for i in items if i.due_date < today), key=lambda i: i.due_date)
    coming = sorted((i for i in items if today <= i.due_date <= horizon), key=lambda i: i.due_date)
    return overdue, coming


def reassess_due_date(last_assessed: date, *, today: date, months: int) -> date | None:
    """The latest whole interval since the last assessment that has passed by `today`, if any."""
    months = max(months, 1)
    elapsed = (today.year - last_assessed.year) * 12 + today.month - last_assessed.month
    intervals = elapsed // months
    while intervals >= 1 and add_months(last_assessed, intervals * months) > today:
        intervals -= 1
    if intervals < 1:
        return None
    return add_months(last_assessed, intervals * months)


def reassess_due(p: PersonFacts, *, last_assessed_at: datetime, policy: Policy, now: datetime) -> Due | None:
    """One nudge per interval without an assessment; the row's due date names the interval."""
    window = send_window(now, p.time_zone, policy.send_hour)
    if window is None:
        return None
    today, start = window
    last = local_today(last_assessed_at, p.time_zone)
    due = reassess_due_date(last, today=today, months=policy.reassess_after_months)
    if due is None:
        return None
    return Due(p.user_id, None, REASSESS, due, start)


def peer_request_due(p: PeerFacts, *, policy: Policy, now: datetime) -> Due | None:
    """The request, to the colleague asked: in the first send window after it was made, while it is open."""
    window = send_window(now, p.time_zone, policy.send_hour)
    if window is None or now >= p.expires_at:
        return None
    _, start = window
    return Due(p.user_id, None, PEER_REQUEST, local_today(p.created_at, p.time_zone), start, p.round_id)


def peer_reminder_due(p: PeerFacts, *, policy: Policy, now: datetime, days_before: int) -> Due | None:
    """One reminder, `days_before` days before the request closes (or later, while it is still open)."""
    window = send_window(now, p.time_zone, policy.send_hour)
    if window is None or not p.expires_at - timedelta(days=days_before) <= now < p.expires_at:
        return None
    _, start = window
    return Due(p.user_id, None, PEER_REMINDER, local_today(p.expires_at, p.time_zone), start, p.round_id)


def peer_expired_due(p: PeerFacts, *, policy: Policy, now: datetime) -> Due | None:
    """To the engineer, once, after their request closed with someone not answering (stale after a week)."""
    window = send_window(now, p.time_zone, policy.send_hour)
    if window is None or not p.expires_at <= now < p.expires_at + timedelta(days=OVERDUE_STALE_DAYS):
        return None
    _, start = window
    return Due(p.user_id, None, PEER_EXPIRED, local_today(p.expires_at, p.time_zone), start, p.round_id)


def cancel_reason(state: ReminderState) -> str:
    """Why a recorded reminder must not be sent any more, or "" when it still should be."""
    if not state.user_active:
        return "the account is inactive"
    if not state.reminders_enabled:
        return "reminders are turned off"
    if state.kind in (UPCOMING, OVERDUE):
        if state.weekly_digest:
            return "the person chose the weekly digest"
        if state.milestone_done:
            return "the milestone is done"
        if state.milestone_set_aside:
            return "the milestone was set aside"
        if not state.plan_active:
            return "the plan is archived"
        if state.milestone_due_date != state.due_date:
            return "the milestone's due date changed"
    elif state.kind == DIGEST:
        if not state.weekly_digest:
            return "the person no longer wants the digest"
        if state.digest_items == 0:
            return "nothing to report this week"
    elif state.kind == REASSESS and state.assessed_since:
        return "the person has assessed themselves since"
    elif state.kind in PEER_TO_RATER:
        if state.peer_answered:
            return "the request is answered"
        if state.peer_closed:
            return "the request has closed"
    return ""


# --- Delivery errors and retries -------------------------------------------------

TEMPORARY, PERMANENT = "temporary", "permanent"


def classify_error(exc: BaseException) -> str:
    """Temporary errors are retried later; permanent ones are recorded and never retried by themselves.

    4xx replies and lost connections are temporary; 5xx replies, refused recipients with a 5xx
    code and addresses that can't be encoded are permanent.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return TEMPORARY if codes and all(400 <= code < 500 for code in codes) else PERMANENT
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return TEMPORARY
    if isinstance(exc, smtplib.SMTPResponseException):
        return PERMANENT if 500 <= exc.smtp_code < 600 else TEMPORARY
    if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout, socket.gaierror, smtplib.SMTPException)):
        return TEMPORARY
    if isinstance(exc, OSError):
        return TEMPORARY
    return PERMANENT


def retry_delay(attempt: int, *, rand: float, base: float = 60.0, cap: float = 3600.0) -> timedelta:
    """Exponential backoff with jitter: uniform in [c/2, c] for c = min(cap, base * 2**(attempt-1)).

    Half of each delay is fixed, so the retries' total span has a floor (the sum of the halves:
    with the defaults and 12 attempts, 3 hours) and a mail server that is down for hours is
    outlasted; the other half is random, so reminders that failed together are spread out.
    `rand` is a number in [0, 1) from the caller, so the rule itself stays deterministic.
    """
    ceiling = min(cap, base * 2 ** max(attempt - 1, 0))
    return timedelta(seconds=ceiling * (1 + rand) / 2)


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        parts = [
            f"{addr}: {code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for addr, (code, msg) in exc.recipients.items()
        ]
        return "Recipient refused: " + "; ".join(parts)
    if isinstance(exc, smtplib.SMTPResponseException):
        msg = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{type(exc).__name__}: {exc.smtp_code} {msg}"
    return f"{type(exc).__name__}: {exc}"
