from django.apps import AppConfig


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = "Email alerts"

    def ready(self):
        from . import checks, signals  # noqa: F401  the deploy check; publishing wakes the worker
