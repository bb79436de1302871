"""Filters of the action list (and of its Excel download, which uses the same filters)."""

import django_filters
from django import forms
from django.db.models import BooleanField, ExpressionWrapper, Q

from core.filters import FastSelect

from .models import CLOSED_STATUSES, Action, ActionStatus, Party, Theme

ROLE_INVOLVED, ROLE_LEAD = "betrokken", "trekker"
PARTY_ROLES = [
    (ROLE_INVOLVED, "betrokken (ook via een collectief)"),
    (ROLE_LEAD, "trekker"),
]


def needs_attention(status: str, is_stale: bool) -> bool:
    """Late (vertraagd), or open and without a recent update: the Python twin of
    ``with_attention`` for a page that has read status and staleness already (the dashboard
    then builds no second and third copy of the status subquery). Tests check they agree."""
    return status == ActionStatus.VERTRAAGD or (is_stale and status not in CLOSED_STATUSES)


def with_needs_attention(actions) -> list:
    """The actions (with ``with_progress()`` and ``with_staleness()``) as a list, each with
    ``needs_attention`` set by the Python twin."""
    actions = list(actions)
    for action in actions:
        action.needs_attention = needs_attention(action.current_status, action.is_stale)
    return actions


def with_attention(queryset, *, now=None):
    """Annotate ``needs_attention``: late (vertraagd), or open and without a recent update.

    "Recent" is ``Action.objects.stale()``'s notion (settings.STALE_AFTER_DAYS). The queryset
    must carry ``with_progress()``. Added as an annotation, so it costs no extra query.
    """
    return queryset.with_staleness(now=now).annotate(
        needs_attention=ExpressionWrapper(
            Q(current_status=ActionStatus.VERTRAAGD)
            | (Q(is_stale=True) & ~Q(current_status__in=CLOSED_STATUSES)),
            output_field=BooleanField(),
        )
    )


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Zoeken",
        method="filter_text",
        help_text="Nummer of woorden uit de afspraak.",
        max_length=200,
    )
    theme = django_filters.ModelChoiceFilter(
        label="Thema", queryset=Theme.objects.none(), empty_label="Alle thema's", widget=FastSelect
    )
    party = django_filters.ModelChoiceFilter(
        label="Partij",
        queryset=Party.objects.all(),
        method="filter_party",
        empty_label="Alle partijen",
        to_field_name="slug",
        widget=FastSelect,
    )
    role = django_filters.ChoiceFilter(
        label="Rol van de partij",
        choices=PARTY_ROLES,
        empty_label=None,
        null_label=None,
        method="filter_nothing",
        widget=FastSelect,
        help_text="Trekker: de partij zelf is trekker. Betrokken: ook via een collectief, "
        "zoals ‘Woningcorporaties’.",
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=ActionStatus.choices,
        field_name="current_status",
        empty_label="Alle statussen",
        widget=FastSelect,
    )
    stale_days = django_filters.NumberFilter(
        label="Geen update in (dagen)",
        method="filter_stale",
        min_value=1,
        max_value=3650,
        help_text="Bijvoorbeeld 90: afspraken zonder update in de laatste 90 dagen.",
    )
    attention = django_filters.BooleanFilter(
        label="Alleen ‘aandacht nodig’", widget=forms.CheckboxInput, method="filter_attention"
    )

    late = django_filters.BooleanFilter(
        label="Alleen ‘te laat’ (een mijlpaal over de termijn)",
        widget=forms.CheckboxInput,
        method="filter_late",
    )

    class Meta:
        model = Action
        fields = []

    def __init__(self, data=None, queryset=None, *, jaarschijf=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["theme"].queryset = (
            Theme.objects.filter(jaarschijf=jaarschijf) if jaarschijf else Theme.objects.none()
        )
        stale_field = self.form.fields["stale_days"]
        stale_field.error_messages.update(
            {
                "invalid": "Vul een heel aantal dagen in, bijvoorbeeld 90.",
                "min_value": "Vul minstens 1 dag in.",
                "max_value": "Vul hoogstens 3650 dagen in.",
            }
        )
        stale_field.widget.attrs.setdefault("inputmode", "numeric")
        self.form.fields["party"].error_messages["invalid_choice"] = "Kies een partij uit de lijst."
        self.form.fields["theme"].error_messages["invalid_choice"] = "Kies een thema uit de lijst."
        self.form.fields["role"].error_messages["invalid_choice"] = (
            "Kies ‘trekker’ of ‘betrokken (ook via een collectief)’."
        )
        self.form.fields["status"].error_messages["invalid_choice"] = (
            "Kies een status uit de lijst."
        )

    def filter_text(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(number__startswith=word) | Q(text__icontains=word) | Q(note__icontains=word)
            )
        return queryset

    def filter_party(self, queryset, name, value):
        if not value:
            return queryset
        if self.form.cleaned_data.get("role") == ROLE_LEAD:
            return queryset.involving(value, lead_only=True, directly=True)
        # An older link's "alleen als trekker" (lead_only=on) keeps its meaning.
        lead_only = (self.data or {}).get("lead_only") in ("on", "true", "True", "1")
        return queryset.involving(value, lead_only=lead_only)

    def filter_nothing(self, queryset, name, value):
        # Read by filter_party; on its own it means nothing.
        return queryset

    def filter_stale(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.stale(days=int(value))

    def filter_attention(self, queryset, name, value):
        if not value:
            return queryset
        return with_attention(queryset).filter(needs_attention=True)

    def filter_late(self, queryset, name, value):
        if not value:
            return queryset
        if "overdue_milestones" not in queryset.query.annotations:
            queryset = queryset.with_overdue_milestones()
        return queryset.filter(overdue_milestones__gt=0)

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(
            value not in (None, "", False) for value in self.form.cleaned_data.values()
        )
