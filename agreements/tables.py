"""The action list as a django-tables2 table.

The rows come from ``action_list_queryset()`` (overview/views.py): the latest progress
update annotated, the parties prefetched and ``can_edit`` annotated from
``Action.objects.editable_by(user)``, so rendering a page needs no query per row.
"""

from dataclasses import dataclass

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.badges import render_badge
from core.formats import escape_html, nl_date, nl_number, nl_percent
from core.links import reverse_cached
from core.tables import Table

from .models import ActionStatus, Party

STATUS_LABELS = dict(ActionStatus.choices)
#: Prose columns: a long compound word ("huurverhogingsuitgangspunten") may break, so the
#: list fits the screen with its action links in view (app.css).
PROSE_ATTRS = {"td": {"class": "heerlen-cell-prose"}}


@dataclass(frozen=True, slots=True)
class LinkedParty:
    """A party as an action's link row names it: enough for a list, no model instance."""

    pk: int
    name: str
    short_name: str

    @property
    def label(self) -> str:
        return self.short_name or self.name


def party_links(action) -> list[tuple[bool, LinkedParty]]:
    """(is lead, party) of the action in the document's order: from the ``party_links``
    annotation (ActionQuerySet.with_party_links) where the queryset has it, else from the
    prefetched ``action_parties``."""
    try:
        rows = action.party_links
    except AttributeError:
        return [(link.is_lead, link.party) for link in action.action_parties.all()]
    rows = sorted(rows or [], key=lambda row: (row["sort_order"], row["pk"]))
    return [
        (bool(row["is_lead"]), LinkedParty(row["party_id"], row["name"], row["short_name"]))
        for row in rows
    ]


def lead_parties(action) -> list:
    return [party for is_lead, party in party_links(action) if is_lead]


def other_parties(action) -> list:
    return [party for is_lead, party in party_links(action) if not is_lead]


def party_names(parties) -> str:
    return ", ".join(party.label for party in parties)


class ActionTable(Table):
    number = tables.Column(
        "Nr.",
        empty_values=(),
        order_by=("number_major", "number_minor"),
        attrs={"td": {"class": "heerlen-nowrap"}},
    )
    # The theme as its number: the full title repeated on every row made the list too wide
    # (the theme filter and the action page name it in full).
    theme = tables.Column(
        "Thema",
        accessor="theme__number",
        empty_values=(),
        order_by=("theme__number",),
        attrs={"td": {"class": "heerlen-num"}, "th": {"class": "heerlen-num"}},
    )
    text = tables.Column("Afspraak", empty_values=(), orderable=False, attrs=PROSE_ATTRS)
    # Columns computed from the record get accessor "pk": a name the record lacks would make
    # django-tables2 raise and catch an exception for every cell.
    lead = tables.Column(
        "Trekker", accessor="pk", empty_values=(), orderable=False, attrs=PROSE_ATTRS
    )
    parties = tables.Column(
        "Betrokken partijen", accessor="pk", empty_values=(), orderable=False, attrs=PROSE_ATTRS
    )
    current_status = tables.Column(
        "Status", empty_values=(), order_by=("current_status", "number_major")
    )
    current_percent = tables.Column(
        "% gereed",
        empty_values=(),
        attrs={"th": {"class": "heerlen-num"}, "td": {"class": "heerlen-num"}},
    )
    last_update_at = tables.Column(
        "Laatste update", empty_values=(), attrs={"td": {"class": "heerlen-nowrap"}}
    )
    late = tables.Column(
        "Te laat",
        accessor="pk",
        empty_values=(),
        order_by=("-overdue_milestones", "number_major", "number_minor"),
    )
    edit = tables.Column("Bijwerken", accessor="pk", empty_values=(), orderable=False)

    caption = "Afspraken"

    class Meta:
        order_by = ("number",)
        empty_text = "Geen afspraken gevonden die aan de filters voldoen."
        attrs = {"class": "heerlen-action-table"}

    # The cells below are f-strings with every value escaped (escape_html) rather than
    # format_html: a page of rows writes some hundreds of them.

    def render_number(self, record):
        url = reverse_cached("agreements:action-detail", (record.jaarschijf.year, record.number))
        return mark_safe(  # noqa: S308 - URL and number escaped
            f'<a class="utrecht-link utrecht-link--html-a" href="{escape_html(url)}">'
            f"{escape_html(record.number)}</a>"
        )

    def render_theme(self, record):
        theme = record.theme
        return mark_safe(  # noqa: S308 - number and title escaped
            f'{escape_html(theme.number)}<span class="visually-hidden">. '
            f"{escape_html(theme.title)}</span>"
        )

    def render_text(self, record):
        return record.short_text

    def render_lead(self, record):
        return party_names(lead_parties(record)) or "—"

    def render_parties(self, record):
        return party_names(other_parties(record)) or "—"

    def render_current_status(self, record):
        status = record.current_status
        return render_badge(status, STATUS_LABELS.get(status, status))

    def render_current_percent(self, record):
        return nl_percent(record.current_percent)

    def render_last_update_at(self, record):
        return nl_date(record.last_update_at) if record.last_update_at else "nog geen"

    def render_late(self, record):
        count = getattr(record, "overdue_milestones", 0)
        if not count:
            return "—"
        url = reverse_cached("agreements:action-detail", (record.jaarschijf.year, record.number))
        return mark_safe(  # noqa: S308 - URL escaped, the count is an int
            f'<a class="utrecht-link utrecht-link--html-a" href="{escape_html(url)}#mijlpalen">'
            f"<strong>{int(count)} mijlpa{'al' if count == 1 else 'len'}</strong></a>"
        )

    def render_edit(self, record):
        if not getattr(record, "can_edit", False):
            return ""
        url = reverse_cached("agreements:action-update", (record.jaarschijf.year, record.number))
        return mark_safe(  # noqa: S308 - URL and number escaped
            f'<a class="utrecht-link utrecht-link--html-a" href="{escape_html(url)}">'
            'Voortgang melden<span class="visually-hidden"> bij afspraak '
            f"{escape_html(record.number)}</span></a>"
        )


