"""Read-only overviews: the dashboard, the action list and its Excel download, the parties.

Every view is a ``viewer_required`` read view (login needed unless PUBLIC_DASHBOARD). Edit
links are shown from the permission twins (``editable_by``, ``{% has_perm %}``); the write
views themselves enforce the permission. Each page runs a fixed number of queries, whatever
the number of rows: lists annotate and prefetch instead of querying per row.
"""

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods
from django_tables2 import RequestConfig

from agreements.filters import ActionFilter, with_needs_attention
from agreements.models import (
    CLOSED_STATUSES,
    Action,
    ActionParty,
    ActionStatus,
    IndicatorValue,
    Jaarschijf,
    Party,
    takes_part,
)
from agreements.public import readable_jaarschijf_queryset
from agreements.sheets import ACTION_COLUMNS, action_rows
from agreements.tables import STATUS_LABELS, ActionTable, PartyActionTable, PartyTable
from core import charts
from core.access import viewer_required
from core.formats import nl_list, nl_number
from core.fragments import fragment_key, items_on_demand, on_demand
from core.links import reverse_cached, same_site_path
from core.workbook import Sheet, workbook_response
from overview.figures import headline_figures
from overview.jaarschijf import SESSION_KEY, shows_wide_milestones
from overview.sustainability_views import EFG_CONTEXT, bat_table, efg_context, efg_figures
from projects.models import Project
from sustainability.models import totals_per_year_of

ACTIONS_PER_PAGE = 25
ATTENTION_SHOWN = 10

#: How each status looks in the charts: never colour alone, every status has its own pattern.
STATUS_SERIES = [
    charts.Series(ActionStatus.NIET_GESTART, "Niet gestart", colour="grijs", pattern="outline"),
    charts.Series(ActionStatus.OP_SCHEMA, "Op schema", colour="groen", pattern="dots"),
    charts.Series(ActionStatus.VERTRAAGD, "Vertraagd", colour="oranje", pattern="hatch"),
    charts.Series(ActionStatus.AFGEROND, "Afgerond", colour="blauw", pattern="solid"),
    charts.Series(ActionStatus.VERVALLEN, "Vervallen", colour="grijs", pattern="cross"),
]

CATEGORY_SERIES = [
    charts.Series("planned", "Gepland (woningen)", colour="petrol", pattern="hatch"),
    charts.Series(
        "realised", "Gerealiseerd (woningen)", "groen", "solid", unknown="nog niet gemeld"
    ),
]


# --- Querysets shared by the pages ---------------------------------------------------------


def parties_prefetch() -> Prefetch:
    return Prefetch(
        "action_parties",
        queryset=ActionParty.objects.select_related("party").order_by("sort_order", "pk"),
    )


def editable_actions(jaarschijf, user):
    """``Action.objects.editable_by(user)`` within the jaarschijf. Build it once per page: it
    gives both the ``can_edit`` annotation and whether the page offers editing at all."""
    return Action.objects.filter(jaarschijf=jaarschijf).editable_by(user)


def may_edit_any(editable) -> bool:
    """Whether the user may edit some action at all (the ladder of ``editable_rows``)."""
    return not editable.query.is_empty()


def action_queryset(jaarschijf, user=None, *, editable=None, listed=False):
    """Actions of a jaarschijf with their latest update, theme and parties; ``can_edit`` set.

    The parties come as ``party_links`` (one subquery, plain rows) rather than a prefetch:
    one query and some hundred model instances less per page. ``editable``: the page's
    ``editable_actions`` when it has built them already. ``listed``: the page reads every
    row into a list and gives each its jaarschijf with ``in_jaarschijf`` (the same instance
    for every row instead of one joined copy per row).
    """
    actions = (
        Action.objects.filter(jaarschijf=jaarschijf)
        .with_progress()
        .with_overdue_milestones()
        .with_party_links()
        .select_related("theme", *(() if listed else ("jaarschijf",)))
    )
    if user is None:
        return actions
    if editable is None:
        editable = editable_actions(jaarschijf, user)
    return with_edit_flag(actions, editable)


