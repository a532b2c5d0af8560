"""Reminder emails: the unsubscribe token, rendering a reminder, and the message with its headers."""

import email.headerregistry
import email.policy
import functools
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format

from assessments.calibration import PEERS_MIN

from . import rules

# The salt predates the reminders app; changing it would break every unsubscribe link already sent.
UNSUBSCRIBE_SALT = "plans.reminders.unsubscribe"

TEMPLATES = {
    rules.UPCOMING: "reminders/email/reminder_upcoming",
    rules.OVERDUE: "reminders/email/reminder_overdue",
    rules.REASSESS: "reminders/email/reminder_reassess",
    rules.DIGEST: "reminders/email/reminder_digest",
    rules.PEER_REQUEST: "reminders/email/reminder_peer_request",
    rules.PEER_REMINDER: "reminders/email/reminder_peer_reminder",
    rules.PEER_EXPIRED: "reminders/email/reminder_peer_expired",
}


def unsubscribe_token(user_id: int) -> str:
    """A signed, salted token naming the person; it only ever turns their reminders off.

    It has no expiry: an old email's link keeps working. Turning reminders back on in the
    profile undoes what it did, so a leaked link can do no more than one click in the email.
    """
    return signing.dumps({"u": user_id}, salt=UNSUBSCRIBE_SALT, compress=False)


def user_id_from_token(token: str) -> int | None:
    """The person a token names, or None when it was tampered with or is not one of ours."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user_id = data.get("u") if isinstance(data, dict) else None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_url(user_id: int) -> str:
    return absolute(reverse("reminders:unsubscribe", kwargs={"token": unsubscribe_token(user_id)}))


def milestone_url(*, plan_id: int, milestone_id: int) -> str:
    return absolute(reverse("plans:detail", kwargs={"pk": plan_id})) + f"#m-{milestone_id}"


@dataclass
class ReminderContent:
    """Everything a reminder email shows, loaded by the send service."""

    reminder_id: int
    kind: str
    to: str
    name: str
    user_id: int
    due_date: date
    milestone_id: int | None = None
    milestone_title: str = ""
    plan_id: int | None = None
    plan_target: str = ""
    last_assessed: date | None = None
    reassess_after_months: int = 6
    overdue: list = field(default_factory=list)
    coming: list = field(default_factory=list)
    # Peer input: whose request (to a colleague) and until when; for the engineer, how many answered.
    peer_name: str = ""
    peer_expires_at: datetime | None = None
    peer_request_id: int | None = None
    peer_answered: int = 0
    peer_asked: int = 0


def subject_for(content: ReminderContent) -> str:
    when = date_format(content.due_date, "j F")
    if content.kind == rules.UPCOMING:
        return f"Coming up on {when}: {content.milestone_title}"
    if content.kind == rules.OVERDUE:
        return f"Past its date ({when}): {content.milestone_title}"
    if content.kind == rules.REASSESS:
        return "Time to check in on your skills"
    if content.kind == rules.PEER_REQUEST:
        return f"{content.peer_name} asks for your view of their skills"
    if content.kind == rules.PEER_REMINDER:
        return f"A reminder: {content.peer_name} asks for your view of their skills"
    if content.kind == rules.PEER_EXPIRED:
        return "Your request for colleagues' views has closed"
    total = len(content.overdue) + len(content.coming)
    noun = "milestone" if total == 1 else "milestones"
    return f"Your week ahead: {total} {noun} to look at"


# RFC 5322 allows header lines of up to 998 characters. The standard library folds at 78 and,
# where a header has no space to fold at, writes it as RFC 2047 encoded words — which mail
# clients do not decode in List-Unsubscribe, so its URL (longer than 78) would not work.
# Headers with spaces are still folded at 78; one long word is written as it is.
_LONG_WORD_HEADERS = {"list-unsubscribe"}


class _HeaderClasses(email.headerregistry.HeaderRegistry):
    """The standard registry, with each header's class made once: the standard one builds a new
    class with type() on every header it parses, which was a fifth of an email's CPU time."""

    @functools.cache  # noqa: B019 (one instance, kept for the process)
    def __getitem__(self, name):
        return super().__getitem__(name)


_HEADER_CLASSES = _HeaderClasses()


class _ReminderPolicy(email.policy.EmailPolicy):
    def fold_binary(self, name, value):
        text = str(value)
        if name.lower() in _LONG_WORD_HEADERS and text.isascii() and " " not in text and len(name) + len(text) < 996:
            return f"{name}: {text}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


class ReminderEmail(EmailMultiAlternatives):
    """Django's email; the backend's policy (its line ending, say) with long-word headers kept whole."""

    def message(self, *, policy=email.policy.default):
        return super().message(policy=_ReminderPolicy(**{**policy.__dict__, "header_factory": _HEADER_CLASSES}))


def build_message(content: ReminderContent) -> ReminderEmail:
    """The reminder as a multipart email (plain text + HTML) with one-click unsubscribe headers (RFC 8058)."""
    unsubscribe = unsubscribe_url(content.user_id)
    context = {
        "c": content,
        "name": content.name,
        "subject": subject_for(content),
        "unsubscribe_url": unsubscribe,
        "profile_url": absolute(reverse("accounts:profile")),
        "site_url": settings.SITE_URL.rstrip("/"),
        "plans_url": absolute(reverse("plans:list")),
        "assess_url": absolute(reverse("assessments:home")),
    }
    if content.milestone_id is not None and content.plan_id is not None:
        context["milestone_url"] = milestone_url(plan_id=content.plan_id, milestone_id=content.milestone_id)
    if content.peer_request_id is not None:
        context["peer_url"] = absolute(reverse("teams:peer_answer", kwargs={"pk": content.peer_request_id}))
    if content.kind == rules.PEER_EXPIRED:
        context["peers_url"] = absolute(reverse("teams:peers"))
        context["peers_shown"] = content.peer_answered >= PEERS_MIN
    if content.kind == rules.DIGEST:
        context["overdue"] = [_digest_row(item) for item in content.overdue]
        context["coming"] = [_digest_row(item) for item in content.coming]
    template = TEMPLATES[content.kind]
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "careerpath.local"
    message = ReminderEmail(
        subject=context["subject"],
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[content.to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
            # The same reminder always carries the same Message-ID, so in the rare case it is sent
            # twice (see docs/reminders.md) mail systems that de-duplicate by Message-ID show it once.
            "Message-ID": f"<reminder-{content.reminder_id}@{domain}>",
            "X-Careerpath-Reminder": str(content.reminder_id),
        },
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def _digest_row(item) -> dict:
    return {
        "title": item.title,
        "due_date": item.due_date,
        "url": milestone_url(plan_id=item.plan_id, milestone_id=item.milestone_id),
    }
