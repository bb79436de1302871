from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import newest
from core.admin import VersionedAdminMixin, yes_no_column

from .models import Neighbourhood, Project, ProjectBreakdown


class BreakdownInline(admin.StackedInline):
    model = ProjectBreakdown
    extra = 0


@admin.register(Project)
class ProjectAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = [
        "name",
        "category",
        "neighbourhood",
        "corporation",
        "dwellings",
        "dwellings_comparator",
        "dwellings_state",
        "dwellings_text",
        "status",
        "realised_dwellings",
        "possible_duplicate_of",
        "jaarschijf",
    ]
    list_filter = [newest(), "category", "corporation", "neighbourhood", "status"]
    search_fields = ["name", "neighbourhood__name", "description", "dwelling_type"]
    inlines = [BreakdownInline]
    list_select_related = ["corporation", "jaarschijf", "possible_duplicate_of", "neighbourhood"]
    show_full_result_count = False
    raw_id_fields = ["possible_duplicate_of", "origin", "jaarschijf"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(ProjectBreakdown)
class ProjectBreakdownAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["project"]
    list_display = [
        "project",
        "kind",
        "label",
        "count",
        yes_no_column(ProjectBreakdown, "approximate"),
    ]
    list_filter = ["kind", newest("project__jaarschijf")]
    search_fields = ["label", "project__name"]
    list_select_related = ["project"]
    show_full_result_count = False


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["name", "sort_order"]
    search_fields = ["name"]
