"""The finder's bitmap index at archive scale: build time, memory, and answers.

Usage:
    scripts/with-postgres .venv/bin/python bench/engine.py --count 100000
    scripts/with-postgres .venv/bin/python bench/engine.py --count 1000000
    .venv/bin/python bench/engine.py --count 20000      # SQLite, in a throwaway folder

Migrates a database (DATABASE_URL, else a throwaway SQLite file), loads the reference data,
generates ``--count`` demo releases (reusing what is there), then prints:
- how long a snapshot takes to build from the database, and to load from its pickled form
  (what a second worker does with a shared cache);
- the memory it holds per worker (arrays and bitmaps) and its pickled size;
- medians over ``--repeat`` runs of whole finder answers (filters, total, every facet's
  counts, one page of ids) for the kinds of request the long tail is made of, and of a
  relevance-sorted search, each with its SQL query count.
"""

import argparse
import pickle
import time

from common import ensure_releases, median_ms, setup_site

REQUESTS = [
    ("plain list", []),
    ("field", [("field", "human-rights")]),
    ("field x country", [("field", "human-rights"), ("country", "ukraine")]),
    ("field x source", [("field", "gender-equality"), ("source", "secretariat")]),
    (
        "country x type x dates",
        [("country", "serbia"), ("type", "news"), ("date_from", "2015-01-01"),
         ("date_to", "2020-12-31")],
    ),
    ("search x field", [("q", "election"), ("field", "elections")]),
    ("search by relevance", [("q", "election observation"), ("sort", "relevance")]),
    ("three filters, page 200", [("field", "human-rights"), ("source", "field-operations"),
                                 ("type", "press-release"), ("page", "200")]),
]  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="releases to have")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    setup_site()
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from press import engine
    from press.finder import Finder
    from press.models import Release

    ensure_releases(args.count)
    total = Release.objects.count()
    print(f"database: {connection.vendor}; releases: {total:,}")

    start = time.perf_counter()
    snapshot = engine.build()
    built = time.perf_counter() - start
    packed = pickle.dumps(snapshot, protocol=pickle.HIGHEST_PROTOCOL)
    start = time.perf_counter()
    pickle.loads(packed)
    loaded = time.perf_counter() - start
    print(f"build: {built:.2f} s; load from the cache's bytes: {loaded * 1000:.0f} ms")
    print(
        f"memory per worker: {snapshot.memory() / 2**20:.1f} MiB; "
        f"pickled: {len(packed) / 2**20:.1f} MiB; positions: {len(snapshot):,}; "
        f"terms: {sum(len(kind) for kind in snapshot.terms.values()):,}"
    )
    print()

    factory = RequestFactory()
    print(f"{'answer (median of ' + str(args.repeat) + ')':34} {'queries':>7} {'ms':>8}")
    for label, pairs in REQUESTS:

        def answer(pairs=pairs):
            request = factory.get("/press-releases/", pairs)
            finder = Finder(request.GET, Release.objects.published())
            number = int(request.GET.get("page", 1))
            finder.facets()
            finder.releases(finder.page_ids(number, 20))
            return finder

        answer()  # the snapshot, loaded once per process as a worker does
        engine.INDEX.forget_searches()
        with CaptureQueriesContext(connection) as queries:
            answer()
        timing = median_ms(lambda: (engine.INDEX.forget_searches(), answer()), args.repeat)
        print(f"{label:34} {len(queries):>7} {timing:>8.1f}")


if __name__ == "__main__":
    main()
