"""Django's ``makemessages``, with what this site's catalogues hold written down once.

The catalogues (``locale/<code>/LC_MESSAGES/django.po``) hold the public site's own text:
not the virtualenv's (Django and the admin bring their own translations), the tests', the
benchmarks', nor the admin's and django-axes' overridden templates. Without ``-l``, every
language of ``LANGUAGES`` but the site's own (English, the messages' source) is updated.
Locations name the file only, so that a moved line does not change the catalogue.
README, "Adding a language"; ``tests/test_catalogues.py`` holds the Russian one to it.
"""

from django.conf import settings
from django.core.management.commands import makemessages

IGNORED = [
    "var",
    "bench",
    "tests",
    "node_modules",
    "*.egg-info",
    "templates/admin",
    "templates/axes",
]


class Command(makemessages.Command):
    help = makemessages.Command.help + " Defaults to this site's catalogues and languages."

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *IGNORED]
        options["add_location"] = options["add_location"] or "file"
        if not (options["locale"] or options["exclude"] or options["all"]):
            options["locale"] = [
                code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
            ]
        return super().handle(*args, **options)
