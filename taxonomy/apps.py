from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "taxonomy"
    verbose_name = "Reference data: terms, countries and the menu"

    def ready(self):
        from . import menu
        from .models import Chairpersonship, Country, CountryGroup, FieldOfWork, Meeting, MenuItem

        menu.register(FieldOfWork, Meeting, Country, CountryGroup)
        menu.watch(Chairpersonship, MenuItem)
