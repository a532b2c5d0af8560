"""The readiness dashboard's figures, checked against a small organisation worked out by hand."""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import hr_member_add
from accounts.tests.factories import UserFactory
from assessments.models import Answer, ItemKey, QuestionnaireVersion, Response
from assessments.tests.factories import build_questionnaire
from hr import psychometrics, selectors, services
from hr.models import CountedResponse, ScaleStatistics
from roles.tests.factories import DisciplineFactory, SkillFactory

from .factories import days, stored_plan, stored_result

pytestmark = pytest.mark.django_db


def month_of(day: date) -> date:
    return date(day.year, day.month, 1)


@pytest.fixture
def org(hr_user):
    """Seven engineers (A–G) and one HR person whose own plan must not count.

    Pipeline (active plans, readiness from the latest result for the plan's target):
      A senior 95 → ready now (93+); B senior 85 → within 12 months (80–92);
      C senior 40, last milestone due in 100 days → within 12 months;
      D manager: older result 95, latest 30, due in 500 days → later; E manager, no result → later.
    """
    software = DisciplineFactory(slug="software", name="Software")
    mechanical = DisciplineFactory(slug="mechanical", name="Mechanical")
    people = {}

    def engineer(key, discipline):
        user = UserFactory(name=f"Engineer {key}", email=f"{key.lower()}@example.com", profile__discipline=discipline)
        people[key] = user
        return user

    a = engineer("A", software)
    stored_result(a, best_fit="technical", readiness={"senior": 95})
    stored_plan(a, target="senior", milestones=[
        {"kind": "skill", "subject": "design", "due": days(30)},
        {"kind": "certification", "subject": "pmp", "due": days(60)},
    ])  # fmt: skip
    b = engineer("B", software)
    stored_result(b, best_fit="managerial", readiness={"senior": 85, "manager": 50})
    stored_plan(b, target="senior", milestones=[
        {"kind": "skill", "subject": "planning", "status": "done"},
        {"kind": "skill", "subject": "design", "due": days(400)},
    ])  # fmt: skip
    c = engineer("C", mechanical)
    stored_result(c, best_fit="balanced", readiness={"senior": 40})
    stored_plan(c, target="senior", milestones=[
        {"kind": "skill", "subject": "communication", "due": days(-10)},
        {"kind": "certification", "subject": "pe", "due": days(100)},
    ])  # fmt: skip
    d = engineer("D", mechanical)
    stored_result(d, best_fit="technical", readiness={"manager": 95}, created_at=timezone.now() - timedelta(days=300))
    stored_result(d, best_fit="managerial", readiness={"manager": 30})
    stored_plan(d, target="manager", milestones=[{"kind": "certification", "subject": "pmp", "due": days(500)}])
    e = engineer("E", None)
    stored_plan(e, target="manager", milestones=[{"kind": "skill", "subject": "design", "due": days(800)}])
    f = engineer("F", software)
    stored_result(f, best_fit="project", readiness={"senior": 95})
    two_months_ago = timezone.now() - timedelta(days=62)
    stored_plan(f, target="senior", status="archived", milestones=[
        {"kind": "skill", "subject": "design", "status": "done", "completed_at": two_months_ago},
    ])  # fmt: skip
    engineer("G", software)

    stored_result(hr_user, best_fit="technical", readiness={"senior": 99})
    stored_plan(hr_user, target="senior", milestones=[{"kind": "skill", "subject": "design", "due": days(-5)}])
    SkillFactory(slug="design", name="Engineering design")
    services.readiness_index_update()
    return {"people": people, "software": software, "mechanical": mechanical, "two_months_ago": two_months_ago}


def test_pipeline_counts_each_target_roles_people_by_readiness(org):
    rows = {row.target_slug: row.counts for row in selectors.readiness_pipeline(today=timezone.localdate())}

    assert rows == {
        "senior": {"ready_now": 1, "within_12_months": 2, "later": 0},
        "manager": {"ready_now": 0, "within_12_months": 0, "later": 2},
    }


