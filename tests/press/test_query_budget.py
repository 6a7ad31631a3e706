"""Every public page costs a fixed number of SQL queries, however many releases there are.

Each page is measured twice, over 3 and over 25 releases (each with 2 sources, 2 fields of
work and 2 related countries), cold (the cache emptied: the page, the menu, the content
version all rebuilt) and warm: the cold budget must hold both times and the two counts
must be equal, so no query runs per release shown; a warm page costs no query at all.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.helpers.queries import CACHED_PAGE_QUERIES, INDEX_BUILD

pytestmark = pytest.mark.django_db

SOURCES = ("conflict-prevention-centre", "transnational-threats-department")
FIELDS = ("human-rights", "gender-equality")
COUNTRIES = ("moldova", "ukraine")

# The budgets are the counts measured cold (the same on SQLite and PostgreSQL), each
# including the versions (1: taxonomy.freshness, read once per request) and the menu (1).
# Releases with their places (1) and their terms, every kind in one UNION (1). A finder
# page's filters, total and facet counts come from the finder's index (press.engine): no
# query, once its snapshot is built; after a change the first finder page builds it, in
# INDEX_BUILD queries whatever the archive's size (tests/press/test_engine.py). A root
# term's ancestors and a leaf's children cost nothing. The issue's ceiling is 8 cold.
BUDGETS = {
    "list": 4,  # versions, menu, releases, terms
    "home": 4,  # versions, menu, releases, terms
    "release": 8,  # release, terms, attachments, related, newer, older
    "structure": 6,  # term, children (the departments), releases, terms
    "field-of-work": 5,  # term, releases, terms (a leaf: no children)
    "country": 6,  # term, chairpersonships, releases, terms
}
FINDER_PAGES = {"list", "structure", "field-of-work", "country"}


def add_releases(make_release, count, start=1):
    return [
        make_release(
            title=f"Budget release {n:02d}",
            sources=SOURCES,
            fields=FIELDS,
            countries=COUNTRIES,
            place_slug="chisinau",
            days_ago=n,
        )
        for n in range(start, start + count)
    ]


def url_for(page, release):
    return {
        "list": "/press-releases/",
        "home": "/",
        "release": release.get_absolute_url(),
        "structure": "/structures/secretariat/",
        "field-of-work": "/fields-of-work/human-rights/",
        "country": "/countries/moldova/",
    }[page]


def measure(client, url, budget, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        warm = client.get(url)
    assert warm.content == response.content
    return len(captured), response


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_uses_a_constant_number_of_queries(
    client, make_release, django_assert_max_num_queries, page
):
    # Each measure follows new releases: a finder page rebuilds the index first.
    budget = BUDGETS[page] + (INDEX_BUILD if page in FINDER_PAGES else 0)
    first = add_releases(make_release, 3)[0]
    few, response = measure(client, url_for(page, first), budget, django_assert_max_num_queries)
    assert "Budget release 01" in response.content.decode()

    add_releases(make_release, 22, start=4)
    many, response = measure(client, url_for(page, first), budget, django_assert_max_num_queries)
    assert "Budget release 01" in response.content.decode()

    assert few == many, f"{page}: {few} queries over 3 releases, {many} over 25"


def test_the_list_issues_no_query_per_release(client, make_release):
    """3 releases on the page, then a full page of 20: the same number of queries."""
    add_releases(make_release, 3)
    cache.clear()
    with CaptureQueriesContext(connection) as three:
        client.get("/press-releases/")

    add_releases(make_release, 22, start=4)
    cache.clear()
    with CaptureQueriesContext(connection) as twenty_five:
        response = client.get("/press-releases/")

    assert response.context["page_obj"].paginator.count == 25
    assert len(response.context["releases"]) == 20
    assert len(three) == len(twenty_five), [q["sql"] for q in twenty_five]


def test_the_menu_is_read_once_then_served_from_the_cache(client):
    with CaptureQueriesContext(connection) as cold:
        client.get("/press-releases/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/press-releases/")

    assert len(warm) < len(cold)
    # The menu's own read selects from the menu table (the country facet only looks up a
    # menu position in a subquery).
    assert not any(query["sql"].startswith('SELECT "taxonomy_menuitem"') for query in warm)
    assert any(query["sql"].startswith('SELECT "taxonomy_menuitem"') for query in cold)
