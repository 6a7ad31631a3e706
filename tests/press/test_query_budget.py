"""Every public page costs a fixed number of SQL queries, however many releases there are.

Each page is measured twice, over 3 and over 25 releases (each with 2 sources, 2 fields of
work and 2 related countries), cold (the cache emptied: the page, the menu, the content
version all rebuilt) and warm: the cold budget must hold both times and the two counts
must be equal, so no query runs per release shown; a warm page costs no query at all.
"""

import pytest
from django.core.cache import cache
from django.core.cache.backends.dummy import DummyCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from press.models import Release
from taxonomy import menu
from tests.helpers.queries import (
    CACHED_PAGE_QUERIES,
    INDEX_BUILD,
    assert_no_query_per_release,
    cold_visit,
)

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
    "home": 5,  # versions, menu, releases, terms, their other languages ("Also in")
    "release": 8,  # release, terms, attachments, its translations, related, newer and older
    "structure": 6,  # term, children (the departments), releases, terms
    "field-of-work": 5,  # term, releases, terms (a leaf: no children)
    "country": 7,  # term, chairpersonships, releases, terms, their other languages
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
    """A cold visit within ``budget`` queries, then a warm one from the cache: the cold
    visit's queries, and its response."""
    cache.clear()
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    with django_assert_max_num_queries(CACHED_PAGE_QUERIES):
        warm = client.get(url)
    assert warm.content == response.content
    return [query["sql"] for query in captured], response


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

    assert_no_query_per_release(few, many, page)


def list_queries(client, make_release):
    """The list's queries cold over 3 releases, then over 25 (a full page of 20)."""
    add_releases(make_release, 3)
    _, three = cold_visit(client, "/press-releases/")
    add_releases(make_release, 22, start=4)
    response, twenty_five = cold_visit(client, "/press-releases/")
    return three, twenty_five, response


def test_the_list_issues_no_query_per_release(client, make_release):
    """3 releases on the page, then a full page of 20: the same number of queries."""
    three, twenty_five, response = list_queries(client, make_release)

    assert response.context["page_obj"].paginator.count == 25
    assert len(response.context["releases"]) == 20
    assert_no_query_per_release(three, twenty_five, "the list")


@pytest.fixture
def a_query_per_card(monkeypatch):
    """Each release's card runs one query more: its link looks the release up first."""
    address = Release.get_absolute_url

    def get_absolute_url(release):
        Release.objects.filter(pk=release.pk).exists()
        return address(release)

    monkeypatch.setattr(Release, "get_absolute_url", get_absolute_url)


def test_a_query_per_release_fails_both_checks(
    client, make_release, django_assert_max_num_queries, a_query_per_card
):
    """What the tests above would see if a card ran a query: they can fail."""
    three, twenty_five, _ = list_queries(client, make_release)

    assert len(twenty_five) - len(three) == 20 - 3  # one more per release shown
    counts = f"the list: {len(three)} queries with a few releases, {len(twenty_five)} with many"
    with pytest.raises(AssertionError, match=counts):
        assert_no_query_per_release(three, twenty_five, "the list")
    budget = BUDGETS["list"] + INDEX_BUILD
    exceeded = f"Expected to perform {budget} queries or less"
    with pytest.raises(pytest.fail.Exception, match=exceeded):
        measure(client, "/press-releases/", budget, django_assert_max_num_queries)


def menu_reads(queries):
    """The menu's own reads among ``queries``: they select from the menu table (the country
    facet only looks up a menu position in a subquery)."""
    return [sql for sql in queries if sql.startswith('SELECT "taxonomy_menuitem"')]


def menu_reads_by_page(client):
    """The menu's reads on a first page, on the same page again (from the page cache), and
    on another page, rendered (not in the page cache yet) with the menu."""
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get("/press-releases/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/press-releases/")
    with CaptureQueriesContext(connection) as other:
        client.get("/countries/")
    assert len(warm) < len(cold)
    assert len(other) > CACHED_PAGE_QUERIES  # rendered, not read from the page cache
    return [menu_reads(q["sql"] for q in queries) for queries in (cold, warm, other)]


def test_the_menu_is_read_once_then_served_from_the_cache(client):
    cold, warm, other = menu_reads_by_page(client)

    assert cold
    assert not warm
    assert not other  # rendered with the menu from the cache


def test_a_menu_read_on_every_render_would_be_caught(client, monkeypatch):
    """With no menu cache, the other page reads the menu again: the test above fails."""
    monkeypatch.setattr(menu, "cache", DummyCache("none", {}))

    cold, warm, other = menu_reads_by_page(client)

    assert cold
    assert not warm  # the page cache alone hides it: hence the other page
    assert other == cold
