"""Which alerts a release matches, read from the release's terms: an inverted match.

Running every alert's search for each new release costs one search per alert; here each
alert's narrowing values are rows of :class:`AlertKey` (a field of work, a source, a
country, a type), and a release's values (its terms with every term above them, since
choosing a term chooses what lies below it; the country of its place; its type) find in
one indexed query the alerts whose every facet they meet. Only what keys cannot say is
checked after, on those few: the dates and the search words (one query per distinct
words, against the one release).
"""

import datetime as dt
from functools import cache

from django.db import IntegrityError, models, transaction
from django.http import QueryDict
from django.utils import timezone, translation

from institutions.models import Structure
from press.finder import ReleaseFilter
from press.models import Release, load_terms
from press.search import search
from taxonomy.models import FieldOfWork

from . import outbox
from .models import Alert, AlertKey, Delivery, Matched

# The facets an alert's keys come from: the finder's parameter, and a release's relation.
FACETS = ("field", "source", "country", "type")
KEYED_RELATIONS = ("countries", "fields_of_work", "sources")  # a release's, for its keys
# Immediate alerts take a release first: a subscriber following it both ways gets it now.
FREQUENCY_ORDER = [Alert.Frequency.IMMEDIATELY, Alert.Frequency.DAILY, Alert.Frequency.WEEKLY]
# How far back a release may have gone public and still be news: one backdated by an
# import (an archive page from 2015) reaches no one.
NEWS_WINDOW = dt.timedelta(days=2)
# How long a release is public before it is matched: a script that saves a release and
# then sets its countries in a second statement (no transaction) has set them by then.
SETTLE = dt.timedelta(seconds=10)
# What keys cannot say, checked on the candidates: only a query that names one of these
# is read through the finder (a few milliseconds each, most of a match's time otherwise).
CHECKED_AFTER = ("q", "date_from", "date_to")


def read_query(query, language):
    """The finder's cleaned values for ``query`` (an alert's), as the finder reads them."""
    with translation.override(language):
        filterset = ReleaseFilter(QueryDict(query), queryset=Release.objects.none())
        filterset.is_valid()
        return filterset.form.cleaned_data


def keys_of(cleaned):
    """{facet: [key]} of an alert's query: what :class:`AlertKey` keeps."""
    keys = {}
    for facet in FACETS:
        values = cleaned.get(facet) or ()
        found = [str(getattr(value, "pk", value)) for value in values]
        if found:
            keys[facet] = found
    return keys


def set_keys(alert):
    """Write ``alert``'s keys and facet count from its query (on saving a new alert)."""
    keys = keys_of(read_query(alert.query, alert.language))
    alert.facets = len(keys)
    alert.save(update_fields=["facets"])
    AlertKey.objects.filter(alert=alert).delete()
    AlertKey.objects.bulk_create(
        AlertKey(alert=alert, facet=facet, key=key)
        for facet, values in keys.items()
        for key in values
    )


class Trees:
    """Each tree term's parent, read once per batch: a release's terms with all above."""

    def __init__(self):
        self.parents = {
            model: dict(model._default_manager.values_list("pk", "parent_id"))
            for model in (FieldOfWork, Structure)
        }

    def with_ancestors(self, model, pks):
        parents, found = self.parents[model], set()
        for pk in pks:
            while pk is not None and pk not in found:
                found.add(pk)
                pk = parents.get(pk)
        return found


def release_keys(release, trees):
    """{facet: {key}} a release meets (its terms read by :func:`press.models.load_terms`)."""
    countries = {country.pk for country in release.terms["countries"]}
    if release.place_id and release.place.country_id:
        countries.add(release.place.country_id)
    fields = [field.pk for field in release.terms["fields_of_work"]]
    sources = [source.pk for source in release.terms["sources"]]
    return {
        "field": {str(pk) for pk in trees.with_ancestors(FieldOfWork, fields)},
        "source": {str(pk) for pk in trees.with_ancestors(Structure, sources)},
        "country": {str(pk) for pk in countries},
        "type": {release.type},
    }


def candidates(release, keys):
    """The active alerts in the release's language whose every facet the release meets:
    one query over the keys' index, and the alerts that narrow by no facet."""
    wanted = models.Q(pk__in=[])
    for facet, values in keys.items():
        if values:
            wanted |= models.Q(facet=facet, key__in=values)
    met = (
        AlertKey.objects.filter(wanted)
        .values("alert")
        .annotate(met=models.Count("facet", distinct=True))
        .filter(met=models.F("alert__facets"))
        .values("alert")
    )
    return (
        Alert.objects.active()
        .filter(language=release.language)
        .filter(models.Q(facets=0) | models.Q(pk__in=met))
        .select_related("subscriber")
    )


def matches(release, trees):
    """The alerts ``release`` matches, immediate ones first."""
    found = []
    by_words = {}
    published = timezone.localtime(release.published_at).date()
    for alert in candidates(release, release_keys(release, trees)):
        if QueryDict(alert.query).keys().isdisjoint(CHECKED_AFTER):
            found.append(alert)
            continue
        cleaned = read_cached(alert.query, alert.language)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if (start and published < start) or (end and published > end):
            continue
        words = cleaned.get("q")
        if words:
            by_words.setdefault(words, []).append(alert)
        else:
            found.append(alert)
    for words, alerts in by_words.items():
        with translation.override(release.language):  # the release's search configuration
            if search(Release.objects.filter(pk=release.pk), words).exists():
                found.extend(alerts)
    order = {frequency: index for index, frequency in enumerate(FREQUENCY_ORDER)}
    return sorted(found, key=lambda alert: (order[alert.frequency], alert.pk))


# The queries of one run, each read through the finder once (a term may move between runs).
read_cached = cache(read_query)


def newly_public(now=None):
    """Releases public by ``now`` within the news window that no worker matched yet."""
    now = now or timezone.now()
    settled = now - outbox.setting("SETTLE", SETTLE)
    return (
        Release.objects.published()
        .filter(published_at__gt=now - NEWS_WINDOW, published_at__lte=settled)
        .exclude(pk__in=Matched.objects.values("release_id"))
        .select_related("place")
        .order_by("published_at", "pk")
    )


def match_new_releases(now=None):
    """Match each release newly public: one :class:`Delivery` per subscriber it reaches.

    Each release in a transaction of its own that first claims it (:class:`Matched`'s
    primary key), so two workers never match one release twice, and a worker killed
    half-way leaves the rest for the next. Returns how many releases it matched.
    """
    read_cached.cache_clear()
    trees, count = Trees(), 0
    releases = load_terms(list(newly_public(now)), KEYED_RELATIONS)  # one query for all
    for release in releases:
        try:
            with transaction.atomic():
                Matched.objects.create(release=release)
                Delivery.objects.bulk_create(
                    [
                        Delivery(subscriber_id=alert.subscriber_id, release=release, alert=alert)
                        for alert in matches(release, trees)
                    ],
                    ignore_conflicts=True,  # one per subscriber: the first alert takes it
                )
        except IntegrityError:
            continue  # another worker matched it
        count += 1
    return count
