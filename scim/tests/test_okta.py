"""Okta's provisioning, replayed: look up, create, deactivate, reactivate, replace with a manager, group push."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.tests.factories import UserFactory

from .conftest import filled, provider

pytestmark = pytest.mark.django_db
OKTA = provider("okta")


def create(scim):
    response = scim.post("Users", OKTA["create_user"])
    assert response.status_code == 201, response.content
    return response.json()


def test_okta_looks_the_person_up_then_creates_them(scim):
    lookup = scim.get(OKTA["lookup"]["path"])
    assert lookup.status_code == 200
    assert lookup.json()["totalResults"] == 0
    assert lookup.json()["Resources"] == []

    created = create(scim)

    user = User.objects.get(pk=int(created["id"]))
    assert (user.email, user.name, user.is_active, user.has_usable_password()) == (
        "isaac.brock@example.com",
        "Isaac Brock",
        True,
        False,  # the password Okta sends is not used: people log in through the company, or reset one
    )
    assert created["userName"] == "isaac.brock@example.com"
    assert created["externalId"] == "00ujl29u0le5T6Aj10h7"
    assert created["name"] == {"formatted": "Isaac Brock", "givenName": "Isaac", "familyName": "Brock"}
    assert created["meta"]["location"].endswith(f"/scim/v2/Users/{user.pk}")
    found = scim.get(OKTA["lookup"]["path"]).json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == created["id"]


def test_okta_deactivates_and_reactivates_with_a_patch_without_path(scim):
    created = create(scim)

    off = scim.patch(f"Users/{created['id']}", OKTA["deactivate"])
    assert off.status_code == 200 and off.json()["active"] is False
    assert not User.objects.get(pk=created["id"]).is_active

    on = scim.patch(f"Users/{created['id']}", OKTA["reactivate"])
    assert on.json()["active"] is True
    assert User.objects.get(pk=created["id"]).is_active


def test_okta_replaces_the_profile_with_a_manager_from_the_enterprise_extension(scim):
    created = create(scim)
    manager = UserFactory(email="mona.manager@example.com")

    response = scim.put(f"Users/{created['id']}", filled(OKTA["replace_user"], id=created["id"], manager_id=manager.pk))

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["manager"]["value"] == str(manager.pk)
    user = User.objects.select_related("profile").get(pk=created["id"])
    assert user.profile.manager == manager
    assert user.name == "Isaac Brock-Smith"
    assert "externalId" not in body  # a PUT replaces: what it leaves out is cleared


def test_okta_pushes_and_removes_hr_group_members(scim, hr_admin):
    created = create(scim)
    group = Group.objects.get(name="HR")
    listed = scim.get("Groups?startIndex=1&count=100").json()
    assert [g["displayName"] for g in listed["Resources"]] == ["HR"]

    added = scim.patch(f"Groups/{group.pk}", filled(OKTA["group_add_members"], id=created["id"]))
    assert added.status_code == 200, added.content
    user = User.objects.get(pk=created["id"])
    assert user.groups.filter(name="HR").exists() and user.is_staff
    assert {m["value"] for m in added.json()["members"]} == {str(hr_admin.pk), created["id"]}

    removed = scim.patch(f"Groups/{group.pk}", filled(OKTA["group_remove_member"], id=created["id"]))
    assert removed.status_code == 200
    user.refresh_from_db()
    assert not user.groups.filter(name="HR").exists() and not user.is_staff
    assert hr_admin.groups.filter(name="HR").exists()  # the others stay


def test_okta_renaming_the_group_to_its_own_name_changes_nothing(scim):
    group = Group.objects.get(name="HR")

    response = scim.patch(f"Groups/{group.pk}", filled(OKTA["group_rename_no_change"], group_id=group.pk))

    assert response.status_code == 200
    assert response.json()["displayName"] == "HR"


def test_a_put_clears_what_it_leaves_out_but_keeps_active_as_it_is(scim):
    created = create(scim)
    manager = UserFactory()
    scim.put(f"Users/{created['id']}", filled(OKTA["replace_user"], id=created["id"], manager_id=manager.pk))
    scim.patch(f"Users/{created['id']}", OKTA["deactivate"])

    response = scim.put(f"Users/{created['id']}", {"userName": "isaac.brock@example.com", "displayName": "Isaac B"})

    body = response.json()
    assert body["active"] is False  # left out: stays as it is
    assert "manager" not in body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]
    assert User.objects.get(pk=created["id"]).name == "Isaac B"
