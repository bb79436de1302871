from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Afspraken"

    def ready(self):
        # Connects the history baseline: rows loaded from the document keep their state
        # before their first change, whichever path (form, admin, import) changes them.
        from . import history  # noqa: F401
