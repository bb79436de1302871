from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "party", "role", "is_active", "last_login"]
    list_filter = ["role", "party", "is_active"]
    list_select_related = ["party"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Rol en partij", {"fields": ("role", "party")}),
        ("Herinneringen", {"fields": ("remind_milestones", "remind_rounds")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Rol en partij", {"fields": ("role", "party")}),
    )