def in_jaarschijf(actions, jaarschijf) -> list:
    """The actions (all of ``jaarschijf``, read with ``listed=True``) as a list, each linked
    to the one jaarschijf instance."""
    actions = list(actions)
    for action in actions:
        action.jaarschijf = jaarschijf
    return actions


def with_edit_flag(actions, editable):
    """Annotate ``can_edit`` from ``Action.objects.editable_by`` (no query per row).

    The twin is narrowed to the jaarschijf shown: otherwise PostgreSQL may answer the
    ``EXISTS`` with one hashed pass over every editable action of every jaarschijf (5.454
    rows at scale 100), a cost that grows with the number of jaarschijven.
    """
    if not may_edit_any(editable):
        return actions
    return actions.annotate(can_edit=Exists(editable.filter(pk=OuterRef("pk"))))


def indicator_values(jaarschijf, party=None):
    # The action's link is built from the indicator's jaarschijf (IndicatorRow.action_url):
    # no second jaarschijf instance per row.
    values = IndicatorValue.objects.filter(indicator__jaarschijf=jaarschijf).select_related(
        "indicator__jaarschijf", "indicator__action", "party"
    )
    if party is not None:
        values = values.filter(party.with_collectives_q("party"))
    return values.order_by("indicator__sort_order", "indicator__pk", "sort_order", "pk")


def is_taakstelling(value) -> bool:
    """The quota indicators (e.g. housing refugees) are found by name, not by number."""
    return "taakstelling" in value.indicator.name.lower()


@dataclass
class IndicatorRow:
    value: IndicatorValue
    taakstelling: bool
    can_edit: bool = False
    #: the table has the "Bijwerken" column (a writer's page)
    edit_column: bool = False

    def html(self) -> str:
        """The row of templates/overview/_indicators.html, written here: a template resolves
        some forty variables per row, a noticeable part of the dashboard."""
        value, indicator = self.value, self.value.indicator
        party = value.party.label if value.party_id else None
        name = (
            format_html(
                '<strong>{}</strong> <span class="utrecht-data-badge">Taakstelling</span>',
                indicator.name,
            )
            if self.taakstelling
            else indicator.name
        )
        edit = ""
        if self.edit_column:
            link = ""
            if self.can_edit:
                link = format_html(
                    '<a class="utrecht-link utrecht-link--html-a" href="{}">Realisatie invullen'
                    '<span class="visually-hidden"> voor {}{}, {}</span></a>',
                    reverse_cached("agreements:indicator-realisation", (value.pk,)),
                    indicator.name,
                    f", {party}" if party else "",
                    value.period_label,
                )
            edit = format_html('<td data-label="">{}</td>', link)
        return format_html(
            '<tr class="utrecht-table__row{}">'
            '<td class="heerlen-nowrap" data-label="Afspraak"><a class="utrecht-link '
            'utrecht-link--html-a" href="{}">{}</a></td>'
            '<th scope="row">{}</th>'
            '<td data-label="Partij">{}</td>'
            '<td class="heerlen-nowrap" data-label="Periode">{}</td>'
            '<td data-label="Doel">{}</td>'
            '<td class="heerlen-num" data-label="Realisatie">{}</td>'
            '<td data-label="Gehaald?">{}</td>{}</tr>',
            " utrecht-table__row--selected heerlen-row-highlight" if self.taakstelling else "",
            self.action_url,
            indicator.action.number,
            name,
            party or "—",
            value.period_label,
            self.target,
            self.realised or nl_number(None),
            self.verdict,
            edit,
        )

    @property
    def indicator(self):
        return self.value.indicator

    @property
    def action_url(self) -> str:
        indicator = self.value.indicator
        return reverse_cached(
            "agreements:action-detail", (indicator.jaarschijf.year, indicator.action.number)
        )

    @property
    def target(self) -> str:
        return self.value.target_in_words

    @property
    def realised(self) -> str | None:
        return self.value.realised_in_words

    @property
    def met(self) -> bool | None:
        return self.value.is_met()

    @property
    def verdict(self) -> str:
        return self.value.verdict


