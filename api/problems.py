"""Errors as RFC 9457 problem details (application/problem+json), in Dutch.

Every refusal of the API goes through `exception_handler`: DRF's own handler decides the
status code and headers (WWW-Authenticate, Retry-After), we only give the body its shape:
``{"type", "title", "status", "detail"}`` plus ``"invalidParams"`` for validation errors
(the NL API Design Rules' name for the field errors).
"""

from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    status.HTTP_400_BAD_REQUEST: "Ongeldig verzoek",
    status.HTTP_401_UNAUTHORIZED: "Niet aangemeld",
    status.HTTP_403_FORBIDDEN: "Geen toegang",
    status.HTTP_404_NOT_FOUND: "Niet gevonden",
    status.HTTP_405_METHOD_NOT_ALLOWED: "Methode niet toegestaan",
    status.HTTP_406_NOT_ACCEPTABLE: "Formaat niet beschikbaar",
    status.HTTP_409_CONFLICT: "Conflict",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "Mediatype niet ondersteund",
    status.HTTP_429_TOO_MANY_REQUESTS: "Te veel verzoeken",
}

#: The body could not be read as JSON (every parser of the API is DRF's JSONParser).
NOT_JSON = (
    "De inhoud is geen geldige JSON: controleer aanhalingstekens, komma's en haakjes, en "
    "stuur de tekst als UTF-8. Er is niets opgeslagen."
)


def problem(status_code: int, detail: str, **extra) -> dict:
    """The body of a problem response."""
    return {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Fout"),
        "status": status_code,
        "detail": detail,
        **extra,
    }


def _invalid_params(detail, prefix: str = "") -> list[dict]:
    """Flatten DRF's nested validation errors to [{"name", "reason"}]."""
    params = []
    if isinstance(detail, dict):
        for name, value in detail.items():
            key = f"{prefix}.{name}" if prefix else str(name)
            params.extend(_invalid_params(value, key))
    elif isinstance(detail, list):
        for item in detail:
            params.extend(_invalid_params(item, prefix))
    else:
        params.append({"name": prefix or "nonFieldErrors", "reason": str(detail)})
    return params


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: Django's 500 handling
    if isinstance(exc, exceptions.ParseError):
        # DRF's JSONParser says "JSON parse error - <Python's English message>".
        body = problem(response.status_code, NOT_JSON)
    elif isinstance(exc, exceptions.ValidationError):
        body = problem(
            response.status_code,
            "De invoer is niet geldig.",
            invalidParams=_invalid_params(exc.detail),
        )
    else:
        detail = getattr(exc, "detail", None)
        body = problem(
            response.status_code, str(detail) if detail else TITLES.get(response.status_code, "")
        )
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
