"""The finder's timeline against its facet counts, over random filter combinations.

Usage:
    .venv/bin/python bench/timeline.py --count 100000          # SQLite, in a throwaway folder
    scripts/with-postgres .venv/bin/python bench/timeline.py --count 100000

Migrates a database (DATABASE_URL, else a throwaway SQLite file), loads the reference data,
generates ``--count`` demo releases (``generate_demo_releases --seed 7``; reusing what is
there), then draws ``--combinations`` random filter combinations (fields, sources,
countries, types, dates, some with a search) and, for each, once the finder has its answer
(the index's bitmap: both read it, neither asks the database), times:
- the facet counts (``Finder.facets``), what the finder pays on every page already;
- the timeline (``press.timeline.timeline``) and its template rendered;
and prints medians, the 95th percentile, the slowest, and the timeline's share of the facets'.
"""

import argparse
import io
import random
import statistics
import time

from common import setup_site

SEED = 7


def ensure_demo(count):
    """At least ``count`` releases (translations on top), the missing ones generated with
    seed 7."""
    from django.core.management import call_command
    from django.db import connection

    from press.models import Release

    missing = count - Release.objects.filter(translation_of=None).count()
    if missing > 0:
        call_command("generate_demo_releases", count=missing, seed=SEED, stdout=io.StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def combinations(number, chooser):
    """``number`` query strings' pairs: 0 to 2 values of each facet, dates in a third of
    them, a search word in a fifth."""
    from institutions.models import Structure
    from press.models import Release
    from taxonomy.models import Country, FieldOfWork

    fields = list(FieldOfWork.objects.values_list("slug", flat=True))
    sources = list(Structure.objects.values_list("slug", flat=True))
    countries = list(Country.objects.values_list("slug", flat=True))
    words = ["election", "border", "media", "water", "gender", "youth", "police"]
    drawn = []
    for _ in range(number):
        pairs = []
        for name, choices in (("field", fields), ("source", sources), ("country", countries)):
            chosen = chooser.sample(choices, chooser.choice([0, 0, 1, 2]))
            pairs += [(name, slug) for slug in chosen]
        chosen = chooser.sample(Release.Type.values, chooser.randint(0, 1))
        pairs += [("type", kind) for kind in chosen]
        if chooser.random() < 1 / 3:
            start = chooser.randint(2005, 2024)
            end = chooser.choice([start, min(2025, start + chooser.randint(1, 8))])
            pairs.append(("date_from", f"{start}-{chooser.randint(1, 12):02d}-01"))
            pairs.append(("date_to", f"{end}-12-31"))
        if chooser.random() < 1 / 5:
            pairs.append(("q", chooser.choice(words)))
        drawn.append(pairs)
    return drawn


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="releases to have")
    parser.add_argument("--combinations", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5, help="timings per combination")
    args = parser.parse_args()

    setup_site()
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from press.finder import Finder
    from press.models import Release
    from press.timeline import timeline

    ensure_demo(args.count)
    print(f"database: {connection.vendor}; releases: {Release.objects.count():,}")
    factory = RequestFactory()
    drawn = combinations(args.combinations, random.Random(SEED))

    def best_of(function):
        """The fastest of ``--repeat`` calls, in µs: the cost, without the machine's noise."""
        samples = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            function()
            samples.append((time.perf_counter() - start) * 1e6)
        return min(samples)

    facets, timelines, rendered, shares = [], [], [], []
    units, empty, queries, positions = {"year": 0, "month": 0}, 0, 0, 0
    start = time.perf_counter()
    for pairs in drawn:
        finder = Finder(factory.get("/press-releases/", pairs).GET, Release.objects.published())
        positions = len(finder.answer.snapshot)  # built once, and a search's matches: untimed
        with CaptureQueriesContext(connection) as captured:
            drawn_timeline = timeline(finder)
            finder.facets()
        queries += len(captured)
        if drawn_timeline is None:
            empty += 1
        else:
            units[drawn_timeline.unit] += 1
        facets.append(best_of(finder.facets))
        timelines.append(best_of(lambda finder=finder: timeline(finder)))
        rendered.append(
            best_of(
                lambda finder=finder: render_to_string(
                    "includes/timeline.html", {"timeline": timeline(finder)}
                )
            )
        )
        shares.append(timelines[-1] / facets[-1])
    elapsed = time.perf_counter() - start
    print(
        f"{len(drawn)} combinations in {elapsed:.1f} s (best of {args.repeat} each); "
        f"timelines: {units['year']} by year, {units['month']} by month, {empty} none "
        f"(no result or one period); queries while counting: {queries}; "
        f"index: {positions:,} positions"
    )
    print()
    print(f"{'per combination':36} {'median µs':>10} {'p95 µs':>10} {'max µs':>10}")
    for label, samples in (
        ("facet counts (Finder.facets)", facets),
        ("timeline (counts and bars)", timelines),
        ("timeline, rendered", rendered),
    ):
        print(
            f"{label:36} {statistics.median(samples):>10.0f} "
            f"{percentile(samples, 0.95):>10.0f} {max(samples):>10.0f}"
        )
    print()
    print(
        f"timeline / facets: median {statistics.median(shares):.1%}, "
        f"p95 {percentile(shares, 0.95):.1%}, max {max(shares):.1%}"
    )


if __name__ == "__main__":
    main()
