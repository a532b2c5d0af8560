"""Every refusal is SCIM's error JSON with its status and scimType; no input gives a 500."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from accounts.tests.factories import UserFactory

from .conftest import assert_scim_error

pytestmark = pytest.mark.django_db
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def patch(*operations):
    return {"schemas": [PATCH], "Operations": list(operations)}


@pytest.fixture
def person(db):
    return UserFactory(email="ada@example.com", name="Ada Lovelace")


@pytest.mark.parametrize(
    "raw",
    [b"{", b"", b"[]", b'"text"', b"null", b"\xff\xfe", b"[" * 100_000, b'{"userName": "a@b.c",}'],
    ids=["truncated", "empty", "array", "string", "null", "not-utf8", "deep", "trailing-comma"],
)
def test_a_malformed_body_is_invalid_syntax(scim, person, raw):
    for send, path in ((scim.post, "Users"), (scim.put, f"Users/{person.pk}"), (scim.patch, f"Users/{person.pk}")):
        assert_scim_error(send(path, raw=raw), 400, "invalidSyntax")


@pytest.mark.parametrize(
    "body",
    [
        {"Operations": [{"op": "replace", "path": "active", "value": False}]},  # no schemas
        {"schemas": [PATCH]},
        {"schemas": [PATCH], "Operations": []},
        {"schemas": [PATCH], "Operations": "replace"},
        patch({"op": "move", "path": "active", "value": False}),
        patch({"op": "replace", "path": "active"}),
        patch("replace"),
        patch({"op": "replace", "path": 7, "value": 1}),
    ],
)
def test_a_malformed_patch_is_refused_and_changes_nothing(scim, person, body):
    assert_scim_error(scim.patch(f"Users/{person.pk}", body), 400)
    person.refresh_from_db()
    assert person.is_active


@pytest.mark.parametrize(
    "path",
    ["shoe.size", "shoeSize", "name.nickname", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:shoe",
     'userName[type eq "work"]', "a b", "members"],
)  # fmt: skip
def test_an_unknown_attribute_path_is_invalid_path(scim, person, path):
    assert_scim_error(scim.patch(f"Users/{person.pk}", patch({"op": "replace", "path": path, "value": "x"})), 400,
                      "invalidPath")  # fmt: skip


@pytest.mark.parametrize(
    ("operation", "scim_type"),
    [
        ({"op": "replace", "path": "active", "value": "maybe"}, "invalidValue"),
        ({"op": "replace", "path": "active", "value": 1}, "invalidValue"),
        ({"op": "replace", "path": "userName", "value": "not an address"}, "invalidValue"),
        ({"op": "replace", "path": "userName", "value": "a" * 250 + "@example.com"}, "invalidValue"),
        ({"op": "replace", "path": "displayName", "value": "a" * 151}, "invalidValue"),
        ({"op": "replace", "path": "name.givenName", "value": "a" * 151}, "invalidValue"),
        ({"op": "replace", "path": "externalId", "value": "a" * 256}, "invalidValue"),
        ({"op": "replace", "path": "displayName", "value": "Line\r\nBcc: x@example.com"}, "invalidValue"),
        ({"op": "replace", "path": "displayName", "value": "a\u202eb"}, "invalidValue"),
        ({"op": "replace", "path": "displayName", "value": "a\x00b"}, "invalidValue"),
        ({"op": "replace", "path": "displayName", "value": {"nested": True}}, "invalidValue"),
        ({"op": "remove", "path": "userName"}, "mutability"),
        ({"op": "remove", "path": "active"}, "mutability"),
        ({"op": "remove"}, "noTarget"),
        ({"op": "replace", "path": "id", "value": "9"}, "mutability"),
    ],
)
def test_a_bad_value_is_refused_with_its_scim_type(scim, person, operation, scim_type):
    assert_scim_error(scim.patch(f"Users/{person.pk}", patch(operation)), 400, scim_type)
    person.refresh_from_db()
    assert (person.email, person.name, person.is_active) == ("ada@example.com", "Ada Lovelace", True)


def test_a_name_over_the_limit_once_joined_is_refused(scim, person):
    body = patch(
        {"op": "replace", "path": "name.givenName", "value": "a" * 100},
        {"op": "replace", "path": "name.familyName", "value": "b" * 100},
    )
    assert_scim_error(scim.patch(f"Users/{person.pk}", body), 400, "invalidValue")


@pytest.mark.parametrize(
    "body",
    [{}, {"userName": ""}, {"userName": None}, {"userName": 7}, {"userName": "x"}, {"name": {"givenName": "A"}}],
)
def test_a_user_without_a_valid_user_name_is_not_created(scim, body):
    assert_scim_error(scim.post("Users", body), 400)
    assert User.objects.count() == 1  # the HR member the token belongs to


def test_a_duplicate_user_name_in_any_case_is_a_uniqueness_conflict(scim, person):
    assert_scim_error(scim.post("Users", {"userName": "ADA@example.com"}), 409, "uniqueness")


@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", "9" * 30, "%E2%80%AE1", "١٢", "0x10", "999999"])
def test_an_id_that_is_not_one_of_ours_is_not_found(scim, pk):
    for method in ("get", "put", "patch", "delete"):
        assert_scim_error(getattr(scim, method)(f"Users/{pk}"), 404)
        assert_scim_error(getattr(scim, method)(f"Groups/{pk}"), 404)


@pytest.mark.parametrize(
    "query",
    ['filter=userName ne "a"', 'filter=userName eq "a" or id eq "1"', "filter=shoeSize eq 4", 'filter=userName eq',
     'filter=active eq "yes"', "filter=userName eq 4", "filter=" + "x" * 2000],
)  # fmt: skip
def test_a_filter_this_server_cannot_answer_is_invalid_filter(scim, query):
    assert_scim_error(scim.get(f"Users?{query}"), 400, "invalidFilter")


def test_a_group_filter_this_server_cannot_answer_is_invalid_filter(scim):
    assert_scim_error(scim.get('Groups?filter=shoeSize eq "4"'), 400, "invalidFilter")


@pytest.mark.parametrize("query", ["startIndex=abc", "count=1.5", "count=" + "9" * 30])
def test_paging_parameters_must_be_numbers(scim, query):
    assert_scim_error(scim.get(f"Users?{query}"), 400, "invalidValue")


def test_an_unsupported_method_is_a_scim_405(scim):
    assert_scim_error(scim.delete("Users"), 405)
    assert_scim_error(scim.post("ServiceProviderConfig", {}), 405)


def test_a_body_over_a_megabyte_is_refused(scim):
    body = json.dumps({"userName": "a@b.c", "displayName": "a" * 1_100_000}).encode()
    assert_scim_error(scim.post("Users", raw=body), 413)


def test_group_errors_are_scim_errors(scim, person):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="HR")
    url = f"Groups/{group.pk}"
    members = {"op": "add", "path": "members", "value": [{"value": "abc"}]}
    assert_scim_error(scim.patch(url, patch(members)), 400, "invalidValue")
    unknown = {"op": "add", "path": "members", "value": [{"value": "999999"}]}
    assert_scim_error(scim.patch(url, patch(unknown)), 400, "invalidValue")
    rename = {"op": "replace", "path": "displayName", "value": "Sales"}
    assert_scim_error(scim.patch(url, patch(rename)), 400, "mutability")
    assert_scim_error(scim.patch(url, patch({"op": "replace", "path": "owner", "value": "x"})), 400, "invalidPath")
    assert_scim_error(scim.put(url, {"displayName": "HR", "shoeSize": 4}), 400, "invalidPath")
    assert_scim_error(scim.delete(url), 403)
    assert not person.groups.exists()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
KEYS = st.sampled_from(["op", "path", "value", "Op", "PATH"]) | st.text(max_size=8)
OPERATIONS = st.lists(
    st.dictionaries(KEYS, JSON_VALUES | st.sampled_from(["add", "replace", "remove", "active", "members"]), max_size=3),
    max_size=3,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS, body=st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=5))
def test_any_json_body_is_answered_below_500(scim, person, operations, body):
    from django.contrib.auth.models import Group

    group = Group.objects.get(name="HR")
    for response in (
        scim.patch(f"Users/{person.pk}", {"schemas": [PATCH], "Operations": operations}),
        scim.patch(f"Groups/{group.pk}", {"schemas": [PATCH], "Operations": operations}),
        scim.post("Users", body),
        scim.put(f"Users/{person.pk}", body),
        scim.put(f"Groups/{group.pk}", body),
    ):
        assert response.status_code < 500
        if response.status_code >= 400:
            assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


@pytest.mark.parametrize("path", ["Users/1%00", "Users?filter=userName%20eq%20%22a%00%22", "Groups?count=%00"])
def test_a_nul_in_the_address_is_answered_in_scims_format(scim, path):
    assert_scim_error(scim.get(path), 400, "invalidValue")


@pytest.mark.parametrize("escape", ["\\u0000", "\\ud800", "\\udfff"])
def test_a_nul_or_lone_surrogate_in_a_body_or_filter_is_refused_before_the_database(scim, person, escape):
    raw = ('{"userName": "a' + escape + '@example.com"}').encode()
    assert_scim_error(scim.post("Users", raw=raw), 400, "invalidValue")
    patch_raw = (
        '{"schemas": ["' + PATCH + '"], "Operations": [{"op": "replace", "path": "displayName", '
        '"value": "x' + escape + '"}]}'
    ).encode()
    assert_scim_error(scim.patch(f"Users/{person.pk}", raw=patch_raw), 400, "invalidValue")
    key_raw = ('{"userName": "b@example.com", "x' + escape + '": 1}').encode()
    assert_scim_error(scim.post("Users", raw=key_raw), 400, "invalidValue")
    query = 'filter=userName eq "a' + escape + '"'
    assert_scim_error(scim.get(f"Users?{query}"), 400, "invalidFilter")
    person.refresh_from_db()
    assert person.name == "Ada Lovelace"


def test_ids_of_thousands_of_digits_are_missing_or_invalid_never_a_500(scim, person):
    from django.contrib.auth.models import Group

    digits = "9" * 5000
    assert_scim_error(scim.get(f"Users/{digits}"), 404)
    manager = {"op": "add", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"}
    assert_scim_error(scim.patch(f"Users/{person.pk}", patch({**manager, "value": digits})), 400, "invalidValue")
    group = Group.objects.get(name="HR")
    members = {"op": "add", "path": "members", "value": [{"value": digits}]}
    assert_scim_error(scim.patch(f"Groups/{group.pk}", patch(members)), 400, "invalidValue")
    assert scim.get(f'Users?filter=id eq "{digits[:900]}"').json()["totalResults"] == 0
    assert scim.get(f'Groups?filter=members eq "{digits[:900]}"').json()["totalResults"] == 0
