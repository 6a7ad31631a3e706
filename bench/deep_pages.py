"""Deep pages: an OFFSET through the ORM against the finder's keyset step and deferred join.

Usage:
    scripts/with-postgres .venv/bin/python bench/deep_pages.py [--count 200000] [--repeat 5]

Migrates a database (DATABASE_URL, else a throwaway SQLite file), loads the reference data,
generates ``--count`` demo releases (reusing those already there), VACUUM ANALYZEs on
PostgreSQL (as autovacuum would), then prints, as medians over ``--repeat`` runs, the cost
of one page of 20 at OFFSET 20, 10,000 and 100,000 (or the deepest page there is):
- ``orm offset``: the listing queryset sliced, every column of every skipped row read;
- ``ids offset``: the finder's page by number: the ids at that offset, then the 20 rows;
- ``keyset``: the finder's Newer and Older links: the 20 rows after a position;
and the whole finder page through Django's test client both ways, facets cached.
"""

import argparse

from common import ensure_releases, median_ms, setup_site


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200_000, help="releases to have")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_site()
    from django.db import connection
    from django.test import Client

    from press.finder import cursor
    from press.models import Release

    ensure_releases(args.count, vacuum=True)
    listing = Release.objects.published().for_listing().newest_first()
    published = listing.count()
    print(f"database: {connection.vendor}; releases: {Release.objects.count():,} "
          f"({published:,} published); median of {args.repeat} runs")  # fmt: skip
    print()
    print(f"{'offset':>8} {'orm offset ms':>14} {'ids offset ms':>14} {'keyset ms':>10}")
    for offset in (20, 10_000, 100_000):
        offset = min(offset, published - 20)
        edge = listing[offset - 1]

        def orm(offset=offset):
            return list(listing[offset : offset + 20])

        def ids(offset=offset):
            found = list(listing.values_list("pk", flat=True)[offset : offset + 20])
            return list(listing.filter(pk__in=found))

        def keyset(edge=edge):
            return list(listing.older_than(edge.published_at, edge.pk)[:20])

        assert [r.pk for r in orm()] == [r.pk for r in ids()] == [r.pk for r in keyset()]
        times = [median_ms(step, args.repeat) for step in (orm, ids, keyset)]
        print(
            f"{offset:>8,} " + " ".join(f"{ms:>14.1f}" for ms in times[:2]) + f" {times[2]:>10.2f}"
        )

    client = Client(HTTP_HOST="127.0.0.1")
    number = min(5_000, (published - 1) // 20)
    edge = listing[(number - 1) * 20 - 1]
    client.get("/press-releases/")  # the menu and the facets, cached as on a live site
    pages = [
        (f"finder page {number:,} by number", f"/press-releases/?page={number}"),
        (f"finder page {number:,} by Older link",
         f"/press-releases/?page={number}&after={cursor(edge)}"),
    ]  # fmt: skip
    print()
    for label, url in pages:
        counter = iter(range(10**9))

        def get(url=url, counter=counter):
            response = client.get(f"{url}&_={next(counter)}")  # a new address: no page cache
            assert response.status_code == 200, response.status_code

        print(f"{label:38} {median_ms(get, args.repeat):8.1f} ms (page cache missed)")


if __name__ == "__main__":
    main()
