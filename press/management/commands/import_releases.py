"""Import archive pages (the seed's format) as published releases.

Each page is written in its own transaction: a bad page is reported by file name and
reason and leaves nothing behind, while the good pages beside it are imported. An import
stopped half-way (Ctrl-C, a killed process, a lost database) leaves whole pages only: run
it again and it carries on, the pages already imported reported unchanged.
"""

from contextlib import nullcontext

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from press.importer import Importer, page_files


class DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Import pages in the seed's format from files or folders of .txt files. Importing "
        "a page again updates its release; the exit status is 1 when any page failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Page files, or folders of .txt pages.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and report every page; write nothing."
        )

    def handle(self, *args, paths, dry_run=False, **options):
        importer = Importer()
        outcomes = []
        path = None
        try:
            # A real run commits page by page; a dry run rolls every page back at the end.
            with transaction.atomic() if dry_run else nullcontext():
                for path in page_files(paths):
                    outcome = importer.import_path(path)
                    outcomes.append(outcome)
                    self.report(outcome)
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        except KeyboardInterrupt:
            if dry_run:
                message = "Dry run interrupted: nothing was written."
                raise CommandError(message, returncode=130) from None
            if path is not None:
                message = f"INTERRUPTED {path}: nothing of it was written"
                self.stderr.write(self.style.ERROR(message))
            raise CommandError(
                f"Interrupted after {len(outcomes)} page(s), reported above; run the same "
                "command again to import the rest.",
                returncode=130,
            ) from None

        counts = dict.fromkeys(("created", "updated", "unchanged", "failed"), 0)
        for outcome in outcomes:
            counts[outcome.status] += 1
        summary = (
            f"{len(outcomes)} page(s): {counts['created']} created, {counts['updated']} "
            f"updated, {counts['unchanged']} unchanged, {counts['failed']} failed."
        )
        if not outcomes:
            raise CommandError("No pages found: name .txt files or folders that hold them.")
        if counts["failed"]:
            self.stdout.write(summary)
            raise CommandError(f"{counts['failed']} page(s) failed; see above.")
        self.stdout.write(self.style.SUCCESS(summary))

    def report(self, outcome):
        if outcome.status == "failed":
            self.stderr.write(self.style.ERROR(f"FAILED {outcome.name}: {outcome.reason}"))
            return
        self.stdout.write(f"{outcome.status:9} {outcome.name}: {outcome.title}")
        for note in outcome.notes:
            self.stdout.write(f"          - {note}")
