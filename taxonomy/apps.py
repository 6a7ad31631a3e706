from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "taxonomy"
    verbose_name = "Reference data: terms, countries and the menu"

    def ready(self):
        from . import menu, usage
        from .models import (
            Country,
            CountryGroup,
            FieldOfWork,
            Meeting,
            Place,
        )

        menu.register(FieldOfWork, Meeting, Country, CountryGroup)
        menu.follow(FieldOfWork, "parent")
        menu.follow(Meeting, "parent")
        menu.follow(Country, "group")
        usage.guard(FieldOfWork, Meeting, CountryGroup, Country, Place)
