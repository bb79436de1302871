import time

from django.conf import settings
from django.contrib.auth import logout


class SessionLifetimeMiddleware:
    """End a session after its absolute lifetime, however active it has been.

    The inactivity timeout is Django's own SESSION_COOKIE_AGE renewed on every request.
    """

    KEY = "_session_started_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(self.KEY)
            now = int(time.time())
            if started is None:
                request.session[self.KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)
