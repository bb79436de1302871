"""API tokens in the beheer (admin): only the beheerder creates, sees and revokes them.

A new token's secret is shown once, on the page right after saving; it is never stored.
Tokens are revoked, not deleted: the history keeps naming them.
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers

from . import tokens
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["label", "party", "state", "expires_at", "last_used_at", "created_by"]
    list_filter = ["party"]
    list_select_related = ["party", "created_by"]
    search_fields = ["label", "prefix"]
    actions = ["revoke_selected"]
    readonly_fields = [
        "prefix",
        "state",
        "created_at",
        "created_by",
        "revoked_at",
        "revoked_by",
        "last_used_at",
        "account",
    ]

    @admin.display(description="status")
    def state(self, token):
        return token.state

    # Only the beheerder (the admin's staff may include others).
    def _is_beheerder(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and getattr(user, "is_beheerder", False)

    def has_module_permission(self, request):
        return self._is_beheerder(request)

    def has_view_permission(self, request, obj=None):
        return self._is_beheerder(request)

    def has_add_permission(self, request):
        return self._is_beheerder(request)

    def has_change_permission(self, request, obj=None):
        return self._is_beheerder(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # After creation only the label may change; party and expiry are what was issued.
        return [*self.readonly_fields, "party", "expires_at"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["label", "party", "expires_at"]
        return ["label", "party", "expires_at", *self.readonly_fields]

    def get_changeform_initial_data(self, request):
        return {
            "expires_at": tokens.default_expiry(),
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            tokens.rename_token(obj)
        else:
            request._api_token_secret = tokens.issue_token(obj, created_by=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_api_token_secret", None)
        if secret is None:  # pragma: no cover - save_model always sets it on add
            return super().response_add(request, obj, post_url_continue)
        response = TemplateResponse(
            request,
            "admin/api/apitoken/created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "API-token aangemaakt",
                "token": obj,
                "secret": secret,
            },
        )
        add_never_cache_headers(response)
        return response

    @admin.action(description="Geselecteerde API-tokens intrekken")
    def revoke_selected(self, request, queryset):
        revoked = sum(tokens.revoke_token(token, revoked_by=request.user) for token in queryset)
        self.message_user(
            request,
            f"{revoked} API-token(s) ingetrokken; een ingetrokken token werkt niet meer.",
            messages.SUCCESS,
        )
