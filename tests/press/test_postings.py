"""A search is read from the database once, and stays right after every write.

On PostgreSQL a search's matches are postings by release id (press.postings), kept from
one content version to the next and caught up by reading only the rows written since:
every kind of write (the ORM, ``QuerySet.update``, raw SQL, a delete, a transaction still
open while they are read) must show at the next request as a fresh reading would show it.
On SQLite the search is read once per content version, for every process. These tests
commit (transactional), as the processes of a site do.
"""

import datetime as dt
import io
import pickle
import re
from urllib.parse import urlencode

import psycopg2
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from press import engine, postings
from press.finder import Finder
from press.management.commands import warm_search
from press.models import Release
from press.pagecache import versions
from press.search import search
from tests.helpers.factories import make_release

pytestmark = pytest.mark.usefixtures("reference_data")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="postings are PostgreSQL's"
)


def oracle(query):
    """Every public match of ``query``, best first then newest: a fresh reading in SQL."""
    matches = search(Release.objects.published(), query)
    return list(matches.order_by("-rank", "-published_at", "-pk").values_list("pk", flat=True))


def by_relevance(query):
    data = QueryDict(urlencode({"q": query, "sort": "relevance"}))
    return Finder(data, Release.objects.published()).page_ids(1, 1000)


def whole_readings(queries):
    """The queries that read a search's matches other than a catch-up's rows."""
    return [
        query["sql"]
        for query in queries
        if ("search_vector" in query["sql"] or "press_folded" in query["sql"])
        and "changed_in" not in query["sql"]
    ]


@pytest.fixture
def ceasefires():
    """Six releases that match "ceasefire" in different strengths, and three that do not."""
    found = [
        make_release(title=f"Ceasefire report {n}", body="<p>The ceasefire held.</p>", days_ago=n)
        for n in range(1, 4)
    ]
    found += [
        make_release(title=f"Round {n}", body="<p>A ceasefire was discussed.</p>", days_ago=n)
        for n in range(4, 7)
    ]
    others = [
        make_release(title=f"Youth forum {n}", body="<p>Young people debate.</p>", days_ago=n)
        for n in range(7, 10)
    ]
    return found, others


def test_a_search_is_read_once_for_every_process(ceasefires, monkeypatch):
    """Another process (here another Index, as a second worker has) reads the search the
    first read, already placed at the version's positions, with no reading or placing of
    its own; after a write, the new version's matches count the new release."""
    key = versions("default")[0].key
    first, second = engine.Index(), engine.Index()
    mine = first.snapshot(key)
    found = first.matches(mine, "ceasefire")
    assert len(found) == 6
    best = first.scores(mine, "ceasefire").best_first(found, 0, 6)
    theirs = second.snapshot(key)
    placings = []
    monkeypatch.setattr(engine.Snapshot, "placed", lambda *args: placings.append(args))
    with CaptureQueriesContext(connection) as queries:
        assert second.matches(theirs, "ceasefire") == found
        assert second.scores(theirs, "ceasefire").best_first(found, 0, 6) == best
    assert whole_readings(queries) == []
    assert placings == []
    monkeypatch.undo()

    make_release(title="Ceasefire renewed")
    newer = second.snapshot(versions("default")[0].key)
    assert len(second.matches(newer, "ceasefire")) == 7


@on_postgresql
def test_every_kind_of_write_shows_at_the_next_request_without_reading_the_search_again(
    ceasefires,
):
    matches, (plain, draft_to_be, _other) = ceasefires
    strong, body_only = matches[0], matches[3:]  # "ceasefire" in title and body; body alone
    assert by_relevance("ceasefire") == oracle("ceasefire")
    Release.objects.filter(pk=draft_to_be.pk).update(
        status=Release.Status.DRAFT, title="Ceasefire draft"
    )
    assert by_relevance("ceasefire") == oracle("ceasefire")

    writes = [
        lambda: make_release(title="Ceasefire, ceasefire", body="<p>Ceasefire now.</p>"),
        lambda: Release.objects.filter(pk=plain.pk).update(title="Ceasefire agreed"),
        lambda: _save_title(strong, "Report on the talks"),  # no longer in the title
        lambda: _set_status(body_only[0], Release.Status.UNPUBLISHED),  # a takedown
        lambda: _set_status(draft_to_be, Release.Status.PUBLISHED),
        lambda: _raw_sql(
            "UPDATE press_release SET body = %s WHERE id = %s", ["<p>x</p>", body_only[1].pk]
        ),
        lambda: Release.objects.filter(pk=body_only[2].pk).delete(),
        lambda: make_release(
            title="Ceasefire scheduled", published_at=timezone.now() + dt.timedelta(hours=2)
        ),
    ]
    for write in writes:
        write()
        with CaptureQueriesContext(connection) as queries:
            found = by_relevance("ceasefire")
        assert found == oracle("ceasefire")
        assert whole_readings(queries) == [], "caught up from the rows written"
    assert plain.pk in found
    assert strong.pk in found  # still in its body
    assert not {release.pk for release in body_only} & set(found)
    assert draft_to_be.pk in found


def _set_status(release, status):
    Release.objects.filter(pk=release.pk).update(status=status)


def _save_title(release, title):
    release.title = title
    release.save()


