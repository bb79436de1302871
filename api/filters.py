"""Query parameters of the API's collections, in Dutch as the issue names them.

jaarschijf, thema, partij, status, categorie and corporatie. A bad value is refused with a
400 problem+json naming the parameter and the reason in Dutch (api/problems.py); an unknown
party or corporation is a bad value, not an empty list, so a typo never looks like "nothing".
"""

import django_filters
from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from agreements.models import (
    Action,
    ActionStatus,
    Indicator,
    Jaarschijf,
    Party,
    ProgressUpdate,
    Theme,
)
from projects.models import Project, ProjectCategory, ProjectStatus
from sustainability.models import BatStock, EnergyLabelFigure

MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_SMALL = 32767


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def year_filter(field_name: str = "jaarschijf__year") -> IntegerFilter:
    return IntegerFilter(
        field_name=field_name,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        help_text="Jaar van de jaarschijf, bv. 2024.",
        error_messages={
            "invalid": "Geef een jaartal, bijvoorbeeld 2024.",
            "min_value": f"Een jaarschijf is er vanaf {MIN_YEAR}.",
            "max_value": f"Een jaarschijf is er tot en met {MAX_YEAR}.",
        },
    )


def party_filter(*, corporations_only=False, **kwargs) -> django_filters.ModelChoiceFilter:
    what = "corporatie" if corporations_only else "partij"
    queryset = Party.objects.corporations() if corporations_only else Party.objects.all()
    return django_filters.ModelChoiceFilter(
        queryset=queryset,
        to_field_name="slug",
        error_messages={
            "invalid_choice": f"Onbekende {what}: gebruik een sleutel (slug) uit /api/v1/partijen."
        },
        **kwargs,
    )


def theme_filter(field_name: str) -> IntegerFilter:
    return IntegerFilter(
        field_name=field_name,
        min_value=0,
        max_value=MAX_SMALL,
        help_text="Nummer van het thema, bv. 1.",
        error_messages={"invalid": "Geef het nummer van een thema, bijvoorbeeld 1."},
    )


def choice_filter(choices, what: str, **kwargs) -> django_filters.ChoiceFilter:
    values = ", ".join(value for value, _label in choices)
    return django_filters.ChoiceFilter(
        choices=choices,
        error_messages={"invalid_choice": f"Onbekende {what}: kies uit {values}."},
        **kwargs,
    )


class JaarschijfFilter(filters.FilterSet):
    jaarschijf = year_filter("year")

    class Meta:
        model = Jaarschijf
        fields = []


class ThemeFilter(filters.FilterSet):
    jaarschijf = year_filter()

    class Meta:
        model = Theme
        fields = []


class PartyFilter(filters.FilterSet):
    soort = choice_filter(Party.Kind.choices, "soort", field_name="kind", help_text="Soort partij.")

    class Meta:
        model = Party
        fields = []


PARTY_OF_ACTION = (
    "Sleutel van een partij: afspraken waarbij zij betrokken is, ook via een collectief zoals "
    "‘Woningcorporaties’."
)


class ActionFilter(filters.FilterSet):
    jaarschijf = year_filter()
    thema = theme_filter("theme__number")
    partij = party_filter(method="filter_party", help_text=PARTY_OF_ACTION)
    status = choice_filter(
        ActionStatus.choices,
        "status",
        field_name="current_status",
        help_text="Status uit de laatste voortgangsupdate.",
    )

    class Meta:
        model = Action
        fields = []

    # A party's slug (the method hides the model field from drf-spectacular).
    @extend_schema_field({"type": "string", "description": PARTY_OF_ACTION})
    def filter_party(self, queryset, name, value):
        # Without a year, over the actions of every jaarschijf (takes_part).
        return queryset.involving(value, per_action=False) if value else queryset


class ProgressUpdateFilter(filters.FilterSet):
    jaarschijf = year_filter("action__jaarschijf__year")
    thema = theme_filter("action__theme__number")
    partij = party_filter(field_name="party", help_text="Partij namens wie de update is gedaan.")
    status = choice_filter(ActionStatus.choices, "status", help_text="Gemelde status.")

    class Meta:
        model = ProgressUpdate
        fields = []


class ProjectFilter(filters.FilterSet):
    jaarschijf = year_filter()
    categorie = choice_filter(
        ProjectCategory.choices, "categorie", field_name="category", help_text="Categorie."
    )
    corporatie = party_filter(
        corporations_only=True, field_name="corporation", help_text="Sleutel van de corporatie."
    )
    status = choice_filter(ProjectStatus.choices, "status", help_text="Status van het project.")

    class Meta:
        model = Project
        fields = []


class CorporationRowFilter(filters.FilterSet):
    jaarschijf = year_filter()
    corporatie = party_filter(
        corporations_only=True, field_name="corporation", help_text="Sleutel van de corporatie."
    )


class EnergyLabelFilter(CorporationRowFilter):
    class Meta:
        model = EnergyLabelFigure
        fields = []


class BatStockFilter(CorporationRowFilter):
    class Meta:
        model = BatStock
        fields = []


class IndicatorFilter(filters.FilterSet):
    jaarschijf = year_filter()
    thema = theme_filter("action__theme__number")

    class Meta:
        model = Indicator
        fields = []
