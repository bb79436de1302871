"""Which jaarschijf a request is about.

The year switcher in the header stores the choice in the session; a ``?jaar=`` parameter
overrides it for one request. Without either, the newest jaarschijf that is not a concept is
shown (or the newest at all), so another municipality's data works without configuration.
"""

from django.utils.functional import SimpleLazyObject

from agreements.models import Jaarschijf

SESSION_KEY = "jaarschijf"


def parse_year(value):
    """A plausible year from user input, or None (never an exception, never a huge number)."""
    value = str(value or "").strip()
    if len(value) != 4 or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def select_jaarschijf(request):
    wanted = parse_year(request.GET.get("jaar")) or parse_year(
        request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    )
    jaarschijven = Jaarschijf.objects.select_related("municipality")
    if wanted:
        found = jaarschijven.filter(year=wanted).first()
        if found:
            return found
    return (
        jaarschijven.exclude(status=Jaarschijf.Status.CONCEPT).order_by("-year").first()
        or jaarschijven.order_by("-year").first()
    )


class JaarschijfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.jaarschijf = SimpleLazyObject(lambda: select_jaarschijf(request))
        return self.get_response(request)
