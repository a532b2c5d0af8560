"""Progress through a plan, its timeline, and what a newer assessment changed (pure)."""

from dataclasses import dataclass
from datetime import date

DONE, IN_PROGRESS, TODO = "done", "in_progress", "todo"
# Set aside by the person: kept in the plan's history, counted neither as done nor as still to do.
DROPPED, NOT_NEEDED = "dropped", "not_needed"
SET_ASIDE = frozenset({DROPPED, NOT_NEEDED})


@dataclass(frozen=True)
class MilestoneView:
    """The little a calculation here needs to know about a milestone."""

    pk: int
    title: str
    kind: str
    status: str
    due_date: date
    subject_slug: str = ""
    to_level: int | None = None


@dataclass(frozen=True)
class Progress:
    """`total` counts what the plan still holds (done or not); set-aside milestones are only `set_aside`."""

    total: int
    done: int
    in_progress: int
    overdue: int
    set_aside: int = 0

    @property
    def percent(self) -> int:
        """Done out of what the plan holds, rounded down: 100 only when every one of them is done."""
        return 100 * self.done // self.total if self.total else 0


def progress(milestones: list[MilestoneView], *, today: date) -> Progress:
    held = [m for m in milestones if m.status not in SET_ASIDE]
    return Progress(
        total=len(held),
        done=sum(m.status == DONE for m in held),
        in_progress=sum(m.status == IN_PROGRESS for m in held),
        overdue=sum(is_overdue(m, today=today) for m in held),
        set_aside=len(milestones) - len(held),
    )


def is_overdue(milestone: MilestoneView, *, today: date) -> bool:
    return milestone.status in (TODO, IN_PROGRESS) and milestone.due_date < today


@dataclass(frozen=True)
class TimelinePoint:
    pk: int
    title: str
    x: float
    status: str  # done, overdue, in_progress, todo
    due_date: date


@dataclass(frozen=True)
class Timeline:
    """Where the plan page's timeline SVG draws everything (templates/plans/_plan_progress.html).

    Three rows, so no label ever runs into another: the "today" label above the axis, the
    milestones and year ticks on it, the year labels below it. The dashed today line runs
    from under its label to the end of the year ticks, never into the year labels' row,
    however close today is to a new year. y values of text are baselines.

    x values are percentages of the drawing's width (`width` is 100) and y values are pixels:
    the SVG has no view box, so it stretches to any width while its text, dots and rows keep
    their size in pixels. Scaled as a whole, an 800-unit drawing put its 11 px labels at
    5 px on a 390 px phone.
    """

    width: int
    start: date
    end: date
    today_x: float | None
    points: tuple[TimelinePoint, ...]
    years: tuple[tuple[float, int], ...]  # (x, year) ticks
    height: int = 70
    font_size: int = 11
    today_label_y: int = 12
    axis_y: int = 37
    tick_top: int = 27
    tick_bottom: int = 47
    year_label_y: int = 64
    pad: float = 2.5  # the axis runs from pad to width - pad

    @property
    def axis_end(self) -> float:
        return self.width - self.pad

    @property
    def today_anchor(self) -> str:
        """The "today" label runs inwards near either end, so it stays inside the drawing."""
        if self.today_x is None or 10 <= self.today_x <= self.width - 10:
            return "middle"
        return "start" if self.today_x < 10 else "end"

    @property
    def today_line_top(self) -> int:
        return self.today_label_y + 3  # clear of the label's descenders

    @property
    def today_line_bottom(self) -> int:
        return self.tick_bottom


def timeline(
    milestones: list[MilestoneView], *, start: date, today: date, width: int = 100, pad: float = 2.5
) -> Timeline:
    """The plan's milestones (not the set-aside ones) along a horizontal line from its start to its last
    due date (x in per cent)."""
    milestones = [m for m in milestones if m.status not in SET_ASIDE]
    end = max([m.due_date for m in milestones] + [start, today])
    span = max((end - start).days, 1)

    def x_of(day: date) -> float:
        return round(pad + (width - 2 * pad) * (day - start).days / span, 1)

    points = tuple(
        TimelinePoint(
            m.pk,
            m.title,
            x_of(m.due_date),
            "overdue" if is_overdue(m, today=today) else m.status,
            m.due_date,
        )
        for m in milestones
    )
    years = tuple((x_of(date(y, 1, 1)), y) for y in range(start.year + 1, end.year + 1))
    return Timeline(width, start, end, x_of(today) if start <= today <= end else None, points, years, pad=pad)


@dataclass(frozen=True)
class NewGap:
    skill: str
    name: str
    current: float
    required: int


@dataclass(frozen=True)
class Changes:
    reached: tuple[MilestoneView, ...]  # open skill milestones whose level the newer result reaches
    new_gaps: tuple[NewGap, ...]  # skills the goal needs that are below level and not in the plan


def reassessment_changes(
    milestones: list[MilestoneView], *, skill_levels: dict[str, float], goal_gaps: list[NewGap]
) -> Changes:
    reached = tuple(
        m
        for m in milestones
        if m.kind == "skill"
        and m.status in (TODO, IN_PROGRESS)
        and m.to_level is not None
        and skill_levels.get(m.subject_slug, 0) >= m.to_level
    )
    # A skill set aside as not needed stays planned: it is not offered again as a new gap.
    planned = {m.subject_slug for m in milestones if m.kind == "skill"}
    new_gaps = tuple(gap for gap in goal_gaps if gap.skill not in planned)
    return Changes(reached, new_gaps)
