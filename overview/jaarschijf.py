"""Which jaarschijf a request is about.

The year switcher in the header stores the choice in the session; a ``?jaar=`` parameter
overrides it for one request. Without either, the newest jaarschijf that is not a concept is
shown (or the newest at all), so another municipality's data works without configuration.
"""

from django.utils.functional import SimpleLazyObject

from agreements.models import Jaarschijf
from agreements.public import readable_jaarschijven
from cycle.models import open_wide_milestones

SESSION_KEY = "jaarschijf"


def parse_year(value):
    """A plausible year from user input, or None (never an exception, never a huge number)."""
    value = str(value or "").strip()
    if len(value) != 4 or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def all_jaarschijven():
    """Every jaarschijf, newest first, in one query: the switcher lists them all anyway. Each
    carries its open jaarschijf-wide milestones (the dashboard lists them without a query)."""
    return list(
        Jaarschijf.objects.select_related("municipality")
        .annotate(open_wide_milestones=open_wide_milestones())
        .order_by("-year")
    )


def select_jaarschijf(request, jaarschijven):
    wanted = parse_year(request.GET.get("jaar")) or parse_year(
        request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    )
    if wanted:
        for jaarschijf in jaarschijven:
            if jaarschijf.year == wanted:
                return jaarschijf
    settled = [j for j in jaarschijven if j.status != Jaarschijf.Status.CONCEPT]
    return (settled or jaarschijven or [None])[0]


class JaarschijfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A visitor without a login (PUBLIC_DASHBOARD) never sees a concept jaarschijf.
        request.jaarschijven = SimpleLazyObject(
            lambda: readable_jaarschijven(request.user, all_jaarschijven())
        )
        request.jaarschijf = SimpleLazyObject(
            lambda: select_jaarschijf(request, request.jaarschijven)
        )
        return self.get_response(request)
