"""The people page (/hr/people/): rows, search, filters, sort, pages, bad query values, and a pinned query count."""

import pytest
from django.urls import reverse

from accounts.models import Profile
from accounts.tests.factories import UserFactory
from roles.models import Track
from roles.tests.factories import DisciplineFactory, RoleFactory

from .factories import days, stored_plan, stored_result

pytestmark = pytest.mark.django_db

PAGE = "hr:people"


def emails(client, **params) -> list[str]:
    response = client.get(reverse(PAGE), params)
    assert response.status_code == 200
    return [person["email"] for person in response.context["people"]]


@pytest.fixture
def team():
    software = DisciplineFactory(slug="software", name="Software")
    mechanical = DisciplineFactory(slug="mechanical", name="Mechanical")
    senior = RoleFactory(slug="senior-x", name="Senior engineer")
    mona = UserFactory(name="Mona Manager", email="mona@example.com", profile__discipline=software)
    ada = UserFactory(name="Ada Lovelace", email="ada@example.com", profile__discipline=software,
                      profile__current_role=senior)  # fmt: skip
    Profile.objects.filter(user=ada).update(manager=mona)
    stored_result(ada, best_fit="managerial", readiness={"engineering-manager": 72, "senior": 60})
    stored_plan(ada, target="engineering-manager", target_name="Engineering Manager", milestones=[
        {"status": "done"}, {"due": days(-3)}, {"due": days(-1)}, {"due": days(20)},
    ])  # fmt: skip
    bob = UserFactory(name="Bob Brunel", email="bob@example.com", profile__discipline=mechanical)
    Profile.objects.filter(user=bob).update(manager=mona)
    stored_result(bob, best_fit="technical", readiness={"senior": 90})
    cy = UserFactory(name="Cy Young", email="cy@example.com")
    gone = UserFactory(name="Gone Person", email="gone@example.com", is_active=False)
    return {"ada": ada, "bob": bob, "cy": cy, "mona": mona, "gone": gone, "software": software, "senior": senior}


def test_lists_every_active_engineer_with_manager_verdict_and_plan_progress(hr_client, team, hr_user):
    response = hr_client.get(reverse(PAGE))

    html = response.content.decode()
    assert [p["email"] for p in response.context["people"]] == [
        "ada@example.com",
        "bob@example.com",
        "cy@example.com",
        "mona@example.com",
    ]  # fmt: skip  (by name; not HR staff, not the deactivated account)
    ada = response.context["people"][0]
    assert (ada["fit_label"], ada["top_role_name"], ada["top_role_readiness"]) == (
        "Management",
        "Engineering Manager",
        72,
    )
    assert (ada["milestones_done"], ada["milestones_total"], ada["progress"]) == (1, 4, 25)
    assert "Mona Manager" in html and "1/4 (25%) done" in html
    assert reverse("hr:person_result", args=[ada["pk"], ada["result_id"]]) in html
    assert reverse("hr:person_plan", args=[ada["pk"], ada["plan_id"]]) in html


def test_the_hr_navigation_links_to_the_people_page(hr_client, team):
    html = hr_client.get(reverse("hr:dashboard")).content.decode()

    assert f'href="{reverse(PAGE)}"' in html


def test_search_finds_people_by_name_or_email(hr_client, team):
    assert emails(hr_client, q="lovelace") == ["ada@example.com"]
    assert emails(hr_client, q="BOB@EXAMPLE") == ["bob@example.com"]


def test_filters_by_discipline_role_manager_plan_result_and_account_status(hr_client, team):
    assert emails(hr_client, discipline=team["software"].pk) == ["ada@example.com", "mona@example.com"]
    assert emails(hr_client, discipline="none") == ["cy@example.com"]
    assert emails(hr_client, role=team["senior"].pk) == ["ada@example.com"]
    assert emails(hr_client, manager="MONA@example.com") == ["ada@example.com", "bob@example.com"]
    assert emails(hr_client, manager=str(team["mona"].pk)) == ["ada@example.com", "bob@example.com"]
    assert emails(hr_client, manager="none") == ["cy@example.com", "mona@example.com"]
    assert emails(hr_client, plan="yes") == ["ada@example.com"]
    assert emails(hr_client, plan="no") == ["bob@example.com", "cy@example.com", "mona@example.com"]
    assert emails(hr_client, result="yes") == ["ada@example.com", "bob@example.com"]
    assert emails(hr_client, result="no") == ["cy@example.com", "mona@example.com"]
    assert emails(hr_client, active="no") == ["gone@example.com"]


def test_a_deactivated_account_shows_no_result_or_plan(hr_client, team):
    stored_result(team["gone"], best_fit="technical", readiness={"senior": 90})

    response = hr_client.get(reverse(PAGE), {"active": "no"})

    html = response.content.decode()
    assert "Deactivated" in html and "/results/" not in html


def test_sorts_by_each_column_both_ways(hr_client, team):
    assert emails(hr_client, sort="-name")[0] == "mona@example.com"
    assert emails(hr_client, sort="email") == sorted(emails(hr_client))
    assert emails(hr_client, sort="discipline")[:2] == ["bob@example.com", "ada@example.com"]  # Mechanical first
    assert emails(hr_client, sort="role")[0] == "ada@example.com"  # people without a role last
    assert emails(hr_client, sort="-manager")[:2] == ["bob@example.com", "ada@example.com"]  # then by name, down


