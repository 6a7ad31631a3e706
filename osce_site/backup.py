"""Back the whole site up into one archive file, and restore it into an empty database.

The archive is an uncompressed tar: the database (``database.dump``, made by PostgreSQL's
``pg_dump -Fc``, or ``database.sqlite3``, made by SQLite's online backup API), every media
file under ``media/`` as the storage API lists it, and ``manifest.json`` last, which lists
what the rest must be (sizes and SHA-256 of every member, row counts per table, applied
migrations). The manifest comes last so that an archive cut short has none and is refused.

The database copy is one consistent snapshot however busy the site is: on PostgreSQL the
row counts are read in a snapshot that ``pg_dump --snapshot`` then dumps; on SQLite the
backup API copies every page under one read lock. Media are read after the database, so
the archive holds every file the snapshot refers to (an attachment added meanwhile is
a harmless extra file).

A restore checks everything before it writes anything: that the archive is whole and is
ours, that the target database has no tables at all, that no media file of the same name
and other content is in the way. Then it writes the media through the storage API,
restores the database, and checks the row counts and files against the manifest.
"""

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.db.migrations.loader import MigrationLoader

FORMAT = "osce-site-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
LOCK_WAIT = "60s"  # what pg_dump waits for a table's lock before it gives up
# Where pg_dump and pg_restore are, when the environment does not say: the newest installed
# client reads every older server's dumps, an older one refuses a newer server.
PG_BINDIR_ENV = "PG_BINDIR"
PG_INSTALLED = Path("/usr/lib/postgresql")  # Debian's: one folder per major version


class BackupError(Exception):
    """What went wrong, in words for the person running the command."""


@dataclass
class Restored:
    tables: dict = field(default_factory=dict)
    media: list = field(default_factory=list)
    media_skipped: list = field(default_factory=list)
    migrations_to_apply: list = field(default_factory=list)
    manifest: dict = field(default_factory=dict)


# The PostgreSQL client programs


def pg_program(name, bindir=None):
    """``pg_dump`` or ``pg_restore``: from ``bindir``, ``$PG_BINDIR``, the newest installed
    under /usr/lib/postgresql, else the PATH."""
    bindir = bindir or os.environ.get(PG_BINDIR_ENV)
    if bindir:
        candidate = Path(bindir) / name
        if not os.access(candidate, os.X_OK):
            raise BackupError(f"{candidate} is not an executable {name}.")
        return str(candidate)
    installed = sorted(
        PG_INSTALLED.glob(f"*/bin/{name}"),
        key=lambda path: [int(part) for part in path.parts[-3].split(".") if part.isdigit()],
    )
    if installed:
        return str(installed[-1])
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


def pg_environment(settings_dict):
    """The connection as libpq's variables, so the password never shows in a process list."""
    options = settings_dict.get("OPTIONS", {})
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGSERVICE": options.get("service"),
        "PGPASSFILE": options.get("passfile"),
        "PGSSLMODE": options.get("sslmode"),
        "PGSSLROOTCERT": options.get("sslrootcert"),
        "PGSSLCERT": options.get("sslcert"),
        "PGSSLKEY": options.get("sslkey"),
    }
    return {**os.environ, **{key: str(value) for key, value in values.items() if value}}


def add_pg_bindir_argument(parser, program):
    """The commands' ``--pg-bindir``, for the folder of ``program``."""
    parser.add_argument(
        "--pg-bindir",
        help=f"Folder of {program} (PostgreSQL); default ${PG_BINDIR_ENV}, else the newest "
        f"under {PG_INSTALLED}, else the PATH.",
    )


