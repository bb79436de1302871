"""The base of every API view: the `API-Version` header of the NL API Design Rules."""

from django.conf import settings
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.views import APIView


class VersionedAPIMixin:
    """Adds `API-Version` (the full semantic version) to every response, errors included."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = settings.API_VERSION
        return response


class BaseAPIView(VersionedAPIMixin, APIView):
    pass


class OpenAPIView(VersionedAPIMixin, SpectacularJSONAPIView):
    """The OpenAPI 3 document at /api/v1/openapi.json (public: it describes, it holds no data)."""

    authentication_classes = []
    permission_classes = []
