"""What a party has to do: the content of Mijn werk and of the reminder digests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse

from accounts.predicates import is_beheerder, is_kernteamlid
from agreements.models import CLOSED_STATUSES, Action, IndicatorValue
from core.formats import nl_number
from core.links import reverse_cached
from sustainability.models import EnergyLabelFigure

from .models import UPCOMING_DAYS, Milestone, today
from .rounds import open_work, per_round

#: Mijn werk shows at most this many milestones per table (te laat, binnenkort) of the shown
#: jaarschijf; the party's paginated list of open milestones holds every one of them.
MILESTONES_SHOWN = 50
#: Milestones per page of that list.
MILESTONES_PER_PAGE = 25


def milestones_of(party):
    return Milestone.objects.for_party(party).select_related(
        "action__jaarschijf", "responsible", "jaarschijf"
    )


#: Mijn werk counts the open milestones of the other jaarschijven up to this many (the oldest
#: first); beyond it, it says "meer dan" and its paginated list counts them all.
OTHERS_COUNTED = 1000


@dataclass(frozen=True)
class MilestoneCounts:
    """The party's open milestones that are late or due soon: in the shown jaarschijf and in
    the others.

    ``others_capped``: the other jaarschijven were counted up to OTHERS_COUNTED (Mijn werk),
    the oldest first: there are more than ``other`` of them; ``other_overdue`` is still exact
    when some of the counted ones are due soon (every late one comes before them).
    """

    overdue: int
    upcoming: int
    other_overdue: int
    other_upcoming: int
    others_capped: bool = False

    @property
    def other(self) -> int:
        return self.other_overdue + self.other_upcoming

    @property
    def other_overdue_exact(self) -> bool:
        return not self.others_capped or self.other_upcoming > 0

    @property
    def all_overdue(self) -> int:
        return self.overdue + self.other_overdue

    @property
    def total(self) -> int:
        return self.overdue + self.upcoming + self.other


def _first(due, condition) -> Q:
    """The first MILESTONES_SHOWN of ``due`` meeting ``condition``, by due date."""
    first = due.filter(condition).order_by("due_date", "pk").values("pk")[:MILESTONES_SHOWN]
    return Q(pk__in=first)


def milestone_counts(party, jaarschijf, on: date) -> MilestoneCounts:
    """One query, counting every open milestone of the party that is late or due soon."""
    return MilestoneCounts(**_due_milestones(party, on).aggregate(**_counts(jaarschijf, on)))


def _due_milestones(party, on: date):
    return Milestone.objects.for_party(party).due_or_overdue(on).order_by()


def _counts(jaarschijf, on: date) -> dict:
    here, late = Q(jaarschijf=jaarschijf), Q(due_date__lt=on)
    # Counted over due_date (never empty), not the primary key: every column the counts read
    # is then in the index milestone_open_due, so PostgreSQL counts from the index alone.
    return {
        "overdue": Count("due_date", filter=here & late),
        "upcoming": Count("due_date", filter=here & ~late),
        "other_overdue": Count("due_date", filter=~here & late),
        "other_upcoming": Count("due_date", filter=~here & ~late),
    }


def _other_counts(due, jaarschijf, on: date) -> dict:
    """How many of ``due`` are in the other jaarschijven, late and due soon, counted up to
    OTHERS_COUNTED (the oldest first): one query whose cost does not grow with their number."""
    late = Q(due_date__lt=on)
    others = (
        due.exclude(jaarschijf=jaarschijf)
        .order_by("due_date")[: OTHERS_COUNTED + 1]
        .aggregate(
            other_overdue=Count("due_date", filter=late),
            other_upcoming=Count("due_date", filter=~late),
        )
    )
    capped = others["other_overdue"] + others["other_upcoming"] > OTHERS_COUNTED
    if capped:  # the one past the cap only told that there are more
        others["other_upcoming" if others["other_upcoming"] else "other_overdue"] -= 1
    return others | {"others_capped": capped}


def _count_of(due, condition) -> Coalesce:
    """How many of ``due`` meet ``condition`` (of one jaarschijf): a scalar subquery, which
    PostgreSQL runs once for the whole query."""
    counted = (
        due.filter(condition)
        .order_by()
        .values("jaarschijf")
        .annotate(n=Count("due_date"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_can_edit(milestones, user):
    """``can_edit`` on each milestone: the permission twin as an annotation (no query)."""
    return milestones.annotate(can_edit=_can_edit(user))


def _can_edit(user):
    editable = Milestone.objects.editable_by(user)
    if editable.query.is_empty():
        return Value(False, output_field=BooleanField())
    return Exists(editable.filter(pk=OuterRef("pk")))


@dataclass(frozen=True)
class ActionLink:
    number: str
    year: int

    def get_absolute_url(self) -> str:
        return reverse_cached("agreements:action-detail", (self.year, self.number))


@dataclass
class MilestoneRow:
    """An open milestone as Mijn werk's table shows it (cycle/_milestone_table.html)."""

    pk: int
    version: int
    description: str
    due_date: date
    due_text: str
    action: ActionLink | None
    responsible_label: str
    can_edit: bool
    move_url: str
    close_url: str
    is_done = False
    done_on = None
    done_by = None

    @property
    def short_description(self) -> str:
        return Milestone.shorten(self.description)


