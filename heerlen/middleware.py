import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

from core.links import same_site_path

logger = logging.getLogger(__name__)

# The 503 page replaces the response outside the CSP middleware, so it brings its own policy.
UNAVAILABLE_CSP = (
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)


def is_database_unavailable(exception) -> bool:
    return isinstance(exception, (OperationalError, InterfaceError)) or (
        isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
    )


def _remember_database_failure(sender, request=None, **kwargs):
    """A database error inside another middleware never reaches process_exception.

    Django turns it into a 500 response on the spot (and sends this signal while handling
    it), so the request is marked here and the middleware swaps that 500 for the 503 page.
    """
    if request is not None and is_database_unavailable(sys.exc_info()[1]):
        request.database_unavailable = True


got_request_exception.connect(
    _remember_database_failure, dispatch_uid="heerlen.middleware.database_failure"
)


def database_reachable() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def database_unavailable_response() -> HttpResponse:
    # Rendered without the request: its context processors would ask the database again.
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    response["Content-Security-Policy"] = UNAVAILABLE_CSP
    response["X-Frame-Options"] = "DENY"
    return response


class DatabaseUnavailableMiddleware:
    """Answer a Dutch 503 page instead of a traceback while the database cannot be reached.

    Django closes a broken connection at the end of the request, so the next request after the
    database comes back opens a fresh one: no restart needed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "database_unavailable", False):
            return database_unavailable_response()
        # A session that cannot be saved because the database just went away ends in Django's
        # bare 400 (SessionInterrupted), which no signal reports; a quick check tells it apart.
        if response.status_code == 400 and not database_reachable():
            return database_unavailable_response()
        return response

    def process_exception(self, request, exception):
        if is_database_unavailable(exception):
            logger.warning("Database unavailable: %s", exception)
            return database_unavailable_response()
        return None


class BaselineSecurityHeadersMiddleware:
    """The security headers on every response, also those made before the other middleware ran.

    A request with a Host header outside ALLOWED_HOSTS fails inside SecurityMiddleware
    (DisallowedHost); Django answers it with the 400 page right there, and that response
    passes only the middleware outside SecurityMiddleware. Installed first, this fills in what
    is missing (SecurityMiddleware, XFrameOptionsMiddleware and CSPMiddleware set the same
    values on every ordinary response).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY
        )
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault("Content-Security-Policy", UNAVAILABLE_CSP)
        if settings.SECURE_HSTS_SECONDS and request.is_secure():
            hsts = f"max-age={settings.SECURE_HSTS_SECONDS}"
            if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
                hsts += "; includeSubDomains"
            if settings.SECURE_HSTS_PRELOAD:
                hsts += "; preload"
            response.headers.setdefault("Strict-Transport-Security", hsts)
        return response


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on everything a logged-in user is shown.

    Pages and downloads after login carry people's work and names: no shared cache (a proxy,
    a CDN) may keep them, and no browser cache may show them again after logging out.
    Install after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
        return response


class MethodNotAllowedPageMiddleware:
    """A 405 without a body becomes a Dutch page in the site's layout (templates/405.html).

    Every view that only takes a form (``require_POST``, ``require_http_methods``, Django's
    logout) answers a GET with Django's empty ``HttpResponseNotAllowed``: a blank page. Like the
    403 and 404 pages, this one says what happened and links back: to the page the visitor came
    from when that is on this site, and to the dashboard. The status and the ``Allow`` header
    stay; a 405 that already has a body (the API's problem+json) is left alone. Install after
    the middleware the layout needs (user, jaarschijf, messages, the CSP nonce).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and not response.content:
            response.content = render_to_string(
                "405.html", {"back_url": safe_referer(request)}, request=request
            )
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


def safe_referer(request) -> str | None:
    """The page the visitor came from, when it is a page of this site (never another site)."""
    return same_site_path(request.headers.get("Referer", ""), request)
