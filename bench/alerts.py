"""Email alerts at scale: matching a new release against 100,000 alerts, and a day's mail.

Usage:
    scripts/with-postgres .venv/bin/python bench/alerts.py [--alerts 100000] [--releases 20000]
    .venv/bin/python bench/alerts.py --alerts 10000 --releases 5000   # SQLite, throwaway

Makes ``--alerts`` confirmed alerts (with bulk_create, their keys as
:func:`alerts.matching.keys_of` makes them, checked on a sample against the finder's own
reading of their queries): one or two countries, fields of work, sources and types, some
with search words or dates, 40% immediate, 45% daily, 15% weekly, in English and Russian,
on top of ``--releases`` demo releases. Then, in process (absolute times, no server):

- one release matched (:func:`alerts.matching.matches`, its queries read afresh as a
  worker's tick reads them), over ``--sample`` archive releases: median and 95th percentile;
- the same done the naive way, each alert's search run through the finder against the one
  release, over ``--naive`` alerts, extrapolated to all;
- a day: ``--day`` releases published between 08:00 and 22:00 and matched, the immediate
  alerts written that evening, and the daily digests written at 07:00 the next morning
  (:func:`alerts.outbox.write_alerts`, time frozen), per message.
"""

import argparse
import datetime as dt
import random
import statistics
import time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from common import ensure_releases, setup_site

WORDS = {
    "en": [
        "elections",
        "media freedom",
        "human trafficking",
        "border",
        "gender equality",
        "cybersecurity",
        "police",
        "corruption",
        "water",
        "Roma",
        "small arms",
        "ceasefire",
    ],
    "ru": ["выборы", "свобода СМИ", "граница", "торговля людьми", "полиция", "коррупция"],
}


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def skewed(items, rng):
    """``items`` in a random order with weights falling by rank: a few popular terms."""
    items = list(items)
    rng.shuffle(items)
    return items, [1 / (rank + 1) ** 0.8 for rank in range(len(items))]


def draw(pool, rng, most=2):
    items, weights = pool
    count = 1 if most == 1 or rng.random() < 0.7 else 2
    chosen = []
    while len(chosen) < count:
        item = rng.choices(items, weights)[0]
        if item not in chosen:
            chosen.append(item)
    return chosen


def make_query(rng, pools, language):
    """(query, cleaned): an alert's finder parameters, as its links write them, and the
    values the finder reads from them."""
    cleaned = {}
    if rng.random() < 0.12:
        cleaned["q"] = rng.choice(WORDS[language])
    if rng.random() < 0.45:
        cleaned["field"] = draw(pools["field"], rng)
    if rng.random() < 0.55:
        cleaned["country"] = draw(pools["country"], rng)
    if rng.random() < 0.25:
        cleaned["source"] = draw(pools["source"], rng, most=1)
    if rng.random() < 0.15:
        cleaned["type"] = draw(pools["type"], rng)
    if not cleaned and rng.random() < 0.8:  # a few follow every release, most narrow
        cleaned["country"] = draw(pools["country"], rng, most=1)
    if rng.random() < 0.05:
        cleaned["date_from"] = dt.date(rng.choice([2024, 2025, 2026]), 1, 1)
        if rng.random() < 0.3:
            cleaned["date_to"] = dt.date(2025, 12, 31)  # ended: matches nothing new
    pairs = []
    for name in ("q", "field", "country", "source", "type", "date_from", "date_to"):
        value = cleaned.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            pairs += [(name, getattr(item, "slug", item)) for item in value]
        else:
            pairs.append((name, str(value)))
    return urlencode(pairs), cleaned


