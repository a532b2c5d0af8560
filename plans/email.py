"""Reminder emails: the unsubscribe token, rendering a reminder, and the message with its headers."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format

from . import reminders

UNSUBSCRIBE_SALT = "plans.reminders.unsubscribe"

TEMPLATES = {
    reminders.UPCOMING: "plans/email/reminder_upcoming",
    reminders.OVERDUE: "plans/email/reminder_overdue",
    reminders.REASSESS: "plans/email/reminder_reassess",
    reminders.DIGEST: "plans/email/reminder_digest",
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
    return absolute(reverse("plans:unsubscribe", kwargs={"token": unsubscribe_token(user_id)}))


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


def subject_for(content: ReminderContent) -> str:
    when = date_format(content.due_date, "j F")
    if content.kind == reminders.UPCOMING:
        return f"Coming up on {when}: {content.milestone_title}"
    if content.kind == reminders.OVERDUE:
        return f"Past its date ({when}): {content.milestone_title}"
    if content.kind == reminders.REASSESS:
        return "Time to check in on your skills"
    total = len(content.overdue) + len(content.coming)
    noun = "milestone" if total == 1 else "milestones"
    return f"Your week ahead: {total} {noun} to look at"


def build_message(content: ReminderContent) -> EmailMultiAlternatives:
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
    if content.kind == reminders.DIGEST:
        context["overdue"] = [_digest_row(item) for item in content.overdue]
        context["coming"] = [_digest_row(item) for item in content.coming]
    base = TEMPLATES[content.kind]
    text = render_to_string(f"{base}.txt", context)
    html = render_to_string(f"{base}.html", context)
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "careerpath.local"
    message = EmailMultiAlternatives(
        subject=context["subject"],
        body=text,
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
    message.attach_alternative(html, "text/html")
    return message


def _digest_row(item) -> dict:
    return {
        "title": item.title,
        "due_date": item.due_date,
        "url": milestone_url(plan_id=item.plan_id, milestone_id=item.milestone_id),
    }
