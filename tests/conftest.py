"""Fixtures shared by every test: the reference data, a clean cache, data builders.

The test database is made once a session, with the reference data; most tests roll back
what they wrote. For speed, without changing what any test sees:

- a transactional test (live server) commits, and pytest-django flushes the database
  after it: the next test that uses the database finds the session's data copied back
  (``Snapshot``), not loaded again;
- data that several tests of a module read is made once for the module (``module_db``);
- commands run in other processes get a copy of the test database
  (``reference_database``), not a new one put through every migration.
"""

import io
import json
import logging
import sqlite3
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection, transaction

from institutions.reference import load_reference_data
from osce_site.observability import JSONFormatter
from taxonomy import freshness

from .helpers import factories

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "minsk-group-statement-2021-09-24.txt"
SAMPLE_SEED = ROOT / "press" / "sample_pages" / "minsk-group-statement-2021-09-24.txt"
DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}
FLUSHING_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


class Snapshot:
    """The test database as the migrations and the reference data left it, to put back
    after a test that flushed it.

    SQLite: a copy of the whole database in memory (SQLite's backup API, both ways).
    PostgreSQL: each table's rows as JSON, written back by ``json_populate_recordset``,
    which turns every value back into its column's type, one query a table. Either way
    the versions (``taxonomy.freshness``) start again under new tokens, as after a flush,
    so nothing cached for another state can be taken for this one. The migrations' own
    rows (the editorial groups) come back too, which loading the reference data again
    into the flushed database did not give.
    """

    def __init__(self):
        self.copy = None  # SQLite
        self.rows = {}  # PostgreSQL: {table: its rows as a JSON array}
        self.tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            self.copy = sqlite3.connect(":memory:")
            connection.connection.backup(self.copy)
            return
        with connection.cursor() as cursor:
            for table in self.tables:
                if table == freshness.TABLE:
                    continue
                cursor.execute(f"SELECT json_agg(t)::text FROM {_quoted(table)} AS t")
                rows = cursor.fetchone()[0]
                if rows:
                    self.rows[table] = rows

    def restore(self):
        if self.copy is not None:
            connection.ensure_connection()
            self.copy.backup(connection.connection)
        else:
            # Foreign keys are checked at commit (Django makes them deferrable): the
            # tables are emptied and filled in any order.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(" ".join(f"DELETE FROM {_quoted(t)};" for t in self.tables))
                for table, rows in self.rows.items():
                    cursor.execute(
                        f"INSERT INTO {_quoted(table)} SELECT * FROM "
                        f"json_populate_recordset(NULL::{_quoted(table)}, %s::json)",
                        [rows],
                    )
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_quoted(freshness.TABLE)}")
        # The flush's post_migrate made the content types again under other ids, and
        # cached those.
        ContentType.objects.clear_cache()


def _quoted(name):
    return connection.ops.quote_name(name)


