from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Kern"

    def ready(self):
        # Connects the history baseline: rows loaded from the document keep their state
        # before their first change, whichever path (form, admin, import) changes them.
        from . import history  # noqa: F401