def _raw_sql(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@on_postgresql
def test_a_write_still_open_when_the_search_is_read_shows_once_it_commits(ceasefires):
    """The horizon is the oldest transaction running when the postings are read: a write
    by a transaction that began before, committed after a later one, is read on the next
    catch-up (a horizon of the newest write seen would miss it for good)."""
    _found, (late, *_others) = ceasefires
    settings = connection.settings_dict
    other = psycopg2.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
    )
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_current_xact_id()")  # begun: its id drawn now
            make_release(title="Ceasefire meanwhile")  # a later transaction, committed first
            assert by_relevance("ceasefire") == oracle("ceasefire")
            cursor.execute(
                "UPDATE press_release SET title = 'Ceasefire, late' WHERE id = %s", [late.pk]
            )
        other.commit()
    finally:
        other.close()
    after = by_relevance("ceasefire")
    assert late.pk in after
    assert after == oracle("ceasefire")


@on_postgresql
def test_what_a_writing_transaction_reads_is_not_shared(ceasefires):
    """A transaction that has written may yet roll back: the postings it reads stay its
    own, so the rolled-back title matches nowhere afterwards."""
    _found, (changed, *_others) = ceasefires
    with transaction.atomic():
        Release.objects.filter(pk=changed.pk).update(title="Ceasefire, for a moment")
        assert changed.pk in by_relevance("ceasefire")
        transaction.set_rollback(True)
    found = by_relevance("ceasefire")
    assert changed.pk not in found
    assert found == oracle("ceasefire")


@on_postgresql
def test_every_row_says_which_transaction_last_wrote_it(ceasefires):
    (release, *_), _others = ceasefires
    with connection.cursor() as cursor:
        cursor.execute("SELECT changed_in FROM press_release WHERE id = %s", [release.pk])
        first = cursor.fetchone()[0]
        Release.objects.filter(pk=release.pk).update(title="Changed")
        cursor.execute("SELECT changed_in FROM press_release WHERE id = %s", [release.pk])
        second = cursor.fetchone()[0]
    assert first is not None
    assert second > first
    assert postings.kept_here(connection.alias)


@on_postgresql
def test_the_search_vector_is_kept_in_the_row(db):
    """Scoring reads every match's vector: kept in the row (MAIN), not moved out to the
    TOAST table with a long body, it costs no page reads of its own (migration 0015)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'press_release'::regclass"
            " AND attname IN ('search_vector', 'body') ORDER BY attname"
        )
        assert [storage for (storage,) in cursor.fetchall()] == ["x", "m"]  # body, vector


@on_postgresql
def test_warming_reads_every_common_word_as_its_own_search_would(ceasefires):
    """One pass over the vectors gives each common word the postings its own reading would
    give, scores included, and its first search then reads nothing whole."""
    make_release(title="Youth talks on the ceasefire", body="<p>Youth and talks.</p>")
    warmed = postings.warm(connection.alias, least=2)
    assert warmed.words >= 3  # ceasefire, youth, report, …
    for word in ["ceasefire", "Youth", "reports"]:
        horizon, _writing, table, normal = postings._horizon(connection.alias, word)
        kept = pickle.loads(cache.get(postings._key(connection.alias, table, 0, normal)))
        assert kept.tiers == postings.read(word, connection.alias, horizon).tiers, word

    with CaptureQueriesContext(connection) as queries:
        found = by_relevance("ceasefire")
    assert whole_readings(queries) == []
    assert found == oracle("ceasefire")
    expected = oracle("ceasefire talks")
    with CaptureQueriesContext(connection) as queries:
        assert by_relevance("ceasefire talks") == expected
    assert len(whole_readings(queries)) == 1  # two words: read at their first search


def test_the_warming_command_says_why_it_does_nothing(settings):
    out = io.StringIO()
    call_command("warm_search", stdout=out)
    if connection.vendor == "postgresql":
        assert "the cache is each process's own" in out.getvalue()
    else:
        assert "this database keeps no postings (SQLite)" in out.getvalue()


@on_postgresql
def test_the_warming_command_fills_a_shared_cache(ceasefires, monkeypatch):
    monkeypatch.setattr(warm_search, "PROCESS_LOCAL", ())  # take the test's cache as shared
    out = io.StringIO()
    call_command("warm_search", "--least", "3", stdout=out)
    assert re.search(
        r"Warmed the search postings of \d+ words in 3 releases or more", out.getvalue()
    )
    assert cache.get(f"engine:postings:warmed:{connection.alias}:{_table_id()}")["words"] > 0
    assert "Built the finder's index for the current versions" in out.getvalue()
    key = versions("default")[0].key  # the index is there for the first visitor
    assert cache.get(f"engine:{engine.SNAPSHOT_FORMAT}:default:{key}") is not None


def _table_id():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'press_release'::regclass::oid")
        return cursor.fetchone()[0]


def test_the_server_starts_the_warming_beside_its_workers(monkeypatch):
    from osce_site import gunicorn_conf

    started = []
    monkeypatch.setattr(
        gunicorn_conf.subprocess, "Popen", lambda args: started.append(args) or _Done()
    )
    monkeypatch.delenv("WARM_SEARCH", raising=False)
    gunicorn_conf.when_ready(server=None)
    assert [args[1:] for args in started] == [[str(gunicorn_conf.MANAGE), "warm_search"]]
    monkeypatch.setenv("WARM_SEARCH", "0")
    gunicorn_conf.when_ready(server=None)
    assert len(started) == 1


class _Done:
    def wait(self):
        return 0
