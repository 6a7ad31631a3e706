"""Searches sorted by relevance: the finder's index gives the order SQL would.

A search's matches come from the database once, each with its score (PostgreSQL's
``ts_rank``, SQLite's fallback score), grouped by score in the index (press.engine.Scores);
every page, filter and sort of that search is then read from those groups with no query.
Each test holds the pages to an oracle: the whole order in one SQL statement, best score
first, then newest.
"""

import datetime as dt
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pyroaring import BitMap

from press import engine
from press.finder import Finder
from press.models import Release
from press.search import search
from tests.helpers.pages import card_titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def ceasefires(make_release):
    """Fourteen matches of "ceasefire" of every strength (title, body, both, repeated), two
    sources, and a release that does not match."""
    bodies = [
        "<p>Ceasefire. The ceasefire held; the ceasefire was welcomed.</p>",
        "<p>The ceasefire held overnight.</p>",
        "<p>Talks went on; a ceasefire was mentioned at the end of a long day of talks.</p>",
    ]
    for number in range(14):
        title = "Ceasefire talks resume" if number % 4 == 0 else f"Talks, round {number}"
        make_release(
            title=title,
            body=bodies[number % 3],
            sources=("secretariat",) if number % 2 else ("mission-to-moldova",),
            days_ago=number % 5 + 1,  # ties in time too: the id breaks them
        )
    make_release(title="Youth forum opens", body="<p>Young people debate.</p>")


def oracle(query, **filters):
    """Every public match of ``query``, best first then newest, in one statement."""
    matches = search(Release.objects.published().filter(**filters), query)
    ordered = matches.order_by("-rank", "-published_at", "-pk")
    return list(ordered.values_list("pk", flat=True))


def pages(query, size, **params):
    """Every page of ``size`` of the finder's answer, by relevance, one after another."""
    data = QueryDict(urlencode({"q": query, "sort": "relevance", **params}))
    finder = Finder(data, Release.objects.published())
    assert not finder.errors, finder.errors
    found, number = [], 1
    while ids := finder.page_ids(number, size):
        found += ids
        number += 1
    return found


def search_queries(queries):
    """The SQL of ``queries`` that reads a search's matches (PostgreSQL's vector, or the
    fallback's folded text on SQLite)."""
    return [
        query["sql"]
        for query in queries
        if "search_vector" in query["sql"] or "press_folded" in query["sql"]
    ]


@pytest.mark.parametrize("size", [1, 3, 4, 20])
def test_pages_by_relevance_follow_the_whole_order(ceasefires, size):
    expected = oracle("ceasefire")
    assert len(expected) == 14
    assert pages("ceasefire", size) == expected
    moldova = oracle("ceasefire", sources__slug="mission-to-moldova")
    assert 0 < len(moldova) < len(expected)
    assert pages("ceasefire", size, source="mission-to-moldova") == moldova


def test_a_search_asks_the_database_once_whatever_its_pages_filters_and_sorts(ceasefires):
    """The first page reads the matches and their scores in one query; every other page,
    filter and sort of the same search reads them from the index."""
    expected = oracle("ceasefire")
    moldova = oracle("ceasefire", sources__slug="mission-to-moldova")
    with CaptureQueriesContext(connection) as first:
        assert pages("ceasefire", 5) == expected
    assert len(search_queries(first)) == 1

    with CaptureQueriesContext(connection) as later:
        assert pages("ceasefire", 2, source="mission-to-moldova") == moldova
        finder = Finder(QueryDict("q=ceasefire&sort=newest"), Release.objects.published())
        assert finder.total() == 14
        finder.facets()
    assert search_queries(later) == []


def test_a_title_match_ranks_above_body_only_matches(client, make_release):
    make_release(title="Chair welcomes ceasefire talks", body="<p>Talks resumed.</p>", days_ago=5)
    make_release(title="Observers report", body="<p>The ceasefire held.</p>", days_ago=1)
    make_release(title="Team arrives", body="<p>Work, then ceasefire violations.</p>", days_ago=2)

    response = client.get("/press-releases/", {"q": "ceasefire", "sort": "relevance"})

    assert card_titles(response) == [
        "Chair welcomes ceasefire talks",
        "Observers report",
        "Team arrives",
    ]


def test_a_scheduled_match_takes_its_place_at_its_due_second(ceasefires, make_release):
    """Scheduled releases are scored with the rest; they count from their due second, in
    the place their score gives them, with no new query."""
    due = timezone.now().replace(microsecond=0) + dt.timedelta(hours=3)
    scheduled = make_release(
        title="Ceasefire, ceasefire",
        body="<p>Ceasefire. The ceasefire holds; ceasefire monitors report.</p>",
        published_at=due,
    )
    expected = oracle("ceasefire")
    assert scheduled.pk not in expected
    assert pages("ceasefire", 4) == expected
    with time_machine.travel(due, tick=False):
        with CaptureQueriesContext(connection) as queries:
            after = pages("ceasefire", 4)
        assert after == oracle("ceasefire")
    assert after[0] == scheduled.pk
    assert after[1:] == expected
    assert search_queries(queries) == []


def test_a_page_of_the_scores_crosses_from_one_score_to_the_next():
    """Every offset and size over three scores, an answer narrowed or whole: best score
    first, newest (the higher position) first within one."""
    scores = engine.Scores([(0.9, BitMap([1, 5])), (0.6, BitMap([2, 3, 7])), (0.1, BitMap([4]))])
    assert scores.matches == BitMap([1, 2, 3, 4, 5, 7])
    for matching, order in [
        (scores.matches, [5, 1, 7, 3, 2, 4]),
        (BitMap([1, 3, 4, 7, 9]), [1, 7, 3, 4]),  # 9 is not a match: no score, not asked
    ]:
        matching &= scores.matches
        for offset in range(len(order) + 2):
            for size in range(1, len(order) + 2):
                assert scores.best_first(matching, offset, size) == order[offset : offset + size]


@pytest.mark.postgres
def test_the_rum_index_is_gone(db):
    """Relevance is read from the finder's index: the RUM index of migration 0008 only cost
    every write, and 0013 drops it."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's indexes")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'press_release'")
        names = {name for (name,) in cursor.fetchall()}
    assert "release_search" in names
    assert "release_search_rank" not in names


def test_the_searches_kept_stay_within_their_memory(ceasefires, monkeypatch):
    """Each worker keeps its recent searches' bitmaps up to a budget of bytes, the least
    recently asked dropped first: a dropped search is only read again, never wrong."""
    index = engine.INDEX
    assert pages("ceasefire", 20) == oracle("ceasefire")
    kept = [key[-1] for key in index._searches]
    assert kept == ["ceasefire"]
    assert index._held > 0
    monkeypatch.setattr(engine, "SEARCHES_MEMORY", index._held)
    assert pages("talks", 20) == oracle("talks")
    assert "ceasefire" not in [key[-1] for key in index._searches]
    assert index._held <= engine.SEARCHES_MEMORY
    assert pages("ceasefire", 20) == oracle("ceasefire")  # read again, the same
