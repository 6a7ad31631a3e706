from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = "Reference data: structures and field operations"

    def ready(self):
        from taxonomy import menu

        from .models import Structure

        menu.register(Structure)
