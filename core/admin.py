"""Admin pieces shared by the apps."""


class VersionedAdminMixin:
    """An admin edit is an edit like any other: it bumps ``version``.

    Without this, a form someone opened before a beheerder's admin change would still match
    the stored version and silently overwrite that change.
    """

    def save_model(self, request, obj, form, change):
        if change and form.has_changed() and hasattr(obj, "version"):
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            instance = inline_form.instance
            if instance.pk and inline_form.has_changed() and hasattr(instance, "version"):
                instance.version += 1
        super().save_formset(request, form, formset, change)


class AppendOnlyAdminMixin:
    """Rows that are a record of what was said: they can be added or removed, never rewritten."""

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)
