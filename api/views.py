"""The base of every API view: the `API-Version` header of the NL API Design Rules."""

from django.conf import settings
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import exceptions
from rest_framework.views import APIView

HTTPS_ONLY = "De API is alleen bereikbaar via https. Gebruik hetzelfde adres met https:// ervoor."


class VersionedAPIMixin:
    """Adds `API-Version` (the full semantic version) to every response, errors included.

    In production (``SECURE``) a request over plain http is refused with a 403 problem+json
    instead of redirected (settings.SECURE_REDIRECT_EXEMPT leaves /api/ to us).
    """

    def initial(self, request, *args, **kwargs):
        if settings.SECURE and not request.is_secure():
            raise exceptions.PermissionDenied(HTTPS_ONLY)
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = settings.API_VERSION
        return response


def path_number(value: str, maximum: int, not_found: str) -> int:
    """A whole number from the path, or the API's 404 (a path is never a 500)."""
    if not value.isdigit() or int(value) > maximum:
        raise exceptions.NotFound(not_found)
    return int(value)


class BaseAPIView(VersionedAPIMixin, APIView):
    pass


class OpenAPIView(VersionedAPIMixin, SpectacularJSONAPIView):
    """The OpenAPI 3 document at /api/v1/openapi.json (public: it describes, it holds no data)."""

    authentication_classes = []
    permission_classes = []


@extend_schema(exclude=True)
class NotFoundView(BaseAPIView):
    """Any path under /api/ that is not an endpoint: a 404 problem+json, for every method."""

    authentication_classes = []
    permission_classes = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # Before the method is looked up: every method gets the 404, never a 405.
        raise exceptions.NotFound("Deze API kent dit adres niet. Zie /api/v1/openapi.json.")
