"""What a party has to do: the content of Mijn werk and of the reminder digests."""

from __future__ import annotations

from datetime import date

from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Value
from django.urls import reverse

from accounts.predicates import is_beheerder, is_kernteamlid
from agreements.models import CLOSED_STATUSES, Action, IndicatorValue
from sustainability.models import EnergyLabelFigure

from .models import UPCOMING_DAYS, Milestone, today
from .rounds import open_work


def milestones_of(party):
    return Milestone.objects.for_party(party).select_related(
        "action__jaarschijf", "responsible", "jaarschijf"
    )


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def _number(value: int) -> Value:
    return Value(value, output_field=IntegerField())


def open_figures(party, jaarschijf) -> list[dict]:
    """The figures the party still has to deliver: its EFG realisation (a corporation) and
    every indicator value without a realisation. One query: the two lists as one UNION."""
    columns = ("pk", "f_kind", "f_name", "f_period", "f_action", "f_order", "f_sub_order")
    indicator_values = (
        IndicatorValue.objects.filter(
            indicator__jaarschijf=jaarschijf, party=party, realised__isnull=True
        )
        .annotate(
            f_kind=_text("kengetal"),
            f_name=F("indicator__name"),
            f_period=F("period"),
            f_action=F("indicator__action__number"),
            f_order=F("indicator__sort_order"),
            f_sub_order=F("sort_order"),
        )
        .values_list(*columns)
        .order_by()
    )
    label_figure = (
        EnergyLabelFigure.objects.filter(
            jaarschijf=jaarschijf, corporation=party, year=jaarschijf.year
        )
        .annotate(
            f_kind=_text("efg"),
            f_name=_text(""),
            f_period=_text(""),
            f_action=_text(""),
            f_order=_number(0),
            f_sub_order=_number(0),
        )
        .values_list(*columns)
        .order_by()
    )
    figures = []
    for pk, kind, name, period, action, _order, _sub_order in indicator_values.union(
        label_figure, all=True
    ).order_by("f_kind", "f_order", "f_sub_order", "pk"):
        if kind == "efg":
            figures.append(
                {
                    "label": f"EFG-labels {jaarschijf.year}",
                    "detail": "Realisatie van het aantal woningen met een E-, F- of G-label",
                    "url": reverse("sustainability:labelfigure-entry", args=[party.slug]),
                    "link_text": "EFG-realisatie invullen",
                }
            )
        else:
            figures.append(
                {
                    "label": f"{name} {period}",
                    "detail": f"Afspraak {action}",
                    "url": reverse("agreements:indicator-realisation", args=[pk]),
                    "link_text": "Realisatie invullen",
                }
            )
    return figures


def work_for(user, jaarschijf, *, on: date | None = None) -> dict:
    """Everything Mijn werk lists for the user's party, each with the form that settles it.

    A fixed number of queries: the milestones (with the permission twin as an annotation),
    the stale actions, the open figures, and what the open rounds ask (cycle.rounds).
    """
    party = user.party
    on = on or today()
    milestones = milestones_of(party).due_or_overdue(on).order_by("due_date", "pk")
    editable = Milestone.objects.editable_by(user)
    if not editable.query.is_empty():
        milestones = milestones.annotate(can_edit=Exists(editable.filter(pk=OuterRef("pk"))))
    milestones = list(milestones)
    for milestone in milestones:
        milestone.can_edit = getattr(milestone, "can_edit", False)
    stale = list(
        Action.objects.filter(jaarschijf=jaarschijf)
        .involving(party, lead_only=True)
        .with_progress()
        .exclude(current_status__in=CLOSED_STATUSES)
        .stale()
        .select_related("jaarschijf")
    )
    rounds = open_work(party)
    managed_rounds = []
    if is_kernteamlid(user) or is_beheerder(user):
        # The kernteam follows its rounds from here: "x van y aangeleverd" per party.
        managed_rounds = [r for r in rounds.rounds if r.jaarschijf_id == jaarschijf.pk]
    return {
        "party": party,
        "managed_rounds": managed_rounds,
        "jaarschijf": jaarschijf,
        "round_asks": rounds.asks,
        "overdue": [m for m in milestones if m.due_date < on],
        "upcoming": [m for m in milestones if m.due_date >= on],
        "upcoming_days": UPCOMING_DAYS,
        "stale": stale,
        "figures": open_figures(party, jaarschijf),
        "today": on,
    }
