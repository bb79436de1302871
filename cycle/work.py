"""What a party has to do: the content of Mijn werk and of the reminder digests."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from agreements.models import CLOSED_STATUSES, Action, IndicatorValue

from .models import UPCOMING_DAYS, Milestone, ReportingRound, today
from .rounds import open_asks_for_party


def milestones_of(party):
    return Milestone.objects.for_party(party).select_related(
        "action__jaarschijf", "responsible", "jaarschijf"
    )


def work_for(user, jaarschijf, *, on: date | None = None) -> dict:
    """Everything Mijn werk lists for the user's party, each with the form that settles it."""
    from sustainability.models import EnergyLabelFigure

    party = user.party
    on = on or today()
    milestones = list(milestones_of(party).due_or_overdue(on).order_by("due_date", "pk"))
    editable = set(
        Milestone.objects.filter(pk__in=[m.pk for m in milestones])
        .editable_by(user)
        .values_list("pk", flat=True)
    )
    for milestone in milestones:
        milestone.can_edit = milestone.pk in editable
    stale = list(
        Action.objects.filter(jaarschijf=jaarschijf)
        .involving(party, lead_only=True)
        .with_progress()
        .exclude(current_status__in=CLOSED_STATUSES)
        .stale()
        .select_related("jaarschijf")
    )
    figures = [
        {
            "label": f"{value.indicator.name} {value.period}",
            "detail": f"Afspraak {value.indicator.action.number}",
            "url": reverse("agreements:indicator-realisation", args=[value.pk]),
            "link_text": "Realisatie invullen",
        }
        for value in IndicatorValue.objects.filter(
            indicator__jaarschijf=jaarschijf, party=party, realised__isnull=True
        ).select_related("indicator__action")
    ]
    if EnergyLabelFigure.objects.filter(
        jaarschijf=jaarschijf, corporation=party, year=jaarschijf.year
    ).exists():
        figures.insert(
            0,
            {
                "label": f"EFG-labels {jaarschijf.year}",
                "detail": "Realisatie van het aantal woningen met een E-, F- of G-label",
                "url": reverse("sustainability:labelfigure-entry", args=[party.slug]),
                "link_text": "EFG-realisatie invullen",
            },
        )
    from accounts.predicates import is_beheerder, is_kernteamlid

    managed_rounds = []
    if is_kernteamlid(user) or is_beheerder(user):
        # The kernteam follows its rounds from here: "x van y aangeleverd" per party.
        managed_rounds = list(ReportingRound.objects.open().filter(jaarschijf=jaarschijf))
    return {
        "party": party,
        "managed_rounds": managed_rounds,
        "jaarschijf": jaarschijf,
        "round_asks": open_asks_for_party(party),
        "overdue": [m for m in milestones if m.due_date < on],
        "upcoming": [m for m in milestones if m.due_date >= on],
        "upcoming_days": UPCOMING_DAYS,
        "stale": stale,
        "figures": figures,
        "today": on,
    }
