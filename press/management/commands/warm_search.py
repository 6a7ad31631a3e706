"""Build the finder's index and read the postings of every common word into the shared
cache, in one pass.

``make serve`` starts it beside the server (osce_site/gunicorn_conf.py), so that after a
first deploy or an emptied cache no visitor waits for the index's build (10 s at 1,000,000
releases) or a common word's first reading (one to two seconds): press.engine.INDEX,
press.postings.warm. It does nothing on SQLite, which keeps no postings, nor with a cache
that is this process's own.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from press import engine, postings
from press.pagecache import versions

PROCESS_LOCAL = ("locmem", "dummy")


class Command(BaseCommand):
    help = (
        "Build the finder's index and read every common word's search postings into the "
        "shared cache, in one pass."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--least",
            type=int,
            default=postings.WARMED_FROM,
            help="Warm the words found in at least this many releases (default: %(default)s).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, least, database, **options):
        if not postings.kept_here(database):
            self.stdout.write("Nothing to warm: this database keeps no postings (SQLite).")
            return
        backend = settings.CACHES["default"]["BACKEND"].lower()
        if any(word in backend for word in PROCESS_LOCAL):
            self.stdout.write("Nothing to warm: the cache is each process's own (no REDIS_URL).")
            return
        started = time.monotonic()
        engine.INDEX.snapshot(versions(database)[0].key, database)
        self.stdout.write(
            f"Built the finder's index for the current versions in "
            f"{time.monotonic() - started:.1f} s."
        )
        warmed = postings.warm(database, least=least)
        self.stdout.write(
            self.style.SUCCESS(
                f"Warmed the search postings of {warmed.words:,} words in {least:,} releases "
                f"or more ({warmed.releases:,} word places read) in {warmed.seconds:.1f} s."
            )
        )
