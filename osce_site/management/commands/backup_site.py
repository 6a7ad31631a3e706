"""Back the whole site up into one file: the database and every media file.

One archive to keep somewhere else and to restore with ``restore_site``; see
:mod:`osce_site.backup` for what it holds and why the copy is consistent while the site
runs.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from osce_site.backup import BackupError, add_pg_bindir_argument, create_backup


class Command(BaseCommand):
    help = (
        "Write the database and every media file into one archive at PATH (a tar file), "
        "for restore_site. The site may keep running meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive to write, e.g. backups/site-2026-11-28.tar")
        parser.add_argument("--force", action="store_true", help="Replace PATH if it exists.")
        add_pg_bindir_argument(parser, "pg_dump")

    def handle(self, *args, path, force=False, pg_bindir=None, **options):
        started = time.monotonic()
        try:
            manifest = create_backup(path, force=force, bindir=pg_bindir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["row_counts"].values())
        media = manifest["media"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {manifest['database']['vendor']}: {len(manifest['row_counts'])} "
                f"tables, {rows} rows, {len(media)} media files "
                f"({sum(entry['size'] for entry in media)} bytes) to {path} "
                f"in {time.monotonic() - started:.1f} s."
            )
        )