def test_each_pipeline_number_links_to_exactly_the_people_behind_it(hr_client, org):
    people = org["people"]
    cases = {
        ("senior", "ready_now"): {people["A"]},
        ("senior", "within_12_months"): {people["B"], people["C"]},
        ("manager", "later"): {people["D"], people["E"]},
        ("manager", "ready_now"): set(),
    }
    for (target, bucket), expected in cases.items():
        response = hr_client.get(reverse("hr:people"), {"target": target, "readiness": bucket})

        assert {row["pk"] for row in response.context["people"]} == {p.pk for p in expected}, (target, bucket)
        # The admin's list filters the same way
        response = hr_client.get(reverse("admin:hr_person_changelist"), {"target": target, "readiness": bucket})
        assert set(response.context["cl"].result_list) == expected, (target, bucket)


def test_each_orientation_number_links_to_exactly_the_people_behind_it(hr_client, org):
    html = hr_client.get(reverse("hr:dashboard")).content.decode()
    overall, by_discipline = selectors.track_orientation()
    for row in [overall, *by_discipline]:
        for fit, count in row.counts.items():
            query = {"fit": fit or "none"}
            if row is not overall:
                query["discipline"] = row.discipline_id or "none"
            response = hr_client.get(reverse("hr:people"), query)
            assert response.context["count"] == count, (row.discipline, fit)
    assert 'href="/hr/people/?fit=managerial"' in html


