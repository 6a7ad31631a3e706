"""Import archive pages (the seed's format) as published releases.

Each page is written in its own transaction: a bad page is reported by file name and
reason and leaves nothing behind, while the good pages beside it are imported. An import
stopped half-way (Ctrl-C, a killed process, a lost database) leaves whole pages only: run
it again and it carries on, the pages already imported reported unchanged.

Pages are in English unless they say otherwise (a Language line, or the Russian archive's
labels) or ``--language`` says so. A translation is linked to its original when the page
names it (an Original line) or ``--translation-of`` does; the pages that name an original
are imported after the others, so a folder holding both links them in one run.
"""

from contextlib import nullcontext

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from press.importer import Importer, originals_first, page_files


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
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language of pages that do not say theirs (by a Language line or the "
            f"Russian archive's labels); {settings.LANGUAGE_CODE} by default. A page that "
            "says another language fails.",
        )
        parser.add_argument(
            "--translation-of",
            metavar="RELEASE",
            help="Link the one page imported as a translation of this release (its slug, "
            "address or title); it overrides an Original line on the page.",
        )

    def handle(self, *args, paths, dry_run=False, language=None, translation_of=None, **options):
        importer = Importer(language=language, original=translation_of)
        outcomes = []
        path = None
        try:
            files = originals_first(page_files(paths))
            if translation_of and len(files) > 1:
                raise CommandError(
                    f"--translation-of names the original of one page; {len(files)} were given."
                )
            # A real run commits page by page; a dry run rolls every page back at the end.
            with transaction.atomic() if dry_run else nullcontext():
                for path in files:
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
