"""An import stopped half-way leaves whole pages only, and a second run finishes it.

Two ways to stop it: in-process, a step inside a page's write raises (Ctrl-C's
``KeyboardInterrupt``, or the database going away) after the release row is written and
before its terms are linked; and for real, ``SIGKILL`` of a command importing 200
generated pages, which no Python code gets to see. Either way every release left in the
database has all of its terms, exactly as a clean import of the same pages gives them.
"""

import datetime as dt
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.models.signals import m2m_changed

from institutions.models import Structure
from press.models import Release
from taxonomy.models import Country, FieldOfWork, Place
from tests.helpers.importer import run_import as run

ROOT = Path(__file__).resolve().parents[2]
SEED_TITLE = "Statement by the Co-Chairs of the OSCE Minsk Group"


def snapshot():
    """Every imported release with the names of all its terms, and every place and structure."""
    releases = Release.objects.exclude(import_key=None).select_related("place")
    return {
        "releases": {
            release.import_key: {
                "title": release.title,
                "place": release.place.name if release.place else None,
                "body": release.body,
                "sources": sorted(term.name for term in release.sources.all()),
                "fields": sorted(term.name for term in release.fields_of_work.all()),
                "countries": sorted(term.name for term in release.countries.all()),
                "meetings": sorted(term.name for term in release.meetings.all()),
            }
            for release in releases.prefetch_related(
                "sources", "fields_of_work", "countries", "meetings"
            )
        },
        "places": sorted(Place.objects.values_list("name", flat=True)),
        "structures": sorted(Structure.objects.values_list("name", flat=True)),
    }


# ---------------------------------------------------------------------------------------
# In-process: a step inside the page's write fails


@pytest.fixture
def three_pages(tmp_path, seed_text):
    """Three good pages; the second names a new place and a new source, which the importer
    creates for it."""
    assert SEED_TITLE in seed_text
    second = seed_text.replace(SEED_TITLE, "Second statement").replace(
        "- NEW YORK\n", "- ATLANTIS\n"
    )
    second = second.replace("- Minsk Group\n", "- Minsk Group\n- Office of Lost Causes\n")
    (tmp_path / "a-first.txt").write_text(seed_text, encoding="utf-8")
    (tmp_path / "b-second.txt").write_text(second, encoding="utf-8")
    (tmp_path / "c-third.txt").write_text(seed_text.replace(SEED_TITLE, "Third statement"))
    return tmp_path


@pytest.fixture
def fault():
    """While ``fault["raise"]`` is set, raise it when the second page's fields of work are
    being linked: its release row, its new place, its new source and its source links are
    written by then."""
    fault = {"raise": None, "release_pk": None}

    def handler(instance, action, **kwargs):
        if action == "pre_add" and instance.title == "Second statement" and fault["raise"]:
            fault["release_pk"] = instance.pk
            raise fault["raise"]

    m2m_changed.connect(handler, sender=Release.fields_of_work.through, weak=False)
    yield fault
    m2m_changed.disconnect(handler, sender=Release.fields_of_work.through)


@pytest.mark.django_db
def test_an_interrupted_dry_run_says_nothing_was_written(three_pages, fault):
    """Not "run the same command again to import the rest": a dry run imports nothing."""
    before = snapshot()
    fault["raise"] = KeyboardInterrupt()

    out, err, error = run(three_pages, "--dry-run")

    assert error is not None
    assert error.returncode == 130
    assert str(error) == "Dry run interrupted: nothing was written."
    assert "a-first.txt" in out  # the page checked before the interrupt was reported
    assert "INTERRUPTED" not in err  # no page is half-imported: none is imported at all
    assert snapshot() == before


@pytest.mark.django_db
def test_an_import_interrupted_inside_a_page_leaves_nothing_of_it(three_pages, fault):
    before = snapshot()
    fault["raise"] = KeyboardInterrupt()

    out, err, error = run(three_pages)

    assert fault["release_pk"] is not None, "the release row was written before the interrupt"
    assert error is not None
    assert error.returncode == 130
    assert "Interrupted after 1 page(s)" in str(error)
    assert "INTERRUPTED" in err
    assert "b-second.txt" in err
    assert "created   " in out
    assert "a-first.txt" in out
    after = snapshot()
    assert [r["title"] for r in after["releases"].values()] == [SEED_TITLE]
    assert not Release.objects.filter(pk=fault["release_pk"]).exists()
    assert after["places"] == sorted({*before["places"], "New York"})  # not Atlantis
    assert "Office of Lost Causes" not in after["structures"]
    first = after["releases"].popitem()[1]
    assert (first["place"], first["sources"], first["fields"]) == (
        "New York",
        ["Minsk Group"],
        ["Conflict prevention and resolution"],
    )


