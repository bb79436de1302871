"""What a reporting round asks of each party, whether it was delivered, and its snapshot.

A round's items expand into *asks*: one per (item, party, subject) — an open action the party
is trekker of, an indicator value of the party, the party's EFG figure, a deliverable. An ask
is delivered when the party's update, realisation or submission was made after the round
opened (and before it closed). The number of queries does not depend on the amount of data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    CLOSED_STATUSES,
    Action,
    ActionParty,
    ActionStatus,
    IndicatorValue,
    Party,
    ProgressUpdate,
)
from core.formats import nl_decimal, nl_number

from .models import ReportingRound, RoundItem, RoundItemKind, Submission


@dataclass
class Ask:
    key: str  # the same subject in another round has the same key ("sinds de vorige rapportage")
    item: str
    kind: str
    party: str
    party_slug: str
    subject: str
    delivered: bool
    value: str
    url: str = ""


def _window(reporting_round: ReportingRound):
    return reporting_round.opened_at, reporting_round.closed_at or timezone.now()


class Members:
    """Each party -> the parties it stands for: itself, or a collective's members.

    Two queries for all parties at once (the party table is small), shared by every item.
    """

    def __init__(self):
        self.parties = {p.pk: p for p in Party.objects.all()}
        self.members = defaultdict(list)
        for collective_id, member_id in Party.members.through.objects.values_list(
            "from_party_id", "to_party_id"
        ):
            self.members[collective_id].append(self.parties[member_id])

    def __getitem__(self, party_id) -> list[Party]:
        party = self.parties[party_id]
        if party.kind == Party.Kind.COLLECTIEF:
            return sorted(self.members[party_id], key=lambda p: (p.sort_order, p.name))
        return [party]


def asked_parties(item: RoundItem) -> list[Party]:
    if item.kind == RoundItemKind.DELIVERABLE:
        return Members()[item.party_id]
    return []


def _action_asks(reporting_round, item, start, end, members) -> list[Ask]:
    actions = {
        a.pk: a
        for a in Action.objects.filter(jaarschijf=reporting_round.jaarschijf)
        .with_progress()
        .exclude(current_status__in=CLOSED_STATUSES)
    }
    leads = list(
        ActionParty.objects.filter(action__in=list(actions), is_lead=True).values_list(
            "action_id", "party_id"
        )
    )
    latest = {}
    for update in ProgressUpdate.objects.filter(
        action__in=list(actions), created_at__gte=start, created_at__lte=end
    ).order_by("created_at", "pk"):
        latest[(update.action_id, update.party_id)] = update
    asks, seen = [], set()
    for action_id, party_id in leads:
        action = actions[action_id]
        for party in members[party_id]:
            if (action_id, party.pk) in seen:
                continue
            seen.add((action_id, party.pk))
            update = latest.get((action_id, party.pk))
            value = ""
            if update is not None:
                value = f"{ActionStatus(update.status).label}, {update.percent_done} %"
                if update.explanation:
                    value += f": {update.explanation}"
            asks.append(
                Ask(
                    key=f"afspraak:{action.number}:{party.slug}",
                    item=item.title,
                    kind=item.kind,
                    party=party.label,
                    party_slug=party.slug,
                    subject=f"Afspraak {action.number}",
                    delivered=update is not None,
                    value=value,
                    url=reverse(
                        "agreements:action-update",
                        args=[reporting_round.jaarschijf.year, action.number],
                    ),
                )
            )
    asks.sort(key=lambda a: (Action.number_parts(a.subject.split()[-1]), a.party))
    return asks


def realised_during(model, rows, start, end) -> set[int]:
    """The rows whose realisation was saved (not empty) between ``start`` and ``end``."""
    return set(
        model.history.filter(
            id__in=[row.pk for row in rows],
            history_date__gte=start,
            history_date__lte=end,
            realised__isnull=False,
        ).values_list("id", flat=True)
    )


def _indicator_asks(reporting_round, items, start, end) -> list[Ask]:
    by_indicator = {item.indicator_id: item for item in items}
    values = list(
        IndicatorValue.objects.filter(indicator__in=list(by_indicator), party__isnull=False)
        .select_related("indicator", "party")
        .order_by("indicator__sort_order", "sort_order", "pk")
    )
    changed = realised_during(IndicatorValue, values, start, end)
    return [
        Ask(
            key=f"kengetal:{v.indicator.code}:{v.period}:{v.party.slug}",
            item=by_indicator[v.indicator_id].title,
            kind=RoundItemKind.INDICATOR,
            party=v.party.label,
            party_slug=v.party.slug,
            subject=f"{v.indicator.name} {v.period}",
            delivered=v.pk in changed,
            value="onbekend" if v.realised is None else nl_decimal(v.realised),
            url=reverse("agreements:indicator-realisation", args=[v.pk]),
        )
        for v in values
    ]


def _efg_asks(reporting_round, item, start, end) -> list[Ask]:
    from sustainability.models import EnergyLabelFigure

    year = reporting_round.period_end.year
    figures = list(
        EnergyLabelFigure.objects.filter(jaarschijf=reporting_round.jaarschijf, year=year)
        .select_related("corporation")
        .order_by("corporation__sort_order")
    )
    changed = realised_during(EnergyLabelFigure, figures, start, end)
    return [
        Ask(
            key=f"efg:{f.corporation.slug}:{year}",
            item=item.title,
            kind=item.kind,
            party=f.corporation.label,
            party_slug=f.corporation.slug,
            subject=f"EFG-labels {year}",
            delivered=f.pk in changed,
            value="onbekend" if f.realised is None else nl_number(f.realised),
            url=reverse("sustainability:labelfigure-entry", args=[f.corporation.slug]),
        )
        for f in figures
    ]


def _deliverable_asks(reporting_round, items, start, end, members) -> list[Ask]:
    latest = {}
    for submission in Submission.objects.filter(
        item__in=items, created_at__gte=start, created_at__lte=end
    ).order_by("created_at", "pk"):
        latest[(submission.item_id, submission.party_id)] = submission
    asks = []
    for item in items:
        for party in members[item.party_id]:
            submission = latest.get((item.pk, party.pk))
            value = ""
            if submission is not None:
                value = submission.text + (
                    f" ({submission.evidence_url})" if submission.evidence_url else ""
                )
            asks.append(
                Ask(
                    key=f"stuk:{item.label}:{party.slug}",
                    item=item.title,
                    kind=item.kind,
                    party=party.label,
                    party_slug=party.slug,
                    subject=item.label,
                    delivered=submission is not None,
                    value=value,
                    url=reverse("cycle:round-submit", args=[item.pk]),
                )
            )
    return asks


def live_asks(reporting_round: ReportingRound) -> list[Ask]:
    """Every ask of the round from the live data (what it says now)."""
    start, end = _window(reporting_round)
    items = list(reporting_round.items.select_related("indicator", "party"))
    asks = []
    indicator_items = [i for i in items if i.kind == RoundItemKind.INDICATOR]
    deliverables = [i for i in items if i.kind == RoundItemKind.DELIVERABLE]
    needs_members = deliverables or any(i.kind == RoundItemKind.OPEN_ACTIONS for i in items)
    members = Members() if needs_members else None
    for item in items:
        if item.kind == RoundItemKind.OPEN_ACTIONS:
            asks += _action_asks(reporting_round, item, start, end, members)
        elif item.kind == RoundItemKind.EFG:
            asks += _efg_asks(reporting_round, item, start, end)
    if indicator_items:
        asks += _indicator_asks(reporting_round, indicator_items, start, end)
    if deliverables:
        asks += _deliverable_asks(reporting_round, deliverables, start, end, members)
    return asks


def asks_of(reporting_round: ReportingRound) -> list[Ask]:
    """The asks as the round's pages show them: the snapshot once closed, else live."""
    if reporting_round.snapshot is not None:
        return [Ask(**row) for row in reporting_round.snapshot["asks"]]
    return live_asks(reporting_round)


