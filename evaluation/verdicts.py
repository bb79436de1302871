"""The kernteam's verdicts on the actions: the latest evaluation of each, counted.

Shared by the evaluation report and the workbook's Samenvatting, so both count the same way:
an action without an evaluation is "nog niet beoordeeld"; an action with two leads counts
for both in the tally per lead party.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Subquery

from agreements.models import ActionParty, Evaluation, EvaluationAssessment
from core import charts

NOT_ASSESSED = "nog_niet_beoordeeld"

#: How each verdict looks in the chart: a pattern per verdict, never colour alone.
VERDICT_SERIES = [
    charts.Series(EvaluationAssessment.BEHAALD, "Behaald", colour="groen", pattern="solid"),
    charts.Series(
        EvaluationAssessment.DEELS_BEHAALD, "Deels behaald", colour="blauw", pattern="dots"
    ),
    charts.Series(
        EvaluationAssessment.NIET_BEHAALD, "Niet behaald", colour="oranje", pattern="hatch"
    ),
    charts.Series(
        EvaluationAssessment.DOORGESCHOVEN, "Doorgeschoven", colour="petrol", pattern="backhatch"
    ),
    charts.Series(NOT_ASSESSED, "Nog niet beoordeeld", colour="grijs", pattern="outline"),
]
VERDICT_LABELS = {series.key: series.label for series in VERDICT_SERIES}


def with_verdict(actions, *, notes: bool = True):
    """Annotate the latest evaluation: ``verdict`` and (``notes``) ``verdict_explanation``,
    ``verdict_at``."""
    latest = Evaluation.objects.filter(action=OuterRef("pk")).order_by("-created_at", "-pk")
    actions = actions.annotate(verdict=Subquery(latest.values("assessment")[:1]))
    if notes:
        actions = actions.annotate(
            verdict_explanation=Subquery(latest.values("explanation")[:1]),
            verdict_at=Subquery(latest.values("created_at")[:1]),
        )
    return actions


def verdict_actions(actions):
    """``actions`` with only what :func:`tallies` counts: verdict, theme and lead parties
    (two queries)."""
    parties = Prefetch(
        "action_parties",
        queryset=ActionParty.objects.filter(is_lead=True)
        .select_related("party")
        .only("action_id", "is_lead", "party__name", "party__sort_order")
        .order_by("sort_order", "pk"),
    )
    return (
        with_verdict(actions, notes=False)
        .select_related("theme")
        .only("pk", "theme__number", "theme__title")
        .prefetch_related(parties)
    )


@dataclass
class Tally:
    """Verdicts counted for one row (a theme or a lead party)."""

    label: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def cells(self) -> list[int]:
        return [self.counts.get(series.key, 0) for series in VERDICT_SERIES]


def tallies(actions) -> tuple[list[Tally], list[Tally], Tally]:
    """Verdicts per theme, per lead party (an action with two leads counts for both), total."""
    themes: dict = {}
    leads: dict = {}
    overall = Tally("Totaal")
    for action in actions:
        key = action.verdict or NOT_ASSESSED
        theme = themes.setdefault(
            action.theme.number, Tally(f"{action.theme.number}. {action.theme.title}")
        )
        theme.counts[key] += 1
        overall.counts[key] += 1
        lead_parties = [row.party for row in action.action_parties.all() if row.is_lead]
        for party in lead_parties or [None]:
            name = party.name if party else "Geen trekker genoemd"
            order = (party.sort_order, party.name) if party else (10_000, "")
            leads.setdefault(order, Tally(name)).counts[key] += 1
    return (
        [themes[number] for number in sorted(themes)],
        [leads[key] for key in sorted(leads)],
        overall,
    )


def tally_sentence(overall: Tally) -> str:
    if not overall.total:
        return "Deze jaarschijf heeft geen afspraken."
    parts = [
        f"{overall.counts[s.key]} {s.label.lower()}"
        for s in VERDICT_SERIES
        if overall.counts.get(s.key)
    ]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " en " + parts[-1]
    return f"Oordeel van het kernteam over de {overall.total} afspraken: {listed}."