@pytest.mark.django_db
def test_running_again_after_an_interrupt_finishes_the_import(three_pages, fault):
    fault["raise"] = KeyboardInterrupt()
    run(three_pages)
    fault["raise"] = None

    out, err, error = run(three_pages)

    assert error is None, err
    assert "3 page(s): 2 created, 0 updated, 1 unchanged, 0 failed." in out
    assert Place.objects.filter(name="Atlantis").count() == 1
    assert Structure.objects.filter(name="Office of Lost Causes").count() == 1


@pytest.mark.django_db
def test_the_database_failing_inside_a_page_fails_that_page_only(three_pages, fault):
    before = snapshot()
    fault["raise"] = OperationalError("server closed the connection unexpectedly")

    out, err, error = run(three_pages)

    assert error is not None
    assert error.returncode == 1
    assert "FAILED" in err
    assert "b-second.txt" in err
    assert "server closed the connection" in err
    assert "3 page(s): 2 created, 0 updated, 0 unchanged, 1 failed." in out
    after = snapshot()
    assert sorted(r["title"] for r in after["releases"].values()) == [SEED_TITLE, "Third statement"]
    assert after["places"] == sorted({*before["places"], "New York"})
    assert "Office of Lost Causes" not in after["structures"]


# ---------------------------------------------------------------------------------------
# For real: SIGKILL of an import of 200 pages, in its own database

PAGES = 200
KILL_AFTER = 40  # pages reported before the kill, then a random moment inside the next ones


def generated_pages(folder, count=PAGES, seed=7):
    """``count`` pages in the seed's format over the reference data, each with several
    sources, fields of work and countries; every third page names a new place and every
    fifth a new source, which the importer creates with the page."""
    rng = random.Random(seed)
    fields = sorted(FieldOfWork.objects.values_list("name", flat=True))
    countries = sorted(Country.objects.values_list("name", flat=True))
    structures = sorted(Structure.objects.values_list("name", flat=True))
    places = sorted(Place.objects.values_list("name", flat=True)) or ["Vienna"]
    day = dt.date(2015, 1, 1)
    for number in range(1, count + 1):
        day += dt.timedelta(days=rng.randint(1, 9))
        place = f"Generated Town {number}" if number % 3 == 0 else rng.choice(places)
        sources = rng.sample(structures, 3)
        if number % 5 == 0:
            sources.append(f"Generated Office {number}")
        lines = [
            "Press release",
            f"Generated statement number {number} on regional co-operation",
            "- Date:",
            f"- {day.day} {day:%B %Y}",
            "- Place:",
            f"- {place.upper()}",
            "- Source:",
            *(f"- {name}" for name in sources),
            "- Fields of work:",
            *(f"- {name}" for name in rng.sample(fields, 4)),
            "- Countries:",
            *(f"- {name}" for name in rng.sample(countries, 5)),
            f"{place.upper()}, {day.day} {day:%B %Y} – The participants met on item {number}.",
            *(f"Paragraph {n} of statement {number}: " + "words " * 60 for n in range(1, 8)),
        ]
        (folder / f"page-{number:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def generated(names):
    """The names the generated pages made up (new places and sources), as a set."""
    return {name for name in names if name and name.lower().startswith("generated")}


class Database:
    """A database of the run's kind for the subprocesses: a SQLite file, or a new database
    on the PostgreSQL server the tests use; a copy of the migrated test database with the
    reference data (``reference_database``)."""

    def __init__(self, var, reference_database):
        self.env = {
            name: value
            for name, value in os.environ.items()
            if name not in {"DEBUG", "DATABASE_URL", "REDIS_URL"}
        }
        self.env.update(
            SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_SETTINGS_MODULE="osce_site.settings",
            VAR_DIR=str(var),
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
        )
        self.name = None
        if connection.vendor == "sqlite":
            var.mkdir(parents=True)
            reference_database(var / "db.sqlite3")
        else:
            self.name = f"osce_kill_{secrets.token_hex(4)}"
            reference_database(self.name)
            db = connection.settings_dict
            self.env["DATABASE_URL"] = (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or 'localhost'}"
                f":{db['PORT'] or 5432}/{self.name}"
            )

    def _admin(self, sql):
        import psycopg2

        db = connection.settings_dict
        admin = psycopg2.connect(
            dbname=db["NAME"],
            user=db["USER"],
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
        )
        admin.autocommit = True  # CREATE and DROP DATABASE refuse to run in a transaction
        try:
            with admin.cursor() as cursor:
                cursor.execute(sql)
        finally:
            admin.close()

    def remove(self):
        if self.name:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def manage(self, *args, env=None, **kwargs):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env or self.env,
            capture_output=True,
            text=True,
            timeout=600,
            **kwargs,
        )

    def snapshot(self):
        code = (
            "import json; from tests.press.test_import_interrupted import snapshot; "
            "print(json.dumps(snapshot()))"
        )
        done = self.manage("shell", "-c", code)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def database(tmp_path, reference_database):
    database = Database(tmp_path / "var", reference_database)
    try:
        yield database
    finally:
        database.remove()


