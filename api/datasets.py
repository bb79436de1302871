"""The datasets: one query (and serializer) per collection, shared by the API and open data.

``rows(user)`` applies the public policy (agreements/public.py) for that user; the API views
filter and paginate the result, the open-data downloads write all of it. Each runs a fixed
number of queries (tests/test_api_query_counts.py).
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from agreements.models import (
    Action,
    Indicator,
    IndicatorValue,
    Jaarschijf,
    Party,
    ProgressUpdate,
    Theme,
)
from agreements.public import readable_rows
from cycle.models import Milestone
from overview.figures import headline_figures
from overview.views import parties_prefetch
from projects.models import Project
from sustainability.models import BatStock, EnergyLabelFigure


def jaarschijven(user):
    queryset = Jaarschijf.objects.select_related("municipality", "previous").order_by("-year")
    return readable_rows(user, queryset, "")


def themes(user):
    queryset = Theme.objects.select_related("jaarschijf").order_by("-jaarschijf__year", "number")
    return readable_rows(user, queryset)


def parties(user):
    slugs = Party.objects.only("pk", "slug")
    return (
        Party.objects.select_related("corporation")
        .prefetch_related(
            Prefetch("members", queryset=slugs), Prefetch("collectives", queryset=slugs)
        )
        .order_by("sort_order", "name")
    )


def actions(user):
    """With the latest update's status and percentage (``with_progress``, as on the pages)."""
    milestones = Milestone.objects.select_related("responsible").order_by(
        "due_date", "sort_order", "pk"
    )
    queryset = (
        Action.objects.with_progress()
        .select_related("jaarschijf", "theme")
        .prefetch_related(parties_prefetch(), Prefetch("milestones", queryset=milestones))
        .order_by("-jaarschijf__year", "number_major", "number_minor")
    )
    return readable_rows(user, queryset)


def progress_updates(user):
    queryset = ProgressUpdate.objects.select_related(
        "action__jaarschijf", "party", "author"
    ).order_by("-created_at", "-pk")
    return readable_rows(user, queryset, "action__jaarschijf")


def projects(user):
    queryset = (
        Project.objects.in_document_order()
        .order_by("-jaarschijf__year", "category_rank", "position")
        .select_related("jaarschijf", "corporation")
        .prefetch_related("breakdowns")
    )
    return readable_rows(user, queryset)


def energy_labels(user):
    queryset = EnergyLabelFigure.objects.select_related("jaarschijf", "corporation").order_by(
        "-jaarschijf__year", "corporation__sort_order", "year"
    )
    return readable_rows(user, queryset)


def bat_stock(user):
    queryset = BatStock.objects.select_related("jaarschijf", "corporation").order_by(
        "-jaarschijf__year", "bat_class", "corporation__sort_order"
    )
    return readable_rows(user, queryset)


def indicators(user):
    values = IndicatorValue.objects.select_related("party").order_by("sort_order", "pk")
    queryset = (
        Indicator.objects.select_related("jaarschijf", "action")
        .prefetch_related(Prefetch("values", queryset=values))
        .order_by("-jaarschijf__year", "sort_order", "pk")
    )
    return readable_rows(user, queryset)


def readable(user) -> list:
    """The jaarschijven this user may read, newest first (one query, filtered in the database)."""
    jaarschijven = Jaarschijf.objects.select_related("municipality").order_by("-year")
    return list(readable_rows(user, jaarschijven, jaarschijf_path=""))


def default_jaarschijf(jaarschijven: list):
    """The dashboard's choice without a ``jaar``: the newest that is not a concept."""
    settled = [j for j in jaarschijven if j.status != Jaarschijf.Status.CONCEPT]
    return (settled or jaarschijven or [None])[0]


def headline_rows(jaarschijf) -> list[dict]:
    """The dashboard's headline figures (overview.figures) with their completeness."""
    rows = headline_figures(jaarschijf)
    for row in rows:
        row["figure"].jaarschijf = jaarschijf  # the one already loaded, not a query per row
    return rows


def energy_label_totals(jaarschijf) -> list[dict]:
    """Per year the EFG sums over the corporations, with how many are unknown (one query)."""
    rows = EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf).totals_per_year()
    return [{"jaarschijf": jaarschijf.year, **row} for row in rows]


def per_jaarschijf(user, compute) -> Iterator[dict]:
    """``compute(jaarschijf)`` for every jaarschijf the user may read, newest first, one
    jaarschijf at a time (a download writes the rows of one before it computes the next)."""
    for jaarschijf in readable(user):
        yield from compute(jaarschijf)
