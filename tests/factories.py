"""Builders for test data that look like the real archive, on top of the reference data."""

import csv
import datetime as dt
import io
import itertools

from django.core.management import CommandError, call_command
from django.utils import timezone

from institutions.models import Structure
from press.models import Release
from taxonomy.models import Country, FieldOfWork, Place

_counter = itertools.count(1)


def field(slug):
    return FieldOfWork.objects.get(slug=slug)


def structure(slug):
    return Structure.objects.get(slug=slug)


def country(slug):
    return Country.objects.get(slug=slug)


def place(slug):
    return Place.objects.get(slug=slug)


def make_release(
    *,
    title=None,
    sources=("secretariat",),
    fields=(),
    countries=(),
    place_slug="vienna",
    days_ago=1,
    status=Release.Status.PUBLISHED,
    **values,
):
    """A release ``days_ago`` days old, filed under the given slugs; saved and returned."""
    number = next(_counter)
    values.setdefault("published_at", timezone.now() - dt.timedelta(days=days_ago))
    release = Release.objects.create(
        title=title or f"Release number {number} on co-operation",
        status=status,
        place=place(place_slug) if place_slug else None,
        body=values.pop("body", f"<p>VIENNA – Body of release {number}.</p>"),
        **values,
    )
    release.sources.set([structure(slug) for slug in sources])
    release.fields_of_work.set([field(slug) for slug in fields])
    release.countries.set([country(slug) for slug in countries])
    return release


def run_import(*args):
    """Run ``import_releases``; return (stdout, stderr, CommandError or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_releases", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


# What a page served from the cache costs: one read of the versions (taxonomy.freshness),
# which keeps every process right whoever wrote last; no rendering, no other query.
CACHED_PAGE_QUERIES = 1
# What building the finder's index costs (press.engine), whatever the archive's size: the
# releases, 4 link tables, 3 trees' subtrees, 2 trees' order, the countries in the menu's order.
INDEX_BUILD = 11


def csv_rows(text):
    """The rows of a CSV text, as dicts by the header's names."""
    return list(csv.DictReader(io.StringIO(text, newline="")))


def csv_text(rows):
    """CSV text of ``rows`` (dicts), the header from the first, as the export writes it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
