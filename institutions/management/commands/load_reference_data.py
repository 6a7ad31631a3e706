"""Load the organisation's reference data: every tree and list of the seed page's menu.

Lives in ``institutions`` because it loads both reference-data apps and the menu that
points into both, and ``institutions`` is the one of them allowed to see the other.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from institutions.reference import load_reference_data


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Create or complete the fields of work, meetings, countries, places, "
        "chairpersonships, structures and menu from the seed. Safe to run again: it never "
        "deletes, renames or moves what editors changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        try:
            with transaction.atomic():
                report = load_reference_data()
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS("Reference data loaded."))
