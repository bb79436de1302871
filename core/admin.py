"""Admin pieces shared by the apps."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .models import VersionedModel


def yes_no_column(model, name: str):
    """A list column for the yes/no field ``name`` that says "Ja" or "Nee".

    Django's own column is an icon whose text for screen readers is "True" or "False".
    """
    field = model._meta.get_field(name)

    @admin.display(description=field.verbose_name, ordering=name)
    def column(obj):
        value = getattr(obj, name)
        return "onbekend" if value is None else ("Ja" if value else "Nee")

    column.__name__ = f"{name}_ja_nee"
    return column


class VersionedAdminMixin:
    """An admin edit is an edit like any other: it bumps ``version`` and sets ``updated_by``.

    Without this, a form someone opened before a beheerder's admin change would still match
    the stored version and silently overwrite that change.
    """

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if issubclass(self.model, VersionedModel) and "updated_by" not in fields:
            fields.append("updated_by")
        return fields

    def save_model(self, request, obj, form, change):
        if change and form.has_changed() and isinstance(obj, VersionedModel):
            obj.mark_changed(request.user)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed() and isinstance(instance, VersionedModel):
                instance.mark_changed(request.user)
        super().save_formset(request, form, formset, change)


class VersionedInlineMixin:
    """An inline of versioned rows shows who changed each row, read-only."""

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "updated_by"]


class AppendOnlyAdminMixin:
    """Rows that are a record of what was said: they can be added or removed, never rewritten."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None:
            return fields
        # Shown read-only: a yes/no field says "Ja" or "Nee", not Django's icon.
        return [
            yes_no_column(self.model, name) if _is_yes_no(self.model, name) else name
            for name in fields
        ]


def _is_yes_no(model, name) -> bool:
    try:
        return isinstance(model._meta.get_field(name), models.BooleanField)
    except FieldDoesNotExist:
        return False
