import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from accounts.two_factor import two_factor_required, two_factor_url

SESSION_STARTED_KEY = "_session_started_at"
SESSION_SEEN_KEY = "_session_seen_at"
# Set after a forced logout, so the login page can say why the user is there.
SESSION_EXPIRED_KEY = "_session_expired"


class SessionLifetimeMiddleware:
    """End a session after its absolute lifetime, however active it has been.

    The inactivity timeout is Django's own SESSION_COOKIE_AGE, counted from the last save of
    the session. Saving it on every request would cost a database write per page, so activity
    renews it at most once per SESSION_TOUCH_SECONDS: the idle timeout is exact to that
    interval. The start is stamped at login (accounts.apps) and, for a session that predates
    this middleware, on its first request.
    """

    KEY = SESSION_STARTED_KEY

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(self.KEY)
            now = int(time.time())
            if not isinstance(started, int):
                request.session[self.KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                request.session[SESSION_EXPIRED_KEY] = True
                return self.get_response(request)
            seen = request.session.get(SESSION_SEEN_KEY)
            if not isinstance(seen, int) or now - seen >= settings.SESSION_TOUCH_SECONDS:
                request.session[SESSION_SEEN_KEY] = now  # marks it modified: saved, renewed
        return self.get_response(request)


def stamp_session_start(sender, request, user, **kwargs):
    """Receiver of user_logged_in: the absolute lifetime counts from the login itself."""
    if hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())


class TwoFactorMiddleware:
    """Send a writer who has only given a password to the code page before anything else.

    Only the pages that complete or abandon the login, and the public plain pages, stay open.
    Install after OTPMiddleware and SessionLifetimeMiddleware.
    """

    OPEN_URL_NAMES = frozenset(
        {
            "two-factor-setup",
            "two-factor-verify",
            "logout",
            "healthz",
            "security-txt",
            "accessibility",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and two_factor_required(user) and not self._is_open(request):
            # After the code, a GET continues where it was going; a POST starts afresh.
            next_url = request.get_full_path() if request.method == "GET" else ""
            return redirect(two_factor_url(user, next_url))
        return self.get_response(request)

    def _is_open(self, request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return match.url_name in self.OPEN_URL_NAMES
