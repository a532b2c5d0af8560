"""A manager's agreement to a plan, and whether the plan has changed materially since (pure).

An agreement keeps a fingerprint of what was agreed: which milestones the plan holds (not set
aside) and when each is due. Adding a milestone, dropping one (or marking it not needed, or
putting it back) and re-dating one change the fingerprint, so the agreement reads "changed
since"; renaming, reordering, notes, evidence and progress (to do, in progress, done) do not.
Moving a date back to the agreed one makes the plan read as agreed again: it is what was agreed.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

SET_ASIDE_STATUSES = frozenset({"dropped", "not_needed"})


@dataclass(frozen=True)
class MilestoneFacts:
    """What of a milestone an agreement is about."""

    pk: int
    status: str
    due_date: date


@dataclass(frozen=True)
class Agreement:
    agreed_by: str  # the manager's name, or "a former manager" once their account is gone
    agreed_at: datetime
    changed_since: bool


def fingerprint(milestones: Iterable[MilestoneFacts]) -> str:
    """A 64-character digest of the milestones the plan holds and their due dates, in no particular order."""
    held = sorted((m.pk, m.due_date.isoformat()) for m in milestones if m.status not in SET_ASIDE_STATUSES)
    text = ";".join(f"{pk}@{due}" for pk, due in held)
    return hashlib.sha256(text.encode()).hexdigest()


def facts(milestones) -> list[MilestoneFacts]:
    """The facts of milestone rows (anything with pk, status and due_date)."""
    return [MilestoneFacts(m.pk, m.status, m.due_date) for m in milestones]


def agreement(
    *, agreed_at: datetime | None, agreed_fingerprint: str, agreed_by: str | None, milestones
) -> Agreement | None:
    """The plan's agreement as a page shows it, or None when no manager has agreed it."""
    if agreed_at is None:
        return None
    return Agreement(
        agreed_by=agreed_by or "a former manager",
        agreed_at=agreed_at,
        changed_since=fingerprint(facts(milestones)) != agreed_fingerprint,
    )
