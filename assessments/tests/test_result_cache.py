"""The result page's kept content ({% cache %} in result_detail.html, keyed as assessments.views.ResultView
says) and its kept outline (assessments.selectors.result_page_data): nobody is shown another person's
result, and nobody is shown a rendering older than the catalog or their time zone."""

import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accounts.time_zones import SESSION_KEY as TIME_ZONE_SESSION_KEY
from roles.cache import catalog_changed
from roles.models import Role

pytestmark = pytest.mark.django_db

BODY_TEMPLATE = "assessments/_result_page.html"


def without_tokens(response) -> str:
    """The page without its CSRF tokens (the log-out form's), which are masked anew every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def body_rendered(response) -> bool:
    return BODY_TEMPLATE in [t.name for t in response.templates]


@pytest.fixture
def engineer(catalog):
    return UserFactory(profile__current_role=catalog.roles["engineer"])


def test_the_second_visit_is_served_from_the_kept_rendering(client, engineer, make_result):
    result = make_result(engineer, value=3)
    client.force_login(engineer)

    first = client.get(result.get_absolute_url())
    second = client.get(result.get_absolute_url())

    assert body_rendered(first) and not body_rendered(second)
    assert without_tokens(second) == without_tokens(first)


def test_someone_else_asking_for_a_kept_result_gets_404(client, engineer, catalog, make_result):
    result = make_result(engineer, value=3)
    client.force_login(engineer)
    client.get(result.get_absolute_url())  # kept now
    client.get(result.get_absolute_url(), {"target": catalog.roles["manager"].slug})
    stranger = UserFactory(profile__current_role=catalog.roles["engineer"])
    client.force_login(stranger)

    assert client.get(result.get_absolute_url()).status_code == 404
    assert client.get(result.get_absolute_url(), {"target": catalog.roles["manager"].slug}).status_code == 404


def test_each_person_sees_their_own_result_after_the_others_was_kept(client, catalog, make_result):
    low, high = (UserFactory(profile__current_role=catalog.roles["engineer"]) for _ in range(2))
    low_result, high_result = make_result(low, value=1), make_result(high, value=5)
    client.force_login(low)
    low_page = client.get(low_result.get_absolute_url()).content
    client.force_login(high)

    high_page = client.get(high_result.get_absolute_url())

    assert body_rendered(high_page)
    assert high_page.content != low_page
    assert f"result={high_result.pk}&amp;" in high_page.content.decode()
    assert f"result={low_result.pk}&amp;" not in high_page.content.decode()


def test_a_catalog_change_renders_the_result_again(client, engineer, make_result):
    result = make_result(engineer, value=3)
    client.force_login(engineer)
    client.get(result.get_absolute_url())

    catalog_changed()
    response = client.get(result.get_absolute_url())

    assert body_rendered(response)


def test_a_role_deleted_after_the_result_was_kept_is_labelled_at_once(client, engineer, catalog, make_result):
    """Even when the role is deleted without the catalog's version changing (straight through the ORM)."""
    result = make_result(engineer, value=3)
    manager = catalog.roles["manager"]
    client.force_login(engineer)
    assert (
        "has been removed from the roles catalog"
        not in client.get(result.get_absolute_url(), {"target": manager.slug}).content.decode()
    )

    Role.objects.filter(pk=manager.pk).delete()
    response = client.get(result.get_absolute_url(), {"target": manager.slug})

    assert response.context["gone"] == {manager.slug}
    assert f"{manager.name} has been removed from the roles catalog" in response.content.decode()


def test_the_submission_time_follows_a_change_of_time_zone(client, engineer, make_result):
    result = make_result(engineer, value=3)
    client.force_login(engineer)
    client.get(result.get_absolute_url())  # kept, in UTC
    session = client.session
    session[TIME_ZONE_SESSION_KEY] = "Asia/Tokyo"
    session.save()

    page = client.get(result.get_absolute_url()).content.decode()

    tokyo = timezone.localtime(result.created_at, timezone=ZoneInfo("Asia/Tokyo"))
    assert f"{tokyo:%H:%M} JST" in page


def test_an_unknown_target_is_explained_every_time_and_not_kept(client, engineer, make_result):
    result = make_result(engineer, value=3)
    client.force_login(engineer)

    responses = [client.get(result.get_absolute_url(), {"target": "no-such-role"}) for _ in range(2)]

    assert all(body_rendered(r) for r in responses)
    assert all("was not part of the catalog when this result was scored" in r.content.decode() for r in responses)


def test_a_kept_result_that_was_deleted_answers_404(client, engineer, make_result):
    result = make_result(engineer, value=3)
    client.force_login(engineer)
    client.get(result.get_absolute_url())  # kept now

    type(result).objects.filter(pk=result.pk).delete()

    assert client.get(result.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("target", [None, "manager"])
def test_a_page_seen_again_reads_the_row_without_its_stored_data(
    client, engineer, catalog, make_result, django_assert_num_queries, target
):
    result = make_result(engineer, value=3)
    client.force_login(engineer)
    asked = {"target": catalog.roles[target].slug} if target else {}
    client.get(result.get_absolute_url(), asked)

    # session, user, the result (without its 40 KB of data), which of the roles it shows the catalog still has
    with django_assert_num_queries(4):
        response = client.get(result.get_absolute_url(), asked)

    assert not body_rendered(response)
    assert "data" in response.context["result"].get_deferred_fields()


def test_another_target_of_a_kept_result_reads_its_data_once_to_render(
    client, engineer, catalog, make_result, django_assert_num_queries
):
    result = make_result(engineer, value=3)
    client.force_login(engineer)
    shown = client.get(result.get_absolute_url()).context["target_slug"]  # kept now: the outline, this content
    other = next(role for role in catalog.roles.values() if role.slug != shown)

    # session, user, the result, the roles still in the catalog, then its stored data for the new rendering
    with django_assert_num_queries(5):
        response = client.get(result.get_absolute_url(), {"target": other.slug})

    assert body_rendered(response)
    assert f"You and {other.name}" in response.content.decode()
