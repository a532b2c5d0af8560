"""SCIM's error answer (RFC 7644 §3.12): every refusal of the API is one of these, never a page."""

import json

from django.http import HttpResponse

ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
CONTENT_TYPE = "application/scim+json"


class ScimError(Exception):
    """A request SCIM refuses: its HTTP status, SCIM's `scimType` where the RFC names one, and why."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict:
        body = {"schemas": [ERROR_SCHEMA], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def scim_response(data: dict | None, *, status: int = 200, headers: dict | None = None) -> HttpResponse:
    content = b"" if data is None else json.dumps(data, ensure_ascii=False).encode()
    response = HttpResponse(content, status=status, content_type=CONTENT_TYPE, headers=headers)
    if data is None:
        del response["Content-Type"]
    return response


def error_response(error: ScimError) -> HttpResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="careerpath SCIM"'} if error.status == 401 else None
    return scim_response(error.body(), status=error.status, headers=headers)


def bad_request(detail: str, scim_type: str = "invalidValue") -> ScimError:
    return ScimError(400, detail, scim_type)


def not_found(detail: str = "No such resource.") -> ScimError:
    return ScimError(404, detail)
