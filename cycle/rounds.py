"""What a reporting round asks of each party, whether it was delivered, and its snapshot.

A round's items expand into *asks*: one per (item, party, subject) — an open action the party
is trekker of, an indicator value of the party, the party's EFG figure, a deliverable. An ask
is delivered when the party's update, realisation or submission was made after the round
opened and by the end of the window: now while the round is open, the end of the deadline day
for the round's report. What an ask *says* is read as of the end of the window too (the
history of a figure), so an edit after the deadline never enters the report.

The number of queries does not depend on the amount of data: one for the items (with each
deliverable's latest submission), one for the trekkers (with their latest update), one per
kind of figure, and for all parties one for the party table.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime, time

from django.db.models import Exists, F, JSONField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import timezone

from accounts.models import WRITING_ROLES, User
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
from core.history import BASELINE_REASON
from sustainability.models import EnergyLabelFigure

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
    url: str = ""  # the form that answers it (for the asked party)
    read_url: str = ""  # the page anyone may read about the subject ("" for a deliverable)
    file_name: str = ""  # a deliverable answered with a file
    file_url: str = ""


def deadline_moment(reporting_round: ReportingRound) -> datetime:
    """The end of the deadline day (local time): the moment the round's report shows."""
    return timezone.make_aware(datetime.combine(reporting_round.deadline, time.max))


def asked_parties(item: RoundItem) -> list[Party]:
    """Who answers a deliverable: its party, or each member of a collective."""
    if item.kind != RoundItemKind.DELIVERABLE:
        return []
    if item.party.kind == Party.Kind.COLLECTIEF:
        return list(item.party.members.order_by("sort_order", "name"))
    return [item.party]


#: The party asked by a row that names a party or a collective: each member of a collective
#: (one row per member through the join), else the party itself.
ASKED = Coalesce(F("party__members"), F("party"))


def _asked(row, parties) -> Party | None:
    """The asked party of a row annotated with ``asked_id``; None for an empty collective."""
    if row.asked_id == row.party_id and row.party.kind == Party.Kind.COLLECTIEF:
        return None
    return parties.get(row.asked_id)


def _items(rounds: Q, end) -> list[RoundItem]:
    """The items of the rounds, a deliverable once per asked party with its latest answer.

    Every asked party's row, also for Mijn werk (``_asked`` leaves out another party's): the
    rows also tell which rounds are open.
    """
    latest = Submission.objects.filter(
        item=OuterRef("pk"),
        party=OuterRef("asked_id"),
        created_at__gte=OuterRef("round__opened_at"),
        created_at__lte=end,
    ).order_by("-created_at", "-pk")
    rows = (
        RoundItem.objects.filter(rounds)
        .annotate(asked_id=ASKED)
        .annotate(
            # The latest answer as one JSON object: one subquery instead of one per column
            # (building and compiling them was most of this query's cost).
            submission=Subquery(
                latest.values(
                    row=JSONObject(
                        id="pk", text="text", url="evidence_url", file_name="original_name"
                    )
                )[:1],
                output_field=JSONField(),
            ),
        )
        .select_related("round__jaarschijf", "indicator", "party")
        .order_by("round", "sort_order", "pk")
    )
    items = list(rows)
    for item in items:
        answer = item.submission or {}
        item.delivered = item.submission is not None
        item.submission_id = answer.get("id")
        item.submission_text = answer.get("text")
        item.submission_url = answer.get("url")
        item.submission_file_name = answer.get("file_name")
    return items


