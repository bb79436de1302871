from django.apps import AppConfig
from django.db.models.signals import post_migrate

# ``__in`` on integer columns leaves out numbers no such column holds (registered on import).
from . import lookups  # noqa: F401
from .fragments import install_change_tracking


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Kern"

    def ready(self):
        # Signal wiring (lazy: models are ready only now). Connects the history baseline: rows loaded from the document keep their state
        # before their first change, whichever path (form, admin, import) changes them.
        from . import history  # noqa: F401

        # After every migrate: the change tracking behind the kept pages on every table.
        post_migrate.connect(install_change_tracking_after_migrate, sender=self)


def install_change_tracking_after_migrate(sender, using, **kwargs):
    install_change_tracking(using)
