"""On a role's catalog page a signed-in person sees how ready they are for it and can make it their target."""

import pytest
from django.urls import reverse

from roles.tests.test_views import DETAIL_QUERIES

pytestmark = pytest.mark.django_db


def role_page(client, catalog, key="manager"):
    return client.get(catalog.roles[key].get_absolute_url())


def test_a_visitor_sees_the_catalog_page_without_a_readiness_panel(client, catalog):
    response = role_page(client, catalog)

    assert response.status_code == 200
    assert "How ready am I" not in response.text


def test_without_a_result_the_panel_points_at_the_self_assessment(client_logged_in, catalog):
    response = role_page(client_logged_in, catalog)

    assert "How ready am I for Engineering Manager?" in response.text
    assert reverse("assessments:home") in response.text
    assert "Make this my target" not in response.text


def test_with_a_result_it_shows_the_readiness_the_result_gives_and_links_into_plan_creation(
    client_logged_in, user, catalog, make_result
):
    make_result(user, 2)
    result = make_result(user, 4)  # the latest counts
    stored = next(r for r in result.data["result"]["readiness"] if r["slug"] == "manager")

    response = role_page(client_logged_in, catalog)

    assert f"<strong>{stored['readiness']} %</strong>" in response.text
    create = reverse("plans:create")
    assert f'href="{create}?result={result.pk}&amp;target=manager">Make this my target</a>' in response.text
    assert f"{reverse('assessments:result', args=[result.pk])}?target=manager" in response.text


def test_the_make_this_my_target_link_opens_the_plan_proposal_toward_the_role(
    client_logged_in, user, catalog, make_result
):
    result = make_result(user, 4)

    response = client_logged_in.get(reverse("plans:create"), {"result": result.pk, "target": "manager"})

    assert response.status_code == 200
    assert "Engineering Manager" in response.text
    assert 'name="m-TOTAL_FORMS"' in response.text


def test_a_role_newer_than_the_result_asks_for_a_new_self_assessment(client_logged_in, user, catalog, make_result):
    result = make_result(user, 3)
    result.data["result"]["readiness"] = [r for r in result.data["result"]["readiness"] if r["slug"] != "manager"]
    result.save(update_fields=["data"])

    response = role_page(client_logged_in, catalog)

    assert "was made before this role was in the catalog" in response.text


@pytest.mark.parametrize("results", [1, 4])
def test_the_signed_in_role_page_adds_one_query_for_the_readiness(
    client, user, catalog, make_result, django_assert_num_queries, results
):
    for value in range(1, results + 1):
        make_result(user, value)
    client.force_login(user)

    # the visitor's page, plus session and user, plus the latest result's readiness list
    with django_assert_num_queries(DETAIL_QUERIES + 3):
        response = client.get(catalog.roles["manager"].get_absolute_url())

    assert response.status_code == 200
