"""What the finder costs at archive scale: its queries, and the forms it avoids.

Usage:
    scripts/with-postgres .venv/bin/python bench/finder.py [--count 100000] [--repeat 5]
    .venv/bin/python bench/finder.py --count 20000      # SQLite, in a throwaway folder

Migrates a database (DATABASE_URL, else a throwaway SQLite file), loads the reference data,
generates ``--count`` demo releases (reusing them when that many are already there), then
prints, as medians over ``--repeat`` runs:
- each finder request through Django's test client: its SQL query count and time;
- the subtree filter as the finder writes it (EXISTS over the tree's lft/rght range)
  against the usual JOIN with DISTINCT, for a count and for a first page;
- full-text search with the stored, GIN-indexed vector against icontains and against a
  vector computed per row (PostgreSQL only).
"""

import argparse

from common import ensure_releases, median_ms, setup_site

FINDER_URLS = [
    ("finder, plain", "/press-releases/"),
    ("finder, page 50", "/press-releases/?page=50"),
    ("finder, two filters", "/press-releases/?field=human-rights&source=field-operations"),
    ("finder, every filter", "/press-releases/?field=human-rights&source=secretariat"
     "&country=ukraine&type=press-release&date_from=2015-01-01&date_to=2024-12-31"),
    ("finder, search", "/press-releases/?q=election+observation"),
    ("finder, search by relevance", "/press-releases/?q=%22human+rights%22&sort=relevance"),
    ("term page, Secretariat", "/structures/secretariat/"),
    ("feed, two filters", "/press-releases/feed/?field=human-rights&source=field-operations"),
]  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="releases to have")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    setup_site()
    from django.core.cache import cache
    from django.db import connection, models, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from institutions.models import Structure
    from press.models import Release
    from taxonomy.models import FieldOfWork

    ensure_releases(args.count)
    total = Release.objects.count()
    print(f"database: {connection.vendor}; releases: {total:,}; median of {args.repeat} runs")
    print()

    client = Client(HTTP_HOST="localhost")
    print(f"{'request':32} {'queries':>7} {'ms':>9}")
    for label, url in FINDER_URLS:
        cache.clear()
        client.get(url)  # the menu and the ContentType cache, as in a running process
        reset_queries()  # the query log is capped: a full one would count nothing
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        elapsed = median_ms(lambda url=url: client.get(url), args.repeat)
        print(f"{label:32} {len(queries):7d} {elapsed:9.1f}")
    print()

    published = Release.objects.published()
    field = FieldOfWork.objects.get(slug="human-rights")
    operations = Structure.objects.get(slug="field-operations")
    exists = published.from_sources([operations])
    joined = published.filter(
        sources__tree_id=operations.tree_id,
        sources__lft__gte=operations.lft,
        sources__rght__lte=operations.rght,
    ).distinct()
    rows = [
        ("source subtree, EXISTS: count", lambda: exists.count()),
        ("source subtree, JOIN+DISTINCT: count", lambda: joined.count()),
        ("source subtree, EXISTS: first page", lambda: list(exists.newest_first()[:20])),
        (
            "source subtree, JOIN+DISTINCT: first page",
            lambda: list(joined.order_by("-published_at", "-pk")[:20]),
        ),
        ("field, EXISTS: first page", lambda: list(published.in_fields([field])[:20])),
    ]
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchVector

        query = SearchQuery("election observation", search_type="websearch", config="english")
        computed = SearchVector("title", "body", config="english")
        rows += [
            (
                "search, stored GIN vector: first page",
                lambda: list(published.filter(search_vector=query).newest_first()[:20]),
            ),
            (
                "search, icontains: first page",
                lambda: list(
                    published.filter(
                        models.Q(body__icontains="election observation")
                        | models.Q(title__icontains="election observation")
                    ).newest_first()[:20]
                ),
            ),
            (
                "search, vector per row: first page",
                lambda: list(published.annotate(v=computed).filter(v=query).newest_first()[:20]),
            ),
        ]
    print(f"{'query':44} {'ms':>9}")
    for label, run in rows:
        print(f"{label:44} {median_ms(run, args.repeat):9.2f}")


if __name__ == "__main__":
    main()
