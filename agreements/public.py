"""What a visitor without a login may read when PUBLIC_DASHBOARD is on: one policy, here.

Public: the agreements of every jaarschijf that is not a concept, their status and
percentage (the latest update's), the figures (indicators, projects, EFG, BAT, kerncijfers)
and the evaluation once the jaarschijf is evaluated ("geëvalueerd": the published one).

Not public: progress notes (the toelichting and link of an update) unless their writer marked
them public, evaluations in progress, the names of people (authors, who changed what),
the change history, a project's working note (toelichting), and concept jaarschijven (not
in the year switcher, 404 on their pages). The README's "Openbaar dashboard" says the same.

The API (/api/v1/) and the open-data downloads (/open-data) follow this same policy: an
anonymous caller gets exactly these figures, through ``readable_rows`` for the lists and
``readable_updates`` / ``is_visitor`` for the notes and names; nothing when PUBLIC_DASHBOARD
is off.
"""

from django.db.models import Q
from django.http import Http404

from .models import Jaarschijf


def is_visitor(user) -> bool:
    """Reading without a login (only possible with PUBLIC_DASHBOARD on)."""
    return not getattr(user, "is_authenticated", False)


def readable_jaarschijven(user, jaarschijven):
    """The jaarschijven this user may see: a visitor never sees a concept."""
    if is_visitor(user):
        return [j for j in jaarschijven if j.status != Jaarschijf.Status.CONCEPT]
    return jaarschijven


def readable_rows(user, queryset, jaarschijf_path: str = "jaarschijf"):
    """The QuerySet twin of ``readable_jaarschijven``: rows of a concept jaarschijf are left
    out for a visitor (``jaarschijf_path`` leads from the row to its jaarschijf; empty for jaarschijven)."""
    if is_visitor(user):
        field = f"{jaarschijf_path}__status" if jaarschijf_path else "status"
        return queryset.exclude(**{field: Jaarschijf.Status.CONCEPT})
    return queryset


def readable_jaarschijf_queryset(user, jaarschijven):
    """``readable_jaarschijven`` for a QuerySet: filtered in the database."""
    return readable_rows(user, jaarschijven, jaarschijf_path="")


def require_readable_jaarschijf(user, jaarschijf) -> None:
    """404 for a visitor asking for a page of a concept jaarschijf (as if it did not exist)."""
    if is_visitor(user) and jaarschijf.status == Jaarschijf.Status.CONCEPT:
        raise Http404


def require_published_evaluation(user, jaarschijf) -> None:
    """404 for a visitor asking for an evaluation that is not published yet: only a
    geëvalueerde jaarschijf's evaluation, report and vaststelling are public."""
    if is_visitor(user) and not jaarschijf.is_evaluated:
        raise Http404


def readable_update_condition(user) -> Q | None:
    """The condition on progress updates whose note this user may read (None: all of them)."""
    return Q(is_public=True) if is_visitor(user) else None


def readable_updates(user, updates):
    """The progress updates (a QuerySet) whose note this user may read."""
    condition = readable_update_condition(user)
    return updates if condition is None else updates.filter(condition)


def readable_evaluations(user, jaarschijf, evaluations: list) -> list:
    """The kernteam's evaluations: for a visitor only once the jaarschijf is evaluated."""
    if is_visitor(user) and not jaarschijf.is_evaluated:
        return []
    return evaluations