def action_role(action, party, collective_ids) -> str:
    """How the party takes part: as lead, involved, or through a collective."""
    links = party_links(action)
    direct = [is_lead for is_lead, linked in links if linked.pk == party.pk]
    if direct:
        return "Trekker" if direct[0] else "Betrokken"
    via = [(is_lead, linked) for is_lead, linked in links if linked.pk in collective_ids]
    if via:
        names = ", ".join(linked.label for _is_lead, linked in via)
        lead = " (trekker)" if any(is_lead for is_lead, _linked in via) else ""
        return f"Via {names}{lead}"
    return "Betrokken"


class PartyActionTable(ActionTable):
    """The actions of one party, with how it takes part (lead, involved, via a collective)."""

    def __init__(self, *args, party, collective_ids, **kwargs):
        self.party, self.collective_ids = party, collective_ids
        super().__init__(*args, **kwargs)

    role = tables.Column("Rol", empty_values=(), orderable=False, attrs=PROSE_ATTRS)

    caption = "Afspraken van deze partij"

    class Meta(ActionTable.Meta):
        sequence = (
            "number",
            "theme",
            "text",
            "role",
            "lead",
            "current_status",
            "current_percent",
            "last_update_at",
            "edit",
        )
        exclude = ("parties",)
        empty_text = "Deze partij heeft in deze jaarschijf geen afspraken."

    def render_role(self, record):
        return action_role(record, self.party, self.collective_ids)


PARTY_KIND_LABELS = dict(Party.Kind.choices)


class PartyTable(Table):
    name = tables.Column("Partij", empty_values=())
    kind = tables.Column("Soort", empty_values=())
    corporation = tables.Column("Hoort bij", accessor="pk", empty_values=(), orderable=False)
    member_count = tables.Column(
        "Leden",
        empty_values=(),
        attrs={"th": {"class": "heerlen-num"}, "td": {"class": "heerlen-num"}},
    )
    action_count = tables.Column(
        "Afspraken",
        empty_values=(),
        attrs={"th": {"class": "heerlen-num"}, "td": {"class": "heerlen-num"}},
    )
    lead_count = tables.Column(
        "Waarvan trekker",
        empty_values=(),
        attrs={"th": {"class": "heerlen-num"}, "td": {"class": "heerlen-num"}},
    )

    caption = "Partijen"

    class Meta:
        empty_text = "Er zijn nog geen partijen."
        order_by = ()

    def render_name(self, record):
        return format_html(
            '<a class="utrecht-link utrecht-link--html-a" href="{}">{}</a>',
            record.get_absolute_url(),
            record.name,
        )

    def render_kind(self, record):
        return PARTY_KIND_LABELS.get(record.kind, record.kind)

    def render_corporation(self, record):
        if record.corporation_id is None:
            return "—"
        return format_html(
            '<a class="utrecht-link utrecht-link--html-a" href="{}">{}</a>',
            record.corporation.get_absolute_url(),
            record.corporation.label,
        )

    def render_member_count(self, record):
        return nl_number(record.member_count) if record.member_count else "—"

    def render_action_count(self, record):
        return nl_number(record.action_count)

    def render_lead_count(self, record):
        return nl_number(record.lead_count)