def make_alerts(count, day_start, rng):
    """``count`` confirmed alerts for ``count * 0.8`` subscribers, with their keys."""
    from alerts import matching
    from alerts.models import Alert, AlertKey, Subscriber
    from institutions.models import Structure
    from press.models import Release
    from taxonomy.models import Country, FieldOfWork

    used_sources = Release.objects.values("sources").distinct()
    pools = {
        "field": skewed(FieldOfWork.objects.all(), rng),
        "country": skewed(Country.objects.all(), rng),
        "source": skewed(Structure.objects.filter(pk__in=used_sources), rng),
        "type": skewed(Release.Type.values, rng),
    }
    confirmed = day_start - dt.timedelta(days=10)
    last_digest = day_start.replace(hour=7)  # this morning's: the next leaves tomorrow
    subscribers = Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{number}@example.net",
                language="ru" if number % 8 == 0 else "en",
                created_at=confirmed,
            )
            for number in range(int(count * 0.8))
        ),
        batch_size=5000,
    )
    alerts, keys, samples, taken = [], [], [], set()
    frequencies = ["immediately"] * 40 + ["daily"] * 45 + ["weekly"] * 15
    for number in range(count):
        subscriber = subscribers[number] if number < len(subscribers) else rng.choice(subscribers)
        while True:
            query, cleaned = make_query(rng, pools, subscriber.language)
            if (subscriber.pk, query) not in taken:
                taken.add((subscriber.pk, query))
                break
        found = matching.keys_of(cleaned)
        alert = Alert(
            subscriber=subscriber,
            query=query,
            language=subscriber.language,
            frequency=rng.choice(frequencies),
            facets=len(found),
            created_at=confirmed,
            confirmed_at=confirmed,
            last_sent_at=last_digest,
        )
        alerts.append(alert)
        keys.append(found)
        if number % (count // 300 or 1) == 0:
            samples.append((query, subscriber.language, found))
    for query, language, found in samples:  # the keys are the finder's reading
        read = matching.keys_of(matching.read_query(query, language))
        assert {facet: set(values) for facet, values in read.items()} == {
            facet: set(values) for facet, values in found.items()
        }, query
    Alert.objects.bulk_create(alerts, batch_size=5000)
    AlertKey.objects.bulk_create(
        (
            AlertKey(alert=alert, facet=facet, key=key)
            for alert, found in zip(alerts, keys, strict=True)
            for facet, values in found.items()
            for key in values
        ),
        batch_size=10000,
    )
    return alerts


def analyse():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def bench_matching(sample, trees):
    """{median, p95, candidates, matched} of matching each release of ``sample``."""
    from alerts import matching

    times, candidates, matched = [], [], []
    for release in sample:
        matching._read_cached.cache_clear()  # each tick reads the queries afresh
        start = time.perf_counter()
        found = matching.matches(release, trees)
        times.append(time.perf_counter() - start)
        matched.append(len(found))
        candidates.append(
            matching.candidates(release, matching.release_keys(release, trees)).count()
        )
    return {
        "median": statistics.median(times),
        "p95": statistics.quantiles(times, n=20)[-1],
        "candidates": statistics.median(candidates),
        "matched": statistics.median(matched),
    }


def naive_matches(release, alerts):
    """The alerts among ``alerts`` whose finder search finds ``release``: one each."""
    from django.http import QueryDict
    from django.utils import translation

    from press.finder import ReleaseFilter
    from press.models import Release

    found = []
    for alert in alerts:
        with translation.override(alert.language):
            releases = Release.objects.published().filter(pk=release.pk, language=alert.language)
            if ReleaseFilter(QueryDict(alert.query), queryset=releases).qs.exists():
                found.append(alert)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--releases", type=int, default=20_000, help="demo releases to have")
    parser.add_argument("--sample", type=int, default=200, help="releases matched one by one")
    parser.add_argument("--naive", type=int, default=1000, help="alerts searched the naive way")
    parser.add_argument("--day", type=int, default=60, help="releases in the day's mail")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    setup_site()
    import time_machine
    from django.conf import settings
    from django.db import connection

    from alerts import matching, outbox
    from alerts.models import Alert, Delivery, Matched, Message
    from press.models import Release

    rng = random.Random(args.seed)
    _, seconds = timed(lambda: ensure_releases(args.releases))
    print(f"database: {connection.vendor}; releases: {Release.objects.count():,} ({seconds:.0f} s)")

    zone = ZoneInfo(settings.TIME_ZONE)
    today = dt.datetime.now(zone).date()
    day = today - dt.timedelta(days=7)
    while (day + dt.timedelta(days=1)).weekday() == 0:  # no weekly digest the next morning
        day -= dt.timedelta(days=1)
    day_start = dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)

    if Alert.objects.exists():
        raise SystemExit("alerts are there already: run on a database of its own")
    alerts, seconds = timed(lambda: make_alerts(args.alerts, day_start, rng))
    analyse()
    keys = sum(alert.facets > 0 for alert in alerts)
    print(f"alerts: {len(alerts):,} made in {seconds:.0f} s ({keys:,} with keys)")

    # One release at a time, as a worker's tick meets it.
    archive = list(Release.objects.published().select_related("place").order_by("pk"))
    sample = rng.sample(archive, args.sample)
    trees, seconds = timed(matching.Trees)
    print(f"\nmatching one release (trees read once per tick: {seconds * 1000:.1f} ms)")
    result = bench_matching(sample, trees)
    print(
        f"  inverted: median {result['median'] * 1000:.1f} ms, p95 {result['p95'] * 1000:.1f} ms"
        f" over {len(sample)} releases; median {result['candidates']:,.0f} candidates, "
        f"{result['matched']:,.0f} matched"
    )

    few = rng.sample(alerts, args.naive)
    checked = sample[:5]
    _, seconds = timed(lambda: [naive_matches(release, few) for release in checked])
    per_alert = seconds / (len(checked) * len(few))
    print(
        f"  naive: {per_alert * 1000:.2f} ms an alert ({len(few):,} alerts x {len(checked)} "
        f"releases), so {per_alert * len(alerts):.0f} s a release for {len(alerts):,} alerts"
    )
    ids = {alert.pk for alert in few}
    for release in checked:  # both ways find the same alerts
        matching._read_cached.cache_clear()
        inverted = {alert.pk for alert in matching.matches(release, trees) if alert.pk in ids}
        assert inverted == {alert.pk for alert in naive_matches(release, few)}, release.pk
    print("  both ways agree on those alerts")

    # A day: releases between 08:00 and 22:00, matched; immediate mail in the evening,
    # digests at seven the next morning.
    window = (day_start - matching.NEWS_WINDOW, day_start + dt.timedelta(days=1))
    in_window = Release.objects.filter(published_at__gt=window[0], published_at__lte=window[1])
    Matched.objects.bulk_create(Matched(release=release) for release in in_window)
    news = [release.pk for release in rng.sample(archive, args.day)]
    for number, pk in enumerate(news):
        moment = day_start.replace(hour=8) + dt.timedelta(minutes=number * 14 * 60 // args.day)
        Release.objects.filter(pk=pk).update(published_at=moment)
    Matched.objects.filter(release_id__in=news).delete()

    evening = day_start.replace(hour=22, minute=30)
    with time_machine.travel(evening, tick=False):
        count, seconds = timed(lambda: matching.match_new_releases(evening))
    deliveries = Delivery.objects.count()
    print(
        f"\na day: {count} releases matched in {seconds:.1f} s "
        f"({seconds / count * 1000:.0f} ms each), {deliveries:,} deliveries"
    )
    with time_machine.travel(evening, tick=False):
        written, seconds = timed(lambda: outbox.write_alerts(evening))
    print(
        f"  immediate alerts written: {written:,} in {seconds:.1f} s "
        f"({seconds / max(written, 1) * 1000:.1f} ms a message)"
    )
    morning = day_start.replace(hour=7, minute=0, second=30) + dt.timedelta(days=1)
    with time_machine.travel(morning, tick=False):
        written, seconds = timed(lambda: outbox.write_alerts(morning))
    digests = Message.objects.filter(kind=Message.Kind.DIGEST)
    print(
        f"  daily digests written at 07:00: {written:,} in {seconds:.1f} s "
        f"({seconds / max(written, 1) * 1000:.1f} ms a message; {digests.count():,} digests, "
        f"{Delivery.objects.filter(message__isnull=True).count():,} deliveries left waiting "
        "for the weekly ones)"
    )


if __name__ == "__main__":
    main()
