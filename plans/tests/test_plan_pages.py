"""Making a plan from a result, living with it, and keeping it private."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.tests.factories import UserFactory
from plans import services
from plans.models import Milestone, Plan

pytestmark = pytest.mark.django_db


def create_url(result, target, **extra):
    query = "&".join(f"{k}={v}" for k, v in {"result": result.pk, "target": target.slug, **extra}.items())
    return reverse("plans:create") + "?" + query


def post_data_from(page, **overrides):
    """The proposal form's data as the browser would send it, untouched unless overridden."""
    formset = page.context["formset"]
    data = {
        "result": page.context["result"].pk,
        "target": page.context["target"].slug,
        "goal": page.context["ctx"].goal.slug,
        "horizon": page.context["ctx"].proposal.horizon_months,
    }
    for key, value in formset.management_form.initial.items():
        data[f"m-{key}"] = value
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or name == "DELETE":
                continue
            data[f"m-{i}-{name}"] = value.isoformat() if hasattr(value, "isoformat") else value
    data.update(overrides)
    return data


def saved_plan(client, result, target, **overrides) -> Plan:
    page = client.get(create_url(result, target))
    response = client.post(reverse("plans:create"), post_data_from(page, **overrides))
    assert response.status_code == 302, response.context and response.context["formset"].errors
    return Plan.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


# --- Making a plan ---------------------------------------------------------------


def test_the_proposal_shows_the_route_and_a_milestone_per_gap(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer, value=2)
    manager = catalog.roles["manager"]

    page = client.get(create_url(result, manager))

    assert page.status_code == 200
    steps = [step.name for step in page.context["ctx"].path.steps]
    assert steps == ["Engineer", "Senior Engineer", "Engineering Manager"]
    milestones = page.context["ctx"].proposal.milestones
    skill_titles = [m.subject_slug for m in milestones if m.kind == "skill"]
    # The manager expects design 3, communication 4, people 4, planning 3; every rating is 2.
    assert sorted(skill_titles) == sorted(s.slug for s in catalog.skills.values())
    assert any(m.kind == "certification" and m.subject_slug == "pmp" for m in milestones)
    assert b"Save this plan" in page.content


def test_an_intermediate_role_can_be_the_first_goal(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer)

    page = client.get(create_url(result, catalog.roles["manager"], goal=catalog.roles["senior"].slug))

    assert page.context["ctx"].goal == catalog.roles["senior"]
    assert page.context["ctx"].proposal.milestones[-1].title.endswith("Senior Engineer")


def test_a_target_without_a_route_is_explained(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer)

    page = client.get(create_url(result, catalog.roles["project-engineer"]))

    assert page.status_code == 200
    assert "The catalog has no usual route from Engineer to Project Engineer" in page.content.decode()


def test_an_unknown_target_asks_to_choose_another(client, engineer, make_result):
    client.force_login(engineer)
    result = make_result(engineer)

    page = client.get(reverse("plans:create") + f"?result={result.pk}&target=no-such-role", follow=True)

    assert page.status_code == 200
    assert b"not in the catalog any more" in page.content
    assert b"Which role do you want to work toward?" in page.content


def test_saving_the_proposal_as_is_stores_plan_and_milestones(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer)

    plan = saved_plan(client, result, catalog.roles["manager"])

    assert plan.user == engineer and plan.result == result and plan.is_active
    assert plan.target_slug == catalog.roles["manager"].slug
    assert [s["name"] for s in plan.path] == ["Engineer", "Senior Engineer", "Engineering Manager"]
    assert plan.generator_version == "1.1"
    dates = list(plan.milestones.order_by("order").values_list("due_date", flat=True))
    assert dates == sorted(dates)


def test_editing_before_saving_removes_reorders_renames_redates_and_adds(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer)
    page = client.get(create_url(result, catalog.roles["manager"]))
    forms = page.context["formset"].forms
    proposed = [f for f in forms if f.initial]
    extra = len(proposed)  # the first blank form
    new_date = (timezone.localdate() + timedelta(days=40)).isoformat()
    data = post_data_from(
        page,
        **{
            "m-0-DELETE": "on",
            "m-1-title": "My own words for this milestone",
            "m-1-due_date": new_date,
            "m-1-ORDER": "99",
            f"m-{extra}-title": "Give a talk at the team meeting",
            f"m-{extra}-due_date": new_date,
            f"m-{extra}-ORDER": "1",
        },
    )

    response = client.post(reverse("plans:create"), data)

    assert response.status_code == 302
    plan = Plan.objects.get(user=engineer)
    titles = list(plan.milestones.order_by("order").values_list("title", flat=True))
    assert proposed[0].initial["title"] not in titles
    assert titles[0] == "Give a talk at the team meeting"
    assert titles[-1] == "My own words for this milestone"
    assert len(titles) == len(proposed)  # one removed, one added
    own = plan.milestones.get(title="Give a talk at the team meeting")
    assert own.kind == Milestone.Kind.CUSTOM


