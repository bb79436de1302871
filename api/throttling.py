"""Rate limit per API token (settings.API_TOKEN_RATE, e.g. "120/minute"), reads and writes alike.

The counts live in the "api-throttle" cache, Django's database cache: shared by every
gunicorn worker (a per-process memory cache would let each worker count on its own).
"""

import math

from django.conf import settings
from django.core.cache import caches
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken

THROTTLE_CACHE = "api-throttle"


class TokenRateThrottle(SimpleRateThrottle):
    scope = "api_token"

    def __init__(self):
        self.cache = caches[THROTTLE_CACHE]
        super().__init__()

    def get_rate(self):
        # Read when the throttle is made, not when the class is loaded: settings may change.
        return settings.API_TOKEN_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None  # no token, no limit of ours
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class TokenThrottled(exceptions.Throttled):
    def __init__(self, wait: float):
        seconds = max(1, math.ceil(wait or 0))
        super().__init__(
            detail=f"Te veel verzoeken met dit API-token. Probeer het over {seconds} seconden "
            "opnieuw."
        )
        self.wait = seconds


class TokenThrottleMixin:
    """For an API view: counts each token's requests, refuses the excess in Dutch (429)."""

    throttle_classes = [TokenRateThrottle]

    def throttled(self, request, wait):
        raise TokenThrottled(wait)
