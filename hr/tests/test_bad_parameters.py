"""Hand-written query parameters on the HR panel's pages: never a 500, and a bad list filter says so.

Every list of the admin site (the panel at /hr/) and every HR page outside it is asked for
with each bad parameter below, by HR where HR may see the list and by a superuser otherwise.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import ERROR_FLAG
from django.urls import reverse

from accounts.tests.factories import UserFactory
from careerpath.admin import FILTERS_DROPPED, MAX_SEARCH_LENGTH
from hr import services
from hr.models import AccessRecord

from .factories import days, stored_plan

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
LAST_DAY = {"created_at__year": "9999", "created_at__month": "12", "created_at__day": "31"}

BAD_PARAMETERS = [
    {"page": "abc"},
    {"page": "999999"},
    {"p": "abc"},
    {"p": "999999"},
    {"p": "-1"},
    {"o": "zzz"},
    {"o": "99.-98"},
    {"o": HUGE},
    {"all": "", "p": "2"},
    {"created_at__gte": "not-a-date"},
    {"created_at__lt": "2024-13-45"},
    {"created_at__year": "abc"},
    {"created_at__year": "99999"},
    {"created_at__year": "0"},
    {"created_at__year": "9999"},
    {"created_at__year": "9999", "created_at__month": "12"},
    LAST_DAY,
    {"created_at__year": "2024", "created_at__month": "13"},
    {"created_at__year": "2024", "created_at__month": HUGE},
    {"created_at__year": "2024", "created_at__month": "2", "created_at__day": "31"},
    {"created_at__year__gt": "99999"},
    {"updated_at__year": "-5"},
    {"attempt_time__year": "2024", "attempt_time__month": HUGE},  # the log-in records' date hierarchy
    {"id__in": f"1,{HUGE}"},
    {"id__in": "a,b"},
    {"id__exact": HUGE},
    {"email__regex": "("},
    {"name__iregex": "["},
    {"data__contains": "{"},
    {"nonsense": "1"},
    {"status__exact": "zzz"},
    {"version__id__exact": "abc"},
    {"is_active__exact": "maybe"},
    {"bucket": "nonsense"},
    {"readiness": "nonsense"},
    {"readiness": "ready_now", "target": "not a slug!"},
    {"target": "not a slug!"},
    {"target": "x" * 5000},
    {"discipline": HUGE},
    {"discipline": "²"},
    {"fit": "zzz"},
    {"overdue": "maybe"},
    {"not_assessed": "7"},
    {"q": "x" * 100_000},
    {"q": "%_\\'\""},
    {ERROR_FLAG: "1", "created_at__year": "99999"},
    {"_to_field": "password"},
    {"_popup": "1", "_to_field": "email"},
]


def admin_lists() -> list[str]:
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in admin.site._registry
    )


@pytest.fixture
def data(hr_client, make_result):
    """An engineer with a result, an active plan and an opening of each by HR, so lists have rows and filters."""
    engineer = UserFactory(name="Ada Engineer")
    result = make_result(engineer)
    plan = stored_plan(engineer, target="senior", target_name="Senior", milestones=[{"due": days(-3)}, {}])
    services.readiness_index_update()
    hr_client.get(reverse("hr:person_result", args=[engineer.pk, result.pk]))
    hr_client.get(reverse("hr:person_plan", args=[engineer.pk, plan.pk]))
    assert AccessRecord.objects.count() == 2
    return {"engineer": engineer, "result": result, "plan": plan}


def panel_pages(data) -> list[str]:
    person, result, plan = data["engineer"].pk, data["result"].pk, data["plan"].pk
    return [
        reverse("admin:index"),
        reverse("hr:dashboard"),
        reverse("hr:dashboard_csv", args=["pipeline"]),
        reverse("hr:exports"),
        reverse("hr:export_people"),
        reverse("hr:person_result", args=[person, result]),
        reverse("hr:person_plan", args=[person, plan]),
        reverse("admin:hr_person_change", args=[person]),
    ]


@pytest.mark.parametrize("params", BAD_PARAMETERS, ids=lambda params: ",".join(params)[:40])
def test_no_hr_page_answers_500_to_a_bad_parameter(client, hr_client, superuser, data, params):
    superuser_client = client.__class__()
    superuser_client.force_login(superuser)
    failures = []
    for name in admin_lists():
        url = reverse(name)
        response = hr_client.get(url, params)
        if response.status_code == 403:  # not a list HR may see
            response = superuser_client.get(url, params)
        if response.status_code >= 500:
            failures.append((url, response.status_code))
    for url in panel_pages(data):
        response = hr_client.get(url, params)
        if response.status_code >= 500:
            failures.append((url, response.status_code))

    assert not failures


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("admin:plans_plan_changelist", {"created_at__year": "9999"}),  # the date hierarchy's year after 9999
        ("admin:plans_plan_changelist", {"created_at__year": "2024", "created_at__month": HUGE}),
        ("admin:hr_accessrecord_changelist", LAST_DAY),  # the day after it is past 9999
        ("admin:roles_role_changelist", {"created_at__year": "99999"}),  # a lookup on any date field
        ("admin:hr_person_changelist", {"q": "x" * (MAX_SEARCH_LENGTH + 1)}),
    ],
)
def test_a_filter_the_database_cant_take_shows_the_whole_list_and_says_so(superuser, client, data, url, params):
    client.force_login(superuser)

    response = client.get(reverse(url), params)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse(url)}?{ERROR_FLAG}=1"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert FILTERS_DROPPED in page.content.decode()


def test_a_regex_lookup_is_refused(superuser, client):
    client.force_login(superuser)

    assert client.get(reverse("admin:accounts_user_changelist"), {"email__regex": "("}).status_code == 400


def test_a_search_as_long_as_allowed_still_searches(hr_client, data):
    response = hr_client.get(reverse("admin:hr_person_changelist"), {"q": "x" * MAX_SEARCH_LENGTH})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


def test_bad_filters_after_the_whole_list_was_shown_get_a_plain_explanation(superuser, client):
    client.force_login(superuser)

    response = client.get(reverse("admin:plans_plan_changelist"), {ERROR_FLAG: "1", "created_at__year": "99999"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "These filters can't be used" in html
    assert "database installation" not in html  # Django's own text for this page