@pytest.mark.parametrize(
    ("value", "message"),
    [("2001-01-01", "can't be in the past"), ("not-a-date", "Enter a date like"), ("2999-01-01", "within the next")],
)
def test_a_bad_date_in_the_proposal_is_explained_and_nothing_is_saved(
    client, engineer, catalog, make_result, value, message
):
    client.force_login(engineer)
    result = make_result(engineer)
    page = client.get(create_url(result, catalog.roles["manager"]))

    response = client.post(reverse("plans:create"), post_data_from(page, **{"m-0-due_date": value}))

    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Plan.objects.exists()
    # What was typed is still there.
    assert response.context["formset"].forms[1].data["m-1-title"] == page.context["formset"].forms[1].initial["title"]


def test_removing_every_milestone_is_refused(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer)
    page = client.get(create_url(result, catalog.roles["manager"]))
    count = sum(1 for f in page.context["formset"].forms if f.initial)

    response = client.post(
        reverse("plans:create"), post_data_from(page, **{f"m-{i}-DELETE": "on" for i in range(count)})
    )

    assert b"Keep at least one milestone" in response.content
    assert not Plan.objects.exists()


def test_tampered_levels_and_kinds_are_refused(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer)
    page = client.get(create_url(result, catalog.roles["manager"]))

    response = client.post(
        reverse("plans:create"), post_data_from(page, **{"m-0-kind": "owner", "m-1-to_level": "9", "m-2-actions": "{"})
    )

    assert response.status_code == 200
    assert not Plan.objects.exists()


def test_a_result_of_someone_else_cannot_seed_a_plan(client, engineer, catalog, make_result):
    stranger = UserFactory(profile__current_role=catalog.roles["engineer"])
    result = make_result(stranger)
    client.force_login(engineer)

    assert client.get(create_url(result, catalog.roles["manager"])).status_code == 404
    assert client.post(reverse("plans:create"), {"result": result.pk, "target": "manager"}).status_code == 404


def test_a_new_plan_archives_the_active_one(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer)
    first = saved_plan(client, result, catalog.roles["manager"])

    second = saved_plan(client, result, catalog.roles["staff"])

    first.refresh_from_db()
    assert first.status == Plan.Status.ARCHIVED and first.archived_at is not None
    assert second.is_active
    page = client.get(reverse("plans:list"))
    assert page.context["active"] == second
    assert [p.pk for p in page.context["archived"]] == [first.pk]
    assert client.get(first.get_absolute_url()).status_code == 200  # still viewable


# --- Living with a plan ------------------------------------------------------------


@pytest.fixture
def plan(client, engineer, catalog, make_result):
    client.force_login(engineer)
    return saved_plan(client, make_result(engineer), catalog.roles["manager"])


def test_marking_a_milestone_done_updates_progress(client, plan):
    milestone = plan.milestones.order_by("order").first()

    response = client.post(
        reverse("plans:milestone_status", kwargs={"pk": milestone.pk}),
        {"status": "done", "note": "Finished it", "evidence_url": "https://example.com/cert.pdf"},
    )

    milestone.refresh_from_db()
    assert response.status_code == 302
    assert milestone.is_done and milestone.completed_at is not None
    assert milestone.evidence_url == "https://example.com/cert.pdf"
    page = client.get(plan.get_absolute_url())
    total = plan.milestones.count()
    assert page.context["progress"].done == 1
    assert page.context["progress"].percent == 100 // total  # rounded down: 100 only when all are done


@pytest.mark.parametrize("data", [{"status": "finished"}, {"status": "done", "evidence_url": "javascript:alert(1)"}])
def test_bad_status_input_changes_nothing_and_says_why(client, plan, data):
    milestone = plan.milestones.first()

    response = client.post(reverse("plans:milestone_status", kwargs={"pk": milestone.pk}), data, follow=True)

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.TODO
    assert "was not updated" in response.content.decode()


