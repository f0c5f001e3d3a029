"""Errors as RFC 9457 problem details (``application/problem+json``), messages in the client's language.

DRF's own exceptions, Django's ``PermissionDenied``/``Http404`` and the services' ``ValidationError`` all become
``{"type", "title", "status", "detail"}`` (and ``errors`` for invalid fields).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_TYPE = "https://eservices.secm.example/problems/"  # a name for the kind of problem, not fetched


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource has changed since you read it."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = "Send If-Match with the ETag you read."
    default_code = "precondition_required"


def _titles():
    return {
        400: _("Invalid request"),
        401: _("Authentication required"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        412: _("Precondition failed"),
        415: _("Unsupported media type"),
        422: _("Unprocessable content"),
        428: _("Precondition required"),
        429: _("Too many requests"),
    }


def problem(status_code, code, detail, *, errors=None, headers=None):
    """A problem details answer."""
    body = {
        "type": PROBLEM_TYPE + code,
        "title": _titles().get(status_code, _("Error")),
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    response = Response(
        body, status=status_code, headers=headers, content_type="application/problem+json; charset=utf-8"
    )
    return response


def exception_handler(exc, context):
    """DRF's exception handler, answering problem details."""
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        code = getattr(exc, "code", None) or "invalid"
        detail = "; ".join(str(message) for messages in errors.values() for message in messages)
        return problem(422, str(code), detail, errors=errors)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    errors = None
    if isinstance(exc, exceptions.ValidationError):
        errors, detail, code = data, _("Some fields are not valid."), "invalid"
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else str(data)
        code = getattr(getattr(exc, "detail", None), "code", None) or exc.default_code
    headers = {key: value for key, value in response.items() if key in ("WWW-Authenticate", "Retry-After", "Allow")}
    return problem(response.status_code, str(code), detail, errors=errors, headers=headers)


class IdempotencyKeyRequired(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Send an Idempotency-Key header (at most 255 characters) with every POST."
    default_code = "idempotency_key_required"


def unprocessable(field, message):
    """An invalid request the serializer could not see (a party of another case file, say)."""
    return exceptions.ValidationError({field: [message]})