def shown_milestones(user, jaarschijf, on: date) -> tuple[list[MilestoneRow], MilestoneCounts]:
    """The party's late and soon-due milestones of the jaarschijf (the first MILESTONES_SHOWN
    of each, by due date) and how many there are here and in the other jaarschijven.

    Two queries, whatever the number of jaarschijven: the shown rows (with the permission twin
    and the jaarschijf's counts) and the counts of the other jaarschijven up to OTHERS_COUNTED
    (over the open milestones' index only, no join). Counted and listed in
    one query, the rows' joins ran over every open milestone of every jaarschijf and the cost
    estimate passed PostgreSQL's JIT threshold (1,3 s at scale 1000).
    """
    due = _due_milestones(user.party, on)
    here, late = Q(jaarschijf=jaarschijf), Q(due_date__lt=on)
    rows = (
        # ``here`` first: the jaarschijf's index finds its few rows, the first of each kind
        # are then kept; on its own the OR of the two lists made PostgreSQL scan them all.
        due.filter(here)
        .filter(_first(due, here & late) | _first(due, here & ~late))
        .annotate(
            responsible_label=Coalesce(
                NullIf(F("responsible__short_name"), Value("")), F("responsible__name")
            ),
            can_edit=_can_edit(user),
            # How many there are in the jaarschijf, with every row: no query of its own.
            here_overdue=_count_of(due, here & late),
            here_upcoming=_count_of(due, here & ~late),
        )
        .order_by("due_date", "pk")
        .values_list(
            "pk",
            "version",
            "description",
            "due_date",
            "due_text",
            "action__number",
            "jaarschijf__year",  # the action's own (Milestone.clean())
            "responsible_label",
            "can_edit",
            "here_overdue",
            "here_upcoming",
        )
    )
    rows = list(rows)
    milestones = [
        MilestoneRow(
            pk=pk,
            version=version,
            description=description,
            due_date=due_date,
            due_text=due_text,
            action=ActionLink(action_number, action_year) if action_number else None,
            responsible_label=responsible,
            can_edit=can_edit,
            move_url=reverse_cached("cycle:milestone-move", (pk,)),
            close_url=reverse_cached("cycle:milestone-close", (pk,)),
        )
        for (
            pk,
            version,
            description,
            due_date,
            due_text,
            action_number,
            action_year,
            responsible,
            can_edit,
            _overdue,
            _upcoming,
        ) in rows
    ]
    # Without rows the jaarschijf has no late or soon-due milestone of the party at all.
    overdue, upcoming = (rows[0][-2], rows[0][-1]) if milestones else (0, 0)
    counts = MilestoneCounts(
        overdue=overdue, upcoming=upcoming, **_other_counts(due, jaarschijf, on)
    )
    return milestones, counts


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


def _caption(title: str, shown: int, total: int) -> str:
    """A table's caption that says when it shows only the first of its rows."""
    return title if shown >= total else f"{title}: de eerste {shown} van {nl_number(total)}"


def work_for(user, jaarschijf, *, on: date | None = None) -> dict:
    """Everything Mijn werk lists for the user's party, each with the form that settles it.

    A fixed number of queries: the milestones of the jaarschijf (with the permission twin as
    an annotation, at most MILESTONES_SHOWN late and as many due soon), how many there are
    in this and the other jaarschijven (the rest is on the paginated list), the stale actions, the open figures, and what the open rounds ask (cycle.rounds).
    """
    party = user.party
    on = on or today()
    milestones, counts = shown_milestones(user, jaarschijf, on)
    overdue = [m for m in milestones if m.due_date < on]
    upcoming = [m for m in milestones if m.due_date >= on]
    # The party leads a jaarschijf's worth of actions at most: the closed ones are left out
    # here rather than in SQL, where the status subquery would be built a second time.
    stale = [
        action
        for action in Action.objects.filter(jaarschijf=jaarschijf)
        .involving(party, lead_only=True)
        .stale()
        .with_progress()
        if action.current_status not in CLOSED_STATUSES
    ]
    rounds = open_work(party)
    managed_rounds = []
    if is_kernteamlid(user) or is_beheerder(user):
        # The kernteam follows its rounds from here: "x van y aangeleverd" per party.
        managed_rounds = [r for r in rounds.rounds if r.jaarschijf_id == jaarschijf.pk]
    return {
        "party": party,
        "managed_rounds": managed_rounds,
        "jaarschijf": jaarschijf,
        "round_work": per_round(rounds.asks),
        "overdue": overdue,
        "upcoming": upcoming,
        "overdue_caption": _caption("Te laat", len(overdue), counts.overdue),
        "upcoming_caption": _caption(
            f"Binnenkort (binnen {UPCOMING_DAYS} dagen)", len(upcoming), counts.upcoming
        ),
        "milestone_counts": counts,
        # Late or due soon but not listed here: in another jaarschijf or past the first few.
        "milestones_not_shown": counts.total - len(milestones),
        "milestones_shown": MILESTONES_SHOWN,
        "upcoming_days": UPCOMING_DAYS,
        "stale": stale,
        "figures": open_figures(party, jaarschijf),
        "today": on,
    }
