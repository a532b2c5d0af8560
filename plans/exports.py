"""A plan's milestones as an iCalendar feed and as CSV."""

import csv
import io
from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from careerpath.spreadsheet import safe_cell as _safe

from .models import Milestone, Plan

CSV_COLUMNS = [
    "order",
    "kind",
    "title",
    "status",
    "due_date",
    "completed_at",
    "note",
    "evidence_url",
    "description",
    "confirmed_at",  # the day the manager confirmed it done, empty when not confirmed
    "confirmed_by",
]


def plan_ics(plan: Plan, *, base_url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//careerpath//plan milestones//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"careerpath: {plan.target_name}")
    url = base_url.rstrip("/") + plan.get_absolute_url()
    for milestone in plan.milestones.all():
        if milestone.is_set_aside:
            continue  # dropped or not needed: out of the plan, so off the calendar
        event = Event()
        event.add("uid", f"milestone-{milestone.pk}@careerpath")
        done = milestone.status == Milestone.Status.DONE
        event.add("summary", ("✓ " if done else "") + milestone.title)
        event.add("dtstart", milestone.due_date)
        event.add("dtend", milestone.due_date + timedelta(days=1))
        event.add("dtstamp", milestone.updated_at)
        event.add("description", f"{milestone.description}\n\n{url}".strip())
        event.add("url", url)
        event.add("status", "CONFIRMED")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def plan_csv(plan: Plan) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for m in plan.milestones.all():
        writer.writerow(
            [
                m.order,
                m.get_kind_display(),
                _safe(m.title),
                m.get_status_display(),
                m.due_date.isoformat(),
                # The day in the active time zone: the person's own, on their download.
                timezone.localtime(m.completed_at).date().isoformat() if m.completed_at else "",
                _safe(m.note),
                _safe(m.evidence_url),
                _safe(m.description),
                timezone.localtime(m.confirmed_at).date().isoformat() if m.confirmed_at else "",
                _safe(str(m.confirmed_by or "a former manager")) if m.confirmed_at else "",
            ]
        )
    return buffer.getvalue()
