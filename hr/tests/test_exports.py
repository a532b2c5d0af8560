"""The CSV exports: their columns and cells, formula-safe text, and streaming in flat memory."""

import csv
import io
import re
import tracemalloc
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from careerpath.spreadsheet import safe_cell
from hr import exports
from plans.models import Milestone, Plan

from .factories import days, stored_plan, stored_result

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="careerpath-')
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_people_export_has_one_row_per_engineer_with_their_figures(hr_client):
    ada = UserFactory(name="Ada", email="ada@example.com", profile__years_experience=7)
    stored_result(ada, best_fit="managerial", readiness={"engineering-manager": 72})
    stored_plan(ada, target="engineering-manager", target_name="Engineering Manager",
                milestones=[{"status": "done"}, {"due": days(-1)}, {}, {}])  # fmt: skip
    UserFactory(name="Bob", email="bob@example.com")

    rows = read_csv(hr_client.get(reverse("hr:export_people")))

    assert list(rows[0]) == exports.PEOPLE_COLUMNS
    assert [r["email"] for r in rows] == ["ada@example.com", "bob@example.com"]  # not the HR user
    ada_row = rows[0]
    assert ada_row["best_fit"] == "managerial"
    assert (ada_row["top_role"], ada_row["top_role_readiness"]) == ("Engineering Manager", "72")
    assert (ada_row["milestones_total"], ada_row["milestones_done"], ada_row["progress_percent"]) == ("4", "1", "25")
    assert (ada_row["milestones_overdue"], ada_row["years_experience"]) == ("1", "7")
    assert rows[1]["best_fit"] == rows[1]["plan_target"] == ""


def test_plans_export_has_every_milestone_with_its_plan(hr_client):
    ada = UserFactory(email="ada@example.com")
    plan = stored_plan(ada, target="senior", milestones=[
        {"kind": "certification", "subject": "pe", "title": "Pass the PE exam", "due": days(-2)},
        {"kind": "skill", "subject": "design", "status": "done"},
    ])  # fmt: skip

    rows = read_csv(hr_client.get(reverse("hr:export_plans")))

    assert list(rows[0]) == exports.PLAN_COLUMNS
    assert [(r["plan_id"], r["milestone_kind"], r["milestone_subject"], r["overdue"]) for r in rows] == [
        (str(plan.pk), "certification", "pe", "yes"),
        (str(plan.pk), "skill", "design", "no"),
    ]
    assert rows[0]["milestone_title"] == "Pass the PE exam" and rows[0]["target_role"] == "Senior"
    assert rows[1]["completed_at"] != "" and rows[0]["completed_at"] == ""


def test_the_exports_count_dropped_milestones_neither_done_remaining_nor_overdue(hr_client):
    ada = UserFactory(email="ada@example.com")
    stored_plan(ada, milestones=[
        {"status": "done"}, {"due": days(-1)}, {"status": "dropped", "due": days(-3)},
    ])  # fmt: skip

    person = read_csv(hr_client.get(reverse("hr:export_people")))[0]
    milestones = read_csv(hr_client.get(reverse("hr:export_plans")))

    assert (person["milestones_total"], person["milestones_done"], person["progress_percent"]) == ("2", "1", "50")
    assert person["milestones_overdue"] == "1"
    assert [r["overdue"] for r in milestones] == ["no", "yes", "no"]


def test_results_export_has_every_score_of_every_result(hr_client, make_result, catalog):
    ada = UserFactory(email="ada@example.com")
    result = make_result(ada, value=4)

    rows = read_csv(hr_client.get(reverse("hr:export_results")))

    assert list(rows[0]) == exports.RESULT_COLUMNS
    assert {r["result_id"] for r in rows} == {str(result.pk)}
    by_type = {}
    for r in rows:
        by_type.setdefault(r["score_type"], {})[r["score_key"]] = r["score_value"]
    stored = result.data["result"]
    assert by_type["orientation"] == {k: str(v) for k, v in stored["orientation"].items()}
    assert by_type["skill_level"] == {k: str(v) for k, v in stored["skill_levels"].items()}
    assert by_type["role_readiness"] == {r["slug"]: str(r["readiness"]) for r in stored["readiness"]}
    assert len(by_type["role_readiness"]) == len(catalog.roles)


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(hr_client):
    evil = UserFactory(name='=HYPERLINK("http://x")', email="evil@example.com")
    stored_plan(evil, target="senior", milestones=[{"title": "+1 then @SUM(A1)"}, {"title": "-2"}])

    people = read_csv(hr_client.get(reverse("hr:export_people")))
    plans = read_csv(hr_client.get(reverse("hr:export_plans")))

    assert people[0]["name"] == '\'=HYPERLINK("http://x")'
    assert [r["milestone_title"] for r in plans] == ["'+1 then @SUM(A1)", "'-2"]


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=1+1", "'=1+1"), ("@cmd", "'@cmd"), ("\tx", "'\tx"), ("plain", "plain"), (-3, "-3"), (None, ""), (True, "yes")],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


def test_every_export_column_is_documented_in_docs_hr_md():
    text = (Path(settings.BASE_DIR) / "docs" / "hr.md").read_text()
    documented = set(re.findall(r"^\| `([a-z_0-9]+)` \|", text, flags=re.MULTILINE))

    for column in (*exports.PEOPLE_COLUMNS, *exports.PLAN_COLUMNS, *exports.RESULT_COLUMNS):
        assert column in documented, column


# --- Streaming: memory stays flat however many rows ---------------------------------------------------


def milestones(count: int):
    """`count` milestones spread over plans of 100 milestones each."""
    today = timezone.localdate()
    for start in range(0, count, 100):
        user = UserFactory()
        plan = Plan.objects.create(
            user=user,
            target_slug="senior",
            target_name="Senior",
            goal_slug="senior",
            goal_name="Senior",
            generator_version="t",
            starts_on=today,
            horizon_months=12,
        )
        Milestone.objects.bulk_create(
            Milestone(
                plan=plan,
                title=f"Milestone number {n} with a long enough title",
                order=n,
                due_date=today + timedelta(days=n),
            )
            for n in range(start, min(start + 100, count))
        )


def peak_memory_of_download(client, url) -> tuple[int, int]:
    """(rows, peak bytes allocated while the response is produced and read chunk by chunk)."""
    tracemalloc.start()
    try:
        response = client.get(url)
        rows = sum(chunk.count(b"\n") for chunk in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return rows, peak


def test_a_large_export_streams_in_flat_memory(hr_client):
    milestones(5_000)
    rows_small, peak_small = peak_memory_of_download(hr_client, reverse("hr:export_plans"))
    milestones(15_000)
    rows_big, peak_big = peak_memory_of_download(hr_client, reverse("hr:export_plans"))

    assert (rows_small, rows_big) == (5_001, 20_001)
    # Four times the rows: loaded into memory, the peak would grow about fourfold; streamed, it stays put.
    assert peak_big < 1.5 * peak_small, (peak_small, peak_big)
