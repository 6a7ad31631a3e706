from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "institutions"
    verbose_name = "Reference data: structures and field operations"

    def ready(self):
        from taxonomy import menu, usage

        from .models import Structure

        menu.register(Structure)
        menu.follow(Structure, "parent")
        usage.guard(Structure)
