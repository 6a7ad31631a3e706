"""What decides whether a cached page, menu or finder index is still right: the versions.

Two versions, kept in the database so that every process sees the same ones at its next
request, whatever wrote: each gunicorn worker, ``make run``'s server, a management command,
a shell doing ``Release.objects.filter(...).update(...)``, raw SQL. Database triggers
(created by each app's migrations for its own tables, see :func:`watch_tables`) count every
insert, update and delete:

- ``content``: releases, their links and attachments, places;
- ``menu``: terms of every kind, chairpersonships, menu entries.

A trigger runs inside the writer's transaction, so a version moves exactly when the
change becomes visible: at commit. On PostgreSQL they are statement triggers (a bulk
insert of 100,000 rows counts once); SQLite has row triggers only, which cost a
microsecond each.

A release scheduled for later is published by the clock, not by a write: :func:`current`
also answers when the next one falls due (the apps above register how to find it), and
anything cached must be renewed when that moment passes.
"""

import contextvars
import datetime as dt
from contextlib import contextmanager
from typing import NamedTuple

from django.db import connections, migrations

KINDS = ("content", "menu")
TABLE = "taxonomy_freshness"
_pinned = contextvars.ContextVar("freshness_pinned", default=None)
_schedules = []  # (SQL of the next due moment, params factory), from the apps above


class Versions(NamedTuple):
    content: str
    menu: str
    due: float | None  # when the next scheduled release goes public, as a Unix time

    @property
    def key(self):
        """Both versions as one string: what anything derived from the data is built for."""
        return f"{self.content}.{self.menu}"


def register_schedule(sql, params):
    """Let :func:`current` see the clock's publishing: ``sql`` selects when the next
    scheduled item goes public (one value, or NULL), with ``params(connection)`` its
    parameters at the moment of the call."""
    if (sql, params) not in _schedules:
        _schedules.append((sql, params))


def current(using="default"):
    """The versions now, in one small query (two primary-key reads and an index seek).

    Each version is a random token drawn at every write (the rows count the writes too,
    for people): after a rollback, a flush or a restore none can come back meaning other
    data.
    """
    pinned = _pinned.get()
    if pinned is not None and pinned[0] == using:
        return pinned[1]
    connection = connections[using]
    clock_sql, params = "", []
    for due_sql, make in _schedules:
        clock_sql += f", ({due_sql})"
        params += make(connection)
    sql = (
        f"SELECT (SELECT token FROM {TABLE} WHERE kind = 'content'), "
        f"(SELECT token FROM {TABLE} WHERE kind = 'menu'){clock_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        content, menu, *clock = cursor.fetchone()
        if content is None or menu is None:  # a new or flushed database: start the rows
            for kind in KINDS:
                cursor.execute(_START_ROW_SQL[connection.vendor == "postgresql"], [kind])
            return current(using)
    due = [_timestamp(moment) for moment in clock if moment is not None]
    return Versions(content, menu, min(due, default=None))


@contextmanager
def pinned(versions, using="default"):
    """Within, :func:`current` answers ``versions`` without asking: a page reads them once
    and everything on it (the menu, the finder's index) is derived from the same ones."""
    token = _pinned.set((using, versions))
    try:
        yield
    finally:
        _pinned.reset(token)


def _timestamp(value):
    """A moment from the database as a Unix time: SQLite gives text, PostgreSQL a datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
    return value.timestamp()


# A kind's row started with a fresh token, or given a new one: one statement either way.
_NOW_SQL = {
    True: "extract(epoch from clock_timestamp())",
    False: "(julianday('now') - 2440587.5) * 86400.0",
}
_NEW_TOKEN_SQL = {
    True: "md5(random()::text || clock_timestamp()::text)",
    False: "lower(hex(randomblob(16)))",
}


def _upsert(postgresql, kind_sql, *, bump):
    """SQL that starts ``kind``'s row, or (``bump``) gives it a new random token.

    A token drawn at each write, not a counter, names a version: a transaction that rolls
    back takes its token with it, so the same token can never come to stand for two states
    of the data (a counter would count to the same number again).
    """
    changes = (
        f"token = excluded.token, counter = {TABLE}.counter + 1, changed_at = excluded.changed_at"
        if bump
        else f"counter = {TABLE}.counter"
    )
    return (
        f"INSERT INTO {TABLE} (kind, token, counter, changed_at) "
        f"VALUES ({kind_sql}, {_NEW_TOKEN_SQL[postgresql]}, 1, {_NOW_SQL[postgresql]}) "
        f"ON CONFLICT (kind) DO UPDATE SET {changes}"
    )


# A new or flushed database's rows, started by the first reader.
_START_ROW_SQL = {postgresql: _upsert(postgresql, "%s", bump=False) for postgresql in (True, False)}


def watch_again(kind, *labels):
    """A migration operation, put before and after operations that alter the tables of
    ``labels``: SQLite alters a table by copying it whole, and the copy has none of the
    old one's triggers, so they are made again (either way the migration runs).
    PostgreSQL alters a table in place: nothing to do there."""

    def again(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            return
        tables = [apps.get_model(label)._meta.db_table for label in labels]
        _drop(schema_editor, tables)
        _create(schema_editor, kind, tables)

    return migrations.RunPython(again, again, elidable=False)


def _create(schema_editor, kind, tables):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION freshness_bump() RETURNS trigger AS $$ BEGIN "
            f"{_upsert(True, 'TG_ARGV[0]', bump=True)}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
        for table in tables:
            schema_editor.execute(
                f"CREATE TRIGGER freshness_{table} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION freshness_bump('{kind}')"
            )
        return
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER freshness_{table}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN {_upsert(False, repr(kind), bump=True)}; END"
            )


def _drop(schema_editor, tables):
    for table in tables:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS freshness_{table} ON {table}")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS freshness_{table}_{event}")


def _tables(apps, labels):
    """The tables of the models ``labels`` (``app.Model``), their many-to-many links too."""
    tables = []
    for label in labels:
        model = apps.get_model(label)
        tables.append(model._meta.db_table)
        for field in model._meta.local_many_to_many:
            tables.append(field.remote_field.through._meta.db_table)
    return tables


def watch_tables(kind, *labels):
    """A migration operation: every write to the models ``labels`` moves ``kind``'s version.

    Each app watches its own tables in its own migration, with the models as they are at
    that point of its history.
    """
    if kind not in KINDS:
        raise ValueError(f"No version called {kind!r}: {KINDS}")

    def forwards(apps, schema_editor):
        _create(schema_editor, kind, _tables(apps, labels))

    def backwards(apps, schema_editor):
        _drop(schema_editor, _tables(apps, labels))

    return migrations.RunPython(forwards, backwards, elidable=False)
