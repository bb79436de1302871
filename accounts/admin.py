# django-otp registers its own admin for the TOTP device: English labels it does not translate,
# and pages that show the secret key. Imported first so that it is registered, then replaced.
# django-axes likewise: its models describe themselves in English; the same admins are
# registered for our proxies with Dutch names (LoginAttempt, Login, FailedLogin).
from axes import admin as axes_admin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.admin import yes_no_column
from core.formats import nl_number

from .models import AuthenticatorApp, FailedLogin, Login, LoginAttempt, User

#: Django names its permissions "Can add …", stored in English: shown in Dutch here.
PERMISSION_ACTIONS = {
    "add": "toevoegen",
    "change": "wijzigen",
    "delete": "verwijderen",
    "view": "bekijken",
}


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, permission):
        model = permission.content_type.model_class()
        action = permission.codename.partition("_")[0]
        if model is None or permission.codename != f"{action}_{model._meta.model_name}":
            return str(permission)
        meta = model._meta
        return (
            f"{meta.app_config.verbose_name} | {meta.verbose_name} | {PERMISSION_ACTIONS[action]}"
        )


class DutchPermissionsMixin:
    """Rights as a plain list with their label, in Dutch: Django's two-list widget gives its
    search icons an ARIA label that screen readers are not given."""

    filter_horizontal = ()

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
            kwargs["queryset"] = db_field.remote_field.model.objects.select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(DutchPermissionsMixin, BaseGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(DutchPermissionsMixin, BaseUserAdmin):
    list_display = [
        "username",
        "get_full_name",
        "party",
        "role",
        yes_no_column(User, "is_active"),
        "last_login",
    ]
    list_filter = ["role", "party", "is_active"]
    list_select_related = ["party"]
    fieldsets = BaseUserAdmin.fieldsets + (
        ("Rol en partij", {"fields": ("role", "party")}),
        ("Herinneringen", {"fields": ("remind_milestones", "remind_rounds")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + (
        ("Rol en partij", {"fields": ("role", "party")}),
    )
    # What happened, not something to edit (and Django's split date/time field labels only
    # its first half for screen readers).
    readonly_fields = ["last_login", "date_joined"]


admin.site.unregister(TOTPDevice)


class ConfirmedFilter(admin.SimpleListFilter):
    title = "ingesteld"
    parameter_name = "ingesteld"

    def lookups(self, request, model_admin):
        return [("ja", "Ja"), ("nee", "Nee (nog niet bevestigd)")]

    def queryset(self, request, queryset):
        if self.value() == "ja":
            return queryset.filter(confirmed=True)
        if self.value() == "nee":
            return queryset.filter(confirmed=False)
        return queryset


@admin.register(AuthenticatorApp)
class AuthenticatorAppAdmin(admin.ModelAdmin):
    """Where a beheerder resets a lost or replaced phone: delete the user's app, and the user
    sets up a new one at the next login. Nobody adds or changes an app here (a known secret
    would defeat the second step) and the secret is never shown."""

    list_display = ["user_name", "app_name", "is_confirmed", "last_used", "failures"]
    list_display_links = ["user_name"]
    list_filter = [ConfirmedFilter]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    search_help_text = "Zoek op gebruikersnaam, naam of e-mailadres van de gebruiker."
    ordering = ["user__username", "pk"]
    fields = ["user_name", "app_name", "is_confirmed", "created", "last_used", "failures"]
    readonly_fields = fields

    @admin.display(description="gebruiker", ordering="user__username")
    def user_name(self, device):
        user = device.user
        full_name = user.get_full_name()
        return f"{full_name} ({user.username})" if full_name else user.username

    @admin.display(description="naam van de app", ordering="name")
    def app_name(self, device):
        return device.name

    @admin.display(description="ingesteld", ordering="confirmed")
    def is_confirmed(self, device):
        return "Ja" if device.confirmed else "Nee"

    @admin.display(description="aangemaakt", ordering="created_at", empty_value="onbekend")
    def created(self, device):
        return device.created_at

    @admin.display(description="laatst gebruikt", ordering="last_used_at", empty_value="nooit")
    def last_used(self, device):
        return device.last_used_at

    @admin.display(description="foute codes", ordering="throttling_failure_count")
    def failures(self, device):
        return device.throttling_failure_count

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LoginAttemptAdmin(axes_admin.AccessAttemptAdmin):
    # django-axes' own action fails (AttributeError: the request lacks the attempt time its
    # proxy handler sets during a login) and would report in English through an f-string
    # inside gettext ("Cleaned up 3 expired access attempts."), which no catalogue can
    # translate. The same action: the request prepared as django-axes does, told in Dutch.
    actions = ["cleanup_expired_attempts"]

    @admin.action(description="Verlopen pogingen opruimen")
    def cleanup_expired_attempts(self, request, queryset):
        AxesProxyHandler.update_request(request)
        count = self.handler.clean_expired_user_attempts(request=request)
        if count == 0:
            message = "Er waren geen verlopen inlogpogingen om op te ruimen."
        else:
            noun = "verlopen inlogpoging" if count == 1 else "verlopen inlogpogingen"
            message = f"{nl_number(count)} {noun} opgeruimd."
        self.message_user(request, message)


class FailedLoginAdmin(axes_admin.AccessFailureLogAdmin):
    list_display = [
        *(name for name in axes_admin.AccessFailureLogAdmin.list_display if name != "locked_out"),
        yes_no_column(AccessFailureLog, "locked_out"),
    ]


for library_model, proxy, model_admin in (
    (AccessAttempt, LoginAttempt, LoginAttemptAdmin),
    (AccessLog, Login, axes_admin.AccessLogAdmin),
    (AccessFailureLog, FailedLogin, FailedLoginAdmin),
):
    # Only where django-axes shows them (AXES_ENABLE_ADMIN).
    if admin.site.is_registered(library_model):
        admin.site.unregister(library_model)
        admin.site.register(proxy, model_admin)