def _action_asks(reporting_round, item, start, end, parties, party=None) -> list[Ask]:
    """The actions open when the round opened, per trekker (each member of a collective)."""
    before = ProgressUpdate.objects.filter(action=OuterRef("action"), created_at__lt=start)
    latest = ProgressUpdate.objects.filter(
        action=OuterRef("action"),
        party=OuterRef("asked_id"),
        created_at__gte=start,
        created_at__lte=end,
    ).order_by("-created_at", "-pk")
    leads = (
        ActionParty.objects.filter(action__jaarschijf=reporting_round.jaarschijf, is_lead=True)
        .annotate(
            asked_id=ASKED,
            status_at_opening=Coalesce(
                Subquery(before.order_by("-created_at", "-pk").values("status")[:1]),
                Value(ActionStatus.NIET_GESTART),
            ),
        )
        .exclude(status_at_opening__in=CLOSED_STATUSES)
        .annotate(
            update_status=Subquery(latest.values("status")[:1]),
            update_percent=Subquery(latest.values("percent_done")[:1]),
            update_explanation=Subquery(latest.values("explanation")[:1]),
        )
        .select_related("action", "party")
    )
    if party is not None:
        leads = leads.filter(asked_id=party.pk)
    asks, seen = [], set()
    for lead in leads:
        asked = _asked(lead, parties)
        if asked is None or (lead.action_id, asked.pk) in seen:
            continue
        seen.add((lead.action_id, asked.pk))
        value = ""
        if lead.update_status is not None:
            value = f"{ActionStatus(lead.update_status).label}, {lead.update_percent} %"
            if lead.update_explanation:
                value += f": {lead.update_explanation}"
        asks.append(
            Ask(
                key=f"afspraak:{lead.action.number}:{asked.slug}",
                item=item.title,
                kind=item.kind,
                party=asked.label,
                party_slug=asked.slug,
                subject=f"Afspraak {lead.action.number}",
                delivered=lead.update_status is not None,
                value=value,
                url=reverse(
                    "agreements:action-update",
                    args=[reporting_round.jaarschijf.year, lead.action.number],
                ),
                read_url=reverse(
                    "agreements:action-detail",
                    args=[reporting_round.jaarschijf.year, lead.action.number],
                ),
            )
        )
    asks.sort(key=lambda a: (Action.number_parts(a.subject.split()[-1]), a.party))
    return asks


def as_of(model, start, end) -> dict:
    """Annotations of a figure from its history: ``delivered`` (a realisation saved between
    ``start`` and ``end``) and what it said at ``end`` (``value_at`` reads them). A figure is
    delivered only if it still holds a number at ``end`` (:func:`delivered_at`): filled in
    and emptied again is unknown."""
    history = model.history.filter(id=OuterRef("pk"))
    # The document's state (the first record of a loaded row) was never delivered by anyone.
    saved = history.exclude(history_change_reason=BASELINE_REASON)
    return {
        "delivered": Exists(
            saved.filter(history_date__gte=start, history_date__lte=end, realised__isnull=False)
        ),
        "changed_after": Exists(history.filter(history_date__gt=end)),
        "realised_then": Subquery(
            history.filter(history_date__lte=end)
            .order_by("-history_date", "-history_id")
            .values("realised")[:1]
        ),
    }


def value_at(row):
    """The realisation at the end of the window: the current one unless it changed since."""
    return row.realised_then if row.changed_after else row.realised


def delivered_at(row) -> bool:
    """Saved in the window and, at its end, a number (not emptied again)."""
    return row.delivered and value_at(row) is not None


def _indicator_asks(items, year, start, end, party=None) -> list[Ask]:
    by_indicator = {item.indicator_id: item for item in items}
    values = (
        IndicatorValue.objects.filter(indicator__in=list(by_indicator), party__isnull=False)
        .annotate(**as_of(IndicatorValue, start, end))
        .select_related("indicator__action", "party")
        .order_by("indicator__sort_order", "sort_order", "pk")
    )
    if party is not None:
        values = values.filter(party=party)
    asks = []
    for v in values:
        realised = value_at(v)
        asks.append(
            Ask(
                key=f"kengetal:{v.indicator.code}:{v.period}:{v.party.slug}",
                item=by_indicator[v.indicator_id].title,
                kind=RoundItemKind.INDICATOR,
                party=v.party.label,
                party_slug=v.party.slug,
                subject=f"{v.indicator.name} {v.period_label}",
                delivered=delivered_at(v),
                value="onbekend" if realised is None else nl_decimal(realised),
                url=reverse("agreements:indicator-realisation", args=[v.pk]),
                read_url=reverse(
                    "agreements:action-detail", args=[year, v.indicator.action.number]
                ),
            )
        )
    return asks


