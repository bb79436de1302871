from django import forms
from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from core.admin import (
    AppendOnlyAdminMixin,
    VersionedAdminMixin,
    VersionedInlineMixin,
    yes_no_column,
)

from .choices import ActionStatus
from .models import (
    Action,
    ActionParty,
    Evaluation,
    HeadlineFigure,
    Indicator,
    IndicatorValue,
    Jaarschijf,
    Party,
    ProgressEvidence,
    ProgressUpdate,
    Signatory,
    Theme,
)

#: The jaarschijf filter of a list shows this many of the newest jaarschijven (and the one
#: chosen): a list of every jaarschijf grows with the data. The URL takes any jaarschijf.
JAARSCHIJVEN_IN_FILTER = 8


def newest_jaarschijven():
    """The pks of the JAARSCHIJVEN_IN_FILTER newest jaarschijven: what a list filter offers."""
    return Jaarschijf.objects.order_by("-year").values_list("pk", flat=True)[
        :JAARSCHIJVEN_IN_FILTER
    ]


class NewestJaarschijvenFilter(admin.RelatedFieldListFilter):
    """``list_filter = [("jaarschijf", NewestJaarschijvenFilter)]`` (or a path that ends in a
    jaarschijf): the newest JAARSCHIJVEN_IN_FILTER jaarschijven and the chosen one."""

    def field_choices(self, field, request, model_admin):
        shown = list(newest_jaarschijven())
        chosen = self.lookup_val if isinstance(self.lookup_val, list) else [self.lookup_val]
        shown += [value for value in chosen if value and str(value).isdigit()]
        return field.get_choices(
            include_blank=False, limit_choices_to={"pk__in": shown}, ordering=("-year",)
        )


def newest(path: str = "jaarschijf") -> tuple:
    """A list filter on the jaarschijf at ``path`` that lists the newest jaarschijven."""
    return (path, NewestJaarschijvenFilter)


class SignatoryInline(admin.StackedInline):
    raw_id_fields = ["jaarschijf"]
    model = Signatory
    extra = 0


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "corporation", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    # Tick boxes, not Django's two-list widget (its search icons carry an ARIA label that
    # screen readers are not given): a party belongs to a handful of collectives at most.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    list_select_related = ["corporation"]


