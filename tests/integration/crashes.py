"""Killing a reminder worker mid-batch and counting what a recording SMTP server received.

Shared by tests/integration/test_reminders_worker.py (three kills, short timings) and
bench/bench_reminders_crash.py (twenty kills, the default timings). Each cycle records some
reminders due now, lets the worker send part of them, SIGKILLs its main process at a moment
unrelated to any one email, starts a new worker and waits until every reminder of the cycle is
sent. What the server accepted then says what was lost, what was sent twice and how long the
rest took after the restart.
"""

import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

from .processes import FakeSMTP, Worker, wait_until

# A duplicate's first copy further than this from every kill is one no crash explains.
ATTRIBUTION_SECONDS = 2.0


@dataclass
class Cycle:
    ids: list[int]
    processes: int  # pool processes sending when the worker was killed
    killed_at: float  # time.monotonic(), as FakeSMTP's accepted times
    restarted_at: float  # the new worker ready
    done_at: float  # the last of the cycle's reminders accepted
    accepted_before_kill: int
    claimed_at_kill: int  # rows in `sending` right after the kill


@dataclass
class Figures:
    kills: int
    reminders: int
    lost: list[str]
    duplicates: dict[int, list[str]]  # kill index: reminder ids accepted twice around it
    most_copies: int
    message_ids_differ: list[str]  # reminders whose copies carried different Message-IDs
    first_copy_from_kill: list[float]  # each duplicate's first copy, seconds after its kill (< 0: before)
    recovery_seconds: list[float]  # per kill: restart to the cycle's last reminder accepted
    processes: list[int]
    claimed_at_kill: list[int]
    unattributed: list[str] = field(default_factory=list)  # duplicates no kill explains

    def as_dict(self) -> dict:
        return {
            "kills": self.kills,
            "reminders": self.reminders,
            "lost": len(self.lost),
            "duplicates": sum(len(d) for d in self.duplicates.values()),
            "duplicates_per_kill": [len(self.duplicates.get(k, [])) for k in range(self.kills)],
            "sending_processes_per_kill": self.processes,
            "most_copies_of_one_reminder": self.most_copies,
            "duplicates_with_a_different_message_id": len(self.message_ids_differ),
            "duplicates_no_kill_explains": len(self.unattributed),
            "first_copy_ms_from_kill": [round(s * 1000, 1) for s in sorted(self.first_copy_from_kill)],
            "claimed_rows_at_kill": self.claimed_at_kill,
            "recovery_seconds": [round(s, 2) for s in self.recovery_seconds],
            "recovery_seconds_max": round(max(self.recovery_seconds, default=0), 2),
        }


def record_due_now(milestones) -> list[int]:
    """An `upcoming` reminder row for each milestone, pending and due now (as the sweep records them)."""
    from django.utils import timezone

    from reminders.models import Reminder

    now = timezone.now()
    rows = Reminder.objects.bulk_create(
        Reminder(
            user_id=m.plan.user_id,
            milestone=m,
            kind=Reminder.Kind.UPCOMING,
            due_date=m.due_date,
            send_after=now,
            next_attempt_at=now,
        )
        for m in milestones
    )
    return [r.pk for r in rows]


def crash_cycle(
    *, ids: list[int], smtp: FakeSMTP, worker: Worker, restart, kill_after: int, timeout: float = 120
) -> tuple[Cycle, Worker]:
    """Wait until `kill_after` of `ids` were accepted, SIGKILL the worker's main process a random
    0-50 ms later, start a new one with `restart()`, and wait until every one of `ids` is sent."""
    from reminders.models import Reminder

    wanted = {str(pk) for pk in ids}

    def accepted() -> list:
        with smtp.lock:
            return [a for a in smtp.accepted if a.reminder in wanted]

    wait_until(lambda: len(accepted()) >= kill_after, timeout=timeout, interval=0.005, what="the batch under way")
    time.sleep(random.uniform(0, 0.05))  # a moment unrelated to any one email
    processes = len(worker.pids()) - 1
    killed_at = time.monotonic()
    worker.kill_main()
    before = len(accepted())
    claimed = Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENDING).count()
    new_worker = restart()
    restarted_at = time.monotonic()
    wait_until(
        lambda: Reminder.objects.filter(pk__in=ids, status=Reminder.Status.SENT).count() == len(ids),
        timeout=timeout,
        interval=0.1,
        what=f"the {len(ids)} reminders of the cycle to be sent after the restart",
    )
    time.sleep(0.5)  # room for a copy that (wrongly) follows the last mark
    done_at = max(a.at for a in accepted())
    return Cycle(ids, processes, killed_at, restarted_at, done_at, before, claimed), new_worker


def figures(cycles: list[Cycle], smtp: FakeSMTP) -> Figures:
    """What the server received across the cycles: lost, duplicated (and around which kill), recovery."""
    copies: dict[str, list] = defaultdict(list)
    with smtp.lock:
        for a in smtp.accepted:
            copies[a.reminder].append(a)
    everything = [str(pk) for cycle in cycles for pk in cycle.ids]
    lost = [pk for pk in everything if pk not in copies]
    duplicates: dict[int, list[str]] = defaultdict(list)
    offsets: list[float] = []
    differ: list[str] = []
    unattributed: list[str] = []
    for pk in everything:
        got = sorted(copies.get(pk, []), key=lambda a: a.at)
        if len(got) < 2:
            continue
        if len({a.message_id for a in got}) != 1:
            differ.append(pk)
        # The kill nearest the first copy: a message whose last byte left the worker just before
        # the kill is accepted by the server a moment later, so the first copy may come after it.
        gap, kill = min((abs(got[0].at - cycle.killed_at), k) for k, cycle in enumerate(cycles))
        if gap > ATTRIBUTION_SECONDS:
            unattributed.append(pk)
            continue
        duplicates[kill].append(pk)
        offsets.append(got[0].at - cycles[kill].killed_at)
    return Figures(
        kills=len(cycles),
        reminders=len(everything),
        lost=lost,
        duplicates=dict(duplicates),
        most_copies=max((len(copies.get(pk, [])) for pk in everything), default=0),
        message_ids_differ=differ,
        first_copy_from_kill=offsets,
        recovery_seconds=[cycle.done_at - cycle.restarted_at for cycle in cycles],
        processes=[cycle.processes for cycle in cycles],
        claimed_at_kill=[cycle.claimed_at_kill for cycle in cycles],
        unattributed=unattributed,
    )