def _efg_asks(reporting_round, item, start, end, party=None) -> list[Ask]:
    year = reporting_round.period_end.year
    figures = (
        EnergyLabelFigure.objects.filter(jaarschijf=reporting_round.jaarschijf, year=year)
        .annotate(**as_of(EnergyLabelFigure, start, end))
        .select_related("corporation")
        .order_by("corporation__sort_order")
    )
    if party is not None:
        figures = figures.filter(corporation=party)
    page = f"{reverse('overview:sustainability')}?jaar={reporting_round.jaarschijf.year}"
    asks = []
    for f in figures:
        realised = value_at(f)
        asks.append(
            Ask(
                key=f"efg:{f.corporation.slug}:{year}",
                item=item.title,
                kind=item.kind,
                party=f.corporation.label,
                party_slug=f.corporation.slug,
                subject=f"EFG-labels {year}",
                delivered=delivered_at(f),
                value="onbekend" if realised is None else nl_number(realised),
                url=reverse("sustainability:labelfigure-entry", args=[f.corporation.slug]),
                read_url=page,
            )
        )
    return asks


def _deliverable_ask(item, asked) -> Ask:
    delivered = item.delivered
    value, file_name, file_url = "", "", ""
    if delivered:
        parts = [item.submission_text]
        if item.submission_url:
            parts.append(f"({item.submission_url})")
        if item.submission_file_name:
            file_name = item.submission_file_name
            file_url = reverse("cycle:submission-file", args=[item.submission_id])
            parts.append(f"bestand: {file_name}")
        value = " ".join(part for part in parts if part)
    return Ask(
        key=f"stuk:{item.label}:{asked.slug}",
        item=item.title,
        kind=item.kind,
        party=asked.label,
        party_slug=asked.slug,
        subject=item.label,
        delivered=delivered,
        value=value,
        url=reverse("cycle:round-submit", args=[item.pk]),
        file_name=file_name,
        file_url=file_url,
    )


def _round_asks(reporting_round, items, end, parties, party=None) -> list[Ask]:
    start = reporting_round.opened_at
    asks = []
    for item in items:
        if item.kind == RoundItemKind.OPEN_ACTIONS:
            asks += _action_asks(reporting_round, item, start, end, parties, party)
        elif item.kind == RoundItemKind.EFG:
            asks += _efg_asks(reporting_round, item, start, end, party)
    indicator_items = [i for i in items if i.kind == RoundItemKind.INDICATOR]
    if indicator_items:
        asks += _indicator_asks(indicator_items, reporting_round.jaarschijf.year, start, end, party)
    deliverables = []
    for item in items:
        asked = _asked(item, parties) if item.kind == RoundItemKind.DELIVERABLE else None
        if asked is not None:
            deliverables.append(
                ((item.sort_order, item.pk, asked.sort_order, asked.name), item, asked)
            )
    deliverables.sort(key=lambda row: row[0])
    return asks + [_deliverable_ask(item, asked) for _order, item, asked in deliverables]


def live_asks(reporting_round: ReportingRound, *, at: datetime | None = None) -> list[Ask]:
    """Every ask of the round as the data says now, or as it said at ``at``."""
    end = at or timezone.now()
    items = _items(Q(round=reporting_round), end)
    parties = {p.pk: p for p in Party.objects.all()}
    return _round_asks(reporting_round, items, end, parties)


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
    #: no active user of the party may write: what it is asked cannot be delivered
    no_writer: bool = False


def parties_without_writer(slugs) -> set[str]:
    """The parties among ``slugs`` that no active user may deliver for: none of their users
    writes (a tenant organisation with readers only, or no users at all). One query."""
    writing = User.objects.filter(
        is_active=True,
        party__slug__in=list(slugs),
        role__in=WRITING_ROLES,
    ).values_list("party__slug", flat=True)
    return set(slugs) - set(writing)


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