def run_pg(args, settings_dict):
    result = subprocess.run(
        args, env=pg_environment(settings_dict), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        program = Path(args[0]).name
        raise BackupError(f"{program} failed: {result.stderr.strip() or result.returncode}")


# Reading the database


def vendor():
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    return connection.vendor


def table_names(cursor):
    """The tables a backup counts and a restore checks: read alike from the site's database,
    the copy of it, and the restored one. SQLite's own tables (``sqlite_stat1``, made by
    ``ANALYZE``) hold no data of the site and are left out."""
    names = connection.introspection.table_names(cursor, include_views=False)
    return sorted(name for name in names if not name.startswith("sqlite_"))


def count_rows(cursor, tables, quote):
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # names from introspection
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor, quote):
    cursor.execute(f"SELECT app, name FROM {quote('django_migrations')} ORDER BY app, name")
    return [list(row) for row in cursor.fetchall()]


def sqlite_quote(name):
    return '"' + name.replace('"', '""') + '"'


def dump_database(target, bindir=None):
    """Copy the database to the file ``target``; return its row counts and migrations."""
    if vendor() == "postgresql":
        return _dump_postgresql(target, bindir)
    if connection.in_atomic_block:
        # SQLite would wait forever for this connection's own transaction to end.
        raise BackupError("Take a backup outside a transaction: it copies committed data.")
    connection.ensure_connection()
    # One step (-1 pages) holds one read lock: a consistent copy while the site writes.
    with contextlib.closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy, pages=-1)
        tables = table_names(copy.cursor())
        counts = count_rows(copy.cursor(), tables, sqlite_quote)
        migrations = (
            applied_migrations(copy.cursor(), sqlite_quote) if "django_migrations" in tables else []
        )
    return counts, migrations


def _dump_postgresql(target, bindir):
    quote = connection.ops.quote_name
    # A connection of its own: the snapshot must start a transaction, whatever the caller's.
    snapshot_connection = connection.get_new_connection(connection.get_connection_params())
    try:
        snapshot_connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = table_names(cursor)
            counts = count_rows(cursor, tables, quote)
            migrations = applied_migrations(cursor, quote) if "django_migrations" in tables else []
            # pg_dump reads the very snapshot the counts came from, while it stays open.
            run_pg(
                [
                    pg_program("pg_dump", bindir),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    # A table locked by a schema change (a migration running) is an error
                    # named in a minute, not a backup that hangs.
                    f"--lock-wait-timeout={LOCK_WAIT}",
                    f"--file={target}",
                    f"--dbname={connection.settings_dict['NAME']}",
                ],
                connection.settings_dict,
            )
    finally:
        snapshot_connection.close()
    return counts, migrations


# Media through the storage API


def media_names(storage=None, folder=""):
    """Every file in the storage, walked with ``listdir``: any backend, not just a folder."""
    storage = storage or default_storage
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names.extend(media_names(storage, f"{folder}{sub}/"))
    return sorted(names)


class HashingReader(io.RawIOBase):
    """Reads a file into the tar while hashing it, so each file is read once."""

    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data

    def readable(self):
        return True


def sha256_of(fileobj):
    digest = hashlib.sha256()
    while chunk := fileobj.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


# Writing the archive


