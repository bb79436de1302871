"""Example data for templates/styleguide.html, so the style guide needs no view logic.

``{% load styleguide %}`` then ``{% styleguide_form as form %}``, ``{% styleguide_table as
table %}``, ``{% styleguide_page as page %}`` and ``{% styleguide_breadcrumbs as crumbs %}``.
Nothing here touches the database.
"""

import django_tables2 as tables
from django import forms, template
from django.core.paginator import Paginator
from django.urls import NoReverseMatch, reverse
from django_tables2 import RequestConfig

from agreements.choices import ActionStatus
from core.badges import render_badge
from core.formats import nl_number
from projects.models import ProjectStatus

register = template.Library()

ACTION_STATUSES = ActionStatus.choices
PROJECT_STATUSES = ProjectStatus.choices


class StyleguideForm(forms.Form):
    title = forms.CharField(
        label="Titel", max_length=120, help_text="Een korte, herkenbare naam voor de afspraak."
    )
    party = forms.ChoiceField(
        label="Verantwoordelijke partij",
        choices=[
            ("", "Kies een partij"),
            ("gemeente", "Gemeente Heerlen"),
            ("corporatie-a", "Woningcorporatie A"),
            ("huurders", "Huurdersvereniging"),
        ],
    )
    status = forms.ChoiceField(label="Status", choices=ACTION_STATUSES, widget=forms.RadioSelect)
    dwellings = forms.IntegerField(
        label="Aantal woningen",
        min_value=0,
        required=False,
        help_text="Alleen hele getallen, zonder punt.",
    )
    explanation = forms.CharField(
        label="Toelichting", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    checked = forms.BooleanField(label="Ik heb de gegevens gecontroleerd")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == "vertraagd" and not cleaned.get("explanation"):
            raise forms.ValidationError(
                "Geef bij de status ‘Vertraagd’ een toelichting: lezers willen weten waarom."
            )
        return cleaned


@register.simple_tag
def styleguide_form(bound=True):
    """A form with errors: a required field left empty, a number out of range and a
    non-field error."""
    if not bound:
        return StyleguideForm(auto_id="sg_%s")
    data = {"title": "", "party": "corporatie-a", "status": "vertraagd", "dwellings": "-4"}
    form = StyleguideForm(data, auto_id="sg_%s")
    form.is_valid()
    return form


PROJECTS = [
    ("Nieuwbouw Schinkelstraat", "Woningcorporatie A", "in_uitvoering", 48),
    ("Renovatie Maankwartier", "Woningcorporatie B", "in_voorbereiding", 120),
    ("Sloop Heesberg flats", "Woningcorporatie A", "gerealiseerd", 96),
    ("Transformatie kantoor Akerstraat", "Woningcorporatie C", "gepland", 1581),
    ("Verduurzaming Meezenbroek", "Woningcorporatie B", "vervallen", 32),
    ("Nieuwbouw Hoensbroek Centrum", "Woningcorporatie C", "in_uitvoering", 64),
]


def _table_class():
    numeric = {
        "th": {"class": "heerlen-num"},
        "td": {"class": "heerlen-num"},
        "tf": {"class": "heerlen-num"},
    }

    class StyleguideTable(tables.Table):
        caption = "Projecten per corporatie (voorbeeld)"

        name = tables.Column("Project", footer="Totaal")
        party = tables.Column("Corporatie")
        status = tables.Column("Status")
        dwellings = tables.Column(
            "Woningen",
            attrs=numeric,
            footer=lambda table: nl_number(sum(row["dwellings"] for row in table.data)),
        )

        class Meta:
            orderable = True

        def render_status(self, value, record):
            return render_badge(value, dict(PROJECT_STATUSES).get(value))

        def render_dwellings(self, value):
            return nl_number(value)

    return StyleguideTable


@register.simple_tag(takes_context=True)
def styleguide_table(context):
    rows = [
        {"name": name, "party": party, "status": status, "dwellings": dwellings}
        for name, party, status, dwellings in PROJECTS
    ]
    table = _table_class()(rows, prefix="sg-")
    request = context.get("request")
    if request is not None:
        RequestConfig(request, paginate={"per_page": 4}).configure(table)
    return table


@register.simple_tag
def styleguide_page(number=3):
    """Page ``number`` of 20, to show the pagination."""
    return Paginator(range(200), 10).get_page(number)


@register.simple_tag
def styleguide_breadcrumbs():
    def url(name, default):
        try:
            return reverse(name)
        except NoReverseMatch:
            return default

    return [("Dashboard", url("overview:dashboard", "/")), ("Stijlgids", url("styleguide", ""))]


@register.simple_tag
def styleguide_statuses(kind="action"):
    return ACTION_STATUSES if kind == "action" else PROJECT_STATUSES


@register.simple_tag
def styleguide_chart():
    """Actions per status: (value, label, count, share in %), and the total."""
    counts = {"niet_gestart": 6, "op_schema": 21, "vertraagd": 9, "afgerond": 14, "vervallen": 2}
    total = sum(counts.values())
    rows = [
        (value, label, counts[value], round(counts[value] * 100 / total, 1))
        for value, label in ACTION_STATUSES
    ]
    return {"rows": rows, "total": total}
