"""The kernteam's verdicts on the actions: the latest evaluation of each, counted.

Shared by the evaluation report and the workbook's Samenvatting, so both count the same way:
an action without an evaluation is "nog niet beoordeeld"; an action with two leads counts
for both in the tally per lead party.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from agreements.models import ActionParty, Evaluation, EvaluationAssessment
from core import charts
from core.formats import nl_list

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


def verdict_tallies(actions) -> tuple[list[Tally], list[Tally], Tally]:
    """:func:`tallies` of an Action QuerySet from plain values (two queries, no model
    instances): the workbook's Samenvatting, which needs only the counts."""
    leads: dict[int, list[tuple[int, str]]] = {}
    for action_id, sort_order, name in (
        ActionParty.objects.filter(action__in=actions.values("pk"), is_lead=True)
        .order_by("sort_order", "pk")
        .values_list("action_id", "party__sort_order", "party__name")
    ):
        leads.setdefault(action_id, []).append((sort_order, name))
    rows = with_verdict(actions, notes=False).values_list(
        "pk", "verdict", "theme__number", "theme__title"
    )
    return _count(
        (verdict, number, title, leads.get(pk, ())) for pk, verdict, number, title in rows
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
    """Verdicts per theme, per lead party (an action with two leads counts for both), total.

    ``actions`` are Action instances with ``verdict`` (:func:`with_verdict`), their theme and
    their action parties (prefetched).
    """
    return _count(
        (
            action.verdict,
            action.theme.number,
            action.theme.title,
            [
                (row.party.sort_order, row.party.name)
                for row in action.action_parties.all()
                if row.is_lead
            ],
        )
        for action in actions
    )


def _count(actions) -> tuple[list[Tally], list[Tally], Tally]:
    """The tallies of (verdict, theme number, theme title, [(sort order, name) of a lead])."""
    themes: dict = {}
    leads: dict = {}
    overall = Tally("Totaal")
    for verdict, theme_number, theme_title, lead_parties in actions:
        key = verdict or NOT_ASSESSED
        theme = themes.setdefault(theme_number, Tally(f"{theme_number}. {theme_title}"))
        theme.counts[key] += 1
        overall.counts[key] += 1
        for order in lead_parties or [(10_000, "")]:
            name = order[1] or "Geen trekker genoemd"
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
    return f"Oordeel van het kernteam over de {overall.total} afspraken: {nl_list(parts)}."