@admin.register(Jaarschijf)
class JaarschijfAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["previous"]
    list_display = ["year", "title", "municipality", "signed_on", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [SignatoryInline]


@admin.register(Theme)
class ThemeAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["number", "title", "jaarschijf"]
    list_filter = [newest()]
    show_full_result_count = False  # a growing table: count it once
    search_fields = ["title", "intro"]


class ActionPartyInline(admin.StackedInline):
    model = ActionParty
    extra = 0
    autocomplete_fields = ["party"]


class ProgressUpdateInline(AppendOnlyAdminMixin, admin.StackedInline):
    """The newest SHOWN updates of the action (an action may collect thousands); the list of
    voortgangsupdates has them all, searchable by the action's number."""

    #: The updates an action's admin page shows.
    SHOWN = 20

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    model = ProgressUpdate
    extra = 0
    verbose_name_plural = f"voortgangsupdates (de nieuwste {SHOWN})"
    fields = ["created_at", "status", "percent_done", "explanation", "author", "party"]
    readonly_fields = ["created_at", "author", "party"]
    show_change_link = True


class EvaluationInline(admin.StackedInline):
    model = Evaluation
    extra = 0
    readonly_fields = ["created_at", "author"]


def chosen_party(value: str | None) -> Party | None:
    """The party a list filter's value names, or None when it names none (a typed or stale
    address): the list is then empty, never an error."""
    if not value or not value.isascii() or not value.isdigit():
        return None
    return Party.objects.filter(pk=int(value)).first()


class LeadFilter(admin.SimpleListFilter):
    title = "trekker"
    parameter_name = "trekker"

    def lookups(self, request, model_admin):
        # EXISTS per party (one index probe each), not DISTINCT over every action's parties.
        leads = ActionParty.objects.filter(party=models.OuterRef("pk"), is_lead=True)
        return [(p.pk, p.name) for p in Party.objects.filter(models.Exists(leads))]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        party = chosen_party(self.value())
        if party is None:
            return queryset.none()
        return queryset.filter(action_parties__party=party, action_parties__is_lead=True).distinct()


class PartyFilter(admin.SimpleListFilter):
    title = "partij (ook via een collectief)"
    parameter_name = "partij"

    def lookups(self, request, model_admin):
        return [(p.pk, p.name) for p in Party.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        party = chosen_party(self.value())
        if party is None:
            return queryset.none()
        # Over the actions of every jaarschijf (takes_part).
        return queryset.involving(party, per_action=False)


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ActionStatus.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.with_progress().filter(current_status=self.value())
        return queryset


@admin.register(Action)
class ActionAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf", "theme"]
    list_display = ["number", "short_text", "theme", "leads", "current_status", "jaarschijf"]
    list_filter = [newest(), "theme__title", PartyFilter, LeadFilter, StatusFilter]
    search_fields = ["number", "text"]
    show_full_result_count = False
    inlines = [ActionPartyInline, ProgressUpdateInline, EvaluationInline]
    list_select_related = ["theme", "jaarschijf"]
    readonly_fields = ["origin"]

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        # On the add page ``obj`` is the new, unsaved action: it has no updates to limit.
        if isinstance(inline, ProgressUpdateInline) and obj is not None and obj.pk is not None:
            latest = obj.updates.order_by("-created_at", "-pk").values("pk")[: inline.SHOWN]
            kwargs["queryset"] = kwargs["queryset"].filter(pk__in=latest)
        return kwargs

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_progress()
            .prefetch_related("action_parties__party")
            .order_by("jaarschijf__year", "number_major", "number_minor")
        )

    @admin.display(description="afspraak")
    def short_text(self, obj):
        return obj.short_text

    @admin.display(description="trekker")
    def leads(self, obj):
        return ", ".join(ap.party.label for ap in obj.action_parties.all() if ap.is_lead) or "–"

    @admin.display(description="status", ordering="current_status")
    def current_status(self, obj):
        return ActionStatus(obj.current_status).label


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(AppendOnlyAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["action"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    list_display = ["action", "created_at", "status", "percent_done", "author", "party"]
    # A filter on the date instead of a date hierarchy: the hierarchy lists every year with
    # updates, a DISTINCT over all of them (109 ms at 237.327 updates).
    list_filter = ["status", "created_at", newest("action__jaarschijf"), "party"]
    search_fields = ["action__number", "explanation"]
    list_select_related = ["action", "author", "party"]
    show_full_result_count = False


@admin.register(ProgressEvidence)
class ProgressEvidenceAdmin(AppendOnlyAdminMixin, SimpleHistoryAdmin):
    """Evidence files are added with their update (content checked there); here they can be
    looked up or removed, not added or rewritten."""

    raw_id_fields = ["update"]

    list_display = ["original_name", "kind", "size", "update", "uploaded_by", "created_at"]
    list_select_related = ["update__action", "uploaded_by"]
    search_fields = ["original_name", "update__action__number"]

    def has_add_permission(self, request):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["action"]
    list_display = ["action", "assessment", "created_at", "author"]
    list_filter = ["assessment", newest("action__jaarschijf")]
    show_full_result_count = False  # a growing table: count it once
    search_fields = ["action__number", "explanation"]
    list_select_related = ["action", "author"]


class IndicatorValueInline(VersionedInlineMixin, admin.StackedInline):
    model = IndicatorValue
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(VersionedAdminMixin, SimpleHistoryAdmin):  # versioned inline values
    raw_id_fields = ["jaarschijf", "action"]
    list_display = ["name", "action", "unit", "jaarschijf"]
    list_filter = [newest(), "action__theme__title"]
    show_full_result_count = False  # a growing table: count it once
    search_fields = ["name", "code", "action__number"]
    inlines = [IndicatorValueInline]
    list_select_related = ["action", "jaarschijf"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["indicator"]
    list_display = [
        "indicator",
        "party",
        "period",
        "target_comparator",
        "target",
        "target_state",
        "realised_comparator",
        "realised",
    ]
    list_filter = [newest("indicator__jaarschijf"), "party"]
    search_fields = ["indicator__name", "period"]
    list_select_related = ["indicator", "party"]
    show_full_result_count = False


@admin.register(HeadlineFigure)
class HeadlineFigureAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["label", "printed_value", "source", "category", "year", "jaarschijf"]
    list_filter = [newest(), "source"]
    show_full_result_count = False  # a growing table: count it once


@admin.register(Signatory)
class SignatoryAdmin(admin.ModelAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["name", "function", "party", "jaarschijf"]
    list_filter = [newest()]
    show_full_result_count = False  # a growing table: count it once
    search_fields = ["name", "function"]


@admin.register(ActionParty)
class ActionPartyAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["action"]
    list_display = ["action", "party", yes_no_column(ActionParty, "is_lead"), "sort_order"]
    list_filter = [newest("action__jaarschijf"), "is_lead", "party"]
    search_fields = ["action__number", "party__name"]
    list_select_related = ["action", "party"]
    show_full_result_count = False
    autocomplete_fields = ["party"]
