"""Fill the database with realistic demo releases, to try the site or measure it at scale.

The releases are made by :mod:`press.management.demo_releases` from the reference data and
a seed (the same seed gives the same releases), then written in batches with
``bulk_create``: the number of queries depends on the number of batches, never on a query
per release, so 100,000 releases take under a minute. The whole run is one transaction:
all the releases or none. A large run sets the RUM index aside and builds it again at the
end (press.search): kept up row by row, it would make the run three times longer.
"""

import datetime as dt
import random
import time
from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from press.management import demo_releases
from press.models import Release
from press.search import CREATE_RANK_INDEX, RANK_INDEX, ranks_by_index

# Slugs are checked against the database this many at a time: below SQLite's oldest limit
# of 999 parameters a query.
SLUG_CHECK_CHUNK = 900
# From this many releases the RUM index is built once at the end rather than kept up.
REBUILD_RANK_INDEX_FROM = 10_000


def positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


positive.__name__ = "positive whole number"


def existing_slugs(slugs):
    """Which of ``slugs`` releases already have: one query per ``SLUG_CHECK_CHUNK``."""
    found = set()
    for start in range(0, len(slugs), SLUG_CHECK_CHUNK):
        chunk = slugs[start : start + SLUG_CHECK_CHUNK]
        found.update(Release.objects.filter(slug__in=chunk).values_list("slug", flat=True))
    return found


class Command(BaseCommand):
    help = (
        "Add COUNT realistic releases (dates over the last 20 years, sources, places, fields "
        "of work and related countries from the reference data). The same --seed gives the "
        "same releases."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--count", type=positive, required=True, help="How many releases to add."
        )
        parser.add_argument(
            "--seed",
            type=int,
            help="Makes the releases reproducible; without it a seed is drawn and printed.",
        )
        parser.add_argument(
            "--batch-size",
            type=positive,
            default=2000,
            help="Releases written per batch (default 2000).",
        )
        parser.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            help="The newest date a release may have, YYYY-MM-DD (default yesterday).",
        )

    def handle(self, *args, count, seed=None, batch_size=2000, until=None, **options):
        if seed is None:
            seed = random.SystemRandom().randrange(1_000_000)
        until = until or timezone.localdate() - dt.timedelta(days=1)
        started = time.perf_counter()
        try:
            catalogue = demo_releases.Catalogue.load()
        except demo_releases.MissingReferenceData as error:
            raise CommandError(f"Cannot make demo releases: {error}.") from None

        releases = demo_releases.generate(catalogue, seed, until)
        seen, done, drafts = set(), 0, 0
        rebuild = count >= REBUILD_RANK_INDEX_FROM and ranks_by_index(connection.alias)
        with transaction.atomic():
            if rebuild:  # the table is locked until the end: a tool for demos and benchmarks
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP INDEX {RANK_INDEX}")
            while done < count:
                batch = list(islice(releases, min(batch_size, count - done)))
                self.write_batch(batch, seen)
                done += len(batch)
                drafts += sum(item.release.status == Release.Status.DRAFT for item in batch)
                elapsed = time.perf_counter() - started
                self.stdout.write(f"{done:>9,} / {count:,} releases  ({done / elapsed:,.0f}/s)")
            if rebuild:
                self.stdout.write("building the search ranking's index again")
                with connection.cursor() as cursor:
                    # The links' foreign keys are checked at commit; an index cannot be
                    # built on a table with checks pending, so they run now.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(CREATE_RANK_INDEX)

        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {count:,} demo releases ({count - drafts:,} published, {drafts:,} "
                f"drafts) with seed {seed}, dated up to {until.isoformat()}, on "
                f"{connection.vendor} in {elapsed:.1f} s ({count / elapsed:,.0f} releases/s)."
            )
        )

    def write_batch(self, batch, seen):
        """Insert one batch: its releases, then each many-to-many table's rows."""
        demo_releases.settle_slugs(batch, seen, existing_slugs)
        # SQLite and PostgreSQL both return the new primary keys from a bulk insert.
        Release.objects.bulk_create([item.release for item in batch])
        for through, rows in demo_releases.through_rows(batch).items():
            if rows:
                through.objects.bulk_create(rows)
