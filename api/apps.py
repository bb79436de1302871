from django.apps import AppConfig


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API en open data"

    def ready(self):
        # Connects the receiver that names an API token in the history of what it changed.
        from . import tokens  # noqa: F401
