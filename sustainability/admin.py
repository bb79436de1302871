from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import VersionedAdminMixin

from .models import BatStock, EnergyLabelFigure, EnergyLabelNote


@admin.register(EnergyLabelFigure)
class EnergyLabelFigureAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["corporation", "year", "target", "realised", "jaarschijf"]
    list_filter = ["jaarschijf", "corporation", "year"]
    list_select_related = ["corporation", "jaarschijf"]
    readonly_fields = ["updated_by"]


@admin.register(EnergyLabelNote)
class EnergyLabelNoteAdmin(SimpleHistoryAdmin):
    list_display = ["corporation", "jaarschijf"]
    list_filter = ["jaarschijf"]
    search_fields = ["text"]


@admin.register(BatStock)
class BatStockAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["corporation", "bat_class", "count", "reference_date", "jaarschijf"]
    list_filter = ["jaarschijf", "corporation", "bat_class"]
    list_select_related = ["corporation", "jaarschijf"]