def test_the_sorted_column_says_so_and_its_link_reverses_the_order(hr_client, team):
    response = hr_client.get(reverse(PAGE), {"sort": "discipline", "q": "e"})

    column = next(c for c in response.context["columns"] if c["heading"] == "Discipline")
    assert column["sorted"] == "ascending"
    assert "sort=-discipline" in column["url"] and "q=e" in column["url"]
    assert 'aria-sort="ascending"' in response.content.decode()


def test_the_dashboards_filters_best_fit_target_and_readiness(hr_client, team):
    assert emails(hr_client, fit="managerial") == ["ada@example.com"]
    assert emails(hr_client, fit="technical") == ["bob@example.com"]
    assert emails(hr_client, fit="none") == ["cy@example.com", "mona@example.com"]
    assert emails(hr_client, target="engineering-manager") == ["ada@example.com"]
    assert emails(hr_client, target="engineering-manager", fit="technical") == []
    # A role nobody's plan aims at (not among the choices) is a filter all the same: nobody
    assert emails(hr_client, target="principal") == []
    html = hr_client.get(reverse(PAGE), {"target": "engineering-manager"}).content.decode()
    assert '<option value="engineering-manager" selected>Engineering Manager</option>' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"discipline": "999999999999999999999"}, "discipline"),
        ({"discipline": "x\x07"}, "discipline"),
        ({"role": "-1"}, "role"),
        ({"manager": "nobody@example.com"}, "manager"),
        ({"manager": "99999999999999999999999"}, "manager"),
        ({"manager": "x" * 300}, "manager"),
        ({"q": "x" * 201}, "q"),
        ({"q": "bad\x1bsearch"}, "q"),
        ({"plan": "maybe"}, "plan"),
        ({"result": "1"}, "result"),
        ({"active": "both"}, "active"),
        ({"sort": "password"}, "sort"),
        ({"fit": "wizard"}, "fit"),
        ({"target": "not a slug!"}, "target"),
        ({"target": "s" * 101}, "target"),
        ({"readiness": "tomorrow"}, "readiness"),
    ],
    ids=[
        "huge-discipline",
        "control-discipline",
        "unknown-role",
        "unknown-manager",
        "huge-manager-id",
        "long-manager",
        "long-search",
        "control-search",
        "plan",
        "result",
        "active",
        "sort",
        "fit",
        "target",
        "long-target",
        "readiness",
    ],
)
def test_a_value_the_page_cannot_use_is_explained_and_ignored(hr_client, team, params, field):
    response = hr_client.get(reverse(PAGE), params)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert len(response.context["people"]) == 4  # the filter is left out, everyone is listed
    assert "is-invalid" in response.content.decode()


# Not "page": that is pytest-playwright's fixture, and naming a parameter after it makes this a browser test.
@pytest.mark.parametrize("number", ["0", "-3", "99", "x", "1e5", "9" * 5000, "\x07"], ids=range(7))
def test_a_page_number_past_the_end_or_not_a_number_shows_a_page(hr_client, team, number):
    response = hr_client.get(reverse(PAGE), {"page": number})

    assert response.status_code == 200
    assert len(response.context["people"]) == 4


def more_people(count: int, *, manager=None):
    track = Track.objects.first() or RoleFactory().track
    discipline, role = DisciplineFactory(), RoleFactory(track=track)
    for n in range(count):
        user = UserFactory(profile__discipline=discipline, profile__current_role=role)
        if manager is not None:
            Profile.objects.filter(user=user).update(manager=manager)
        stored_result(user, readiness={f"r{n}": 40 + n % 50})
        stored_result(user, readiness={f"r{n}": 50 + n % 50})
        stored_plan(user, target=f"r{n}", milestones=[{"due": days(-1)}, {"status": "done"}, {"due": days(5)}])


def test_pages_hold_fifty_people_and_link_to_the_next(hr_client, team):
    more_people(60)

    first = hr_client.get(reverse(PAGE), {"q": "", "sort": "email"})
    last = hr_client.get(reverse(PAGE), {"page": "2", "sort": "email"})

    assert len(first.context["people"]) == 50 and len(last.context["people"]) == 14
    assert "sort=email&amp;page=2" in first.content.decode()
    assert not {p["pk"] for p in first.context["people"]} & {p["pk"] for p in last.context["people"]}


# session, user, permissions (2), disciplines and roles for the filters, count, the page's ids, its rows; and
# the plan targets for the filter when not kept (as long as the dashboard's figures: target_role_choices)
PEOPLE_PAGE_QUERIES = 9


def test_the_people_page_costs_the_same_queries_with_ten_times_more_people(hr_client, team, django_assert_num_queries):
    with django_assert_num_queries(PEOPLE_PAGE_QUERIES + 1):  # the plan targets, kept for the next requests
        hr_client.get(reverse(PAGE))
    with django_assert_num_queries(PEOPLE_PAGE_QUERIES + 1):  # the manager filter looks the manager up
        hr_client.get(reverse(PAGE), {"manager": "mona@example.com", "plan": "yes", "result": "yes", "sort": "-role"})

    more_people(50, manager=team["mona"])
    with django_assert_num_queries(PEOPLE_PAGE_QUERIES):
        response = hr_client.get(reverse(PAGE))
    assert len(response.context["people"]) == 50
    with django_assert_num_queries(PEOPLE_PAGE_QUERIES + 1):
        hr_client.get(reverse(PAGE), {"manager": "mona@example.com", "plan": "yes", "result": "yes", "sort": "-role"})


def test_only_hr_sees_the_people_page(client, team):
    client.force_login(team["ada"])

    assert client.get(reverse(PAGE)).status_code == 403
