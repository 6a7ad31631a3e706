"""Every filter and sort of the finder is served by an index at archive scale (PostgreSQL).

The plans are read with EXPLAIN over 100,000 demo releases (and their translations, about
36,000 more), after ANALYZE, as the production database would plan them: the first page of
any filter walks an index and never reads the whole release table.
"""

import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict

from press.finder import Finder
from press.models import Release
from press.search import every_match_plan, search

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
    """The plan of the finder's rules in SQL (the FilterSet, which the index is held to and
    which a search's matches come from), first page in the chosen order."""
    finder = Finder(QueryDict(query), Release.objects.published())
    assert not finder.errors, finder.errors
    releases = finder.filtered()
    if finder.sort == "relevance":
        releases = releases.order_by("-rank", "-published_at", "-pk")
    elif finder.sort == "oldest":
        releases = releases.order_by("published_at", "pk")
    else:
        releases = releases.newest_first()
    return releases[:20].explain()


def test_every_finder_query_uses_an_index_at_100000_releases(archive, capsys):
    assert Release.objects.filter(translation_of=None).count() == ARCHIVE
    assert Release.objects.filter(language="ru").count() > ARCHIVE / 4
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

    # The same archive (generating it is most of this test's minute): deep pages, and a
    # common word's scored matches read through the GIN index.
    check_deep_pages(capsys)
    check_every_match_through_the_index(capsys)


def check_deep_pages(capsys):
    """Page 4,000, by its number or by a Newer or Older link: the finder's index gives its
    ids (no SQL), and the 20 rows come by primary key, whatever the page's depth."""
    published = Release.objects.published()
    finder = Finder(QueryDict(""), published)
    ids = finder.page_ids(4000, 20)
    assert len(ids) == 20
    edge = Release.objects.get(pk=ids[0])
    assert finder.step_ids("after", (edge.published_at, edge.pk), 19) == ids[1:]
    text = Release.objects.filter(pk__in=ids).for_listing().explain()
    with capsys.disabled():
        print(f"\n-- deep page 4,000: its rows by id\n{text}")
    assert not re.search(r"Seq Scan on press_release\b(?!_)", text), text


def check_every_match_through_the_index(capsys):
    """The query that gives the finder's index a search's matches and their scores (every
    match, for the total, the counts and the order) reads them through the GIN index with
    an exact bitmap, even for a word in most releases, where the planner alone would read
    the whole table and unpack every vector."""
    matches = search(Release.objects.published_or_scheduled(), "security").order_by()
    with every_match_plan(connection.alias):
        text = matches.values_list("pk", "rank").explain(analyze=True)
    with capsys.disabled():
        print(f"\n-- a common word's matches and their scores\n{text}")
    assert "Bitmap Index Scan on release_search" in text, text
    assert not re.search(r"Seq Scan on press_release\b(?!_)", text), text
    assert "lossy" not in text, text
