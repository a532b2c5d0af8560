import json
from pathlib import Path

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from scim.services import scim_token_create

FIXTURES = Path(__file__).parent / "fixtures"
SCIM_JSON = "application/scim+json"


def provider(name: str) -> dict:
    """A provider's documented request bodies (fixtures/<name>.json)."""
    return json.loads((FIXTURES / f"{name}.json").read_text())


def filled(body, **values):
    """A fixture body with its {placeholders} filled (ids are known only once the test made them)."""
    text = json.dumps(body)
    for key, value in values.items():
        text = text.replace("{" + key + "}", str(value))
    return json.loads(text)


class Scim:
    """A client that speaks SCIM with a bearer token."""

    def __init__(self, secret: str):
        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def _send(self, method, path, body=None, raw: bytes | None = None):
        url = path if path.startswith("/") else f"/scim/v2/{path}"
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return self.client.generic(method, url, data, content_type=SCIM_JSON)

    def get(self, path):
        return self._send("GET", path)

    def post(self, path, body=None, raw=None):
        return self._send("POST", path, body, raw)

    def put(self, path, body=None, raw=None):
        return self._send("PUT", path, body, raw)

    def patch(self, path, body=None, raw=None):
        return self._send("PATCH", path, body, raw)

    def delete(self, path):
        return self._send("DELETE", path)


@pytest.fixture
def hr_admin(db):
    from accounts.services import hr_member_add

    user = UserFactory(email="harriet.hr@example.com", name="Harriet HR")
    hr_member_add(user=user)
    return user


@pytest.fixture
def token(hr_admin):
    return scim_token_create(name="Okta", created_by=hr_admin)


@pytest.fixture
def scim(token) -> Scim:
    return Scim(token[1])


def assert_scim_error(response, status: int, scim_type: str | None = None):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == SCIM_JSON
    body = response.json()
    assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert body["status"] == str(status)
    assert body["detail"]
    if scim_type is not None:
        assert body.get("scimType") == scim_type, body
    return body
