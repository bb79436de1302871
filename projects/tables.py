"""The project list as a django-tables2 table, with a totals row for the filtered set."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from core.badges import render_badge
from core.formats import nl_number
from core.tables import Table

from .models import Project

CATEGORY_LABELS = dict(Project.Category.choices)
STATUS_LABELS = dict(Project.Status.choices)
NUMBER_ATTRS = {
    "th": {"class": "heerlen-num"},
    "td": {"class": "heerlen-num"},
    "tf": {"class": "heerlen-num"},
}


def _total_label(table):
    totals = table.totals or {}
    return format_html(
        "<strong>Totaal</strong> ({} {})",
        nl_number(totals.get("projects") or 0),
        "project" if totals.get("projects") == 1 else "projecten",
    )


def _with_completeness(total, noun) -> str:
    """'<strong>minimaal 446</strong> (9 van 9 bekend; 1 aantal minimaal, …)'."""
    if total is None:
        return format_html("<strong>{}</strong>", nl_number(None))
    remark = total.remark_for(noun) if total.count or total.not_applicable else ""
    if not remark:
        return format_html("<strong>{}</strong>", total.number_words)
    return format_html(
        '<strong>{}</strong> <span class="heerlen-completeness">({})</span>',
        total.number_words,
        remark,
    )


def _total_planned(table):
    return _with_completeness((table.totals or {}).get("planned_total"), "bekend")


def _total_realised(table):
    return _with_completeness((table.totals or {}).get("realised_total"), "gemeld")


class ProjectTable(Table):
    category = tables.Column("Categorie", empty_values=(), footer=_total_label)
    # The neighbourhood under the name instead of a column of its own: the list fits 1280 px.
    name = tables.Column(
        "Project / locatie", empty_values=(), attrs={"td": {"class": "heerlen-cell-prose"}}
    )
    corporation = tables.Column(
        "Corporatie", empty_values=(), order_by=("corporation__sort_order",)
    )
    # The planned number may come with words ("17 → 9 na samenvoegen/splitsen"): they wrap.
    dwellings = tables.Column(
        "Woningen",
        empty_values=(),
        attrs={**NUMBER_ATTRS, "td": {"class": "heerlen-num heerlen-num-words"}},
        footer=_total_planned,
    )
    realised_dwellings = tables.Column(
        "Gerealiseerd", empty_values=(), attrs=NUMBER_ATTRS, footer=_total_realised
    )
    bat_class = tables.Column("BAT", empty_values=(), orderable=False)
    status = tables.Column("Status", empty_values=())
    expected_year = tables.Column(
        "Oplevering", empty_values=(), order_by=("expected_year", "expected_quarter")
    )
    edit = tables.Column("Bijwerken", accessor="pk", empty_values=(), orderable=False)

    caption = "Projecten"

    class Meta:
        order_by = ("category",)
        empty_text = "Geen projecten gevonden die aan de filters voldoen."

    def __init__(self, *args, totals=None, **kwargs):
        self.totals = totals
        kwargs.setdefault("show_footer", totals is not None)
        super().__init__(*args, **kwargs)

    def order_category(self, queryset, is_descending):
        return queryset.in_document_order(descending=is_descending), True

    def render_category(self, record):
        return CATEGORY_LABELS.get(record.category, record.category)

    def render_name(self, record):
        link = format_html(
            '<a class="utrecht-link utrecht-link--html-a" href="{}">{}</a>',
            record.get_absolute_url(),
            record.name,
        )
        if not record.neighbourhood_id:
            return link
        return format_html(
            '{}<br><span class="heerlen-muted heerlen-small"><span class="visually-hidden">Wijk: '
            "</span>{}</span>",
            link,
            record.neighbourhood_id,  # the wijk's name (no query per row)
        )

    def render_corporation(self, record):
        return record.corporation.label

    def render_dwellings(self, record):
        if record.dwellings_not_applicable:
            return format_html(
                '<abbr title="{}">n.v.t.</abbr><br><span class="heerlen-muted heerlen-small">'
                "(telt niet mee)</span>",
                "niet van toepassing",
            )
        if record.dwellings is None:
            text = record.dwellings_text or ""
            return format_html("<em>{}</em>", text) if text else "—"
        if record.possible_duplicate_of_id:
            return format_html(
                '{}<br><span class="heerlen-muted heerlen-small">(mogelijk dubbel,<br>'
                "niet in het totaal)</span>",
                record.dwellings_in_words,
            )
        return record.dwellings_in_words

    def render_realised_dwellings(self, record):
        return nl_number(record.realised_dwellings)

    def render_bat_class(self, record):
        return record.bat_class or "—"

    def render_status(self, record):
        return render_badge(record.status, STATUS_LABELS.get(record.status, record.status))

    def render_expected_year(self, record):
        return record.expected_completion or "—"

    def render_edit(self, record):
        if not getattr(record, "can_edit", False):
            return ""
        return format_html(
            '<a class="utrecht-link utrecht-link--html-a" href="{}">'
            'Bijwerken<span class="visually-hidden"> {}</span></a>',
            reverse("projects:project-update", args=[record.pk]),
            record.name,
        )
