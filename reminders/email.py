"""Reminder emails: the unsubscribe token, rendering a reminder, and the message with its headers."""

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape

from . import rules
from .mime import ReminderMessage

logger = logging.getLogger(__name__)

# The salt predates the reminders app; changing it would break every unsubscribe link already sent.
UNSUBSCRIBE_SALT = "plans.reminders.unsubscribe"

TEMPLATES = {
    rules.UPCOMING: "reminders/email/reminder_upcoming",
    rules.OVERDUE: "reminders/email/reminder_overdue",
    rules.REASSESS: "reminders/email/reminder_reassess",
    rules.DIGEST: "reminders/email/reminder_digest",
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


# Every reminder carries five links; reversing each for every email cost more than rendering it.
# A link is reversed once per process (and per SITE_URL, URLconf and script prefix) with a
# stand-in value, and the real value is put in its place.
_STAND_IN = {"pk": "7301946285", "token": "tok3n-st4nd-1n"}


@lru_cache(maxsize=64)
def _link_parts(name: str, kwarg: str | None, site_url: str, urlconf, prefix: str) -> tuple[str, str]:
    if kwarg is None:
        return absolute(reverse(name)), ""
    url = absolute(reverse(name, kwargs={kwarg: _STAND_IN[kwarg]}))
    before, found, after = url.partition(_STAND_IN[kwarg])
    if not found or _STAND_IN[kwarg] in after:
        raise ImproperlyConfigured(f"Can't build links for {name} from a reversed stand-in: {url}")
    return before, after


def link_context() -> tuple:
    """What a reversed link depends on besides its name: SITE_URL, the URLconf and the script
    prefix. Looked up once per email (the last two are context-local, so each look-up costs)."""
    return settings.SITE_URL, get_urlconf(), get_script_prefix()


def link(name: str, kwarg: str | None = None, value=None, *, where: tuple | None = None) -> str:
    """`absolute(reverse(name, kwargs={kwarg: value}))` for values the URL pattern keeps as they are
    (an id, a signed token: both are URL-safe). `where` is link_context(), when already known."""
    before, after = _link_parts(name, kwarg, *(where or link_context()))
    return before if kwarg is None else f"{before}{value}{after}"


def unsubscribe_url(user_id: int, *, where: tuple | None = None) -> str:
    return link("reminders:unsubscribe", "token", unsubscribe_token(user_id), where=where)


def milestone_url(*, plan_id: int, milestone_id: int, where: tuple | None = None) -> str:
    return link("plans:detail", "pk", int(plan_id), where=where) + f"#m-{milestone_id}"


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


@lru_cache(maxsize=256)
def _day_and_month(day: date, language: str | None) -> str:
    return date_format(day, "j F")


def subject_for(content: ReminderContent) -> str:
    when = _day_and_month(content.due_date, translation.get_language())
    if content.kind == rules.UPCOMING:
        return f"Coming up on {when}: {content.milestone_title}"
    if content.kind == rules.OVERDUE:
        return f"Past its date ({when}): {content.milestone_title}"
    if content.kind == rules.REASSESS:
        return "Time to check in on your skills"
    total = len(content.overdue) + len(content.coming)
    noun = "milestone" if total == 1 else "milestones"
    return f"Your week ahead: {total} {noun} to look at"


def build_message(content: ReminderContent) -> ReminderMessage:
    """The reminder as a multipart email (plain text + HTML) with one-click unsubscribe headers (RFC 8058)."""
    where = link_context()
    unsubscribe = unsubscribe_url(content.user_id, where=where)
    context = {
        "c": content,
        "name": content.name,
        "subject": subject_for(content),
        "unsubscribe_url": unsubscribe,
        "profile_url": link("accounts:profile", where=where),
        "site_url": settings.SITE_URL.rstrip("/"),
        "plans_url": link("plans:list", where=where),
        "assess_url": link("assessments:home", where=where),
    }
    if content.milestone_id is not None and content.plan_id is not None:
        context["milestone_url"] = milestone_url(
            plan_id=content.plan_id, milestone_id=content.milestone_id, where=where
        )
    if content.kind == rules.DIGEST:
        context["overdue"] = [_digest_row(item, where) for item in content.overdue]
        context["coming"] = [_digest_row(item, where) for item in content.coming]
    base = TEMPLATES[content.kind]
    text = render(f"{base}.txt", context)
    html = render(f"{base}.html", context)
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "careerpath.local"
    message = ReminderMessage(
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


def _digest_row(item, where: tuple) -> dict:
    return {
        "title": item.title,
        "due_date": item.due_date,
        "url": milestone_url(plan_id=item.plan_id, milestone_id=item.milestone_id, where=where),
    }


# --- Rendering each template once per kind and date ---------------------------------------------
# Rendering the two templates was most of what building a reminder cost. The upcoming and overdue
# emails differ only in a few strings (name, title, links), so each template is rendered once
# per (template, kind, date, language) with stand-ins for those strings, and each email puts its
# own values where the stand-ins were, escaped as the template would have escaped them.
#
# This is only done when it is provably the same as rendering: a second rendering with other
# stand-ins (longer, mixed case, with characters HTML escapes) must be predicted exactly by the
# substitution, and the first email of each rendering is also rendered in full and compared.
# (What no probe can see is a template comparing one of those values with a constant, such as
# {% if name == "Ada" %}; the email templates don't, and must not.)
# Otherwise, and for digests and re-assessment nudges, or when any value is empty, the template
# is rendered as usual. reminders/tests/test_reminders_email.py compares both ways on many inputs.

_SUBSTITUTED_KINDS = (rules.UPCOMING, rules.OVERDUE)
_CONTENT_FIELDS = ("reminder_id", "to", "name", "user_id", "milestone_id", "milestone_title", "plan_id", "plan_target")
_STAND_IN_PATTERN = re.compile("\ue000(\\d+)\ue001")


@dataclass
class _Rendering:
    parts: list  # literal text and, in between, the index of the value that goes there
    escape: bool
    checked: bool = False


def render(template_name: str, context: dict) -> str:
    """`render_to_string(template_name, context)`, from a cached rendering when that is the same."""
    content = context["c"]
    names = tuple(key for key in context if key != "c")
    values = [context[key] for key in names] + [getattr(content, f) for f in _CONTENT_FIELDS]
    if (
        content.kind not in _SUBSTITUTED_KINDS
        or content.overdue
        or content.coming
        or not all(isinstance(v, (str, int)) and not isinstance(v, bool) and v for v in values)
    ):
        return render_to_string(template_name, context)
    key = (template_name, content.kind, content.due_date, content.last_assessed, content.reassess_after_months)
    rendering = _rendering(*key, names, translation.get_language())
    if rendering is None:
        return render_to_string(template_name, context)
    convert = (lambda v: conditional_escape(localize(v))) if rendering.escape else (lambda v: str(localize(v)))
    filled = "".join(part if isinstance(part, str) else convert(values[part]) for part in rendering.parts)
    if not rendering.checked:
        rendering.checked = True
        if filled != render_to_string(template_name, context):
            logger.warning(
                "Reminder template %s can't be rendered by substitution; rendering each email", template_name
            )
            _rendering.cache_clear()
            _UNSUBSTITUTABLE.add(template_name)
            return render_to_string(template_name, context)
    return filled


_UNSUBSTITUTABLE: set[str] = set()


@lru_cache(maxsize=512)
def _rendering(template_name, kind, due_date, last_assessed, months, names, language) -> _Rendering | None:
    if template_name in _UNSUBSTITUTABLE:
        return None

    def render_with(stand_in):
        count = len(names) + len(_CONTENT_FIELDS)
        marks = [stand_in(i) for i in range(count)]
        content = ReminderContent(
            **dict(zip(_CONTENT_FIELDS, marks[len(names) :], strict=True)),
            kind=kind,
            due_date=due_date,
            last_assessed=last_assessed,
            reassess_after_months=months,
        )
        return marks, render_to_string(template_name, {"c": content, **dict(zip(names, marks, strict=False))})

    _, first = render_with(lambda i: f"\ue000{i}\ue001")
    pieces = _STAND_IN_PATTERN.split(first)
    parts = [piece if n % 2 == 0 else int(piece) for n, piece in enumerate(pieces)]
    if any("\ue000" in p or "\ue001" in p for p in parts if isinstance(p, str)):
        return None
    # Other stand-ins: a different length, upper and lower case, characters HTML escapes.
    others, second = render_with(lambda i: f"m\ue002{i}Q<&'\"\ue003")
    for escape, convert in ((True, conditional_escape), (False, str)):
        if second == "".join(p if isinstance(p, str) else convert(others[p]) for p in parts):
            return _Rendering(parts=parts, escape=escape)
    return None
