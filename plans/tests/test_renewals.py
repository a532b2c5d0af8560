"""Renewals: a held credential with a renewal cycle in the catalog becomes a renewal milestone once
the person records when they earned it; completing a credential's milestone records it as earned
today (on the profile, in the same transaction), and a renewal done schedules the next one."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import CredentialEarned
from careerpath.dates import add_months
from plans import renewals, services
from plans.generator import RenewalInput, generate
from plans.models import Milestone
from roles.tests.factories import CertificationFactory

from .test_generator import START, make_request
from .test_milestone_changes import make_plan

# --- The dates (pure) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "earned, months, today, expected",
    [
        (date(2024, 5, 31), 36, date(2026, 6, 1), date(2027, 5, 31)),
        (date(2024, 5, 31), 36, date(2027, 5, 31), date(2027, 5, 31)),
        (date(2024, 5, 31), 36, date(2024, 5, 31), date(2027, 5, 31)),  # earned today: the first cycle
        (date(2024, 5, 31), 36, date(2027, 6, 1), date(2030, 5, 31)),
        (date(1990, 1, 31), 6, date(2026, 3, 1), date(2026, 7, 31)),
        (date(2024, 2, 29), 36, date(2025, 1, 1), date(2027, 2, 28)),
    ],
)
def test_the_next_renewal_is_the_first_cycle_end_not_in_the_past(earned, months, today, expected):
    assert renewals.next_renewal(earned, months, today=today) == expected


def test_a_cycle_of_no_months_is_refused():
    with pytest.raises(ValueError, match="at least one month"):
        renewals.next_renewal(date(2024, 1, 1), 0, today=date(2026, 1, 1))


def test_the_generator_plans_renewals_within_the_window_only():
    inside = RenewalInput("pmp", "Project Management Professional", add_months(START, 5), 36)
    outside = RenewalInput("csm", "Certified ScrumMaster", add_months(START, 30), 24)

    proposal = generate(make_request(horizon_months=24, renewals=(inside, outside)))

    planned = [m for m in proposal.milestones if m.kind == "renewal"]
    assert [(m.title, m.due_date, m.subject_slug) for m in planned] == [
        ("Renew Project Management Professional", add_months(START, 5), "pmp")
    ]


# --- Recording and scheduling -------------------------------------------------------------


@pytest.fixture
def pmp(db):
    return CertificationFactory(slug="pmp-r", name="Project Management Professional", renewal_months=36)


def test_recording_when_a_credential_was_earned_schedules_its_renewal(client_logged_in, user, pmp):
    plan = make_plan(user, "A")
    user.profile.certifications.add(pmp)
    earned = timezone.localdate() - timedelta(days=400)

    response = client_logged_in.post(reverse("plans:credentials"), {f"earned_{pmp.pk}": earned.isoformat()})

    assert response.status_code == 302
    renewal = plan.milestones.get(kind="renewal")
    assert (renewal.title, renewal.subject_slug, renewal.due_date) == (
        "Renew Project Management Professional",
        "pmp-r",
        add_months(earned, 36),
    )
    assert CredentialEarned.objects.get(profile=user.profile).earned_on == earned
    assert (
        "Renew Project Management Professional on"
        in client_logged_in.get(reverse("plans:credentials")).content.decode()
    )


def test_correcting_the_date_moves_the_renewal_rather_than_adding_another(user, pmp):
    plan = make_plan(user, "A")
    today = timezone.localdate()
    services.credential_earned_record(user=user, certification=pmp, earned_on=today - timedelta(days=30))
    services.credential_earned_record(user=user, certification=pmp, earned_on=today - timedelta(days=60))

    assert list(plan.milestones.filter(kind="renewal").values_list("due_date", flat=True)) == [
        add_months(today - timedelta(days=60), 36)
    ]


def test_a_credential_without_a_cycle_or_a_person_without_a_plan_gets_no_renewal(user, pmp):
    no_cycle = CertificationFactory(slug="eit-r", renewal_months=None)
    today = timezone.localdate()

    assert services.credential_earned_record(user=user, certification=pmp, earned_on=today) is None  # no plan
    plan = make_plan(user, "A")
    assert services.credential_earned_record(user=user, certification=no_cycle, earned_on=today) is None
    assert not plan.milestones.filter(kind="renewal").exists()


def test_completing_a_credential_milestone_records_it_earned_today_and_plans_its_renewal(user, pmp):
    plan = make_plan(user, "Earn the PMP")
    milestone = plan.milestones.get()
    Milestone.objects.filter(pk=milestone.pk).update(kind="certification", subject_slug="pmp-r")
    milestone.refresh_from_db()

    services.milestone_set_status(milestone=milestone, status="done")

    today = timezone.localdate()
    assert list(user.profile.certifications.all()) == [pmp]
    assert CredentialEarned.objects.get(profile=user.profile, certification=pmp).earned_on == today
    assert plan.milestones.get(kind="renewal").due_date == add_months(today, 36)


def test_a_renewal_done_schedules_the_next_one_a_cycle_later(user, pmp):
    plan = make_plan(user, "A")
    first = services.credential_earned_record(user=user, certification=pmp, earned_on=timezone.localdate())

    services.milestone_set_status(milestone=first, status="done")

    due_dates = list(plan.milestones.filter(kind="renewal").order_by("due_date").values_list("due_date", flat=True))
    assert due_dates == [first.due_date, add_months(first.due_date, 36)]


def test_a_future_or_garbled_date_is_refused_with_a_message(client_logged_in, user, pmp):
    user.profile.certifications.add(pmp)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    future = client_logged_in.post(reverse("plans:credentials"), {f"earned_{pmp.pk}": tomorrow})
    garbled = client_logged_in.post(reverse("plans:credentials"), {f"earned_{pmp.pk}": "31/02/2024"})

    assert "can&#x27;t be in the future" in future.content.decode()
    assert "Enter a date like" in garbled.content.decode()
    assert not CredentialEarned.objects.exists()


def test_a_new_plan_proposes_the_renewals_of_what_the_person_holds(client, engineer, catalog, make_result):
    from .test_plan_pages import saved_plan

    pmp = catalog.certifications["pmp"]
    pmp.renewal_months = 36
    pmp.save(update_fields=["renewal_months"])
    client.force_login(engineer)
    earned = add_months(timezone.localdate(), -30)
    services.credential_earned_record(user=engineer, certification=pmp, earned_on=earned)

    plan = saved_plan(client, make_result(engineer), catalog.roles["manager"])

    renewal = plan.milestones.get(kind="renewal")
    assert (renewal.subject_slug, renewal.due_date) == ("pmp", add_months(earned, 36))
    assert not plan.milestones.filter(kind="certification", subject_slug="pmp").exists()  # held: not earned again


def test_the_credentials_page_query_count(client_logged_in, user, pmp, django_assert_num_queries):
    for n in range(5):
        user.profile.certifications.add(CertificationFactory(slug=f"c-{n}", renewal_months=12))
    user.profile.certifications.add(pmp)

    # session, user, earned dates, held credentials
    with django_assert_num_queries(4):
        page = client_logged_in.get(reverse("plans:credentials"))
    assert len(page.context["form"].fields) == 6
