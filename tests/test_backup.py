"""Backups: the whole site goes into one archive and comes back whole in an empty database.

The round trip builds a site (releases with attachments, a draft, a renamed term, a new
chairpersonship, a publisher), backs it up with ``backup_site``, restores it with
``restore_site`` in another process pointed at a new, empty database (a new SQLite file, or
a new database on the same PostgreSQL server), then compares every table row by row, every
media file byte by byte, and the public pages as the restored site serves them.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test import override_settings

from osce_site import backup
from press.models import Attachment, Release
from taxonomy.models import Chairpersonship, Country, OldAddress
from tests.helpers import factories
from tests.helpers.files import TINY_PDF, TINY_PNG

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "/",
    "/press-releases/",
    "/press-releases/?field=human-rights&sort=oldest",
    "/press-releases/?q=elections",
    "/press-releases/feed/",
    "/press-releases/backup-report-on-elections/",
    "/press-releases/backup-draft/",
    "/countries/",
    "/countries/turkiye-renamed/",
    "/countries/turkiye/",
    "/sitemap.xml",
]


def manage(*args, database_url, var_dir, **extra_env):
    """``manage.py`` in another process, on the database ``database_url`` names."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="osce_site.test_settings",
        DATABASE_URL=database_url,
        VAR_DIR=str(var_dir),
        **extra_env,
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


RENDER = """
import json, os
from django.test import Client
client = Client()
pages = {}
for path in json.loads(os.environ["PAGES"]):
    response = client.get(path)
    pages[path] = [response.status_code, response.get("Location"), response.content.decode()]
print(json.dumps(pages))
"""


def render(client, paths):
    pages = {}
    for path in paths:
        response = client.get(path)
        pages[path] = [response.status_code, response.get("Location"), response.content.decode()]
    return pages


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "source-media"
    return settings.MEDIA_ROOT


@pytest.fixture
def site(reference_data, media_root):
    """A site with something of every kind in it, committed (pg_dump sees only commits)."""
    report = factories.make_release(
        title="Backup report on elections",
        fields=("human-rights",),
        countries=("ukraine",),
        body="<p>VIENNA – The report on elections and “quotes”, ü, 日本.</p>",
    )
    Attachment.objects.create(
        release=report, title="Map", file=ContentFile(TINY_PNG, name="map.png")
    )
    Attachment.objects.create(
        release=report, title="Report", file=ContentFile(TINY_PDF, name="report.pdf")
    )
    factories.make_release(title="Backup draft", status=Release.Status.DRAFT)
    renamed = factories.make_release(title="Backup old title", fields=("human-rights",))
    renamed.slug = "backup-new-title"
    renamed.save()
    for number in range(25):  # more than a page of the finder
        factories.make_release(days_ago=number + 2)
    turkiye = Country.objects.get(slug="turkiye")
    turkiye.slug = "turkiye-renamed"
    turkiye.save()
    Chairpersonship.objects.update_or_create(
        year=2199, defaults={"country": Country.objects.get(slug="finland")}
    )
    publisher = User.objects.create_user("publisher", "p@example.org", "a-long-password-1")
    # A flush by an earlier test removes the groups the migration made.
    publisher.groups.add(Group.objects.get_or_create(name="Publishers")[0])
    assert OldAddress.objects.filter(old_slug="turkiye").exists()
    return report


@pytest.fixture
def empty_database(tmp_path):
    """A new, empty database beside the test database: (DATABASE_URL, a DB-API connection)."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored" / "restored.sqlite3"
        path.parent.mkdir()
        yield (
            f"sqlite:///{path}",
            lambda: sqlite3.connect(
                path, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
            ),
        )
        return
    import psycopg2

    server = connection.settings_dict
    name = f"{server['NAME']}_restored_{uuid.uuid4().hex[:8]}"

    def connect(dbname):
        return psycopg2.connect(
            dbname=dbname,
            host=server["HOST"] or None,
            port=server["PORT"] or None,
            user=server["USER"] or None,
            password=server["PASSWORD"] or None,
        )

    admin = connect("postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user = server["USER"]
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{server['HOST']}:{server['PORT']}/{name}"
    yield url, lambda: connect(name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def source_connection():
    """The test database through a connection like the restored one's, for equal types."""
    if connection.vendor == "sqlite":
        return connection  # in memory: only Django's own connection sees it
    import psycopg2

    server = connection.settings_dict
    return psycopg2.connect(
        dbname=server["NAME"],
        host=server["HOST"] or None,
        port=server["PORT"] or None,
        user=server["USER"] or None,
        password=server["PASSWORD"] or None,
    )