@dataclass
class PartyProgress:
    party: str
    party_slug: str
    asked: int
    delivered: int
    asks: list


def per_party(asks: list[Ask]) -> list[PartyProgress]:
    """ "x van y aangeleverd" per party, in the order the parties first appear."""
    groups = defaultdict(list)
    for ask in asks:
        groups[(ask.party, ask.party_slug)].append(ask)
    return [
        PartyProgress(
            party=name,
            party_slug=slug,
            asked=len(rows),
            delivered=sum(1 for a in rows if a.delivered),
            asks=rows,
        )
        for (name, slug), rows in groups.items()
    ]


def build_snapshot(reporting_round: ReportingRound, *, now) -> dict:
    reporting_round.closed_at = now
    return {
        "taken_at": now.isoformat(),
        "asks": [asdict(ask) for ask in live_asks(reporting_round)],
    }


def previous_round(reporting_round: ReportingRound) -> ReportingRound | None:
    """The closed round before this one (any jaarschijf), for "sinds de vorige rapportage"."""
    return (
        ReportingRound.objects.filter(status=ReportingRound.Status.CLOSED)
        .filter(Q(opened_at__lt=reporting_round.opened_at))
        .exclude(pk=reporting_round.pk)
        .order_by("-closed_at", "-pk")
        .first()
    )


def compare(asks: list[Ask], previous: ReportingRound | None) -> dict[str, str]:
    """Per ask key: what the previous round said, when it differs ("" when new or equal)."""
    if previous is None or previous.snapshot is None:
        return {}
    before = {row["key"]: row for row in previous.snapshot["asks"]}
    result = {}
    for ask in asks:
        old = before.get(ask.key)
        if old is None:
            result[ask.key] = "nieuw"
        elif old["value"] != ask.value:
            result[ask.key] = f"was: {old['value'] or 'niet aangeleverd'}"
    return result


def open_asks_for_party(party) -> list[tuple[ReportingRound, Ask]]:
    """What the open rounds still ask of the party (Mijn werk, reminders)."""
    result = []
    for reporting_round in ReportingRound.objects.open().select_related("jaarschijf"):
        for ask in live_asks(reporting_round):
            if ask.party_slug == party.slug and not ask.delivered:
                result.append((reporting_round, ask))
    return result