def indicator_rows(values, user=None) -> list[IndicatorRow]:
    """The rows of the indicators table; ``can_edit`` for ``user`` when given.

    ``agreements.update_indicatorvalue`` answers alike for every value of one party in one
    jaarschijf (role, the jaarschijf's state, the value's party), so the rule is asked once
    per party instead of once per row.
    """
    may_write = user is not None and user.is_authenticated and user.can_write
    allowed: dict = {}
    rows = []
    for value in values:
        can_edit = False
        if may_write:
            key = (value.indicator.jaarschijf_id, value.party_id)
            if key not in allowed:
                allowed[key] = user.has_perm("agreements.update_indicatorvalue", value)
            can_edit = allowed[key]
        rows.append(
            IndicatorRow(
                value=value,
                taakstelling=is_taakstelling(value),
                can_edit=can_edit,
                edit_column=may_write,
            )
        )
    return rows


# --- The dashboard ---------------------------------------------------------------------------


@dataclass
class ThemeStatus:
    theme: object
    counts: dict
    total: int

    def cells(self):
        return [self.counts.get(series.key, 0) for series in STATUS_SERIES]


def status_per_theme(actions) -> tuple[list[ThemeStatus], dict]:
    themes: dict = {}
    for action in actions:
        themes.setdefault(action.theme_id, (action.theme, Counter()))[1][action.current_status] += 1
    rows = [
        ThemeStatus(theme=theme, counts=dict(counts), total=sum(counts.values()))
        for theme, counts in sorted(themes.values(), key=lambda item: item[0].number)
    ]
    overall = Counter()
    for row in rows:
        overall.update(row.counts)
    return rows, dict(overall)


def status_takeaway(overall: dict) -> str:
    total = sum(overall.values())
    if not total:
        return "Deze jaarschijf heeft nog geen afspraken."
    parts = [
        f"{overall[series.key]} {series.label.lower()}"
        for series in STATUS_SERIES
        if overall.get(series.key)
    ]
    return f"Van de {total} afspraken zijn er {nl_list(parts)}."


def attention_key(action):
    # Late actions first, then the longest silence (never updated before anything else).
    last = action.last_update_at
    return (
        action.current_status != ActionStatus.VERTRAAGD,
        last is not None,
        last or timezone.now(),
        action.number_major,
        action.number_minor,
    )


def attention_table(attention: list, *, may_edit: bool) -> ActionTable:
    """The first ATTENTION_SHOWN actions that need attention, in the action list's table (same
    columns and links), in attention order: late first, then the longest silence."""
    shown = attention[:ATTENTION_SHOWN]
    table = ActionTable(shown, order_by=(), orderable=False)
    table.caption = "Afspraken die aandacht nodig hebben"
    if len(attention) > len(shown):
        table.caption += f" (de eerste {len(shown)} van {nl_number(len(attention))})"
    if not may_edit:
        table.columns.hide("edit")
    return table


def category_takeaway(categories) -> str:
    parts = [
        f"{row['label'].lower()} {charts.number(row['planned'])}"
        for row in categories
        if row["planned"]
    ]
    realised = sum(row["realised"] or 0 for row in categories)
    if not parts:
        return "Er zijn voor deze jaarschijf geen projecten met aantallen woningen."
    return (
        f"Gepland: {', '.join(parts)} woningen; tot nu toe gerealiseerd: "
        f"{charts.number(realised)} woningen."
    )