def all_rows(db):
    """Every table's rows, sorted, as plain values."""
    cursor = db.cursor()
    tables = sorted(connection.introspection.table_names(cursor, include_views=False))
    rows = {}
    for table in tables:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        rows[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return rows


def files_under(folder):
    folder = Path(folder)
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_site_restored_into_an_empty_database_is_the_same_site(
    site, empty_database, tmp_path, client
):
    database_url, connect_restored = empty_database
    archive = tmp_path / "site.tar"
    out = io.StringIO()
    call_command("backup_site", str(archive), stdout=out)
    assert "2 media files" in out.getvalue()

    restored_var = tmp_path / "restored-var"
    result = manage("restore_site", str(archive), database_url=database_url, var_dir=restored_var)
    assert result.returncode == 0, result.stderr
    assert "press_release: " in result.stdout
    assert "all checked against the manifest" in result.stdout

    source = source_connection()
    restored = connect_restored()
    try:
        before, after = all_rows(source), all_rows(restored)
    finally:
        restored.close()
        if source is not connection:
            source.close()
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    assert tables <= set(before), "every model's table is compared"
    assert set(after) == set(before)
    for table in sorted(before):
        assert after[table] == before[table], table
    assert len(before["press_release"]) == 28
    assert len(before["press_attachment"]) == 2
    assert len(before["auth_user"]) == 1
    assert before["django_migrations"]

    source_media = files_under(site_media := Path(default_storage.location))
    assert len(source_media) == 2, site_media
    assert files_under(restored_var / "media") == source_media

    served = manage(
        "shell",
        "--no-imports",
        "-c",
        RENDER,
        database_url=database_url,
        var_dir=restored_var,
        PAGES=json.dumps(PAGES),
    )
    assert served.returncode == 0, served.stderr
    restored_pages = json.loads(served.stdout)
    original_pages = render(client, PAGES)
    for path in PAGES:
        assert restored_pages[path] == original_pages[path], path
    status = {path: page[0] for path, page in original_pages.items()}
    assert status["/press-releases/backup-report-on-elections/"] == 200
    assert status["/press-releases/backup-draft/"] == 404
    assert status["/countries/turkiye/"] == 301
    assert "Backup report on elections" in original_pages["/press-releases/?q=elections"][2]
    assert site.attachments.first().file.name in original_pages[site.get_absolute_url()][2]


def test_a_database_that_is_not_empty_is_refused_and_left_as_it_was(site, empty_database, tmp_path):
    database_url, connect_restored = empty_database
    archive = tmp_path / "site.tar"
    call_command("backup_site", str(archive), stdout=io.StringIO())
    restored_var = tmp_path / "restored-var"
    first = manage("restore_site", str(archive), database_url=database_url, var_dir=restored_var)
    assert first.returncode == 0, first.stderr
    restored = connect_restored()
    try:
        before = all_rows(restored)
    finally:
        restored.close()
    (restored_var / "media").rename(restored_var / "media-aside")

    again = manage("restore_site", str(archive), database_url=database_url, var_dir=restored_var)

    assert again.returncode != 0
    assert "is not empty" in again.stderr
    assert "new, empty database" in again.stderr
    restored = connect_restored()
    try:
        assert all_rows(restored) == before
    finally:
        restored.close()
    assert not (restored_var / "media").exists()


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """One small backup of the test database for the tests that damage or read it."""
    folder = tmp_path_factory.mktemp("archive")
    with override_settings(MEDIA_ROOT=folder / "media"), django_db_blocker.unblock():
        default_storage.save("releases/2026/11/report.pdf", ContentFile(TINY_PDF))
        call_command("backup_site", str(folder / "site.tar"), stdout=io.StringIO())
    return folder / "site.tar"


def rebuild(source, target, *, drop=(), replace=None, add=None):
    """A copy of the archive ``source`` with members dropped, replaced or added."""
    replace = replace or {}
    with tarfile.open(source) as old, tarfile.open(target, "w") as new:
        for member in old.getmembers():
            if member.name in drop:
                continue
            data = replace.get(member.name, old.extractfile(member).read())
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
        for name, data in (add or {}).items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))
    return target


