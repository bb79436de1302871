"""`Authorization: Bearer pa_…` for the API: a party's system acting through its token.

Everywhere in the API: the write endpoints (token only) and the read collections and objects
(token or session). An unknown, revoked or expired token is a 401 with the reason in Dutch
and a ``WWW-Authenticate: Bearer`` challenge (RFC 6750), never an anonymous read; the
request's user becomes the token's technical account (a medewerker of its party, so it reads
what that party's logged-in users read) and ``request.auth`` the token.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from .tokens import TokenRefused, check_token

REALM = "api"


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Ongeldige Authorization-header: gebruik ‘Bearer’, een spatie en het token."
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Onbekend API-token.") from None
        try:
            token = check_token(raw)
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(refused.reason) from None
        return token.account, token

    def authenticate_header(self, request):
        return f'Bearer realm="{REALM}"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """The security scheme in the OpenAPI document."""

    target_class = BearerTokenAuthentication
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "Een API-token van een partij, aangemaakt door de beheerder "
                "(Authorization: Bearer pa_…). Met het token leest een systeem wat een ingelogde "
                "medewerker van die partij leest, en legt het alleen de cijfers van die partij "
                "vast. Een onbekend, ingetrokken of verlopen token krijgt 401, ook bij lezen."
            ),
        }
