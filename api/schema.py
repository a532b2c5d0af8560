"""The OpenAPI schema (drf-spectacular): every operation also documents the errors it can answer,
in the one shape api.exceptions gives them, so a client (and the schemathesis test) can rely on it."""

from drf_spectacular import openapi
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(required=False, help_text="For 400: each bad field or parameter, with why.")


ERRORS = {
    "400": "A parameter or the body is not valid (see errors).",
    "401": "No valid credentials: the token is unknown or revoked.",
    "403": "Not allowed: a read-only token writing, not HR, or a session write without its CSRF token.",
    "404": "No such object, or not one you may see.",
    "406": "The Accept header asks for something other than JSON.",
}
WRITE_ERRORS = {"415": "The body is not JSON."}


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {**ERRORS, **(WRITE_ERRORS if self.method in ("POST", "PUT", "PATCH") else {})}
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses


SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
MAX_ID = 2**63 - 1


def path_parameter_bounds(result, generator, request, public):
    """A postprocessing hook: the path parameters say what their URL converters accept (a slug's characters,
    an id from 0 up), so what the schema allows is what the URLs match."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "path":
                    continue
                schema = parameter.setdefault("schema", {})
                if schema.get("type") == "integer":
                    schema.update(minimum=0, maximum=MAX_ID)
                elif parameter["name"] == "slug":
                    schema.update(pattern=SLUG_PATTERN, maxLength=50)
    return result
