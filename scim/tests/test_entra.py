"""Microsoft Entra ID's provisioning, replayed: capitalised ops, "False" strings, value-filter paths,
the manager as a bare id, groups looked up by name and by member."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.tests.factories import UserFactory

from .conftest import assert_scim_error, filled, provider

pytestmark = pytest.mark.django_db
ENTRA = provider("entra")
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def create(scim):
    response = scim.post("Users", ENTRA["create_user"])
    assert response.status_code == 201, response.content
    return response.json()


def test_entra_creates_a_person_found_by_user_name_external_id_and_work_email(scim):
    assert scim.get(ENTRA["lookup"]["path"]).json()["totalResults"] == 0

    created = create(scim)

    for lookup in ("lookup", "lookup_external_id", "lookup_email"):
        found = scim.get(ENTRA[lookup]["path"]).json()
        assert [r["id"] for r in found["Resources"]] == [created["id"]], lookup
    assert created["name"]["formatted"] == "givenName familyName"
    assert created["externalId"] == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"


def test_creating_the_same_user_name_again_is_a_uniqueness_conflict(scim):
    create(scim)

    assert_scim_error(scim.post("Users", ENTRA["create_user"]), 409, "uniqueness")
    assert User.objects.filter(email__startswith="test_user_").count() == 1


def test_entra_updates_with_filtered_paths_and_ignores_what_careerpath_does_not_keep(scim):
    created = create(scim)

    response = scim.patch(f"Users/{created['id']}", ENTRA["update_attributes"])

    assert response.status_code == 200, response.content
    assert User.objects.get(pk=created["id"]).name == "givenName updatedFamilyName"


def test_entra_updates_without_a_path_with_dotted_keys(scim):
    created = create(scim)

    response = scim.patch(f"Users/{created['id']}", ENTRA["update_without_path"])

    assert response.status_code == 200, response.content
    assert User.objects.get(pk=created["id"]).name == "Ada Lovelace"


def test_entra_changes_the_user_name_and_the_log_in_address_follows(scim):
    created = create(scim)

    response = scim.patch(f"Users/{created['id']}", ENTRA["update_user_name"])

    assert response.json()["userName"] == "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"
    assert User.objects.get(pk=created["id"]).email == "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"


def test_changing_the_user_name_to_someone_elses_is_a_uniqueness_conflict(scim):
    created = create(scim)
    UserFactory(email="5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com")

    assert_scim_error(scim.patch(f"Users/{created['id']}", ENTRA["update_user_name"]), 409, "uniqueness")


def test_entra_adds_and_removes_the_manager_as_a_bare_id(scim):
    created = create(scim)
    manager = UserFactory()

    added = scim.patch(f"Users/{created['id']}", filled(ENTRA["add_manager"], manager_id=manager.pk))
    assert added.json()[ENTERPRISE]["manager"]["value"] == str(manager.pk)
    assert User.objects.get(pk=created["id"]).profile.manager == manager

    removed = scim.patch(f"Users/{created['id']}", ENTRA["remove_manager"])
    assert "manager" not in removed.json()[ENTERPRISE]
    assert User.objects.get(pk=created["id"]).profile.manager is None


def test_a_manager_loop_or_an_unknown_manager_is_refused(scim):
    created = create(scim)
    report = UserFactory()
    report.profile.manager_id = int(created["id"])
    report.profile.save()

    loop = scim.patch(f"Users/{created['id']}", filled(ENTRA["add_manager"], manager_id=report.pk))
    assert "loop" in assert_scim_error(loop, 400, "invalidValue")["detail"]
    assert_scim_error(scim.patch(f"Users/{created['id']}", filled(ENTRA["add_manager"], manager_id=99999)), 400)
    assert_scim_error(scim.patch(f"Users/{created['id']}", filled(ENTRA["add_manager"], manager_id=created["id"])), 400)
    assert User.objects.get(pk=created["id"]).profile.manager is None


def test_entra_disables_with_the_string_false_and_enables_with_true(scim):
    created = create(scim)

    assert scim.patch(f"Users/{created['id']}", ENTRA["disable"]).json()["active"] is False
    assert not User.objects.get(pk=created["id"]).is_active
    assert scim.patch(f"Users/{created['id']}", ENTRA["enable"]).json()["active"] is True


def test_entra_finds_the_hr_group_by_name_and_by_member_then_adds_and_removes(scim):
    created = create(scim)
    group = Group.objects.get(name="HR")

    found = scim.get(ENTRA["group_lookup"]["path"]).json()
    assert [g["id"] for g in found["Resources"]] == [str(group.pk)]
    assert "members" not in found["Resources"][0]
    has_member = filled(ENTRA["group_has_member"], group_id=group.pk, id=created["id"])["path"]
    assert scim.get(has_member).json()["totalResults"] == 0

    scim.patch(f"Groups/{group.pk}", filled(ENTRA["group_add_member"], id=created["id"]))
    assert scim.get(has_member).json()["totalResults"] == 1

    scim.patch(f"Groups/{group.pk}", filled(ENTRA["group_remove_member"], id=created["id"]))
    assert scim.get(has_member).json()["totalResults"] == 0
    assert not User.objects.get(pk=created["id"]).groups.exists()


def test_entra_creating_the_hr_group_is_told_it_exists(scim):
    assert_scim_error(scim.post("Groups", ENTRA["create_group"]), 409, "uniqueness")
    assert_scim_error(scim.post("Groups", {**ENTRA["create_group"], "displayName": "Sales"}), 403)
    assert Group.objects.count() == 1