@shows_wide_milestones
@viewer_required
def dashboard(request):
    jaarschijf = request.jaarschijf
    context = {"nav_active": "dashboard", "breadcrumbs": []}
    if jaarschijf is None:
        return render(request, "overview/dashboard.html", context)

    # The page below the header is kept as rendered ({% cache %} in the template, per user,
    # core.fragments): what it shows is computed only when the template renders it.
    user = request.user
    party = own_party(user)
    categories = on_demand(lambda: Project.objects.filter(jaarschijf=jaarschijf).per_category())
    figures = on_demand(lambda: list(efg_figures(jaarschijf)))
    bat = on_demand(lambda: bat_table(jaarschijf))
    context |= {
        "fragments": fragment_key(),
        "headline": on_demand(
            lambda: headline_figures(
                jaarschijf, categories=categories(), efg_totals=totals_per_year_of(figures())
            )
        ),
        **items_on_demand(lambda: dashboard_progress(jaarschijf, user, party), DASHBOARD_PROGRESS),
        "stale_days": settings.STALE_AFTER_DAYS,
        "categories": categories,
        "project_total": on_demand(lambda: sum(row["projects"] for row in categories())),
        "category_takeaway": on_demand(lambda: category_takeaway(categories())),
        "category_chart": on_demand(
            lambda: charts.fitting_bars(
                [(row["label"], row) for row in categories()],
                CATEGORY_SERIES,
                uid="projecten-per-categorie",
                title=category_takeaway(categories()),
            )
        ),
        **items_on_demand(lambda: efg_context(jaarschijf, user, figures=figures()), EFG_CONTEXT),
        "bat": bat,
        "bat_chart": on_demand(lambda: bat().chart(fitting=True)),
        "indicators": on_demand(lambda: indicator_rows(indicator_values(jaarschijf), user)),
    }
    return render(request, "overview/dashboard.html", context)


DASHBOARD_PROGRESS = (
    "themes",
    "overall",
    "overall_cells",
    "action_total",
    "actions",
    "status_series",
    "status_takeaway",
    "status_chart",
    "attention_table",
    "attention_total",
    "attention_late",
    "attention_stale",
    "may_edit_actions",
    "own",
)


def dashboard_progress(jaarschijf, user, party) -> dict:
    """The dashboard's progress per theme, what needs attention and the party's own work,
    from one read of the jaarschijf's actions."""
    # The parties come with each action (party_links): the "Aandacht nodig" table shows them.
    editable = editable_actions(jaarschijf, user)
    actions = action_queryset(jaarschijf, user, editable=editable, listed=True).with_staleness()
    if party is not None:
        actions = with_party_involvement(actions, party)
    actions = with_needs_attention(in_jaarschijf(actions, jaarschijf))
    if party is not None:
        set_party_leads(actions, {party.pk})  # the party itself, not through a collective
    themes, overall = status_per_theme(actions)
    attention = sorted((a for a in actions if a.needs_attention), key=attention_key)
    late = sum(1 for a in attention if a.current_status == ActionStatus.VERTRAAGD)
    may_edit = may_edit_any(editable)
    status_rows = [(f"{row.theme.number}. {row.theme.title}", row.counts) for row in themes]
    takeaway = status_takeaway(overall)
    return {
        "themes": themes,
        "overall": overall,
        "overall_cells": [overall.get(series.key, 0) for series in STATUS_SERIES],
        "action_total": len(actions),
        "actions": actions,
        "status_series": STATUS_SERIES,
        "status_takeaway": takeaway,
        "status_chart": charts.fitting_bars(
            status_rows, STATUS_SERIES, uid="status-per-thema", title=takeaway, stacked=True
        )
        if status_rows
        else "",
        "attention_table": attention_table(attention, may_edit=may_edit),
        "attention_total": len(attention),
        "attention_late": late,
        "attention_stale": len(attention) - late,
        "may_edit_actions": may_edit,
        "own": own_work(party, actions) if party is not None else None,
    }


def own_party(user):
    """The party whose work a writer's dashboard puts first (None for readers and beheerders)."""
    if not user.is_authenticated or not user.can_write or user.party_id is None:
        return None
    return user.party


def with_party_involvement(actions, party):
    """Annotate ``party_involved``: the party takes part, itself or through a collective
    (``takes_part``: one probe of the action's parties per action)."""
    return actions.annotate(party_involved=takes_part(party))


def set_party_leads(actions: list, party_ids) -> list:
    """Set ``party_leads`` on each action: one of ``party_ids`` is trekker, read from the
    action's ``party_links`` (no subquery)."""
    for action in actions:
        action.party_leads = any(
            link["is_lead"] and link["party_id"] in party_ids for link in action.party_links or ()
        )
    return actions


@dataclass
class OwnWork:
    party: object
    leads: list
    involved: int
    attention: list

    @property
    def open_leads(self) -> int:
        return sum(1 for action in self.leads if action.current_status not in CLOSED_STATUSES)