def test_dashboard_shows_the_pipeline_with_links_to_the_list(hr_client, org):
    response = hr_client.get(reverse("hr:dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    link = reverse("hr:people") + "?target=senior&amp;readiness=within_12_months"
    assert f'<a href="{link}" aria-label="2 within 12 months for Senior">2</a>' in html


def test_track_orientation_overall_and_by_discipline(org):
    overall, by_discipline = selectors.track_orientation()

    assert overall.counts == {"technical": 1, "managerial": 2, "project": 1, "balanced": 1, "": 2}
    assert {row.discipline: row.counts for row in by_discipline} == {
        "Software": {"technical": 1, "managerial": 1, "project": 1, "balanced": 0, "": 1},
        "Mechanical": {"technical": 0, "managerial": 1, "project": 0, "balanced": 1, "": 0},
        "No discipline": {"technical": 0, "managerial": 0, "project": 0, "balanced": 0, "": 1},
    }


def test_skill_gaps_count_active_plans_with_an_unfinished_skill_milestone(org):
    gaps, _ = selectors.plan_demand()

    # design: A, B, E (F's plan is archived, HR's plan is not an engineer's); communication: C; planning is done.
    assert [(g.slug, g.name, g.count) for g in gaps] == [
        ("design", "Engineering design", 3),
        ("communication", "communication", 1),
    ]


def test_certification_demand_counts_active_plans_including_each_credential(org):
    _, demand = selectors.plan_demand()

    assert [(c.slug, c.count) for c in demand] == [("pmp", 2), ("pe", 1)]


def test_set_aside_milestones_count_in_no_gap_no_demand_and_no_goal_date(org):
    h = UserFactory(name="Engineer H", email="h@example.com")
    stored_result(h, best_fit="technical", readiness={"senior": 40})
    stored_plan(h, target="senior", milestones=[
        {"kind": "skill", "subject": "communication", "status": "dropped", "due": days(100)},
        {"kind": "certification", "subject": "pe", "status": "dropped", "due": days(100)},
        {"kind": "custom", "due": days(600)},
    ])  # fmt: skip
    services.readiness_index_update()

    gaps, demand = selectors.plan_demand()
    rows = {row.target_slug: row.counts for row in selectors.readiness_pipeline(today=timezone.localdate())}

    assert ("communication", 1) in [(g.slug, g.count) for g in gaps]  # C's only, not H's dropped one
    assert [(c.slug, c.count) for c in demand] == [("pmp", 2), ("pe", 1)]
    # H's last milestone still held is due in 600 days: later, not within 12 months by the dropped ones' date.
    assert rows["senior"] == {"ready_now": 1, "within_12_months": 2, "later": 1}


def test_milestones_completed_and_overdue_per_month(org):
    today = timezone.localdate()

    rows = {row.month: (row.completed, row.overdue) for row in selectors.milestones_by_month(today=today)}

    assert len(rows) == 12
    expected = {month_of(today): [1, 0]}  # B's planning milestone, done today
    expected.setdefault(month_of(timezone.localtime(org["two_months_ago"]).date()), [0, 0])[0] += 1  # F, archived plan
    expected.setdefault(month_of(today - timedelta(days=10)), [0, 0])[1] += 1  # C's communication, 10 days late
    for month, (completed, overdue) in rows.items():
        assert [completed, overdue] == expected.get(month, [0, 0]), month


def test_each_chart_has_its_numbers_as_csv(hr_client, org):
    response = hr_client.get(reverse("hr:dashboard_csv", args=["pipeline"]))

    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines == [
        "target_role,ready_now,within_12_months,later,total",
        "Senior,1,2,0,3",
        "Manager,0,0,2,2",
    ]


def test_an_unknown_chart_is_404(hr_client):
    assert hr_client.get(reverse("hr:dashboard_csv", args=["nothing"])).status_code == 404


# --- Questionnaire quality -----------------------------------------------------------------------


def answer_randomly(version, people: int, seed: int = 3) -> list[dict[int, int]]:
    """`people` submitted responses with random answers to every agreement statement; returns their answers."""
    rng = random.Random(seed)
    items = list(version.items.filter(kind="likert"))
    all_answers = []
    for n in range(people):
        user = UserFactory(email=f"answerer{seed}-{n}@example.com")
        response = Response.objects.create(
            user=user, version=version, status=Response.Status.SUBMITTED, submitted_at=timezone.now()
        )
        # answers lean on one hidden trait, so the scales hang together a little
        trait = rng.randint(-1, 1)
        values = {item.pk: min(5, max(1, 3 + trait + rng.randint(-1, 1))) for item in items}
        Answer.objects.bulk_create(Answer(response=response, item_id=pk, value=v) for pk, v in values.items())
        all_answers.append(values)
    return all_answers


def test_quality_figures_from_the_database_match_the_answers_computed_directly(catalog):
    version = build_questionnaire(skills=list(catalog.skills.values()))
    answers = answer_randomly(version, 31)

    assert services.scale_statistics_update(version=version) == 31
    _, reports = selectors.questionnaire_quality(version=version)

    assert [r.dimension for r in reports] == ["technical", "managerial", "project"]
    for report in reports:
        keys = {
            k.item_id: k.direction for k in ItemKey.objects.filter(item__in=report.items, dimension=report.dimension)
        }
        matrix = [[a[i.pk] if keys[i.pk] == 1 else 6 - a[i.pk] for i in report.items] for a in answers]
        direct = psychometrics.scale_quality(matrix, [i.key for i in report.items])
        assert report.respondents == 31
        assert report.quality.alpha == pytest.approx(direct.alpha)
        assert [q.item_total for q in report.quality.items] == pytest.approx([q.item_total for q in direct.items])


def test_quality_waits_for_thirty_complete_responses(catalog):
    version = build_questionnaire(skills=list(catalog.skills.values()))
    answer_randomly(version, 29)
    # An in-progress response doesn't count.
    Response.objects.create(user=UserFactory(), version=version)

    assert services.scale_statistics_update(version=version) == 29
    _, reports = selectors.questionnaire_quality(version=version)

    assert all(r.quality is None and r.respondents == 29 for r in reports)


def quality_figures(version) -> list[float]:
    """Per scale, in order: respondents, alpha, then each statement's item–total correlation."""
    _, reports = selectors.questionnaire_quality(version=version)
    return [
        figure for r in reports for figure in (r.respondents, r.quality.alpha, *(q.item_total for q in r.quality.items))
    ]


def respondents(figures: list[float]) -> list[float]:
    return figures[::5]  # three statements per scale in build_questionnaire


def figures_from_scratch(version) -> list[float]:
    """The same figures from sums worked out again over every response."""
    ScaleStatistics.objects.filter(version=version).update(responses=10**6)  # a mismatch: start over
    services.scale_statistics_update(version=version)
    return quality_figures(version)


def test_quality_sums_grow_with_new_responses_only_and_equal_a_full_count(catalog):
    version = build_questionnaire(skills=list(catalog.skills.values()))
    answer_randomly(version, 30, seed=1)
    assert services.scale_statistics_update(version=version) == 30
    first = quality_figures(version)

    answer_randomly(version, 12, seed=2)
    assert services.scale_statistics_update(version=version) == 12  # only the new ones are read
    assert services.scale_statistics_update(version=version) == 0
    grown = quality_figures(version)

    assert grown != first
    assert respondents(grown) == [42, 42, 42]
    assert grown == pytest.approx(figures_from_scratch(version))
    assert CountedResponse.objects.filter(version=version).count() == 42


def test_quality_sums_are_worked_out_again_when_a_counted_response_is_deleted(catalog):
    version = build_questionnaire(skills=list(catalog.skills.values()))
    answer_randomly(version, 33)
    services.scale_statistics_update(version=version)
    before = quality_figures(version)

    Response.objects.filter(version=version).order_by("pk").first().user.delete()  # the account is erased
    assert services.scale_statistics_update(version=version) == 32  # counted again, from scratch

    after = quality_figures(version)
    assert respondents(after) == [32, 32, 32]
    assert after != before
    assert after == pytest.approx(figures_from_scratch(version))


def test_quality_sums_are_worked_out_again_when_a_statement_changes_direction(catalog):
    version = build_questionnaire(skills=list(catalog.skills.values()))
    answer_randomly(version, 31)
    services.scale_statistics_update(version=version)
    before = quality_figures(version)

    key = ItemKey.objects.filter(item__version=version, item__kind="likert", option="").order_by("pk").first()
    ItemKey.objects.filter(pk=key.pk).update(direction=-key.direction)
    assert services.scale_statistics_update(version=version) == 31

    assert quality_figures(version) != before
    assert quality_figures(version) == pytest.approx(figures_from_scratch(version))


def test_quality_sums_with_nothing_new_take_one_read_and_no_write(catalog, django_assert_num_queries):
    version = build_questionnaire(skills=list(catalog.skills.values()))
    answer_randomly(version, 30)
    keys = selectors.scale_keys(version=version)
    services.scale_statistics_update(version=version, keys=keys)

    with django_assert_num_queries(1):  # its state, with the responses counted and submitted
        assert services.scale_statistics_update(version=version, keys=keys) == 0


# --- Query counts -----------------------------------------------------------------------------------


def grow(factor: int):
    """More of everything the dashboard counts: engineers with results and plans, disciplines, skills."""
    for n in range(factor):
        discipline = DisciplineFactory()
        user = UserFactory(profile__discipline=discipline)
        stored_result(user, best_fit=["technical", "managerial", "project", "balanced"][n % 4],
                      readiness={f"role-{n % 3}": 30 + n})  # fmt: skip
        stored_plan(user, target=f"role-{n % 3}", milestones=[
            {"kind": "skill", "subject": f"skill-x{n}", "due": days(-n - 1)},
            {"kind": "certification", "subject": f"cert-{n}", "due": days(n + 1)},
            {"kind": "skill", "subject": "design", "status": "done"},
        ])  # fmt: skip


def test_dashboard_query_count_is_pinned_and_does_not_grow_with_data(hr_client, org, django_assert_num_queries):
    build_questionnaire(skills=[])  # an active version with three scales
    answer_randomly(QuestionnaireVersion.objects.get(is_active=True), 30)  # enough for the figures
    services.dashboard_refresh()  # index the results, count the answers (as the beat and a submit do)
    cache.clear()
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert hr_client.get(reverse("hr:dashboard")).status_code == 200
    with django_assert_num_queries(CACHED_DASHBOARD_QUERIES):
        assert hr_client.get(reverse("hr:dashboard")).status_code == 200

    grow(70)
    services.readiness_index_update()
    cache.clear()
    with django_assert_num_queries(DASHBOARD_QUERIES):
        assert hr_client.get(reverse("hr:dashboard")).status_code == 200


# With no figures kept yet: session, user, permissions (2), orientation, active version, the scales'
# statements, the sums, pipeline, skill gaps, certifications, completed and overdue per month (2).
DASHBOARD_QUERIES = 13
CACHED_DASHBOARD_QUERIES = 4  # session, user, permissions (2)


def test_the_dashboard_figures_are_reused_for_a_few_minutes_and_say_when_they_were_made(hr_client, org, settings):
    first = hr_client.get(reverse("hr:dashboard"))
    UserFactory(email="newcomer@example.com")
    cached = hr_client.get(reverse("hr:dashboard"))
    settings.HR_DASHBOARD_CACHE_SECONDS = 0
    fresh = hr_client.get(reverse("hr:dashboard"))

    def engineers(response):  # the "All engineers" row's total
        row = response.content.decode().split('<th scope="row">All engineers</th>', 1)[1].split("</tr>", 1)[0]
        return int(row.rsplit("</a>", 1)[0].rsplit(">", 1)[1])

    assert engineers(first) == engineers(cached) == 7
    assert engineers(fresh) == 8
    assert "figures as of" in first.content.decode()


def test_the_kept_dashboard_shows_each_hr_person_the_time_in_their_own_time_zone(hr_client, org):
    tokyo = UserFactory(email="hr.tokyo@example.com", profile__time_zone="Asia/Tokyo")
    hr_member_add(user=tokyo)
    other = Client()
    other.force_login(tokyo)

    def shown_time(client) -> str:
        page = client.get(reverse("hr:dashboard")).content.decode()
        return page.split('<time datetime="', 1)[1].split('"', 1)[0]

    assert shown_time(hr_client).endswith("+00:00")
    assert shown_time(other).endswith("+09:00")
    assert shown_time(hr_client).endswith("+00:00")  # each zone its own copy


def test_the_kept_dashboard_is_never_older_than_its_figures(hr_client, org, settings):
    def engineers() -> int:
        page = hr_client.get(reverse("hr:dashboard")).content.decode()
        row = page.split('<th scope="row">All engineers</th>', 1)[1].split("</tr>", 1)[0]
        return int(row.rsplit("</a>", 1)[0].rsplit(">", 1)[1])

    assert engineers() == 7
    UserFactory(email="newcomer@example.com")
    assert engineers() == 7  # kept
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.HR_DASHBOARD_CACHE_SECONDS + 1)):
        assert engineers() == 8


