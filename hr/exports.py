"""The HR exports: header and rows of each CSV, read in chunks so any number of rows streams in flat memory.

The columns are documented in docs/hr.md ("Exports"); a test keeps the two in step.
"""

from collections.abc import Iterator
from datetime import date

from django.db.models import F

from accounts.selectors import engineer_q
from assessments.models import Result
from plans.models import OPEN, Milestone

from . import selectors

CHUNK = 2000

PEOPLE_COLUMNS = [
    "person_id",
    "email",
    "name",
    "discipline",
    "current_role",
    "years_experience",
    "latest_result_at",
    "best_fit",
    "top_role",
    "top_role_readiness",
    "plan_id",
    "plan_target",
    "milestones_total",
    "milestones_done",
    "progress_percent",
    "milestones_overdue",
]

PLAN_COLUMNS = [
    "plan_id",
    "person_id",
    "email",
    "plan_status",
    "target_role",
    "first_goal",
    "starts_on",
    "horizon_months",
    "milestone_id",
    "milestone_order",
    "milestone_kind",
    "milestone_title",
    "milestone_subject",
    "milestone_status",
    "due_date",
    "completed_at",
    "overdue",
]

RESULT_COLUMNS = [
    "result_id",
    "person_id",
    "email",
    "submitted_at",
    "questionnaire",
    "questionnaire_version",
    "engine_version",
    "best_fit",
    "score_type",
    "score_key",
    "score_name",
    "score_value",
]


def people_rows(*, today: date) -> Iterator[list]:
    rows = (
        selectors.people(today=today)
        .order_by("email", "pk")
        .values_list(
            "pk",
            "email",
            "name",
            "profile__discipline__name",
            "profile__current_role__name",
            "profile__years_experience",
            "result_at",
            "best_fit",
            "top_role_name",
            "top_role_readiness",
            "plan_id",
            "plan_target_name",
            "milestones_total",
            "milestones_done",
            "milestones_overdue",
        )
    )
    for *head, total, done, overdue in rows.iterator(chunk_size=CHUNK):
        yield [*head, total, done, 100 * done // total if total else None, overdue]  # 100 only when all done


def plan_rows(*, today: date) -> Iterator[list]:
    """Every milestone of every engineer's plan (active and archived), with its plan's columns repeated."""
    rows = (
        Milestone.objects.filter(engineer_q("plan__user__"))
        .order_by("plan_id", "order", "due_date", "pk")
        .values_list(
            "plan_id",
            "plan__user_id",
            "plan__user__email",
            "plan__status",
            "plan__target_name",
            "plan__goal_name",
            "plan__starts_on",
            "plan__horizon_months",
            "pk",
            "order",
            "kind",
            "title",
            "subject_slug",
            "status",
            "due_date",
            "completed_at",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK):
        status, due = row[13], row[14]
        yield [*row, status in OPEN and due < today]


def result_rows() -> Iterator[list]:
    """One row per score of every engineer's result: orientation per dimension, level per rated
    skill, readiness per role, in the result's stored order. Only those parts of the stored data are read."""
    rows = (
        Result.objects.filter(engineer_q("user__"))
        .order_by("pk")
        .values_list(
            "pk",
            "user_id",
            "user__email",
            "created_at",
            "best_fit",
            "engine_version",
            F("data__questionnaire"),
            F("data__result__orientation"),
            F("data__result__skill_levels"),
            F("data__result__readiness"),
            F("data__skills"),
        )
    )
    for (
        pk,
        user_id,
        email,
        created,
        best_fit,
        engine,
        questionnaire,
        orientation,
        skills,
        readiness,
        names,
    ) in rows.iterator(chunk_size=CHUNK):
        questionnaire = questionnaire or {}
        head = [pk, user_id, email, created, questionnaire.get("name"), questionnaire.get("version"), engine, best_fit]
        for dimension, value in (orientation or {}).items():
            yield [*head, "orientation", dimension, dimension.capitalize(), value]
        names = names or {}
        for slug, value in (skills or {}).items():
            yield [*head, "skill_level", slug, names.get(slug, slug), value]
        for role in readiness or ():
            yield [*head, "role_readiness", role["slug"], role["name"], role["readiness"]]
