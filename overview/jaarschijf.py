"""Which jaarschijf a request is about.

The year switcher in the header stores the choice in the session; a ``?jaar=`` parameter
overrides it for one request. Without either, the newest jaarschijf that is not a concept is
shown (or the newest at all), so another municipality's data works without configuration.
"""

from django.db.models import Q, Subquery
from django.utils.functional import SimpleLazyObject

from agreements.models import Jaarschijf
from agreements.public import is_visitor, readable_jaarschijf_queryset
from core.fragments import kept_value
from cycle.models import open_wide_milestones

SESSION_KEY = "jaarschijf"


def parse_year(value):
    """A plausible year from user input, or None (never an exception, never a huge number)."""
    value = str(value or "").strip()
    if len(value) != 4 or not value.isascii() or not value.isdigit():
        return None
    return int(value)


#: The year switcher in the header lists this many of the newest jaarschijven (plus the one
#: shown and the newest that is not a concept); the page "Alle jaarschijven" lists the rest.
RECENT_IN_SWITCHER = 8


def all_jaarschijven():
    """Every jaarschijf, newest first, in one query."""
    return list(Jaarschijf.objects.select_related("municipality").order_by("-year"))


def switcher_jaarschijven(user, wanted: int | None = None, *, wide_milestones=False) -> list:
    """What the year switcher lists and the selection chooses from, in one query.

    The newest RECENT_IN_SWITCHER jaarschijven this user may read, the newest that is not a
    concept (the default) and the ``wanted`` year: never more, however many there are.
    ``wide_milestones``: each carries its open jaarschijf-wide milestones (the dashboard lists
    them without a query of its own; other pages do not pay for building that subquery).
    """
    # Kept per data revision (core.fragments): every page's header reads it.
    return kept_value(
        "jaarschijven",
        (is_visitor(user), wanted, wide_milestones),
        lambda: _switcher_jaarschijven(user, wanted, wide_milestones),
    )


def _switcher_jaarschijven(user, wanted: int | None, wide_milestones: bool) -> list:
    readable = readable_jaarschijf_queryset(user, Jaarschijf.objects.all())
    recent = readable.order_by("-year").values("year")[:RECENT_IN_SWITCHER]
    settled = (
        readable.exclude(status=Jaarschijf.Status.CONCEPT).order_by("-year").values("year")[:1]
    )
    wanted_q = Q(year=wanted) if wanted else Q(pk__in=[])
    rows = readable.filter(
        Q(year__in=Subquery(recent)) | Q(year=Subquery(settled)) | wanted_q
    ).select_related("municipality")
    if wide_milestones:
        rows = rows.annotate(open_wide_milestones=open_wide_milestones())
    return list(rows.order_by("-year"))


def wanted_year(request):
    return parse_year(request.GET.get("jaar")) or parse_year(
        request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    )


def select_jaarschijf(request, jaarschijven):
    wanted = wanted_year(request)
    if wanted:
        for jaarschijf in jaarschijven:
            if jaarschijf.year == wanted:
                return jaarschijf
    settled = [j for j in jaarschijven if j.status != Jaarschijf.Status.CONCEPT]
    return (settled or jaarschijven or [None])[0]


def shows_wide_milestones(view):
    """Mark a view whose page lists the jaarschijf-wide milestones (``wide_milestones``): its
    jaarschijven then carry them, read in the same query as the year switcher."""
    view.shows_wide_milestones = True
    return view


class JaarschijfMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A visitor without a login (PUBLIC_DASHBOARD) never sees a concept jaarschijf.
        request.jaarschijven = SimpleLazyObject(
            lambda: switcher_jaarschijven(
                request.user,
                wanted_year(request),
                wide_milestones=getattr(request, "shows_wide_milestones", False),
            )
        )
        request.jaarschijf = SimpleLazyObject(
            lambda: select_jaarschijf(request, request.jaarschijven)
        )
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Read when the jaarschijven are first used (in the view): a page that read them
        # earlier still lists its milestones, with one query of ``wide_milestones`` more.
        request.shows_wide_milestones = getattr(view_func, "shows_wide_milestones", False)