def snapshot_moment(reporting_round: ReportingRound, now) -> datetime:
    """The moment the round's report shows: the end of the deadline day, or the closing when
    that comes first (or when the round was only opened after its deadline had passed)."""
    deadline = deadline_moment(reporting_round)
    return min(now, deadline) if deadline > reporting_round.opened_at else now


def snapshot_reason(reporting_round: ReportingRound, as_of: datetime) -> str:
    """Which case of ``snapshot_moment`` gave ``as_of``: "deadline" (the end of the deadline
    day), "closed_early" (a closing before it) or "opened_late" (the closing of a round
    opened after its deadline)."""
    deadline = deadline_moment(reporting_round)
    if reporting_round.opened_at >= deadline:
        return "opened_late"
    return "deadline" if as_of >= deadline else "closed_early"


#: Each case of :func:`snapshot_reason` in words, after "de stand op … :".
SNAPSHOT_REASON_WORDS = {
    "deadline": "het einde van de uiterste aanleverdatum",
    "closed_early": "het moment van sluiten, vóór de uiterste aanleverdatum",
    "opened_late": "het moment van sluiten (de ronde werd pas na de uiterste aanleverdatum "
    "geopend)",
}


def snapshot_as_of(reporting_round: ReportingRound) -> datetime | None:
    """The moment a closed round's report shows (None while the round is open)."""
    snapshot = reporting_round.snapshot or {}
    as_of = snapshot.get("as_of") or snapshot.get("taken_at")
    return datetime.fromisoformat(as_of) if as_of else None


def build_snapshot(reporting_round: ReportingRound, *, now) -> dict:
    """What every ask said at the deadline: an edit after it does not enter the report."""
    at = snapshot_moment(reporting_round, now)
    return {
        "taken_at": now.isoformat(),
        "as_of": at.isoformat(),
        "asks": [asdict(ask) for ask in live_asks(reporting_round, at=at)],
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


@dataclass
class OpenWork:
    rounds: list[ReportingRound]  # every open round
    asks: list[tuple[ReportingRound, Ask]]  # what they still ask of the party


def open_work(party) -> OpenWork:
    """What the open rounds still ask of the party (Mijn werk, reminders): the same queries
    however many actions, figures and answers there are."""
    now = timezone.now()
    per_round: dict[int, list[RoundItem]] = defaultdict(list)
    rounds = {}
    for item in _items(Q(round__status=ReportingRound.Status.OPEN), now):
        rounds[item.round_id] = item.round
        per_round[item.round_id].append(item)
    pairs = []
    # The most urgent round first: the earliest deadline (a late one before one still due).
    for round_id, items in sorted(per_round.items(), key=lambda r: (rounds[r[0]].deadline, r[0])):
        reporting_round = rounds[round_id]
        for ask in _round_asks(reporting_round, items, now, {party.pk: party}, party):
            if not ask.delivered:
                pairs.append((reporting_round, ask))
    return OpenWork(rounds=list(rounds.values()), asks=pairs)


@dataclass
class RoundWork:
    """What one open round still asks of a party, per item: the round is named once."""

    round: ReportingRound
    items: list[tuple[str, list[Ask]]]  # (the item's title, its asks) in the round's order

    @property
    def count(self) -> int:
        return sum(len(asks) for _title, asks in self.items)


def per_round(pairs: list[tuple[ReportingRound, Ask]]) -> list[RoundWork]:
    """``OpenWork.asks`` grouped by round and item, in the order they came."""
    rounds: dict[int, ReportingRound] = {}
    items: dict[int, dict[str, list[Ask]]] = defaultdict(dict)
    for reporting_round, ask in pairs:
        rounds.setdefault(reporting_round.pk, reporting_round)
        items[reporting_round.pk].setdefault(ask.item, []).append(ask)
    return [RoundWork(rounds[pk], list(items[pk].items())) for pk in rounds]


def open_asks_for_party(party) -> list[tuple[ReportingRound, Ask]]:
    return open_work(party).asks