def create_backup(path, *, force=False, bindir=None):
    """Write the whole site to ``path`` (a temporary file beside it, renamed when complete)."""
    path = Path(path)
    if str(path) == "-":
        raise BackupError("Writing to standard output is not supported: give a file path.")
    if path.exists() and not force:
        raise BackupError(f"{path} exists; choose another path or pass --force to replace it.")
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give a file path.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")

    kind = vendor()
    member = DATABASE_MEMBERS[kind]
    handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    # The database copy waits beside the archive, where there is room for the archive.
    work = tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".work")
    try:
        database_file = Path(work) / member
        counts, migrations = dump_database(database_file, bindir)
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            with database_file.open("rb") as source:
                database = _add(archive, member, database_file.stat().st_size, source)
            database_file.unlink()
            media = []
            for name in media_names():
                with default_storage.open(name, "rb") as source:
                    entry = _add(archive, MEDIA_PREFIX + name, default_storage.size(name), source)
                media.append({"name": name, **entry})
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "django_version": django.get_version(),
                "database": {"vendor": kind, "member": member, **database},
                "migrations": migrations,
                "row_counts": counts,
                "media": media,
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        with open(partial, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(partial, path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself survives a crash
        finally:
            os.close(folder)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return manifest


def _add(archive, name, size, source):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    reader = HashingReader(source)
    try:
        archive.addfile(info, reader)
    except OSError as error:  # the file shrank between listing and reading
        raise BackupError(
            f"{name} changed while it was read ({error}); run the backup again."
        ) from error
    return {"size": size, "sha256": reader.sha256.hexdigest()}


# Reading and checking an archive


def read_archive(path):
    """Open ``path`` and check it whole, before anything is written; return its manifest.

    Every member's size and SHA-256 is checked against the manifest, and nothing may be in
    the archive that the manifest does not list.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file.")
    try:
        with tarfile.open(path, "r:") as archive:
            return _checked_manifest(path, archive)
    except (tarfile.TarError, EOFError, OSError) as error:
        reason = "it is cut short" if "end of data" in str(error) else error
        raise BackupError(f"{path}: not a readable backup archive ({reason}).") from error


def _checked_manifest(path, archive):
    members = {member.name: member for member in archive.getmembers()}
    if MANIFEST not in members:
        raise BackupError(f"{path}: no {MANIFEST}; the archive is cut short or not a backup.")
    try:
        manifest = json.loads(archive.extractfile(members[MANIFEST]).read())
    except (ValueError, tarfile.TarError, OSError) as error:
        raise BackupError(f"{path}: {MANIFEST} is damaged ({error}).") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{path}: not a backup of this site (unknown format).")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path}: backup format version {manifest.get('format_version')!r}; "
            f"this code reads version {FORMAT_VERSION}."
        )
    try:
        expected = _expected_members(manifest)
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"{path}: {MANIFEST} is incomplete ({error}).") from error
    unexpected = sorted(set(members) - set(expected) - {MANIFEST})
    if unexpected:
        raise BackupError(f"{path}: {unexpected[0]} is in the archive but not the manifest.")
    for name, (size, digest) in expected.items():
        member = members.get(name)
        if member is None or not member.isfile():
            raise BackupError(f"{path}: {name} is missing.")
        if member.size != size:
            raise BackupError(f"{path}: {name} has {member.size} bytes, not {size}.")
        try:
            actual = sha256_of(archive.extractfile(member))
        except (tarfile.TarError, OSError) as error:
            raise BackupError(f"{path}: {name} cannot be read ({error}).") from error
        if actual != digest:
            raise BackupError(f"{path}: {name} is damaged (its SHA-256 does not match).")
    return manifest


def _expected_members(manifest):
    database = manifest["database"]
    if database["member"] != DATABASE_MEMBERS.get(database["vendor"]):
        raise ValueError(f"unknown database {database['vendor']!r}")
    expected = {database["member"]: (int(database["size"]), str(database["sha256"]))}
    for entry in manifest["media"]:
        name = _safe_media_name(entry["name"])
        expected[MEDIA_PREFIX + name] = (int(entry["size"]), str(entry["sha256"]))
    if not isinstance(manifest["row_counts"], dict):
        raise ValueError("row_counts")
    return expected


def _safe_media_name(name):
    parts = PurePosixPath(name).parts
    if not name or name.startswith("/") or ".." in parts or "\\" in name:
        raise ValueError(f"unsafe media name {name!r}")
    return name


# Restoring


def restore_backup(path, *, bindir=None):
    """Restore the archive at ``path`` into the (empty) database and the media storage."""
    manifest = read_archive(path)
    kind = vendor()
    if manifest["database"]["vendor"] != kind:
        raise BackupError(
            f"{path}: a {manifest['database']['vendor']} backup cannot be restored into "
            f"{kind}; point DATABASE_URL at an empty {manifest['database']['vendor']} database."
        )
    migrations = {tuple(item) for item in manifest["migrations"]}
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(migrations - known)
    if unknown:
        app, name = unknown[0]
        raise BackupError(
            f"{path}: the backup was made by newer code ({len(unknown)} migrations this code "
            f"does not have, e.g. {app}.{name}); restore it with the code that made it."
        )
    _refuse_unless_empty()
    skipped = _media_in_the_way(manifest)

    work = tempfile.mkdtemp(prefix="osce-restore-")
    try:
        with tarfile.open(path, "r:") as archive:
            # Media first: if writing them fails (a full disk, the storage unreachable),
            # the database is still empty, and the same command run again skips the files
            # already written (they have the archive's content) and carries on.
            written = []
            for entry in manifest["media"]:
                if entry["name"] in skipped:
                    continue
                with archive.extractfile(MEDIA_PREFIX + entry["name"]) as source:
                    try:
                        saved = default_storage.save(entry["name"], File(source, entry["name"]))
                    except OSError as error:
                        raise BackupError(
                            f"Writing the media file {entry['name']} failed ({error}). The "
                            "database is untouched: fix the cause and run the same command "
                            "again."
                        ) from error
                if saved != entry["name"]:
                    raise BackupError(f"The storage saved {entry['name']} as {saved}.")
                written.append(entry["name"])
            member = manifest["database"]["member"]
            database_file = Path(work) / member
            with archive.extractfile(member) as source, database_file.open("wb") as copy:
                shutil.copyfileobj(source, copy, CHUNK)
            if kind == "postgresql":
                _restore_postgresql(database_file, bindir)
            else:
                _restore_sqlite(database_file)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Restored(
        tables=_check_restored(manifest),
        media=written,
        media_skipped=sorted(skipped),
        migrations_to_apply=sorted(f"{app}.{name}" for app, name in known - migrations),
        manifest=manifest,
    )


def _refuse_unless_empty():
    with connection.cursor() as cursor:
        tables = table_names(cursor)
    if tables:
        name = connection.settings_dict["NAME"]
        raise BackupError(
            f"The database {name} is not empty ({len(tables)} tables, e.g. {tables[0]}); "
            "restore into a new, empty database (createdb on PostgreSQL, a new file on "
            "SQLite), named by DATABASE_URL."
        )


def _media_in_the_way(manifest):
    """Files already in the storage with the archive's content are left; others refuse."""
    same = set()
    for entry in manifest["media"]:
        name = entry["name"]
        if not default_storage.exists(name):
            continue
        with default_storage.open(name, "rb") as existing:
            if sha256_of(existing) != entry["sha256"]:
                raise BackupError(
                    f"The media file {name} exists with other content; restore into an empty "
                    "media storage."
                )
        same.add(name)
    return same


def _restore_postgresql(dump, bindir):
    connection.close()  # pg_restore works in its own session; ours must not hold locks
    run_pg(
        [
            pg_program("pg_restore", bindir),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        connection.settings_dict,
    )


def _restore_sqlite(copy_file):
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(copy_file)) as source:
        source.backup(connection.connection, pages=-1)
    connection.close()  # the next query sees the restored schema on a new connection


def _check_restored(manifest):
    """The restored database has the rows and the storage the files that the manifest lists."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = count_rows(cursor, table_names(cursor), quote)
    if counts != manifest["row_counts"]:
        differing = sorted(
            table
            for table in set(counts) | set(manifest["row_counts"])
            if counts.get(table) != manifest["row_counts"].get(table)
        )
        raise BackupError(f"The restored database differs from the backup in {differing}.")
    for entry in manifest["media"]:
        with default_storage.open(entry["name"], "rb") as restored:
            if sha256_of(restored) != entry["sha256"]:
                raise BackupError(f"The media file {entry['name']} was not restored intact.")
    return counts
