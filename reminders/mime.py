"""The reminders' wire format, written directly: one multipart/alternative email (plain text and
HTML) with a known set of headers.

Django's `EmailMessage.message()` builds every email with Python's `email` package under its
modern policy, which parses each header through the header registry and refolds it on output:
4–9 ms per reminder on this project's machine, more than everything else a reminder costs to send
together (docs/reminders.md, "Performance"). `ReminderMessage.message()` writes the same message in
a few tens of microseconds, but only when it can be sure the result is right: one plain ASCII
recipient, header values without line breaks, nothing but the two bodies. Anything else goes to
Django's builder, unchanged, so odd input behaves exactly as before (a line break in a subject
still raises). Tests parse what this writes with the standard library and compare it with
Django's message, field by field.

What the output is: 7-bit clean always. Headers are folded at spaces to 78 characters where
they have spaces; a subject that is not printable ASCII is RFC 2047 encoded (the standard
library's `email.header.Header`); a header value without spaces longer than a line — the
List-Unsubscribe URL — stays on one line (RFC 5322 allows 998 characters), where the modern
policy would have turned it into encoded words that mail clients do not decode in that header.
Bodies are `7bit` when they are ASCII with lines of at most 998 bytes, `quoted-printable` otherwise.
"""

import binascii
import email
import email.policy
import re
import secrets
from datetime import UTC, datetime
from email.header import Header
from email.utils import format_datetime
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.timezone import get_current_timezone

MAX_LINE = 998  # RFC 5322 2.1.1, without the CRLF
FOLD_AT = 78
_PRINTABLE = re.compile(r"[\x20-\x7e]*\Z")
# Deliberately narrower than RFC 5321: anything else (quotes, IDNA, display names) takes Django's path.
_PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+\Z")
_HEADER_NAME = re.compile(r"[!-9;-~]+\Z")
_NEWLINES = re.compile(r"\r\n|\r")
_HANDLED_ELSEWHERE = {"from", "to", "cc", "reply-to", "bcc", "date", "subject", "mime-version", "content-type"}


class PreparedMessage:
    """What `ReminderMessage.message()` returns: the message already written.

    `as_bytes()` / `as_string()` (what mail backends call) return the written text; anything
    else (reading a header, walking the parts) is answered by a copy parsed on first use.
    """

    def __init__(self, data: bytes, policy):
        self._data = data
        self.policy = policy
        self._parsed = None

    def as_bytes(self, unixfrom: bool = False, policy=None) -> bytes:
        if policy is not None and policy.linesep != self.policy.linesep:
            return self._data.replace(self.policy.linesep.encode(), policy.linesep.encode())
        return self._data

    def as_string(self, unixfrom: bool = False, maxheaderlen: int = 0, policy=None) -> str:
        return self.as_bytes(policy=policy).decode("ascii")

    __bytes__ = as_bytes
    __str__ = as_string

    def parsed(self) -> email.message.EmailMessage:
        if self._parsed is None:
            self._parsed = email.message_from_bytes(self._data, policy=self.policy)
        return self._parsed

    def __getitem__(self, name):
        return self.parsed()[name]

    def __contains__(self, name) -> bool:
        return name in self.parsed()

    def __getattr__(self, name):
        return getattr(self.parsed(), name)