# The import, killed by SIGKILL from inside when page KILL_AT's countries are about to be
# linked: its release row, its new place, its new source and its other links are written.
KILL_AT = 60
KILL_INSIDE = f"""
import os, signal
from django.core.management import call_command
from django.db.models.signals import m2m_changed
from press.models import Release

def kill(instance, action, **kwargs):
    if action == "pre_add" and instance.title.startswith("Generated statement number {KILL_AT} "):
        os.kill(os.getpid(), signal.SIGKILL)

m2m_changed.connect(kill, sender=Release.countries.through, weak=False)
call_command("import_releases", os.environ["PAGES"])
"""


def kill_inside_a_page(database, folder):
    done = database.manage("shell", "-c", KILL_INSIDE, env={**database.env, "PAGES": str(folder)})
    assert done.returncode == -signal.SIGKILL, done.stderr[-3000:]
    return KILL_AT - 1


def kill_at_a_random_moment(database, folder):
    importing = subprocess.Popen(
        [sys.executable, "manage.py", "import_releases", str(folder)],
        cwd=ROOT,
        env=database.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    reported = 0
    while reported < KILL_AFTER:
        line = importing.stdout.readline()
        assert line, "the import ended before it could be killed"
        reported += line.startswith("created")
    time.sleep(random.uniform(0, 0.05))  # somewhere in a later page
    importing.send_signal(signal.SIGKILL)
    importing.wait(timeout=10)
    importing.stdout.close()
    assert importing.returncode == -signal.SIGKILL
    return None


@pytest.fixture(scope="module")
def clean_import(module_db, django_db_blocker, tmp_path_factory):
    """The generated pages, and what a clean import of them gives (here, in the test
    database): made once for the killed imports below."""
    folder = tmp_path_factory.mktemp("pages")
    with django_db_blocker.unblock():
        generated_pages(folder)
        _, err, error = run(folder)
        assert error is None, err
        clean = snapshot()
    assert len(clean["releases"]) == PAGES
    return folder, clean


@pytest.mark.django_db
@pytest.mark.parametrize("kill", [kill_inside_a_page, kill_at_a_random_moment])
def test_a_killed_import_leaves_whole_pages_and_a_second_run_finishes_it(
    clean_import, database, kill
):
    folder, clean = clean_import

    whole = kill(database, folder)

    killed = database.snapshot()
    assert KILL_AFTER <= len(killed["releases"]) < PAGES, "killed half-way"
    if whole is not None:
        assert len(killed["releases"]) == whole
    for key, release in killed["releases"].items():
        assert release == clean["releases"][key], f"{release['title']} is whole"
    # No place or source was left behind by the page being written at the kill.
    assert generated(killed["places"]) == generated(r["place"] for r in killed["releases"].values())
    assert generated(killed["structures"]) == generated(
        name for release in killed["releases"].values() for name in release["sources"]
    )

    # Running the same command again finishes the import: the same as a clean one.
    done = database.manage("import_releases", str(folder))
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"{len(killed['releases'])} unchanged" in done.stdout
    assert database.snapshot() == clean
