"""What pages cost in SQL queries: the fixed costs, a cold visit measured, and the check
that a page runs no query per release it shows."""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

# What a page served from the cache costs: one read of the versions (taxonomy.freshness),
# which keeps every process right whoever wrote last; no rendering, no other query.
CACHED_PAGE_QUERIES = 1
# What building the finder's index costs (press.engine), whatever the archive's size: the
# releases, 4 link tables, 3 trees' subtrees, 2 trees' order, the countries in the menu's
# order, the places, the releases with a lead image, and the names in other languages of
# the three trees' terms, the countries and the places.
INDEX_BUILD = 18


def cold_visit(client, url):
    """Visit ``url`` with the cache emptied (the page, the menu, the versions all read
    again): the response and the SQL of each query it ran."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured]


def assert_no_query_per_release(few, many, what="the page"):
    """``few`` and ``many`` are the queries of one page showing a few releases and showing
    many: as many queries both times, so none runs per release shown."""
    assert len(few) == len(many), (
        f"{what}: {len(few)} queries with a few releases, {len(many)} with many: {many}"
    )
