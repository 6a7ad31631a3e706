"""Searches sorted by relevance: the same order however the engine reads it.

A narrow answer is ranked among its own releases in one query; a wide one walks the
search's ranking in growing slices (press.engine.Ranking). On PostgreSQL the ranking is
the RUM index's distance where the index is, ``ts_rank`` where it is not; both ways run
here (the index is dropped inside the test's transaction for the second). Each is held to
an oracle: the whole order in one SQL statement, sorted as the page promises.
"""

import os
from urllib.parse import urlencode

import pytest
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, models
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from press import engine
from press.finder import Finder
from press.models import Release
from press.search import RANK_INDEX, ranks_by_index, search, search_config
from tests.helpers.pages import card_titles

pytestmark = pytest.mark.django_db

WAYS = ["rum index", "ts_rank"] if connection.vendor == "postgresql" else ["fallback"]


def rum_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        return cursor.fetchone() is not None


@pytest.fixture(params=WAYS)
def ranking_way(request, db):
    """The ranking the database offers: with the RUM index, or with it dropped."""
    ranks_by_index.cache_clear()
    if request.param == "rum index" and not rum_installed():
        pytest.skip("RUM is not installed (apt-get install postgresql-15-rum)")
    if request.param == "ts_rank":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {RANK_INDEX}")
    assert ranks_by_index(connection.alias) == (request.param == "rum index")
    yield request.param
    ranks_by_index.cache_clear()


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


def oracle(way, query, **filters):
    """Every public match of ``query``, best first then newest, in one statement."""
    matches = Release.objects.published().filter(**filters)
    if way == "fallback":
        ordered = search(matches, query).order_by("-rank", "-published_at", "-pk")
        return list(ordered.values_list("pk", flat=True))
    ts_query = SearchQuery(query, search_type="websearch", config=search_config("en"))
    matches = matches.filter(search_vector=ts_query)
    if way == "ts_rank":
        score = SearchRank(models.F("search_vector"), ts_query)
        ordered = matches.annotate(score=score).order_by("-score", "-published_at", "-pk")
        return list(ordered.values_list("pk", flat=True))
    ids = list(matches.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM press_release WHERE id = ANY(%s) ORDER BY "
            "search_vector <=> websearch_to_tsquery(%s::regconfig, %s), "
            "published_at DESC, id DESC",
            [ids, search_config("en"), query],
        )
        return [row[0] for row in cursor.fetchall()]


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


@pytest.mark.parametrize("wide", [False, True], ids=["ranked among", "ranking walked"])
def test_pages_by_relevance_follow_the_whole_order(ranking_way, ceasefires, monkeypatch, wide):
    if wide:  # every answer walks the ranking, read three rows at first
        monkeypatch.setattr(engine, "RANKED_AMONG", 0)
        monkeypatch.setattr(engine, "FIRST_RANKED", 3)

    expected = oracle(ranking_way, "ceasefire")
    assert len(expected) == 14
    assert pages("ceasefire", 4) == expected
    moldova = oracle(ranking_way, "ceasefire", sources__slug="mission-to-moldova")
    assert 0 < len(moldova) < len(expected)
    assert pages("ceasefire", 3, source="mission-to-moldova") == moldova


def test_a_small_share_of_a_search_is_ranked_among_itself_until_the_ranking_is_read(
    ranking_way, ceasefires, monkeypatch
):
    """A filter keeping few of a search's matches would find its page deep in the ranking:
    its own releases are ranked instead (one query, no slice of the ranking), the same
    order; once this process has read the ranking whole, a walk through it asks nothing."""
    monkeypatch.setattr(engine, "RANKED_AMONG", 0)
    monkeypatch.setattr(engine, "FIRST_RANKED", 3)
    monkeypatch.setattr(engine, "WALKED_AT_MOST", 2)  # a walk of more than 2 rows: ranked
    moldova = oracle(ranking_way, "ceasefire", sources__slug="mission-to-moldova")
    assert 3 <= len(moldova) <= len(oracle(ranking_way, "ceasefire")) / 2

    with CaptureQueriesContext(connection) as queries:
        assert pages("ceasefire", 3, source="mission-to-moldova") == moldova
    ranked = ranking_queries(queries)
    assert ranked
    assert all('"press_release"."id" IN (' in sql for sql in ranked), ranked  # its own

    monkeypatch.setattr(engine, "WALKED_AT_MOST", len(moldova) * 100)
    pages("ceasefire", 1)  # walked, a row a page, to the end: the ranking read whole
    monkeypatch.setattr(engine, "WALKED_AT_MOST", 2)
    with CaptureQueriesContext(connection) as queries:
        assert pages("ceasefire", 3, source="mission-to-moldova") == moldova
    assert not ranking_queries(queries)


def ranking_queries(queries):
    """The SQL of ``queries`` that ranks matches of a search (PostgreSQL's vector, or the
    fallback's folded text on SQLite)."""
    return [
        query["sql"]
        for query in queries
        if "ORDER BY" in query["sql"]
        and ("search_vector" in query["sql"] or "press_folded" in query["sql"])
    ]


def test_a_title_match_ranks_above_body_only_matches(ranking_way, client, make_release):
    make_release(title="Chair welcomes ceasefire talks", body="<p>Talks resumed.</p>", days_ago=5)
    make_release(title="Observers report", body="<p>The ceasefire held.</p>", days_ago=1)
    make_release(title="Team arrives", body="<p>Work, then ceasefire violations.</p>", days_ago=2)

    response = client.get("/press-releases/", {"q": "ceasefire", "sort": "relevance"})

    assert card_titles(response) == [
        "Chair welcomes ceasefire talks",
        "Observers report",
        "Team arrives",
    ]


@pytest.mark.postgres
def test_a_wide_search_reads_its_best_rows_first(ranking_way, ceasefires, monkeypatch):
    if ranking_way != "rum index":
        pytest.skip("without the index every match must be ranked")
    monkeypatch.setattr(engine, "RANKED_AMONG", 0)
    monkeypatch.setattr(engine, "FIRST_RANKED", 3)
    finder = Finder(QueryDict("q=ceasefire&sort=relevance"), Release.objects.published())

    with CaptureQueriesContext(connection) as queries:
        first = finder.page_ids(1, 2)

    # Read from the top, three rows, then nine, in the index's order alone (a run of equal
    # distances at a slice's end may go on past it); a third read ranks every match.
    ranked = [q["sql"].rstrip() for q in queries if "<=>" in q["sql"]]
    slices = [sql for sql in ranked if "published_at" not in sql.split("ORDER BY", 1)[1]]
    assert slices, "the ranking was read in slices"
    assert [sql.rsplit("LIMIT", 1)[-1].strip() for sql in slices] == ["3", "9"][: len(slices)]
    assert ranked[: len(slices)] == slices
    assert len(ranked) - len(slices) <= 1, ranked
    assert first == oracle(ranking_way, "ceasefire")[:2]


@pytest.mark.postgres
def test_the_rank_index_is_made_where_rum_is_installed(db):
    if connection.vendor != "postgresql":
        pytest.skip("RUM is PostgreSQL's")
    if os.environ.get("CI"):
        assert rum_installed(), "CI installs RUM (.ci/run): the ranking it serves is tested"
    ranks_by_index.cache_clear()
    assert ranks_by_index(connection.alias) == rum_installed()