class ReminderMessage(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose `message()` is written directly when that is safe (see above)."""

    def message(self, *, policy=email.policy.default):
        data = self._written(policy.linesep)
        if data is None:
            return super().message(policy=policy)
        return PreparedMessage(data, policy)

    def _written(self, nl: str) -> bytes | None:
        if (
            self.attachments
            or self.cc
            or self.bcc
            or self.reply_to
            or len(self.to) != 1
            or self.encoding not in (None, "utf-8")
            or self.content_subtype != "plain"
            or hasattr(self, "mixed_subtype")
            or hasattr(self, "alternative_subtype")
            or len(self.alternatives) != 1
            or self.alternatives[0][1] != "text/html"
            or not isinstance(self.body, str)
            or not isinstance(self.alternatives[0][0], str)
        ):
            return None
        (to,) = self.to
        subject = str(self.subject)
        if not isinstance(to, str) or not _PLAIN_ADDRESS.match(to) or "\r" in subject or "\n" in subject:
            return None
        sender = _address_header("From", str(self.extra_headers.get("From", self.from_email)), nl)
        if sender is None:
            return None
        extra = []
        for name, value in self.extra_headers.items():
            lowered = name.lower()
            if lowered == "from":
                continue
            if lowered in _HANDLED_ELSEWHERE or not _HEADER_NAME.match(name):
                return None
            value = str(value)
            if not _PRINTABLE.match(value):
                return None
            extra.append(fold(name, value, nl))
        if None in extra:
            return None
        text = _body("text/plain", self.body, nl)
        html = _body("text/html", self.alternatives[0][0], nl)
        boundary = "=_" + secrets.token_hex(16)
        while boundary in text or boundary in html:  # only possible in a 7bit body
            boundary = "=_" + secrets.token_hex(16)
        subject_line = fold("Subject", subject, nl) if _PRINTABLE.match(subject) else None
        if subject_line is None:
            encoded = Header(subject, "utf-8", header_name="Subject").encode(linesep=nl)
            subject_line = f"Subject: {encoded}{nl}"
        tz = get_current_timezone() if settings.EMAIL_USE_LOCALTIME else UTC
        head = [
            f"MIME-Version: 1.0{nl}",
            f'Content-Type: multipart/alternative;{nl} boundary="{boundary}"{nl}',
            subject_line,
            sender,
            f"To: {to}{nl}",
            f"Date: {format_datetime(datetime.now(tz))}{nl}",
            *extra,
        ]
        parts = [nl, f"--{boundary}{nl}", text, nl, f"--{boundary}{nl}", html, nl, f"--{boundary}--{nl}"]
        return "".join(head + parts).encode("ascii")


def fold(name: str, value: str, nl: str) -> str | None:
    """`Name: value` folded at spaces to FOLD_AT characters where it has spaces; None if a line
    would still be longer than RFC 5322 allows. `value` is printable ASCII."""
    lines = []
    line = f"{name}:"
    for word in value.split(" "):
        piece = " " + word
        # Fold only before a word (never leave a line of only blanks), and never right after the name.
        if word and len(line) + len(piece) > FOLD_AT and line != f"{name}:" and line.strip():
            lines.append(line)
            line = piece
        else:
            line += piece
    lines.append(line)
    if any(len(each) > MAX_LINE for each in lines):
        return None
    return nl.join(lines) + nl


@lru_cache(maxsize=32)
def _address_header(name: str, value: str, nl: str) -> str | None:
    """The sender's header as the standard library writes it (the same for every reminder, so cached)."""
    if "\r" in value or "\n" in value:
        return None
    policy = email.policy.default.clone(linesep=nl)
    message = email.message.EmailMessage(policy=policy)
    message[name] = value
    if message[name].defects:
        return None
    try:
        return policy.fold(name, message[name]).encode("ascii").decode("ascii")
    except UnicodeEncodeError:
        return None


def _body(content_type: str, content: str, nl: str) -> str:
    """One part: its headers and its body, 7bit when it can be, else quoted-printable."""
    content = _NEWLINES.sub("\n", content)
    if not content.endswith("\n"):
        content += "\n"
    data = content.encode("utf-8")
    if data.isascii() and "\x00" not in content and max(map(len, content.split("\n"))) <= MAX_LINE:
        encoding, payload = "7bit", content
    else:
        encoding = "quoted-printable"
        payload = binascii.b2a_qp(data, istext=True).decode("ascii")
    if nl != "\n":
        payload = payload.replace("\n", nl)
    return f'Content-Type: {content_type}; charset="utf-8"{nl}Content-Transfer-Encoding: {encoding}{nl}{nl}' + payload