def own_work(party, actions) -> OwnWork:
    """A writer's party on the dashboard: what it leads and what of its own needs attention."""
    mine = [action for action in actions if action.party_involved]
    attention = sorted((a for a in mine if a.needs_attention), key=attention_key)
    for action in attention:
        action.status_label = STATUS_LABELS.get(action.current_status, action.current_status)
    return OwnWork(
        party=party,
        leads=[action for action in mine if action.party_leads],
        involved=len(mine),
        attention=attention,
    )


# --- The action list ------------------------------------------------------------------------


def filtered_actions(request, editable=None):
    jaarschijf = request.jaarschijf
    queryset = (
        action_queryset(jaarschijf, request.user, editable=editable)
        if jaarschijf
        else Action.objects.none()
    )
    return ActionFilter(request.GET or None, queryset=queryset, jaarschijf=jaarschijf)


@viewer_required
def action_list(request):
    editable = editable_actions(request.jaarschijf, request.user)
    action_filter = filtered_actions(request, editable)
    table = ActionTable(action_filter.qs)
    if not may_edit_any(editable):
        table.columns.hide("edit")
    RequestConfig(request, paginate={"per_page": ACTIONS_PER_PAGE}).configure(table)
    export_query = request.GET.copy()
    for key in ("page", "sort"):
        export_query.pop(key, None)
    return render(
        request,
        "overview/action_list.html",
        {
            "nav_active": "afspraken",
            "breadcrumbs": [("Dashboard", reverse("overview:dashboard")), ("Afspraken", "")],
            "filter": action_filter,
            "table": table,
            "export_url": reverse("overview:action-list-export")
            + (f"?{export_query.urlencode()}" if export_query else ""),
        },
    )


@viewer_required
def action_list_export(request):
    action_filter = filtered_actions(request)
    if action_filter.is_bound and not action_filter.is_valid():
        # Never a file of something else than what was asked: back to the list with the errors.
        return action_list(request)
    jaarschijf = request.jaarschijf
    title = f"Afspraken {jaarschijf.year}" if jaarschijf else "Afspraken"
    year = jaarschijf.year if jaarschijf else "geen"
    return workbook_response(
        [Sheet(title, ACTION_COLUMNS, action_rows(action_filter.qs))],
        filename=f"afspraken-{year}.xlsx",
        title=title,
    )


# --- Parties --------------------------------------------------------------------------------


def with_action_counts(parties, jaarschijf):
    """Annotate how many actions of the jaarschijf a party takes part in, and leads.

    Counted like ``Action.objects.involving``: directly or through a collective.
    """
    party = OuterRef(OuterRef("pk"))

    def count(lead_only):
        actions = (
            Action.objects.filter(jaarschijf=jaarschijf)
            # Per party over the jaarschijf's actions: as EXISTS, PostgreSQL joins the
            # party's links once (a probe per action and party took twice as long).
            .involving(party, lead_only=lead_only, per_action=False)
            .order_by()
            .values("jaarschijf")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        )
        return Coalesce(Subquery(actions, output_field=IntegerField()), Value(0))

    return parties.annotate(action_count=count(False), lead_count=count(True))


