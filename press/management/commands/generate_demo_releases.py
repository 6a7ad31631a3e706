"""Fill the database with realistic demo releases, to try the site or measure it at scale.

The releases are made by :mod:`press.management.demo_releases` from the reference data and
a seed (the same seed gives the same releases), a share of them with translations
(:mod:`press.management.demo_translations`: about a third in Russian, a few in French,
German, Spanish or Italian, each a release of its own in its group), then written in
batches with ``bulk_create`` (on PostgreSQL with ``COPY``, which skips building and parsing
one long INSERT per batch): the number of queries depends on the number of batches, never
on a query per release, so 100,000 releases and their translations take about a minute.
The whole run is one transaction: all the releases or none. On PostgreSQL a large run sets
the text-search index aside (GIN) and builds it again at the end from its own definition:
kept up row by row, it would make the run several times longer.
"""

import datetime as dt
import io
import random
import time
from collections import Counter
from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from press.management import demo_releases, demo_translations
from press.models import Release

# Slugs are checked against the database this many at a time: below SQLite's oldest limit
# of 999 parameters a query.
SLUG_CHECK_CHUNK = 900
# From this many releases the search indexes are built once at the end rather than kept up.
REBUILD_SEARCH_INDEXES_FROM = 10_000
# The release table's text-search indexes (press.models), by access method.
SEARCH_INDEX_METHODS = ("gin",)


def positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


positive.__name__ = "positive whole number"


def share(text):
    value = float(text)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return value


share.__name__ = "share between 0 and 1"


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
        "of work and related countries from the reference data), a share of them with a "
        "Russian translation and a few with a French, German, Spanish or Italian one (on top "
        "of COUNT). The same --seed gives the same releases."
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
        parser.add_argument(
            "--translated",
            type=share,
            default=demo_translations.RUSSIAN_SHARE,
            help="The share of releases with a Russian translation, 0 to 1 (default "
            f"{demo_translations.RUSSIAN_SHARE}).",
        )
        parser.add_argument(
            "--other-languages",
            type=share,
            default=demo_translations.OTHER_SHARE,
            help="The share of releases translated into French, German, Spanish or Italian, 0 "
            f"to 1 (default {demo_translations.OTHER_SHARE}).",
        )

    def handle(
        self,
        *args,
        count,
        seed=None,
        batch_size=2000,
        until=None,
        translated=demo_translations.RUSSIAN_SHARE,
        other_languages=demo_translations.OTHER_SHARE,
        **options,
    ):
        if seed is None:
            seed = random.SystemRandom().randrange(1_000_000)
        until = until or timezone.localdate() - dt.timedelta(days=1)
        started = time.perf_counter()
        try:
            catalogue = demo_releases.Catalogue.load()
        except demo_releases.MissingReferenceData as error:
            raise CommandError(f"Cannot make demo releases: {error}.") from None

        releases = demo_translations.translated(
            demo_releases.generate(catalogue, seed, until),
            catalogue,
            seed,
            russian=translated,
            others=other_languages,
        )
        seen, done, drafts, languages = set(), 0, 0, Counter()
        rebuild = count >= REBUILD_SEARCH_INDEXES_FROM and connection.vendor == "postgresql"
        with transaction.atomic():
            # The table is locked until the end: a tool for demos and benchmarks.
            set_aside = set_aside_search_indexes() if rebuild else []
            while done < count:
                batch = list(islice(releases, min(batch_size, count - done)))
                self.write_batch(batch, seen)
                done += len(batch)
                drafts += sum(item.release.status == Release.Status.DRAFT for item in batch)
                languages.update(
                    copy.release.language for item in batch for copy in item.translations
                )
                elapsed = time.perf_counter() - started
                self.stdout.write(f"{done:>9,} / {count:,} releases  ({done / elapsed:,.0f}/s)")
            if set_aside:
                self.stdout.write("building the search indexes again")
                with connection.cursor() as cursor:
                    # The links' foreign keys are checked at commit; an index cannot be
                    # built on a table with checks pending, so they run now.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    for definition in set_aside:
                        cursor.execute(definition)

        elapsed = time.perf_counter() - started
        copies = sum(languages.values())
        by_language = ", ".join(f"{number:,} {code}" for code, number in sorted(languages.items()))
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {count:,} demo releases ({count - drafts:,} published, {drafts:,} "
                f"drafts) and {copies:,} translations of them ({by_language or 'none'}) with "
                f"seed {seed}, dated up to {until.isoformat()}, on {connection.vendor} in "
                f"{elapsed:.1f} s ({(count + copies) / elapsed:,.0f} releases/s)."
            )
        )

    def write_batch(self, batch, seen):
        """Insert one batch: its releases and their translations, then each many-to-many
        table's rows."""
        copies = [copy for item in batch for copy in item.translations]
        members = [*batch, *copies]
        demo_releases.settle_slugs(members, seen, existing_slugs)
        releases = [item.release for item in members]
        copying = connection.vendor == "postgresql"
        if copying:  # every id drawn first: the translations name their originals' in the COPY
            reserve_ids(Release, releases)
            link_originals(copies)
            fields = Release._meta.concrete_fields
            copy_rows(Release, fields, (saved_values(release, fields) for release in releases))
        else:  # SQLite returns the new primary keys from a bulk insert
            Release.objects.bulk_create(releases[: len(batch)])
            link_originals(copies)
            Release.objects.bulk_create(releases[len(batch) :])
        for through, ((own, other), pairs) in demo_releases.through_rows(members).items():
            if not pairs:
                continue
            if copying:
                fields = [through._meta.get_field(own), through._meta.get_field(other)]
                copy_rows(through, fields, pairs)
            else:
                through.objects.bulk_create(through(**{own: a, other: b}) for a, b in pairs)


def link_originals(copies):
    """Point each translation at its original, now that the original has its id."""
    for copy in copies:
        copy.release.translation_of_id = copy.release.translation_of.pk


def set_aside_search_indexes():
    """Drop the release table's text-search indexes; return the statements that make them
    again, read from the database itself."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT index.relname, pg_get_indexdef(index.oid)
            FROM pg_index
            JOIN pg_class index ON index.oid = pg_index.indexrelid
            JOIN pg_am method ON method.oid = index.relam
            WHERE pg_index.indrelid = %s::regclass AND method.amname = ANY(%s)
            """,
            [Release._meta.db_table, list(SEARCH_INDEX_METHODS)],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in found]


def reserve_ids(model, objects):
    """Give ``objects`` primary keys from their table's sequence, in one query, since
    COPY returns none."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, len(objects)],
        )
        for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
            obj.pk = pk


def saved_values(obj, fields):
    """What Django would write for ``obj``'s ``fields`` on insert: defaults, automatic
    timestamps, each value in the database's form."""
    return [field.get_db_prep_save(field.pre_save(obj, add=True), connection) for field in fields]


# COPY's text format: these characters are written as escapes inside a value.
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value):
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(COPY_ESCAPES)
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):  # and datetimes
        return value.isoformat()
    return str(value)


def copy_rows(model, fields, rows):
    """Write ``rows`` (values for ``fields``, as the database takes them) into ``model``'s
    table with COPY; a column left out takes its default. Triggers run as for an INSERT."""
    data = io.StringIO()
    data.writelines("\t".join(map(copy_value, row)) + "\n" for row in rows)
    data.seek(0)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", data)
