"""A result names roles as they were when it was scored; HR may delete one of them later."""

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from roles.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer(catalog):
    return UserFactory(profile__current_role=catalog.roles["engineer"])


def test_a_result_still_reads_after_its_target_role_is_deleted_and_says_so(client, engineer, catalog, make_result):
    result = make_result(engineer, value=3)
    manager = catalog.roles["manager"]
    slug, name = manager.slug, manager.name
    manager.delete()
    client.force_login(engineer)

    response = client.get(result.get_absolute_url(), {"target": slug})

    page = response.content.decode()
    assert response.status_code == 200
    assert f"You and {name}" in page  # the snapshot still has it
    assert f"{name} has been removed from the roles catalog since this result was scored" in page
    assert "no longer in the roles catalog, so there is no plan to make for it" in page
    assert reverse("roles:detail", kwargs={"slug": slug}) not in page
    plan_card = page.split(f"Plan for {name}")[1].split("How this was worked out")[0]
    assert f"target={slug}" not in plan_card  # no "Make a plan" link for it
    assert reverse("roles:list") in plan_card


def test_a_deleted_role_among_the_matches_is_labelled(client, engineer, make_result):
    result = make_result(engineer, value=3)
    client.force_login(engineer)
    matches = client.get(result.get_absolute_url()).context["matches"]
    Role.objects.get(slug=matches[1].slug).delete()

    response = client.get(result.get_absolute_url())

    assert response.context["gone"] == {matches[1].slug}
    assert response.content.decode().count("no longer in the catalog") == 1


def test_roles_still_in_the_catalog_keep_their_links_and_no_note(client, engineer, catalog, make_result):
    result = make_result(engineer, value=3)
    manager = catalog.roles["manager"]
    client.force_login(engineer)

    response = client.get(result.get_absolute_url(), {"target": manager.slug})

    page = response.content.decode()
    assert response.context["gone"] == set()
    assert "removed from the roles catalog" not in page
    assert reverse("roles:detail", kwargs={"slug": manager.slug}) in page
    assert f"Make a plan for {manager.name}" in page
