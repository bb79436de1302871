from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import newest, newest_jaarschijven
from core.admin import VersionedAdminMixin

from .models import BatStock, EnergyLabelFigure, EnergyLabelGoal, EnergyLabelNote


class RecentYearFilter(admin.SimpleListFilter):
    """The years of the figures of the newest jaarschijven, and the year chosen: a list of every
    year with a figure grows with the data (a DISTINCT over every figure)."""

    title = "jaar"
    parameter_name = "jaar"

    def chosen(self) -> int | None:
        value = self.value()
        return int(value) if value and value.isdigit() and len(value) <= 4 else None

    def lookups(self, request, model_admin):
        years = set(
            model_admin.model.objects.filter(jaarschijf__in=newest_jaarschijven())
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
        if self.chosen() is not None:
            years.add(self.chosen())
        return [(year, str(year)) for year in sorted(years)]

    def queryset(self, request, queryset):
        if self.chosen() is not None:
            return queryset.filter(year=self.chosen())
        return queryset


@admin.register(EnergyLabelFigure)
class EnergyLabelFigureAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["corporation", "year", "target", "realised", "jaarschijf"]
    list_filter = [newest(), "corporation", RecentYearFilter]
    show_full_result_count = False  # a growing table: count it once
    list_select_related = ["corporation", "jaarschijf"]
    readonly_fields = ["updated_by"]


@admin.register(EnergyLabelNote)
class EnergyLabelNoteAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["corporation", "jaarschijf"]
    list_filter = [newest()]
    show_full_result_count = False  # a growing table: count it once
    search_fields = ["text"]


@admin.register(BatStock)
class BatStockAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["corporation", "bat_class", "count", "reference_date", "jaarschijf"]
    list_filter = [newest(), "corporation", "bat_class"]
    show_full_result_count = False  # a growing table: count it once
    list_select_related = ["corporation", "jaarschijf"]


@admin.register(EnergyLabelGoal)
class EnergyLabelGoalAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["jaarschijf", "year", "remaining"]
