from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import newest
from core.admin import VersionedAdminMixin

from .models import Milestone, ReminderSent, ReportingRound, RoundItem, Submission


@admin.register(Milestone)
class MilestoneAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    list_display = ["due_date", "due_text", "action", "short_description", "responsible", "done_on"]
    list_filter = [newest(), "due_precision", "responsible"]
    search_fields = ["description", "code", "action__number"]
    list_select_related = ["action", "responsible"]
    show_full_result_count = False
    raw_id_fields = ["action", "done_by", "jaarschijf"]


class RoundItemInline(admin.StackedInline):
    model = RoundItem
    extra = 0
    raw_id_fields = ["indicator"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ["name", "jaarschijf", "deadline", "status", "closed_at"]
    list_filter = ["status", newest()]
    show_full_result_count = False  # a growing table: count it once
    readonly_fields = ["status", "closed_at", "closed_by", "snapshot"]
    inlines = [RoundItemInline]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    raw_id_fields = ["item"]
    list_display = ["item", "party", "author", "created_at"]
    list_select_related = ["item", "party", "author"]


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "key", "sent_at"]
    list_filter = ["kind"]
    readonly_fields = ["user", "kind", "key", "sent_at"]
