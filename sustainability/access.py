"""Label figures for the entry page: 404 when there are none, 403 when the user may not edit."""

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from agreements.models import Party
from core.access import require_perm
from core.history import BASELINE_REASON

from .models import EnergyLabelFigure


def get_corporation(slug: str) -> Party:
    return get_object_or_404(Party.objects.corporations(), slug=slug)


def label_figures_for_update(user, jaarschijf, corporation) -> list[EnergyLabelFigure]:
    """The corporation's EFG rows of the jaarschijf, if the user may update every one of them."""
    # When it was last changed in the application (not the document's own record).
    changed = (
        EnergyLabelFigure.history.filter(id=OuterRef("pk"))
        .exclude(history_change_reason=BASELINE_REASON)
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    figures = list(
        EnergyLabelFigure.objects.filter(jaarschijf=jaarschijf, corporation=corporation)
        .select_related("jaarschijf", "corporation", "updated_by")
        .annotate(changed_at=Subquery(changed))
        .order_by("year")
    )
    if not figures:
        raise Http404("Geen EFG-cijfers voor deze corporatie in deze jaarschijf.")
    for figure in figures:
        require_perm(user, "sustainability.update_labelfigure", figure)
    return figures


def corporations_for_update(user, jaarschijf) -> list[Party]:
    """The corporations whose EFG rows of the jaarschijf the user may update."""
    ids = (
        EnergyLabelFigure.objects.editable_by(user)
        .filter(jaarschijf=jaarschijf)
        .values("corporation")
    )
    return list(Party.objects.filter(pk__in=ids))


def may_enter_label_figures(user, jaarschijf) -> bool:
    """Whether the navigation offers "EFG invullen" to the user, without a query.

    The no-query twin of ``corporations_for_update`` for the menu on every page: the beheerder
    always, the kernteam and a corporation's medewerker while the jaarschijf is not evaluated.
    The entry pages themselves check the permission per row.
    """
    if not user.is_authenticated or jaarschijf is None:
        return False
    if user.is_beheerder:
        return True
    if jaarschijf.status == jaarschijf.Status.GEEVALUEERD:
        return False
    if user.role == user.Role.KERNTEAMLID:
        return True
    party = user.party
    return (
        user.role == user.Role.MEDEWERKER
        and party is not None
        and party.kind == party.Kind.CORPORATIE
    )