def test_overdue_milestones_stand_out(client, plan):
    milestone = plan.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(due_date=timezone.localdate() - timedelta(days=3))

    page = client.get(plan.get_absolute_url())

    assert page.context["progress"].overdue == 1
    assert "Overdue</span>" in page.content.decode()


def test_changing_a_milestone_date_to_the_past_is_refused(client, plan):
    milestone = plan.milestones.first()
    edit = reverse("plans:milestone_edit", kwargs={"pk": milestone.pk})

    response = client.post(edit, {"title": milestone.title, "due_date": "2000-01-01", "description": ""})

    assert response.status_code == 200
    assert "can't be in the past" in html.unescape(response.content.decode())
    milestone.refresh_from_db()
    assert milestone.due_date.year != 2000


def test_changing_a_milestone_date_and_title(client, plan):
    milestone = plan.milestones.first()
    new_date = timezone.localdate() + timedelta(days=200)

    client.post(
        reverse("plans:milestone_edit", kwargs={"pk": milestone.pk}),
        {"title": "Renamed", "due_date": new_date.isoformat(), "description": "mine"},
    )

    milestone.refresh_from_db()
    assert (milestone.title, milestone.due_date, milestone.description) == ("Renamed", new_date, "mine")


def test_adding_an_own_milestone_after_saving(client, plan):
    due = (timezone.localdate() + timedelta(days=30)).isoformat()

    client.post(reverse("plans:milestone_add", kwargs={"pk": plan.pk}), {"title": "Read a book", "due_date": due})

    added = plan.milestones.get(title="Read a book")
    assert added.order == plan.milestones.count()


def test_an_archived_plan_can_be_read_but_not_changed(client, plan):
    services.plan_archive(plan=plan)
    milestone = plan.milestones.first()

    response = client.post(
        reverse("plans:milestone_status", kwargs={"pk": milestone.pk}), {"status": "done"}, follow=True
    )

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.TODO
    assert b"archived" in response.content


def test_a_newer_assessment_offers_reached_skills_as_done(client, plan, engineer, make_result):
    make_result(engineer, value=5)

    page = client.get(plan.get_absolute_url())

    changes = page.context["changes"]
    reached = {m.subject_slug for m in changes.reached}
    planned_skills = set(plan.milestones.filter(kind="skill").values_list("subject_slug", flat=True))
    assert reached == planned_skills
    assert b"Mark done" in page.content


def test_csv_lists_the_milestones_and_defuses_formulas(client, plan):
    milestone = plan.milestones.first()
    Milestone.objects.filter(pk=milestone.pk).update(note="=HYPERLINK(evil)")

    response = client.get(reverse("plans:csv", kwargs={"pk": plan.pk}))

    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("order,kind,title,status,due_date")
    assert len(lines) == plan.milestones.count() + 1
    assert "'=HYPERLINK(evil)" in response.content.decode()


def test_the_calendar_feed_parses_back_with_every_milestone(client, plan):
    client.logout()  # calendar apps have no session

    response = client.get(reverse("plans:calendar", kwargs={"token": plan.calendar_token}))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == plan.milestones.count()
    by_uid = {str(e["UID"]): e for e in events}
    for milestone in plan.milestones.all():
        event = by_uid[f"milestone-{milestone.pk}@careerpath"]
        assert str(event["SUMMARY"]) == milestone.title
        assert event.decoded("DTSTART") == milestone.due_date


