from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Kern"

    def ready(self):
        # Signal wiring (lazy: models are ready only now). Connects the history baseline: rows loaded from the document keep their state
        # before their first change, whichever path (form, admin, import) changes them.
        from . import history  # noqa: F401