def test_the_beat_task_works_the_figures_out_ahead_so_a_request_only_reads_them(
    hr_client, org, django_assert_num_queries
):
    from django.conf import settings

    from hr import tasks

    assert settings.CELERY_BEAT_SCHEDULE["hr-dashboard-refresh"]["task"] == tasks.refresh_dashboard.name
    today = timezone.localdate()
    computed = tasks.refresh_dashboard.delay().get()
    assert selectors.dashboard_figures(today=today).computed_at.isoformat() == computed  # kept

    # The first request after the task renders from the kept figures: none is worked out.
    with django_assert_num_queries(CACHED_DASHBOARD_QUERIES):
        assert hr_client.get(reverse("hr:dashboard")).status_code == 200

    # The next run works them out again, even though the kept ones have not expired.
    engineers = selectors.dashboard_figures(today=today).orientation_overall.total
    UserFactory(email="newcomer@example.com")
    assert selectors.dashboard_figures(today=today).orientation_overall.total == engineers
    tasks.refresh_dashboard.delay()
    refreshed = selectors.dashboard_figures(today=today)
    assert refreshed.orientation_overall.total == engineers + 1
    assert refreshed.computed_at.isoformat() >= computed


# --- Reads read: page views never write; the refresh service does ------------------------------------

WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE")