def test_a_revoked_calendar_address_stops_working(client, plan):
    old = plan.calendar_token

    client.post(reverse("plans:calendar_rotate", kwargs={"pk": plan.pk}))

    plan.refresh_from_db()
    assert plan.calendar_token != old
    client.logout()
    assert client.get(reverse("plans:calendar", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("plans:calendar", kwargs={"token": plan.calendar_token})).status_code == 200


def test_the_calendar_reveals_nothing_without_its_token(client, plan):
    client.logout()
    for token in ["", "x", plan.calendar_token[:-1], "a" * 200]:
        url = f"/plans/calendar/{token}.ics"
        assert client.get(url).status_code == 404, token


def test_the_print_view_lists_every_milestone(client, plan):
    page = client.get(reverse("plans:print", kwargs={"pk": plan.pk}))

    for title in plan.milestones.values_list("title", flat=True):
        assert title in page.content.decode()


# --- Privacy ---------------------------------------------------------------------


def test_someone_elses_plan_and_milestones_answer_404(client, plan, catalog):
    milestone = plan.milestones.first()
    client.force_login(UserFactory())

    for url in [
        plan.get_absolute_url(),
        reverse("plans:print", kwargs={"pk": plan.pk}),
        reverse("plans:csv", kwargs={"pk": plan.pk}),
        reverse("plans:milestone_edit", kwargs={"pk": milestone.pk}),
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (reverse("plans:milestone_status", kwargs={"pk": milestone.pk}), {"status": "done"}),
        (reverse("plans:milestone_edit", kwargs={"pk": milestone.pk}), {"title": "x", "due_date": "2030-01-01"}),
        (reverse("plans:milestone_add", kwargs={"pk": plan.pk}), {"title": "x", "due_date": "2030-01-01"}),
        (reverse("plans:archive", kwargs={"pk": plan.pk}), {}),
        (reverse("plans:calendar_rotate", kwargs={"pk": plan.pk}), {}),
    ]:
        assert client.post(url, data).status_code == 404, url
    milestone.refresh_from_db()
    plan.refresh_from_db()
    assert milestone.status == Milestone.Status.TODO and plan.is_active


def test_plan_pages_require_log_in(client, plan):
    client.logout()

    response = client.get(plan.get_absolute_url())

    assert response.status_code == 302 and reverse("account_login") in response["Location"]


# --- Query counts ------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 100])
def test_plan_page_query_count_is_constant_with_100_milestones(client, plan, django_assert_num_queries, extra):
    due = timezone.localdate() + timedelta(days=30)
    Milestone.objects.bulk_create(
        Milestone(plan=plan, title=f"Extra {i}", due_date=due, order=100 + i) for i in range(extra)
    )

    # session, user, plan (with who agreed it), milestones (with who confirmed each), comments, latest result
    with django_assert_num_queries(6):
        page = client.get(plan.get_absolute_url())
    assert page.status_code == 200


@pytest.mark.parametrize("extra", [0, 100])
def test_calendar_and_csv_query_counts_are_constant(client, plan, django_assert_num_queries, extra):
    due = timezone.localdate() + timedelta(days=30)
    Milestone.objects.bulk_create(
        Milestone(plan=plan, title=f"Extra {i}", due_date=due, order=100 + i) for i in range(extra)
    )

    with django_assert_num_queries(4):  # session, user, plan, milestones
        client.get(reverse("plans:csv", kwargs={"pk": plan.pk}))
    client.logout()
    with django_assert_num_queries(2):  # plan with user, milestones
        client.get(reverse("plans:calendar", kwargs={"token": plan.calendar_token}))


def test_plan_list_query_count(client, plan, django_assert_num_queries):
    # session, user, plans with counts, latest result
    with django_assert_num_queries(4):
        client.get(reverse("plans:list"))


def test_a_first_goal_off_the_route_falls_back_to_the_target(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer)

    page = client.get(create_url(result, catalog.roles["manager"], goal=catalog.roles["principal"].slug))

    assert page.status_code == 200
    assert page.context["ctx"].goal == catalog.roles["manager"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("target", ["not a slug!", "x" * 500])
def test_a_target_no_role_could_have_is_explained_not_an_error(client, engineer, make_result, method, target):
    result = make_result(engineer)
    client.force_login(engineer)

    response = getattr(client, method)(reverse("plans:create"), {"result": result.pk, "target": target}, follow=True)

    assert response.status_code == 200
    assert "not in the catalog any more" in response.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_target_with_a_nul_character_gets_the_400_page(client, engineer, make_result, method):
    """A NUL character in the target made PostgreSQL refuse the query (a 500, found by hypothesis);
    careerpath.security.RefuseNulCharactersMiddleware now answers before the view."""
    result = make_result(engineer)
    client.force_login(engineer)

    response = getattr(client, method)(reverse("plans:create"), {"result": result.pk, "target": "x\x00y"})

    assert response.status_code == 400
    assert "contains a NUL character" in response.content.decode()


def test_the_proposal_and_the_saved_plan_hold_the_experiences_the_goal_role_expects(
    client, engineer, catalog, make_result
):
    client.force_login(engineer)
    manager = catalog.roles["manager"]
    manager.experiences = "Own a team budget for a year\nMentor someone through a stretch assignment\n"
    manager.save(update_fields=["experiences"])

    plan = saved_plan(client, make_result(engineer), manager)

    experiences = list(plan.milestones.filter(kind="experience").values_list("title", flat=True))
    assert "Own a team budget for a year" in experiences
    assert "Mentor someone through a stretch assignment" in experiences
