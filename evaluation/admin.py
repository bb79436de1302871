"""The vaststelling and the tenant views in the admin: to read, with their history.

Decisions and views are made by the parties themselves, through the services that check who
may and lock what they change; the admin shows them and their audit trail, and changes
nothing (a change here would bypass those checks).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import newest

from .models import Approval, TenantView, Vaststelling


class ReadOnlyAdmin(SimpleHistoryAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Vaststelling)
class VaststellingAdmin(ReadOnlyAdmin):
    raw_id_fields = ["jaarschijf"]
    list_display = ("jaarschijf", "completed_at", "completed_by")
    list_select_related = ("jaarschijf", "completed_by")


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    raw_id_fields = ["vaststelling"]
    list_display = ("party", "decision", "signer_name", "signer_function", "decided_at")
    list_filter = ("decision", newest("vaststelling__jaarschijf"))
    show_full_result_count = False  # a growing table: count it once
    list_select_related = ("party",)


@admin.register(TenantView)
class TenantViewAdmin(ReadOnlyAdmin):
    raw_id_fields = ["jaarschijf", "theme"]
    list_display = ("party", "theme", "jaarschijf", "submitted_at", "attachment_name")
    list_filter = (newest(),)
    show_full_result_count = False  # a growing table: count it once
    list_select_related = ("party", "theme", "jaarschijf")
    exclude = ("attachment",)
