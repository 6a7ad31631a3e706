"""Every filter and sort of the finder is served by an index at archive scale (PostgreSQL).

The plans are read with EXPLAIN over 100,000 demo releases, after ANALYZE, as the
production database would plan them: the first page of any filter walks an index and
never reads the whole release table.
"""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from press.finder import Finder
from press.models import Release

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ARCHIVE = 100_000
QUERIES = {
    "newest": "",
    "oldest": "sort=oldest",
    "field": "field=human-rights",
    "source subtree": "source=secretariat",
    "country": "country=ukraine",
    "type": "type=statement",
    "dates": "date_from=2015-01-01&date_to=2015-03-31",
    "two filters": "field=human-rights&country=ukraine",
    "search": "q=election+observation",
    "search by relevance": "q=election+observation&sort=relevance",
}


@pytest.fixture
def archive():
    if connection.vendor != "postgresql":
        pytest.skip("plans are PostgreSQL's")
    call_command(
        "generate_demo_releases", count=ARCHIVE, seed=7, until=date(2026, 1, 31), verbosity=0
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def plan(query):
    finder = Finder(QueryDict(query), Release.objects.published())
    assert not finder.errors, finder.errors
    return finder.results()[:20].explain()


def test_every_finder_query_uses_an_index_at_100000_releases(archive, capsys):
    assert Release.objects.count() == ARCHIVE
    plans = {name: plan(query) for name, query in QUERIES.items()}
    with capsys.disabled():
        for name, text in plans.items():
            print(f"\n-- {name}: {QUERIES[name] or '(no filter)'}\n{text}")

    for name, text in plans.items():
        assert not re.search(r"Seq Scan on press_release\b(?!_)", text), (name, text)
    assert "release_list_order" in plans["newest"]
    assert "release_list_order" in plans["oldest"]
    assert "release_search" in plans["search"]
    assert "release_search" in plans["search by relevance"]

    # The same archive (generating it is most of this test's minute): deep pages.
    check_deep_pages(capsys)


def check_deep_pages(capsys):
    """Page 4,000 by a position (the Newer and Older links) seeks in the list-order index
    and sorts nothing. By its number alone (ids first), the plan is printed, not checked:
    PostgreSQL walks the index only once autovacuum has marked the table's pages visible
    (8 ms at page 4,898 in bench/README.md), which a test's transaction never sees."""
    published = Release.objects.published()
    edge = published.order_by("-published_at", "-pk")[79_979]
    finder = Finder(QueryDict(""), published)
    newest = finder.results()
    plans = {
        "older link": newest.older_than(edge.published_at, edge.pk)[:20].explain(),
        "newer link": newest.newer_than(edge.published_at, edge.pk).reverse()[:20].explain(),
    }
    by_number = newest.values_list("pk", flat=True)[79_980:80_000].explain()
    oldest = Finder(QueryDict("sort=oldest"), published).results()
    plans["older link, oldest first"] = oldest.newer_than(edge.published_at, edge.pk)[:20].explain()
    with capsys.disabled():
        for name, text in [*plans.items(), ("by number (not checked)", by_number)]:
            print(f"\n-- deep page, {name}\n{text}")
    for name, text in plans.items():
        assert "release_list_order" in text, (name, text)
        assert not re.search(r"Seq Scan on press_release\b(?!_)", text), (name, text)
        assert not re.search(r"^\s*(->\s*)?Sort\b", text, re.MULTILINE), (name, text)