@viewer_required
def party_list(request):
    jaarschijf = request.jaarschijf
    # A subquery, not a join: a join would group the rows and run the count subqueries once
    # per membership row, which made PostgreSQL's estimate (and JIT compilation) explode.
    members = (
        Party.members.through.objects.filter(from_party=OuterRef("pk"))
        .order_by()
        .values("from_party")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    parties = Party.objects.select_related("corporation").annotate(
        member_count=Coalesce(Subquery(members, output_field=IntegerField()), Value(0))
    )
    if jaarschijf is not None:
        parties = with_action_counts(parties, jaarschijf)
    table = PartyTable(parties.order_by("sort_order", "name"))
    if jaarschijf is None:
        table.columns.hide("action_count")
        table.columns.hide("lead_count")
    RequestConfig(request, paginate=False).configure(table)
    return render(
        request,
        "overview/party_list.html",
        {
            "nav_active": "partijen",
            "breadcrumbs": [("Dashboard", reverse("overview:dashboard")), ("Partijen", "")],
            "table": table,
        },
    )


def party_with_relations(slug: str):
    """The party and the parties around it, in two plain queries (404 if there is no such
    party).

    Returns ``(party, related)``: the collectives it belongs to, its members, its tenant
    organisations and its corporation, each row marked with how it relates. Every party is
    read (the partners of one municipality: a few dozen at most) with the party's own
    membership links, and the relations are found in Python: one query that selected only the
    related parties needed an ``EXISTS`` per relation, which Django compiles twice (in the
    select and in the filter) at ±5 ms of Python per page.
    """
    parties = list(Party.objects.order_by("sort_order", "name"))
    party = next((row for row in parties if row.slug == slug), None)
    if party is None:
        raise Http404("Deze partij bestaat niet.")
    links = Party.members.through.objects.filter(
        Q(from_party=party.pk) | Q(to_party=party.pk)
    ).values_list("from_party_id", "to_party_id")
    collectives = {collective for collective, member in links if member == party.pk}
    members = {member for collective, member in links if collective == party.pk}
    related = []
    for row in parties:
        if row.pk == party.pk:
            continue
        row.is_collective_of = row.pk in collectives
        row.is_member_of = row.pk in members
        row.is_corporation_of = row.pk == party.corporation_id
        if row.is_corporation_of:
            party.corporation = row  # already loaded: no query when the page shows it
        tenant_organisation = row.corporation_id == party.pk
        if row.is_collective_of or row.is_member_of or row.is_corporation_of or tenant_organisation:
            related.append(row)
    return party, related


@viewer_required
def party_detail(request, slug):
    party, related = party_with_relations(slug)
    jaarschijf = request.jaarschijf
    collectives = [p for p in related if p.is_collective_of]
    collective_ids = {p.pk for p in collectives}
    # Known from the relations already: no query of its own.
    party.ids_with_collectives = (party.pk, *sorted(collective_ids))
    context = {
        "nav_active": "partijen",
        "breadcrumbs": [
            ("Dashboard", reverse("overview:dashboard")),
            ("Partijen", reverse("overview:party-list")),
            (party.name, ""),
        ],
        "party": party,
        "collectives": collectives,
        "members": [p for p in related if p.is_member_of],
        "tenant_organisations": [p for p in related if p.corporation_id == party.pk],
    }
    if jaarschijf is not None:
        # The part below the party's relations is kept as rendered ({% cache %} in the
        # template, per user and address, core.fragments): what it shows is computed only
        # when the template renders it.
        context |= {
            **items_on_demand(
                lambda: party_actions(request, jaarschijf, party, collective_ids), PARTY_ACTIONS
            ),
            "fragments": fragment_key(),
            "indicators": on_demand(
                lambda: indicator_rows(indicator_values(jaarschijf, party), request.user)
            ),
        }
        if party.kind == Party.Kind.CORPORATIE:
            per_category = on_demand(
                lambda: Project.objects.filter(
                    jaarschijf=jaarschijf, corporation=party
                ).per_category_and_neighbourhood()
            )
            context |= {
                # A summary per category; the project list has every project, with filters.
                "categories": lambda: per_category()[0],
                "neighbourhoods": lambda: [
                    {"neighbourhood": name, "projects": count}
                    for name, count in sorted(per_category()[1].items())
                ],
                **items_on_demand(
                    lambda: efg_context(
                        jaarschijf, request.user, corporation=party, uid=f"efg-{party.slug}"
                    ),
                    EFG_CONTEXT,
                ),
                "bat": on_demand(lambda: bat_table(jaarschijf, corporation=party)),
            }
    return render(request, "overview/party_detail.html", context)


PARTY_ACTIONS = ("action_table", "action_count", "party_actions", "lead_count", "open_count")


def party_actions(request, jaarschijf, party, collective_ids) -> dict:
    """The party page's actions: its table (one page, sortable) and the counts."""
    editable = editable_actions(jaarschijf, request.user)
    # All actions for the counts; their parties come along as party_links, and whether
    # the party (or a collective of it) is trekker is read from them.
    actions = in_jaarschijf(
        action_queryset(jaarschijf, request.user, editable=editable, listed=True).involving(party),
        jaarschijf,
    )
    set_party_leads(actions, set(party.ids_with_collectives))
    action_table = PartyActionTable(
        actions, prefix="a-", party=party, collective_ids=collective_ids
    )
    if not may_edit_any(editable):
        action_table.columns.hide("edit")
    RequestConfig(request, paginate={"per_page": ACTIONS_PER_PAGE}).configure(action_table)
    return {
        "action_table": action_table,
        "action_count": len(actions),
        "party_actions": actions,
        "lead_count": sum(1 for a in actions if a.party_leads),
        "open_count": sum(1 for a in actions if a.current_status not in CLOSED_STATUSES),
    }


# --- The year switcher and a trivial page to compare response times with --------------------


def _return_path(url: str, request) -> str | None:
    """A same-site path to send the user back to, without ``jaar``; None if not safe.

    ``jaar`` is dropped because it would override the choice just made. Only an absolute path
    on this site is used (never "//host" or a view name), with the path percent-encoded.
    """
    local = same_site_path(url, request)
    if not local:
        return None
    parts = urlsplit(local)
    query = QueryDict(parts.query, mutable=True)
    query.pop("jaar", None)
    path = quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    return f"{path}?{query.urlencode()}" if query else path


@require_http_methods(["GET", "POST"])
@viewer_required
def jaarschijf_switch(request):
    """The year switcher: a POST remembers the year in the session; a GET never changes state.

    A GET (an old link, a prefetching browser) is sent on to the page with ``?jaar=``, which
    selects the year for that one request only.
    """
    data = request.POST if request.method == "POST" else request.GET
    raw = data.get("jaar", "").strip()
    # ASCII digits only: "²".isdigit() is true, but int("²") fails.
    year = int(raw) if re.fullmatch(r"[0-9]{1,4}", raw) else None
    # Only a jaarschijf this user may see (never a concept for a visitor); the switcher lists
    # the newest few, "Alle jaarschijven" the others, so the year is looked up, not listed.
    readable = readable_jaarschijf_queryset(request.user, Jaarschijf.objects.filter(year=year))
    if year is None or not readable.exists():
        messages.error(request, "Kies een jaarschijf uit de lijst; dat jaar bestaat niet.")
        year = None
    elif request.method == "POST":
        request.session[SESSION_KEY] = year
    # Back to the page the switcher was used on: ``next``, else the Referer (same site only).
    target = reverse("overview:dashboard")
    for candidate in (data.get("next", ""), request.headers.get("referer", "")):
        path = _return_path(candidate, request)
        if path:
            target = path
            break
    if request.method == "GET" and year is not None:
        target += ("&" if "?" in target else "?") + f"jaar={year}"
    return HttpResponseRedirect(target)


JAARSCHIJVEN_PER_PAGE = 25


@viewer_required
def jaarschijf_list(request):
    """Every jaarschijf, the newest first, a page at a time: where the year switcher's
    "Alle jaarschijven" leads. Choosing one opens the dashboard of that year."""
    jaarschijven = readable_jaarschijf_queryset(
        request.user, Jaarschijf.objects.select_related("municipality").order_by("-year")
    )
    page = Paginator(jaarschijven, JAARSCHIJVEN_PER_PAGE).get_page(request.GET.get("pagina"))
    dashboard = reverse("overview:dashboard")
    rows = [
        {
            "jaarschijf": jaarschijf,
            "dashboard_url": f"{dashboard}?jaar={jaarschijf.year}",
            "status": jaarschijf.get_status_display(),
        }
        for jaarschijf in page.object_list
    ]
    return render(
        request,
        "overview/jaarschijf_list.html",
        {
            "nav_active": "dashboard",
            "breadcrumbs": [("Dashboard", dashboard), ("Alle jaarschijven", "")],
            "page": page,
            "rows": rows,
        },
    )


@login_required
def ping(request):
    """A trivial logged-in page: the benchmark's yardstick for the real pages."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