def manifest_of(path):
    with tarfile.open(path) as archive:
        return json.loads(archive.extractfile("manifest.json").read())


def truncated(path, tmp_path):
    target = tmp_path / "truncated.tar"
    target.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return target


def flipped_byte(path, tmp_path):
    """One byte of the database changed inside the archive: sizes all right, content not."""
    data = bytearray(path.read_bytes())
    with tarfile.open(path) as archive:
        member = next(m for m in archive.getmembers() if m.name.startswith("database."))
    data[member.offset_data + member.size // 2] ^= 0xFF
    target = tmp_path / "flipped.tar"
    target.write_bytes(bytes(data))
    return target


def without_manifest(path, tmp_path):
    return rebuild(path, tmp_path / "no-manifest.tar", drop={"manifest.json"})


def foreign(path, tmp_path):
    manifest = {**manifest_of(path), "format": "someone-elses-backup"}
    return rebuild(
        path, tmp_path / "foreign.tar", replace={"manifest.json": json.dumps(manifest).encode()}
    )


def with_an_extra_file(path, tmp_path):
    return rebuild(path, tmp_path / "extra.tar", add={"media/extra.pdf": TINY_PDF})


def with_an_escaping_name(path, tmp_path):
    manifest = manifest_of(path)
    manifest["media"][0]["name"] = "../../etc/cron.d/evil"
    return rebuild(
        path, tmp_path / "escape.tar", replace={"manifest.json": json.dumps(manifest).encode()}
    )


def not_a_tar(path, tmp_path):
    target = tmp_path / "notes.tar"
    target.write_text("these are my notes, not a backup\n" * 100)
    return target


def from_an_older_format(path, tmp_path):
    manifest = {**manifest_of(path), "format_version": backup.FORMAT_VERSION + 1}
    return rebuild(
        path, tmp_path / "format.tar", replace={"manifest.json": json.dumps(manifest).encode()}
    )


def without_a_media_file(path, tmp_path):
    return rebuild(path, tmp_path / "no-media.tar", drop={"media/releases/2026/11/report.pdf"})


def without_row_counts(path, tmp_path):
    manifest = manifest_of(path)
    del manifest["row_counts"]
    return rebuild(
        path, tmp_path / "partial.tar", replace={"manifest.json": json.dumps(manifest).encode()}
    )


def from_the_other_database(path, tmp_path):
    """The same archive, labelled as made by the other kind of database."""
    manifest = manifest_of(path)
    other = "sqlite" if manifest["database"]["vendor"] == "postgresql" else "postgresql"
    old_member, new_member = manifest["database"]["member"], backup.DATABASE_MEMBERS[other]
    manifest["database"].update(vendor=other, member=new_member)
    with tarfile.open(path) as tar:
        data = tar.extractfile(old_member).read()
    return rebuild(
        path,
        tmp_path / "other.tar",
        drop={old_member},
        replace={"manifest.json": json.dumps(manifest).encode()},
        add={new_member: data},
    )


def from_newer_code(path, tmp_path):
    manifest = manifest_of(path)
    manifest["migrations"].append(["press", "9999_from_the_future"])
    return rebuild(
        path, tmp_path / "newer.tar", replace={"manifest.json": json.dumps(manifest).encode()}
    )


DAMAGES = [
    (truncated, "not a readable backup archive (it is cut short)"),
    (flipped_byte, "is damaged (its SHA-256 does not match)"),
    (without_manifest, "no manifest.json"),
    (foreign, "not a backup of this site"),
    (with_an_extra_file, "media/extra.pdf is in the archive but not the manifest"),
    (with_an_escaping_name, "unsafe media name"),
    (not_a_tar, "not a readable backup archive"),
    (from_an_older_format, f"this code reads version {backup.FORMAT_VERSION}"),
    (without_a_media_file, "media/releases/2026/11/report.pdf is missing"),
    (without_row_counts, "manifest.json is incomplete"),
    (from_the_other_database, "backup cannot be restored into"),
    (from_newer_code, "made by newer code (1 migrations this code does not have"),
]
DAMAGE_IDS = [damage.__name__ for damage, _ in DAMAGES]


@pytest.mark.parametrize(("damage", "reason"), DAMAGES, ids=DAMAGE_IDS)
def test_a_damaged_or_foreign_archive_is_refused_by_name_and_reason(
    db, archive, tmp_path, settings, damage, reason
):
    damaged = damage(archive, tmp_path)
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    releases = Release.objects.count()

    with pytest.raises(CommandError) as refused:
        call_command("restore_site", str(damaged), stdout=io.StringIO())

    assert str(damaged) in str(refused.value)
    assert reason in str(refused.value)
    assert Release.objects.count() == releases
    assert not settings.MEDIA_ROOT.exists()


@pytest.mark.parametrize(("damage", "reason"), DAMAGES, ids=DAMAGE_IDS)
def test_a_refused_archive_leaves_an_empty_database_empty(
    archive, empty_database, tmp_path, damage, reason
):
    """Refused before anything is written: where the restore would write (an empty
    database and media folder), nothing appears."""
    database_url, connect_restored = empty_database
    damaged = damage(archive, tmp_path)
    restored_var = tmp_path / "restored"
    result = manage("restore_site", str(damaged), database_url=database_url, var_dir=restored_var)
    assert result.returncode != 0
    assert reason in result.stderr
    assert "Traceback" not in result.stderr
    restored = connect_restored()
    try:
        assert all_rows(restored) == {}
    finally:
        restored.close()
    assert not (restored_var / "media").exists()


def restore_into(empty_database, archive, restored_var):
    database_url, _ = empty_database
    return manage("restore_site", str(archive), database_url=database_url, var_dir=restored_var)


def tables_of(empty_database):
    restored = empty_database[1]()
    try:
        return all_rows(restored)
    finally:
        restored.close()


REPORT = "releases/2026/11/report.pdf"


def test_a_media_file_in_the_way_with_other_content_is_refused(archive, empty_database, tmp_path):
    restored_var = tmp_path / "restored"
    theirs = restored_var / "media" / REPORT
    theirs.parent.mkdir(parents=True)
    theirs.write_bytes(b"another site's report")

    result = restore_into(empty_database, archive, restored_var)

    assert result.returncode != 0
    assert f"The media file {REPORT} exists with other content" in result.stderr
    assert tables_of(empty_database) == {}
    assert theirs.read_bytes() == b"another site's report"


def test_a_media_file_already_there_with_the_same_content_is_kept(
    archive, empty_database, tmp_path
):
    restored_var = tmp_path / "restored"
    same = restored_var / "media" / REPORT
    same.parent.mkdir(parents=True)
    same.write_bytes(TINY_PDF)

    result = restore_into(empty_database, archive, restored_var)

    assert result.returncode == 0, result.stderr
    assert "0 files written, 1 already there" in result.stdout
    assert same.read_bytes() == TINY_PDF


def test_a_restore_stopped_by_a_media_write_can_be_run_again(archive, empty_database, tmp_path):
    """Media go first: the failure leaves the database empty, so the same command, run
    again once the cause is gone, restores everything."""
    restored_var = tmp_path / "restored"
    blocker = restored_var / "media" / "releases"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("a file where the restore needs a folder")

    failed = restore_into(empty_database, archive, restored_var)

    assert failed.returncode != 0
    assert f"Writing the media file {REPORT} failed" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert tables_of(empty_database) == {}

    blocker.unlink()
    again = restore_into(empty_database, archive, restored_var)
    assert again.returncode == 0, again.stderr
    assert (restored_var / "media" / REPORT).read_bytes() == TINY_PDF
    restored = tables_of(empty_database)
    counts = manifest_of(archive)["row_counts"]
    assert {table: len(restored[table]) for table in counts} == counts  # the database too


def test_sqlite_statistics_tables_are_no_obstacle(
    reference_data, media_root, empty_database, tmp_path, request
):
    """ANALYZE (run by hand or by a maintenance job) makes SQLite's own sqlite_stat1 table:
    no data of the site, and not a table the restore should find missing or in the way."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    if connection.vendor == "sqlite":  # the test database outlives the test
        request.addfinalizer(lambda: connection.cursor().execute("DROP TABLE sqlite_stat1"))
    call_command("backup_site", str(tmp_path / "site.tar"), stdout=io.StringIO())
    assert not any(
        name.startswith("sqlite_") for name in manifest_of(tmp_path / "site.tar")["row_counts"]
    )

    result = restore_into(empty_database, tmp_path / "site.tar", tmp_path / "restored")

    assert result.returncode == 0, result.stderr
    assert "all checked against the manifest" in result.stdout


def test_the_restored_site_is_checked_against_the_manifest(db, media_root):
    """The last step of a restore: a table with other row counts, or a media file with other
    content, than the manifest lists is reported by name."""
    with connection.cursor() as cursor:
        counts = backup.count_rows(cursor, backup.table_names(cursor), connection.ops.quote_name)
    default_storage.save(REPORT, ContentFile(TINY_PDF))
    entry = {
        "name": REPORT,
        "size": len(TINY_PDF),
        "sha256": backup.sha256_of(io.BytesIO(TINY_PDF)),
    }
    assert backup._check_restored({"row_counts": counts, "media": [entry]}) == counts

    more = {**counts, "taxonomy_country": counts["taxonomy_country"] + 1}
    with pytest.raises(
        backup.BackupError, match=r"differs from the backup in \['taxonomy_country'\]"
    ):
        backup._check_restored({"row_counts": more, "media": [entry]})
    other = {**entry, "sha256": "0" * 64}
    with pytest.raises(
        backup.BackupError, match=f"The media file {REPORT} was not restored intact"
    ):
        backup._check_restored({"row_counts": counts, "media": [other]})


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite copies on the same connection")
def test_a_backup_inside_a_transaction_is_refused(reference_data, media_root, tmp_path):
    """SQLite's copy would wait for ever on the caller's own open transaction."""
    with transaction.atomic(), pytest.raises(CommandError, match="outside a transaction"):
        call_command("backup_site", str(tmp_path / "site.tar"))
    assert not (tmp_path / "site.tar").exists()


def test_check_reads_the_whole_archive_and_writes_nothing(db, archive, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    out = io.StringIO()
    call_command("restore_site", str(archive), "--check", stdout=out)
    assert "is whole" in out.getvalue()
    assert "1 media files" in out.getvalue()
    assert not settings.MEDIA_ROOT.exists()
    with pytest.raises(CommandError, match="SHA-256 does not match"):
        call_command("restore_site", str(flipped_byte(archive, tmp_path)), "--check")


def test_the_manifest_describes_the_archive(db, archive):
    manifest = manifest_of(archive)
    assert manifest["format"] == "osce-site-backup"
    assert manifest["database"]["vendor"] == connection.vendor
    assert ["press", "0001_initial"] in manifest["migrations"]
    assert manifest["row_counts"]["taxonomy_country"] == Country.objects.count()
    assert [entry["name"] for entry in manifest["media"]] == ["releases/2026/11/report.pdf"]
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        assert tar.extractfile("media/releases/2026/11/report.pdf").read() == TINY_PDF
    assert names[-1] == "manifest.json"  # last: an archive cut short has none
    assert oct(archive.stat().st_mode & 0o777) == "0o600"  # it holds password hashes


def test_an_existing_path_is_kept_unless_forced(reference_data, media_root, tmp_path):
    path = tmp_path / "site.tar"
    path.write_bytes(b"last week's backup")
    with pytest.raises(CommandError, match="exists; choose another path or pass --force"):
        call_command("backup_site", str(path))
    assert path.read_bytes() == b"last week's backup"
    call_command("backup_site", str(path), "--force", stdout=io.StringIO())
    assert manifest_of(path)["format"] == "osce-site-backup"


@pytest.mark.parametrize(
    ("path", "reason"),
    [("-", "standard output is not supported"), ("/no/such/folder/site.tar", "does not exist")],
)
def test_paths_that_cannot_be_written_are_refused(db, path, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("backup_site", path)


def test_a_failed_backup_leaves_no_file_behind(reference_data, media_root, tmp_path, monkeypatch):
    def broken(*args):
        raise backup.BackupError("the storage is unreachable")

    monkeypatch.setattr(backup, "media_names", broken)
    with pytest.raises(CommandError, match="the storage is unreachable"):
        call_command("backup_site", str(tmp_path / "site.tar"))
    assert [path.name for path in tmp_path.iterdir() if path.name != "source-media"] == []


def test_media_are_read_through_the_storage_api_whatever_the_backend(
    reference_data, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    settings.MEDIA_ROOT = tmp_path / "local-media"
    default_storage.save("releases/2026/11/map.png", ContentFile(TINY_PNG))
    default_storage.save("top.pdf", ContentFile(TINY_PDF))
    path = tmp_path / "site.tar"
    call_command("backup_site", str(path), stdout=io.StringIO())
    media = {entry["name"]: entry["size"] for entry in manifest_of(path)["media"]}
    assert media == {"releases/2026/11/map.png": len(TINY_PNG), "top.pdf": len(TINY_PDF)}
    assert not settings.MEDIA_ROOT.exists()


def fake_program(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / name
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    return program


def test_the_newest_installed_postgresql_client_is_used_unless_told(tmp_path, monkeypatch):
    monkeypatch.delenv(backup.PG_BINDIR_ENV, raising=False)
    monkeypatch.setattr(backup, "PG_INSTALLED", tmp_path / "lib")
    for version in ("9.6", "16", "10"):  # 9.6 sorts last as text
        fake_program(tmp_path / "lib" / version / "bin", "pg_dump")
    assert backup.pg_program("pg_dump") == str(tmp_path / "lib" / "16" / "bin" / "pg_dump")

    told = fake_program(tmp_path / "told", "pg_dump")
    monkeypatch.setenv(backup.PG_BINDIR_ENV, str(tmp_path / "told"))
    assert backup.pg_program("pg_dump") == str(told)
    with pytest.raises(backup.BackupError, match="not an executable pg_restore"):
        backup.pg_program("pg_restore")


def test_the_password_reaches_pg_restore_through_the_environment_only(db, tmp_path, monkeypatch):
    """Never on the command line, which any user of the machine can read (ps)."""
    calls = []

    def recorded(args, env, **kwargs):
        calls.append((args, env))
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(backup.subprocess, "run", recorded)
    monkeypatch.setattr(connection, "close", lambda: None)
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "s3cret-pw")
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.internal")
    fake_program(tmp_path, "pg_restore")

    backup._restore_postgresql(tmp_path / "database.dump", str(tmp_path))

    [(args, env)] = calls
    assert args[0] == str(tmp_path / "pg_restore")
    assert not any("s3cret-pw" in arg for arg in args)
    assert env["PGPASSWORD"] == "s3cret-pw"
    assert env["PGHOST"] == "db.internal"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
def test_a_backup_taken_while_releases_are_written_is_one_snapshot(
    reference_data, media_root, empty_database, tmp_path
):
    """Each release is written with its source in one transaction: in any one snapshot
    there are as many source links as releases, and the manifest's counts are that
    snapshot's, so the restore's own check against them passes."""
    database_url, connect_restored = empty_database
    stop, written = threading.Event(), []

    def writer():
        try:
            while not stop.is_set():
                with transaction.atomic():
                    written.append(factories.make_release().pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20 and thread.is_alive():
            time.sleep(0.01)
        call_command("backup_site", str(tmp_path / "site.tar"), stdout=io.StringIO())
        during = len(written)
        while len(written) < during + 20 and thread.is_alive():
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()

    counts = manifest_of(tmp_path / "site.tar")["row_counts"]
    assert 20 <= counts["press_release"] < len(written)
    assert counts["press_release_sources"] == counts["press_release"]
    result = manage(
        "restore_site", str(tmp_path / "site.tar"), database_url=database_url, var_dir=tmp_path
    )
    assert result.returncode == 0, result.stderr
    restored = connect_restored()
    try:
        cursor = restored.cursor()
        cursor.execute("SELECT COUNT(*) FROM press_release")
        assert cursor.fetchone()[0] == counts["press_release"]
    finally:
        restored.close()
