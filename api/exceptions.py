"""Every error the API answers has one shape: `{"detail": "...", "errors": {...}}` (errors only for 400)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from roles.catalog_io import CatalogError


def exception_handler(exc, context):
    if isinstance(exc, CatalogError):
        exc = exceptions.ValidationError({"catalog": exc.errors})
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if response.status_code == status.HTTP_400_BAD_REQUEST:
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": "The request is not valid: see errors.", "errors": errors}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": str(response.data)}
    return response


def error_response(status_code: int, detail: str) -> Response:
    return Response({"detail": detail}, status=status_code)
