"""Restore a backup made by ``backup_site`` into an empty database and media storage.

It refuses a database that has any table at all, so a restore can never mix two sites
or overwrite one: make a new database (``createdb`` on PostgreSQL, a new file on SQLite)
and point ``DATABASE_URL`` at it. The archive is checked whole before anything is
written; a damaged or foreign archive is reported by name and reason.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from osce_site.backup import BackupError, add_pg_bindir_argument, read_archive, restore_backup


class Command(BaseCommand):
    help = (
        "Restore an archive made by backup_site into the database DATABASE_URL names, which "
        "must be empty (no tables), and into the media storage."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive made by backup_site.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check the archive (every file's size and SHA-256); write nothing.",
        )
        add_pg_bindir_argument(parser, "pg_restore")

    def handle(self, *args, path, check=False, pg_bindir=None, **options):
        started = time.monotonic()
        try:
            if check:
                manifest = read_archive(path)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{path} is whole: a {manifest['database']['vendor']} backup of "
                        f"{manifest['created_at']}, {sum(manifest['row_counts'].values())} "
                        f"rows, {len(manifest['media'])} media files. Nothing was written."
                    )
                )
                return
            restored = restore_backup(path, bindir=pg_bindir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} "
            f"({manifest['database']['vendor']}, Django {manifest['django_version']})."
        )
        for table, count in sorted(restored.tables.items()):
            self.stdout.write(f"  {table}: {count} rows")
        self.stdout.write(
            f"  media: {len(restored.media)} files written"
            + (f", {len(restored.media_skipped)} already there" if restored.media_skipped else "")
        )
        if restored.migrations_to_apply:
            self.stdout.write(
                self.style.WARNING(
                    f"This code has {len(restored.migrations_to_apply)} migrations the backup "
                    "lacks: run manage.py migrate."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(restored.tables.values())} rows in {len(restored.tables)} "
                f"tables and {len(manifest['media'])} media files, all checked against the "
                f"manifest, in {time.monotonic() - started:.1f} s."
            )
        )
