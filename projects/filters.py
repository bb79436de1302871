"""Filters of the project list.

The BAT class of a project is written in many ways in the document ("BAT-0", "BAT 0",
"BAT 0-2", "BAT-3/4", "BAT 2+", "88 BAT-0 59 BAT-2"). ``bat_classes`` reads them all into the
classes BAT0…BAT4, and ``bat_class_regex`` finds the same projects in the database, from the
``bat_class`` text and from the labels of the BAT breakdown rows.
"""

import re

import django_filters
from django.db.models import Exists, OuterRef, Q

from agreements.models import Party
from core.filters import FastSelect

from .models import Project, ProjectBreakdown

BAT_CLASSES = [
    ("BAT0", "BAT0 – geen toegankelijkheidsklasse"),
    ("BAT1", "BAT1 – wandelstokgeschikt"),
    ("BAT2", "BAT2 – rollatorbewoonbaar"),
    ("BAT3", "BAT3 – rolstoelbewoonbaar"),
    ("BAT4", "BAT4 – verpleegzorg thuis"),
]
HIGHEST_BAT = 4

_BAT_TOKEN = re.compile(r"bat\s*-?\s*([0-4])(?![0-9])(?:\s*([-/+])\s*([0-4])?)?", re.IGNORECASE)


def bat_classes(text: str) -> set[str]:
    """``'BAT 0-2'`` -> {BAT0, BAT1, BAT2}; ``'BAT-3/4'`` -> {BAT3, BAT4}; ``'BAT 2+'`` -> 2…4."""
    found = set()
    for match in _BAT_TOKEN.finditer(text or ""):
        low, joiner, high = int(match[1]), match[2], match[3]
        if joiner == "+":
            numbers = range(low, HIGHEST_BAT + 1)
        elif joiner == "-" and high is not None:
            numbers = range(low, int(high) + 1)
        elif joiner == "/" and high is not None:
            numbers = (low, int(high))
        else:
            numbers = (low,)
        found.update(f"BAT{n}" for n in numbers)
    return found


def bat_class_regex(code: str) -> str:
    """A regular expression, valid in PostgreSQL and SQLite alike, for texts naming a class.

    Mirrors ``bat_classes``: the class itself (also the start of a range, pair or "+"), a range
    ``a-b`` that spans it, a pair ``a/b`` that ends in it, or ``a+`` from below it.
    """
    n = int(code.removeprefix("BAT"))
    bat = r"bat\s*-?\s*"
    patterns = [
        rf"{bat}{n}([^0-9]|$)",
        rf"{bat}[0-{HIGHEST_BAT}]\s*/\s*{n}",
        rf"{bat}[0-{n}]\s*\+",
    ]
    if n > 0:
        patterns.append(rf"{bat}[0-{n - 1}]\s*-\s*[{n}-{HIGHEST_BAT}]")
    return "|".join(f"({p})" for p in patterns)


def neighbourhood_choices(jaarschijf):
    if jaarschijf is None:
        return []
    names = (
        Project.objects.filter(jaarschijf=jaarschijf)
        .exclude(neighbourhood="")
        .order_by("neighbourhood")
        .values_list("neighbourhood", flat=True)
        .distinct()
    )
    return [(name, name) for name in names]


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Zoeken", method="filter_text", max_length=200)
    category = django_filters.ChoiceFilter(
        label="Categorie",
        choices=Project.Category.choices,
        empty_label="Alle categorieën",
        widget=FastSelect,
    )
    corporation = django_filters.ModelChoiceFilter(
        label="Corporatie",
        queryset=Party.objects.corporations(),
        to_field_name="slug",
        empty_label="Alle corporaties",
        widget=FastSelect,
    )
    neighbourhood = django_filters.ChoiceFilter(
        label="Wijk", choices=[], empty_label="Alle wijken", widget=FastSelect
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=Project.Status.choices,
        empty_label="Alle statussen",
        widget=FastSelect,
    )
    bat = django_filters.ChoiceFilter(
        label="BAT-klasse",
        choices=BAT_CLASSES,
        method="filter_bat",
        empty_label="Alle BAT-klassen",
        widget=FastSelect,
        help_text="Ook bereiken als ‘BAT 0-2’ of ‘BAT 2+’.",
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, data=None, queryset=None, *, jaarschijf=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["neighbourhood"].extra["choices"] = neighbourhood_choices(jaarschijf)
        messages = {
            "category": "Kies een categorie uit de lijst.",
            "corporation": "Kies een corporatie uit de lijst.",
            "neighbourhood": "Kies een wijk uit de lijst.",
            "status": "Kies een status uit de lijst.",
            "bat": "Kies een BAT-klasse uit de lijst.",
        }
        for name, message in messages.items():
            self.form.fields[name].error_messages["invalid_choice"] = message

    def filter_text(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(neighbourhood__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset

    def filter_bat(self, queryset, name, value):
        if not value:
            return queryset
        pattern = bat_class_regex(value)
        breakdown = ProjectBreakdown.objects.filter(
            project=OuterRef("pk"), kind=ProjectBreakdown.Kind.BAT, label__iregex=pattern
        )
        return queryset.filter(Q(bat_class__iregex=pattern) | Exists(breakdown))
