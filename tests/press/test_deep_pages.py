"""Deep pages: the Newer and Older links step by position (keyset), numbers still work.

The links carry where the page they lead to starts, so the database seeks there through
the list-order index instead of counting past every newer release, and a reader paging on
while a release is published sees none twice. A page asked for by its number alone finds
its ids in the finder's index. Both give the same pages.
"""

import datetime as dt
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press.finder import Finder, cursor, parse_cursor
from press.models import Release
from tests.helpers import factories

pytestmark = pytest.mark.django_db

PER_PAGE = 20
LIST_BUDGET = 6  # the finder page's cold budget (tests/press/test_query_budget.py)
LINK = re.compile(r'<a rel="(prev|next)" href="([^"]*)"')
CARD_TITLE = re.compile(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a>')


@pytest.fixture(scope="module")
def archive(module_db, django_db_blocker):
    """67 published releases (4 pages), many sharing a moment so ids break the ties, and
    a draft and a scheduled release that no page may show: made once for the module."""
    with django_db_blocker.unblock():
        _make_archive(factories.make_release)


def _make_archive(make_release):
    # Yesterday's noon: today's is still to come in the morning, and would be scheduled.
    yesterday = timezone.now() - dt.timedelta(days=1)
    noon = yesterday.replace(hour=12, minute=0, second=0, microsecond=0)
    for n in range(67):
        make_release(
            title=f"Deep release {n:02d}",
            fields=("human-rights",),
            published_at=noon - dt.timedelta(days=n // 3),  # three at each moment
        )
    make_release(title="Deep draft", status=Release.Status.DRAFT)
    make_release(title="Deep scheduled", published_at=timezone.now() + dt.timedelta(days=2))


def titles(response):
    """The releases listed, read off the page (a page from the cache has no context)."""
    return CARD_TITLE.findall(response.text)


def links(response):
    found = {rel: href.replace("&amp;", "&") for rel, href in LINK.findall(response.text)}
    return found.get("prev"), found.get("next")


def expected_order(sort):
    order = ("published_at", "pk") if sort == "oldest" else ("-published_at", "-pk")
    return list(Release.objects.published().order_by(*order).values_list("title", flat=True))


def walk(client, path, first_query, rel):
    """Follow ``rel`` links from ``path?first_query``: the pages' titles and responses."""
    response = client.get(f"{path}?{first_query}" if first_query else path)
    pages = []
    while True:
        assert response.status_code == 200, response.text[:500]
        pages.append(response)
        href = links(response)[0 if rel == "prev" else 1]
        if href is None:
            return pages
        response = client.get(href if href.startswith("/") else f"{path}{href}")


# Before the tests on the archive, which is made once for them (module_db).
def test_cursors_round_trip_to_the_microsecond(make_release):
    moment = dt.datetime(2021, 9, 24, 10, 30, 15, 123457, tzinfo=dt.UTC)
    release = make_release(published_at=moment)
    assert parse_cursor(cursor(release)) == (moment, release.pk)


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("path", ["/press-releases/", "/fields-of-work/human-rights/"])
def test_the_older_links_walk_every_release_once_in_order(client, archive, sort, path):
    query = "" if sort == "newest" else "sort=oldest"
    pages = walk(client, path, query, "next")

    assert [page.context["page_obj"].number for page in pages] == [1, 2, 3, 4]
    seen = [title for page in pages for title in titles(page)]
    assert seen == expected_order(sort)
    assert len(seen) == 67
    for page in pages[1:]:
        assert "after=" in page.request["QUERY_STRING"]  # reached by position, not number

    # And back again with the Newer links, from the last page to the first.
    last = pages[-1].request["QUERY_STRING"]
    back = walk(client, path, last, "prev")
    assert [titles(page) for page in reversed(back)] == [titles(page) for page in pages]
    assert "before=" in back[1].request["QUERY_STRING"]
    assert "before=" not in (links(back[-2])[0] or "")  # page 1 is a plain address


def test_a_page_by_position_is_the_page_by_number(client, archive):
    by_links = walk(client, "/press-releases/", "field=human-rights", "next")
    for number, page in enumerate(by_links, start=1):
        by_number = client.get(f"/press-releases/?field=human-rights&page={number}")
        assert by_number.status_code == 200
        assert titles(by_number) == titles(page)
        assert by_number.context["page_obj"].number == number


def test_pages_by_number_put_together_are_the_whole_list(client, archive):
    pages = [titles(client.get(f"/press-releases/?page={n}")) for n in (1, 2, 3, 4)]
    assert [title for page in pages for title in page] == expected_order("newest")


def test_paging_on_while_a_release_is_published_shows_none_twice(client, archive, make_release):
    first = client.get("/press-releases/")
    older = links(first)[1]
    make_release(title="Breaking: published while reading", days_ago=0)

    second = client.get(f"/press-releases/{older}")
    assert second.status_code == 200
    assert not set(titles(first)) & set(titles(second))
    everything = expected_order("newest")
    assert titles(second)[0] == everything[everything.index(titles(first)[-1]) + 1]
    # The page by number has moved on by one: its first release is the last one read.
    assert titles(client.get("/press-releases/?page=2"))[0] == titles(first)[-1]


@pytest.mark.parametrize(
    "bad",
    ["garbage", "12-", "-5", "1.5-2", "9" * 40 + "-1", "1-" + "9" * 40, "٣٣-1", "1--2", ""],
)
def test_a_damaged_position_is_a_400_and_the_page_by_number(client, archive, bad):
    response = client.get("/press-releases/", {"page": "2", "after": bad})
    if bad == "":
        assert response.status_code == 302  # an empty field is dropped from the address
        return
    assert response.status_code == 400
    assert "That link to a page of results is damaged" in response.text
    assert titles(response) == expected_order("newest")[PER_PAGE : 2 * PER_PAGE]


def test_a_position_past_the_end_gives_an_empty_page_not_an_error(client, archive):
    oldest = Release.objects.published().order_by("published_at", "pk").first()
    response = client.get("/press-releases/", {"page": "4", "after": cursor(oldest)})
    assert response.status_code == 200
    assert titles(response) == []


def test_a_search_by_relevance_pages_by_number(client, archive):
    by_number = client.get("/press-releases/?q=release&sort=relevance&page=2")
    assert by_number.status_code == 200
    prev, following = links(by_number)
    for href in (prev, following):
        assert "after=" not in (href or "")
        assert "before=" not in (href or "")
    someone = Release.objects.published().first()
    ignored = client.get(
        f"/press-releases/?q=release&sort=relevance&page=2&after={cursor(someone)}"
    )
    assert titles(ignored) == titles(by_number)


@pytest.mark.parametrize("page", [2, 4])
def test_a_deep_page_costs_what_the_first_costs(
    client, archive, page, django_assert_max_num_queries
):
    pages = walk(client, "/press-releases/", "", "next")
    address = "/press-releases/?" + pages[page - 1].request["QUERY_STRING"]
    for url in (address, f"/press-releases/?page={page}"):
        client.get("/")  # menu and versions warm, as on a live site
        with django_assert_max_num_queries(LIST_BUDGET):
            assert client.get(url + "&_=cold").status_code == 200


def test_facet_counts_are_shared_by_every_page_of_a_search(
    client, archive, make_release, django_assert_max_num_queries
):
    """The counts are computed once per search: page 2 (another address, so another cached
    page) does not count again, in either sort, until something is published."""
    client.get("/press-releases/?field=human-rights")
    with django_assert_max_num_queries(LIST_BUDGET - 2):
        again = client.get("/press-releases/?field=human-rights&page=2&sort=oldest")
    assert again.context["paginator"].count == 67

    make_release(title="One more on human rights", fields=("human-rights",), days_ago=0)
    fresh = client.get("/press-releases/?field=human-rights&page=2&sort=oldest")
    assert fresh.context["paginator"].count == 68
    assert "68" in fresh.text


def test_facet_counts_cost_no_query_and_equal_a_fresh_finders(client, archive):
    """Counting is intersecting bitmaps in memory: no query reads the link tables, and
    every count is the one a fresh finder gives."""
    plain = client.get("/press-releases/")
    with CaptureQueriesContext(connection) as queries:
        by_field = client.get("/press-releases/?field=democratization")
        by_another = client.get("/press-releases/?field=human-rights&sort=oldest")
    counted = " ".join(query["sql"] for query in queries.captured_queries)
    assert not re.search(r"\bCOUNT\s*\(", counted, re.IGNORECASE)

    both = client.get("/press-releases/?field=human-rights&country=moldova")

    for response, query in [
        (plain, {}),
        (by_field, {"field": "democratization"}),
        (by_another, {"field": "human-rights"}),
        (both, {"field": "human-rights", "country": "moldova"}),
    ]:
        fresh = Finder(QueryDict(urlencode(query)), Release.objects.published())
        assert [(f.name, f.options) for f in response.context["facets"]] == [
            (f.name, f.options) for f in fresh.facets()
        ]