def writes_in(queries) -> list[str]:
    """The statements among `queries` that change the database (or lock rows to change them)."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().upper().startswith(WRITES) or "FOR UPDATE" in query["sql"].upper()
    ]


def test_a_dashboard_view_with_no_figures_kept_yet_works_them_out_and_writes_nothing(hr_client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from hr.models import RoleReadiness

    version = build_questionnaire(skills=[])
    answer_randomly(version, 30)  # submitted responses no refresh has counted yet
    late = UserFactory(email="late@example.com")
    stored_result(late, readiness={"senior": 99})  # a result no refresh has indexed yet
    indexed = RoleReadiness.objects.count()
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        page = hr_client.get(reverse("hr:dashboard"))
        csv = hr_client.get(reverse("hr:dashboard_csv", args=["pipeline"]))
        people = hr_client.get(reverse("hr:people"), {"readiness": "ready_now"})
        admin_list = hr_client.get(reverse("admin:hr_person_changelist"), {"readiness": "ready_now"})

    assert page.status_code == csv.status_code == people.status_code == admin_list.status_code == 200
    assert len(queries) > 0 and writes_in(queries) == []
    assert RoleReadiness.objects.count() == indexed and not ScaleStatistics.objects.exists()
    assert "figures as of" in page.content.decode()  # worked out from what is stored
    assert "All engineers" in page.content.decode()


def test_the_refresh_brings_the_index_and_sums_up_to_date_and_keeps_the_figures(org):
    from hr.models import RoleReadiness

    version = build_questionnaire(skills=[])
    answer_randomly(version, 30)
    g = org["people"]["G"]
    late = stored_result(g, readiness={"senior": 93})  # stored after the last refresh
    stored_plan(g, target="senior", milestones=[{"due": days(700)}])
    today = timezone.localdate()

    figures = services.dashboard_refresh(today=today)

    assert RoleReadiness.objects.get(result=late).readiness == 93
    assert ScaleStatistics.objects.get(version=version).responses == 30
    assert selectors.dashboard_figures(today=today).computed_at == figures.computed_at  # kept
    ready = {row.target_slug: row.counts[selectors.READY_NOW] for row in figures.pipeline}
    assert ready == {"senior": 2, "manager": 0}  # A's and G's (F's plan is archived; HR is not counted)
    assert services.readiness_index_update() == 0  # nothing left to index: running it again does nothing new
    assert services.scale_statistics_update(version=version) == 0


def test_submitting_a_self_assessment_refreshes_the_dashboard_once_it_commits(
    catalog, django_capture_on_commit_callbacks
):
    from assessments.tests.factories import submit_self_assessment
    from hr.models import RoleReadiness

    version = build_questionnaire(skills=list(catalog.skills.values()))
    engineer = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = submit_self_assessment(engineer)
    assert not RoleReadiness.objects.filter(result=result).exists()  # nothing before the commit

    for callback in callbacks:
        callback()

    assert RoleReadiness.objects.filter(result=result).count() == len(result.data["result"]["readiness"])
    assert CountedResponse.objects.filter(response=result.response, version=version).exists()
    kept = selectors.dashboard_figures(today=timezone.localdate())
    assert kept.orientation_overall.total == 1  # the engineer, counted in the kept figures
    assert kept.orientation_overall.counts[result.best_fit] == 1


def test_the_refresh_command_does_what_the_beat_does(org):
    from io import StringIO

    from django.core.management import call_command

    from hr.models import RoleReadiness

    late = stored_result(org["people"]["G"], readiness={"senior": 90})
    out = StringIO()

    call_command("refresh_dashboard", stdout=out)

    assert RoleReadiness.objects.get(result=late).readiness == 90
    assert "Dashboard figures worked out at" in out.getvalue()
    assert selectors.dashboard_figures(today=timezone.localdate()).orientation_overall.total == 7


def test_a_broker_refusing_the_refresh_does_not_undo_or_fail_the_submit(
    catalog, django_capture_on_commit_callbacks, caplog
):
    from unittest import mock

    from assessments.models import Result
    from assessments.tests.factories import submit_self_assessment
    from hr import tasks

    build_questionnaire(skills=list(catalog.skills.values()))
    engineer = UserFactory()
    with (
        mock.patch.object(tasks.refresh_dashboard, "delay", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = submit_self_assessment(engineer)

    assert Result.objects.filter(pk=result.pk, response__status=Response.Status.SUBMITTED).exists()
    assert "broker down" in caplog.text  # logged; the beat's next refresh takes the result in
