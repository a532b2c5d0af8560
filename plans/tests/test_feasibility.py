"""A credential's milestone can't be due before its prerequisites, its eligibility (the catalog's
minimum years of experience against the profile's) or its preparation time from today; the plan
forms refuse such a date saying why and proposing the earliest sensible one, never with a 500."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from careerpath.dates import add_months
from plans import feasibility
from plans.generator import CredentialInput
from plans.models import Milestone
from roles.tests.factories import CertificationFactory

from .test_milestone_changes import make_plan
from .test_plan_pages import create_url, post_data_from

TODAY = date(2026, 6, 15)
EIT = CredentialInput("eit", "Engineer in Training", "certification", 3)
PE = CredentialInput("pe", "Professional Engineer licence", "licence", 4, ("eit",), 4)
PMP = CredentialInput("pmp", "Project Management Professional", "certification", 3, (), 3)
CATALOG = {c.slug: c for c in (EIT, PE, PMP)}
# 22 before the credential check (years, held credentials) and the renewals of held credentials; one fewer
# since build_proposal reads the goal's role spec once (plans.proposals.CatalogReads), not twice
PROPOSAL_PAGE_QUERIES = 24


def check(years=5, held=()):
    return feasibility.Check(CATALOG, feasibility.Person(years, frozenset(held)), TODAY)


# --- The rule (pure) -------------------------------------------------------------------


def test_a_date_inside_the_preparation_time_is_refused_with_the_earliest_date():
    why = check().refusal("eit", TODAY + timedelta(days=17), planned={})

    assert why == (
        "Engineer in Training can't be due before 15 September 2026: preparation usually takes about 3 months. "
        "Choose 15 September 2026 or later."
    )
    assert check().refusal("eit", date(2026, 9, 15), planned={}) is None


def test_eligibility_waits_for_the_years_of_experience_then_the_preparation():
    earliest = check(years=1).earliest("pmp", planned={})

    assert earliest.due == add_months(TODAY, 24 + 3)
    assert "3 years of professional experience and your profile says 1" in earliest.reasons[0]
    assert check(years=1).refusal("pmp", add_months(TODAY, 26), planned={}) is not None
    assert check(years=3).refusal("pmp", add_months(TODAY, 3), planned={}) is None


def test_a_licence_before_its_planned_prerequisite_is_refused_naming_it():
    planned = {"eit": date(2027, 1, 10), "pe": date(2026, 7, 2)}

    why = check().refusal("pe", date(2026, 7, 2), planned=planned)

    assert "you need Engineer in Training first (its milestone is due 10 January 2027)" in why
    assert "Choose 10 May 2027 or later" in why
    assert check().refusal("pe", date(2027, 5, 10), planned=planned) is None


def test_a_held_prerequisite_no_longer_holds_anything_up():
    assert check(held={"eit"}).earliest("pe", planned={}).due == add_months(TODAY, 4)


def test_a_prerequisite_left_out_of_the_plan_counts_with_its_own_earliest_date():
    earliest = check().earliest("pe", planned={})

    assert earliest.due == add_months(add_months(TODAY, 3), 4)
    assert "it is not in the plan" in earliest.reasons[0]


def test_a_held_credential_or_one_not_in_the_catalog_is_never_refused():
    assert check(held={"pmp"}).refusal("pmp", TODAY, planned={}) is None
    assert check().refusal("unknown", TODAY, planned={}) is None


def test_a_prerequisite_loop_in_the_catalog_gives_an_answer_not_a_crash():
    a = CredentialInput("a", "A", "certification", 1, ("b",))
    b = CredentialInput("b", "B", "certification", 1, ("a",))
    looped = feasibility.Check({"a": a, "b": b}, feasibility.Person(0, frozenset()), TODAY)

    assert looped.earliest("a", planned={}).due == add_months(add_months(TODAY, 1), 1)


def test_moving_a_prerequisite_after_what_needs_it_is_refused():
    planned = {"pe": date(2027, 5, 10)}

    why = check().dependants_refusal("eit", date(2027, 3, 1), planned=planned)

    assert why.startswith("Professional Engineer licence (due 10 May 2027) needs Engineer in Training first")
    assert "by 10 January 2027" in why
    assert check().dependants_refusal("eit", date(2027, 1, 10), planned=planned) is None


@pytest.mark.parametrize("day", [date(2027, 1, 31), date(2027, 3, 31), date(2028, 2, 29), date(2026, 12, 1)])
@pytest.mark.parametrize("months", [0, 1, 4, 13])
def test_months_before_is_the_latest_date_that_still_fits(day, months):
    before = feasibility._months_before(day, months)

    assert add_months(before, months) <= day < add_months(before + timedelta(days=1), months)


# --- The forms --------------------------------------------------------------------------


@pytest.fixture
def licences(catalog):
    eit = CertificationFactory(slug="eit", name="Engineer in Training", prep_months=3)
    pe = CertificationFactory(slug="pe-x", name="Professional Engineer", prep_months=4, min_years_experience=2)
    pe.prerequisites.add(eit)
    return {"eit": eit, "pe": pe}


def credential_plan(user, **dues):
    plan = make_plan(user, *dues)
    for slug, due in dues.items():
        Milestone.objects.filter(plan=plan, title=slug).update(kind="certification", subject_slug=slug, due_date=due)
    return plan


def test_editing_a_licence_to_before_its_prerequisite_is_refused_and_nothing_changes(client, engineer, licences):
    client.force_login(engineer)
    today = timezone.localdate()
    plan = credential_plan(engineer, eit=add_months(today, 6), **{"pe-x": add_months(today, 12)})
    pe = plan.milestones.get(subject_slug="pe-x")

    response = client.post(
        reverse("plans:milestone_edit", args=[pe.pk]),
        {"title": "PE", "due_date": add_months(today, 7).isoformat(), "description": ""},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "you need Engineer in Training first" in html and "or later" in html
    pe.refresh_from_db()
    assert pe.due_date == add_months(today, 12)


def test_editing_a_prerequisite_to_after_what_needs_it_is_refused(client, engineer, licences):
    client.force_login(engineer)
    today = timezone.localdate()
    plan = credential_plan(engineer, eit=add_months(today, 6), **{"pe-x": add_months(today, 12)})
    eit = plan.milestones.get(subject_slug="eit")

    response = client.post(
        reverse("plans:milestone_edit", args=[eit.pk]),
        {"title": "EIT", "due_date": add_months(today, 11).isoformat(), "description": ""},
    )

    assert "needs Engineer in Training first" in response.content.decode()
    eit.refresh_from_db()
    assert eit.due_date == add_months(today, 6)


def test_a_feasible_edit_is_saved(client, engineer, licences):
    client.force_login(engineer)
    today = timezone.localdate()
    plan = credential_plan(engineer, eit=add_months(today, 6), **{"pe-x": add_months(today, 12)})
    pe = plan.milestones.get(subject_slug="pe-x")

    response = client.post(
        reverse("plans:milestone_edit", args=[pe.pk]),
        {"title": "PE", "due_date": add_months(today, 10).isoformat(), "description": ""},
    )

    assert response.status_code == 302
    pe.refresh_from_db()
    assert pe.due_date == add_months(today, 10)


def test_the_edit_post_of_a_credential_costs_a_fixed_number_of_queries(
    client, engineer, licences, django_assert_num_queries
):
    client.force_login(engineer)
    today = timezone.localdate()
    plan = credential_plan(engineer, eit=add_months(today, 6), **{"pe-x": add_months(today, 12)})
    pe = plan.milestones.get(subject_slug="pe-x")

    # session, user, milestone with plan, plan's milestones, years, held, credentials (2), update
    with django_assert_num_queries(9):
        client.post(
            reverse("plans:milestone_edit", args=[pe.pk]),
            {"title": "PE", "due_date": add_months(today, 10).isoformat(), "description": ""},
        )


def test_saving_a_proposal_with_a_credential_due_too_soon_is_refused_with_the_reason(
    client, engineer, catalog, make_result
):
    client.force_login(engineer)
    result = make_result(engineer, value=2)
    page = client.get(create_url(result, catalog.roles["manager"]))
    rows = [i for i, f in enumerate(page.context["formset"].forms) if f.initial.get("subject_slug") == "pmp"]
    assert rows, "the proposal should hold the PMP"
    soon = (timezone.localdate() + timedelta(days=17)).isoformat()

    response = client.post(reverse("plans:create"), post_data_from(page, **{f"m-{rows[0]}-due_date": soon}))

    assert response.status_code == 200
    assert "Project Management Professional can&#x27;t be due before" in response.content.decode()
    assert not engineer.plans.exists()


def test_a_squeezed_proposal_starts_each_credential_when_it_can_be_ready(client, engineer, catalog, make_result):
    client.force_login(engineer)
    result = make_result(engineer, value=2)
    catalog.certifications["pmp"].__class__.objects.filter(slug="pmp").update(prep_months=9)

    page = client.get(create_url(result, catalog.roles["manager"], horizon=3))

    pmp = next(f for f in page.context["formset"].forms if f.initial.get("subject_slug") == "pmp")
    assert pmp.initial["due_date"] == add_months(timezone.localdate(), 9)
    assert "the earliest it can be ready" in page.content.decode()
    assert "after the plan&#x27;s horizon" in page.content.decode()
    response = client.post(reverse("plans:create"), post_data_from(page))
    assert response.status_code == 302


def test_the_proposal_page_costs_the_same_queries_with_more_credentials(
    client, engineer, catalog, make_result, django_assert_num_queries
):
    client.force_login(engineer)
    url = create_url(make_result(engineer, value=2), catalog.roles["manager"])
    client.get(url)
    with django_assert_num_queries(PROPOSAL_PAGE_QUERIES):
        client.get(url)
    for n in range(20):
        extra = CertificationFactory(slug=f"extra-{n}", min_years_experience=n % 5)
        extra.prerequisites.add(catalog.certifications["pmp"])
    with django_assert_num_queries(PROPOSAL_PAGE_QUERIES):
        client.get(url)


credential_slugs = st.sampled_from(["a", "b", "c", "d"])


@st.composite
def catalogs(draw):
    """Up to four credentials with any preparation, experience rule and prerequisites, loops included."""
    slugs = draw(st.lists(credential_slugs, min_size=1, max_size=4, unique=True))
    return {
        slug: CredentialInput(
            slug,
            slug.upper(),
            "certification",
            draw(st.integers(0, 60)),
            tuple(draw(st.lists(credential_slugs, max_size=3, unique=True))),
            draw(st.integers(0, 40)),
        )
        for slug in slugs
    }


@given(
    catalog=catalogs(),
    years=st.integers(0, 70),
    held=st.frozensets(credential_slugs),
    planned=st.dictionaries(credential_slugs, st.dates(date(2000, 1, 1), date(2100, 12, 31)), max_size=4),
    due=st.dates(date(2000, 1, 1), date(2100, 12, 31)),
    slug=credential_slugs,
)
def test_any_catalog_and_dates_give_an_answer_and_the_earliest_date_itself_is_accepted(
    catalog, years, held, planned, due, slug
):
    rules = feasibility.Check(catalog, feasibility.Person(years, held), TODAY)

    why = rules.refusal(slug, due, planned=planned)
    earliest = rules.earliest(slug, planned=planned)

    if earliest is None:
        assert why is None
    else:
        assert (why is None) == (due >= earliest.due)
        assert earliest.due >= TODAY
        assert rules.refusal(slug, earliest.due, planned=planned) is None
    rules.dependants_refusal(slug, due, planned=planned)  # never raises
