"""Lists page with startIndex and count and cost the same few queries however many people there are;
the discovery endpoints describe what the server supports."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import Profile
from accounts.services import hr_member_add
from accounts.tests.factories import UserFactory
from scim.models import ScimIdentity

pytestmark = pytest.mark.django_db


def people(n, manager=None):
    made = UserFactory.create_batch(n)
    for user in made:
        ScimIdentity.objects.create(user=user, external_id=f"dir-{user.pk}")
    if manager is not None:
        Profile.objects.filter(user__in=made).update(manager=manager)
    return made


def test_paging_follows_start_index_and_count(scim, hr_admin):
    made = people(5)
    everyone = [hr_admin, *made]

    page = scim.get("Users?startIndex=2&count=2").json()

    assert page["totalResults"] == 6
    assert page["startIndex"] == 2 and page["itemsPerPage"] == 2
    assert [r["id"] for r in page["Resources"]] == [str(u.pk) for u in everyone[1:3]]
    assert scim.get("Users?startIndex=0&count=-4").json()["startIndex"] == 1  # below 1 reads as 1
    assert scim.get("Users?count=0").json() | {"Resources": None} == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 6,
        "startIndex": 1,
        "itemsPerPage": 0,
        "Resources": None,
    }
    assert scim.get("Users?startIndex=100").json()["Resources"] == []
    assert len(scim.get("Users?count=100000").json()["Resources"]) == 6


@pytest.mark.parametrize("n", [3, 30])
def test_the_user_list_costs_three_queries_whatever_its_length(scim, hr_admin, n, django_assert_num_queries):
    people(n, manager=hr_admin)
    scim.get("ServiceProviderConfig")  # the token's last use is written once a minute, not here

    with django_assert_num_queries(3):  # the token, the count, the page (people, profiles, directory ids)
        response = scim.get("Users?count=100")

    assert len(response.json()["Resources"]) == n + 1


def test_a_filtered_look_up_costs_three_queries(scim, django_assert_num_queries):
    people(3)
    scim.get("ServiceProviderConfig")

    with django_assert_num_queries(3):
        scim.get('Users?filter=userName eq "nobody@example.com"')


@pytest.mark.parametrize("n", [2, 20])
def test_the_hr_group_costs_three_queries_whatever_its_size(scim, n, django_assert_num_queries):
    for user in people(n):
        hr_member_add(user=user)
    group = Group.objects.get(name="HR")
    scim.get("ServiceProviderConfig")

    with django_assert_num_queries(3):  # the token, the group, its members
        response = scim.get(f"Groups/{group.pk}")

    assert len(response.json()["members"]) == n + 1


def test_the_user_resource_has_every_attribute_providers_read(scim, hr_admin):
    (user,) = people(1, manager=hr_admin)

    resource = scim.get(f"Users/{user.pk}").json()

    assert resource["schemas"] == [
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    ]
    assert resource["id"] == str(user.pk)
    assert resource["userName"] == user.email
    assert resource["emails"] == [{"value": user.email, "type": "work", "primary": True}]
    assert resource["externalId"] == f"dir-{user.pk}"
    assert resource["active"] is True
    manager = resource["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]
    assert manager["value"] == str(hr_admin.pk)
    assert resource["meta"]["resourceType"] == "User"


def test_the_discovery_endpoints_describe_users_groups_and_patch(scim):
    config = scim.get("ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["filter"] == {"supported": True, "maxResults": 200}
    assert config["bulk"]["supported"] is False
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"

    types = scim.get("ResourceTypes").json()
    assert [t["id"] for t in types["Resources"]] == ["User", "Group"]
    assert types["Resources"][0]["schemaExtensions"][0]["schema"].endswith("enterprise:2.0:User")

    schemas = scim.get("Schemas").json()
    assert [s["name"] for s in schemas["Resources"]] == ["User", "EnterpriseUser", "Group"]
    user_schema = schemas["Resources"][0]
    assert {a["name"] for a in user_schema["attributes"]} >= {"userName", "name", "emails", "active", "externalId"}


def test_answers_are_scim_json_and_never_cached(scim):
    response = scim.get("Users")

    assert response["Content-Type"] == "application/scim+json"
    assert "no-store" in response["Cache-Control"]


def test_count_is_capped_at_the_servers_maximum(scim, monkeypatch):
    from scim import schemas

    people(4)
    monkeypatch.setattr(schemas, "MAX_RESULTS", 2)

    page = scim.get("Users?count=100").json()

    assert page["itemsPerPage"] == 2 and page["totalResults"] == 5
