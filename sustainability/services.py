"""Writes on the sustainability figures: realised EFG labels per corporation and year."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from agreements.models import Jaarschijf, Party
from core.access import require_perm
from core.formats import nl_datetime
from core.history import changes_since
from core.versioning import ConflictError, describe_user, save_versioned

from .models import EnergyLabelFigure


@dataclass(frozen=True)
class LabelRealisation:
    """One row of the entry form: which figure, the version the user saw, the new value."""

    figure_id: int
    version: int
    realised: int | None


def _row_conflict_message(figure: EnergyLabelFigure, version: int) -> str:
    changes = changes_since(figure, version)
    if not changes:
        return f"{figure.year}: intussen door iemand anders gewijzigd."
    newest = changes[0]
    fields = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in newest.fields)
    return (
        f"{figure.year}: intussen gewijzigd door {describe_user(newest.user)} op "
        f"{nl_datetime(newest.date)}{f' ({fields})' if fields else ''}."
    )


@transaction.atomic
def record_label_realisations(
    *,
    user,
    jaarschijf: Jaarschijf,
    corporation: Party,
    rows: list[LabelRealisation],
) -> list[EnergyLabelFigure]:
    """Store the realised EFG numbers of one corporation in one jaarschijf: all or nothing.

    Every row names the version the user saw; if any row was saved by someone else since,
    ConflictError is raised with ``by_id`` (figure id -> Dutch message) and no row is saved.
    Returns the figures that changed.
    """
    figures = {
        figure.pk: figure
        for figure in EnergyLabelFigure.objects.select_for_update(of=("self",))
        .select_related("jaarschijf", "corporation")
        .filter(jaarschijf=jaarschijf, corporation=corporation)
    }
    for row in rows:
        figure = figures.get(row.figure_id)
        if figure is None:
            raise ValidationError(
                "Het formulier hoort niet bij deze corporatie of jaarschijf. Open het opnieuw.",
                code="unknown_row",
            )
        require_perm(user, "sustainability.update_labelfigure", figure)
    stale = {
        row.figure_id: _row_conflict_message(figures[row.figure_id], row.version)
        for row in rows
        if figures[row.figure_id].version != row.version
    }
    if stale:
        error = ConflictError(
            "Niet opgeslagen: iemand anders heeft intussen EFG-cijfers van "
            f"{corporation.label} gewijzigd. " + " ".join(stale.values()) + " Controleer uw "
            "invoer en sla opnieuw op als u die wijziging wilt vervangen.",
            current=[figures[pk] for pk in stale],
        )
        error.by_id = stale
        raise error
    changed = []
    for row in rows:
        figure = figures[row.figure_id]
        if save_versioned(
            locked=figure,
            user=user,
            version=row.version,
            changes={"realised": row.realised},
            noun=f"het EFG-cijfer {figure.year}",
        ):
            changed.append(figure)
    return changed
