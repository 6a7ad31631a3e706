"""Builders for test data that look like the real archive, on top of the reference data."""

import datetime as dt
import itertools

from django.utils import timezone

from institutions.models import Structure
from press.models import Release
from taxonomy.models import Country, CountryGroup, FieldOfWork, Place

_counter = itertools.count(1)


def field(slug):
    return FieldOfWork.objects.get(slug=slug)


def structure(slug):
    return Structure.objects.get(slug=slug)


def country(slug):
    return Country.objects.get(slug=slug)


def place(slug):
    return Place.objects.get(slug=slug)


def group(slug):
    return CountryGroup.objects.get(slug=slug)


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


def make_translated_pair():
    """An English release on elections in Moldova and its published Russian translation."""
    english = make_release(
        title="Observers report on the elections",
        fields=("elections",),
        countries=("moldova",),
        body="<p>The elections were held in calm.</p>",
    )
    russian = make_release(
        title="Наблюдатели о выборах",
        slug="nabliudateli-o-vyborakh",
        language="ru",
        translation_of=english,
        fields=("elections",),
        countries=("moldova",),
        body="<p>Выборы прошли спокойно.</p>",
    )
    return english, russian
