from django.apps import AppConfig


class CycleConfig(AppConfig):
    name = "cycle"
    verbose_name = "Jaarcyclus"
    default_auto_field = "django.db.models.BigAutoField"
