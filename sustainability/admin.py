from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import newest
from core.admin import VersionedAdminMixin

from .models import BatStock, EnergyLabelFigure, EnergyLabelGoal, EnergyLabelNote


@admin.register(EnergyLabelFigure)
class EnergyLabelFigureAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["corporation", "year", "target", "realised", "jaarschijf"]
    list_filter = [newest(), "corporation", "year"]
    list_select_related = ["corporation", "jaarschijf"]
    readonly_fields = ["updated_by"]


@admin.register(EnergyLabelNote)
class EnergyLabelNoteAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["corporation", "jaarschijf"]
    list_filter = [newest()]
    search_fields = ["text"]


@admin.register(BatStock)
class BatStockAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["corporation", "bat_class", "count", "reference_date", "jaarschijf"]
    list_filter = [newest(), "corporation", "bat_class"]
    list_select_related = ["corporation", "jaarschijf"]


@admin.register(EnergyLabelGoal)
class EnergyLabelGoalAdmin(SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["jaarschijf", "year", "remaining"]