def _uses_database(item):
    """Whether pytest-django gives ``item`` the test database."""
    return bool(
        item.get_closest_marker("django_db")
        or DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def _flushes(item):
    """Whether pytest-django runs ``item`` as a TransactionTestCase (flushed after it)."""
    marker = item.get_closest_marker("django_db")
    if marker and (
        (marker.args and marker.args[0])
        or marker.kwargs.get("transaction")
        or marker.kwargs.get("reset_sequences")
    ):
        return True
    return bool(FLUSHING_FIXTURES & set(item.fixturenames))


_snapshot = None  # taken when the test database is made
_flushed = False  # set after a transactional test, until the snapshot is put back
_module_data = None  # the module whose shared data (module_db) is there now


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """Every test database starts with the reference data, as a real site does."""
    global _snapshot
    with django_db_blocker.unblock():
        load_reference_data()
        _snapshot = Snapshot()
    template = None
    if connection.vendor == "postgresql" and any(
        "reference_database" in getattr(item, "fixturenames", ()) for item in request.session.items
    ):
        # What reference_database copies (PostgreSQL copies a database's files in a
        # tenth of a second). Nothing may be connected to the database a copy is made
        # from, and nothing is yet.
        template = f"{connection.settings_dict['NAME']}_reference"
        with django_db_blocker.unblock():
            connection.close()
            _on_the_server(f'DROP DATABASE IF EXISTS "{template}"')
            _on_the_server(
                f'CREATE DATABASE "{template}" TEMPLATE "{connection.settings_dict["NAME"]}"'
            )
    yield
    if template:
        _on_the_server(f'DROP DATABASE IF EXISTS "{template}"')


@pytest.fixture(autouse=True)
def _data_back_after_a_flush(request, django_db_blocker):
    """Before any fixture of the test writes: the database as the session started it, if
    a transactional test flushed it since (pytest-django runs those after the others)."""
    global _flushed
    if _flushed and _uses_database(request.node) and not connection.in_atomic_block:
        with django_db_blocker.unblock():
            _snapshot.restore()
        _flushed = False
    yield
    _flushed = _flushed or _flushes(request.node)


@pytest.fixture
def reference_data(transactional_db):
    """For tests that commit (live server), so run as transactional tests: the reference
    data is there all the same, put back after the flush of the one before."""


@pytest.fixture(scope="module")
def module_db(request, django_db_setup, django_db_blocker):
    """One transaction around a module's tests, for data made once for all of them.

    A module-scoped fixture that requests this one writes its data inside it (under
    ``django_db_blocker.unblock()``); each test still runs in a savepoint of its own
    (pytest-django's ``db``), so it finds the module's data as it was made, and the data
    goes when the module is done. Only for tests that use ``db``: a transactional test
    commits, and flushes the database after it. A test of the module that does not ask
    for it must come before the first that does (else it fails, saying so).
    """
    global _module_data
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
    _module_data = request.module.__name__
    try:
        yield
    finally:
        _module_data = None
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _module_data_asked_for(request):
    """A test that runs while its module's shared data is there must have asked for it."""
    if _module_data is not None and "module_db" not in request.fixturenames:
        pytest.fail(
            f"{request.node.name} would run on the data {_module_data} shares among its "
            "tests (module_db) without asking for it: put it before the first that does",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def reference_database(request):
    """A copy of the test database as the session started it (migrations and reference
    data), for commands run in other processes, in place of migrating a new database:
    ``reference_database(target)`` writes the SQLite file ``target``, or on PostgreSQL
    creates the database named ``target`` beside the test database. The tests that use
    it are database tests (``django_db``), so that pytest-django makes the database."""
    if not any(_uses_database(item) for item in request.session.items):
        pytest.fail("reference_database copies the test database: mark the test django_db")
    request.getfixturevalue("django_db_setup")

    def copy(target):
        if connection.vendor == "sqlite":
            copied = sqlite3.connect(target)
            try:
                _snapshot.copy.backup(copied)
            finally:
                copied.close()
        else:
            name = connection.settings_dict["NAME"]
            _on_the_server(f'CREATE DATABASE "{target}" TEMPLATE "{name}_reference"')

    return copy


def _on_the_server(sql):
    """Run ``sql`` on the PostgreSQL server outside any transaction (CREATE and DROP
    DATABASE refuse to run in one)."""
    import psycopg2

    db = connection.settings_dict
    admin = psycopg2.connect(
        dbname="postgres",
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(sql)
    finally:
        admin.close()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so a cached menu cannot leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seed_path():
    """The seed page: the shared original where it is beside the checkout, else our copy."""
    return SHARED_SEED if SHARED_SEED.exists() else SAMPLE_SEED


@pytest.fixture
def seed_text(seed_path):
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture
def russian_open(settings):
    """The public site in English and Russian, as by default: said by the tests that
    depend on it, so that they hold whatever the default becomes."""
    settings.PUBLIC_LANGUAGES = ("en", "ru")


@pytest.fixture
def english_only(settings):
    """The public site in English alone, as a site that opens no other language."""
    settings.PUBLIC_LANGUAGES = ("en",)


@pytest.fixture
def make_release(db):
    return factories.make_release


@pytest.fixture
def log_lines():
    """The lines the site's configured JSON handler writes during the test, parsed."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JSONFormatter)
    ]
    assert len(handlers) == 1, "production logging has one JSON handler on the root logger"
    stream = io.StringIO()
    previous = handlers[0].setStream(stream)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handlers[0].setStream(previous)
