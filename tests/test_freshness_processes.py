"""Never stale on any set-up: a running server, a command in another process, and the
change on the list, a term page, the feed and the sitemap at the very next request.

The servers run as ``make run`` starts one (runserver, DEBUG, the embedded SQLite database,
local-memory cache) and as ``make serve`` does (gunicorn, production settings, two workers,
with Redis where ``redis-server`` is installed and without it). The writers are what a
site admin runs by hand: ``import_releases`` and a takedown typed into ``manage.py shell``
(a bulk ``update()``, which sends no signal). The servers use a database of their own, on
SQLite: the PostgreSQL run of the suite covers the same triggers in process
(``tests/taxonomy/test_freshness.py``).
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

# The servers' database is a copy of the test database (reference_database).
pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SAMPLE = ROOT / "press" / "sample_pages" / "minsk-group-statement-2021-09-24.txt"
NEW_TITLE = "Co-Chairs welcome the resumption of talks in Vienna"
STARTUP_SECONDS = 40


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory, reference_database):
    """A migrated site in a folder of its own, with the reference data (a copy of the test
    database's, as migrate and load_reference_data leave it) and the sample page."""
    if connection.vendor != "sqlite":
        pytest.skip("the servers use a SQLite file of their own: run once, on the SQLite run")
    folder = tmp_path_factory.mktemp("site")
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG"}
    }
    env.update(VAR_DIR=str(folder), DEBUG="1", LOG_LEVEL="WARNING")
    production = {name: value for name, value in env.items() if name != "DEBUG"}
    production.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="localhost")
    manage(production, "collectstatic", "--noinput", "--verbosity", "0")  # as make serve does
    reference_database(folder / "db.sqlite3")
    manage(env, "import_releases", str(SAMPLE))
    page = SAMPLE.read_text(encoding="utf-8")
    page = page.replace("Statement by the Co-Chairs of the OSCE Minsk Group", NEW_TITLE)
    page = page.replace("24 September 2021", "1 December 2026")
    (folder / "new-page.txt").write_text(page, encoding="utf-8")
    return folder, env


def manage(env, *args):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class Server:
    """A server process on a free loopback port, stopped at the end."""

    def __init__(self, command, env, port, log):
        self.port = port
        self.log = log
        with log.open("w") as output:  # a file: an unread pipe would fill and stop it
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the server stopped: {self.log.read_text()}")
            try:
                if self.get("/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise AssertionError("the server did not answer in time")

    def get(self, path):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={"Host": "localhost", "X-Forwarded-Proto": "https"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_redis():
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process, f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("redis-server did not start")


@pytest.fixture(params=["make run", "make serve", "make serve with Redis"])
def server(request, site):
    folder, base_env = site
    port = free_port()
    env = dict(base_env)
    redis = None
    if request.param == "make run":
        command = [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    else:
        env.pop("DEBUG")
        env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="localhost")
        env.update(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="2")
        if request.param.endswith("Redis"):
            if shutil.which("redis-server") is None:
                if os.environ.get("CI"):
                    pytest.fail("CI is set but redis-server is not on PATH")
                pytest.skip("redis-server is not on PATH")
            redis, env["REDIS_URL"] = start_redis()
        command = [GUNICORN, "osce_site.wsgi", "--config", "python:osce_site.gunicorn_conf"]
    running = Server(command, env, port, folder / "server.log")
    yield running, env
    running.stop()
    if redis:
        redis.kill()
    # The next server starts from the same site: take the new release out again.
    manage(env, "shell", "-c", f"from press.models import Release; {DELETE}")


DELETE = f"Release.objects.filter(title={NEW_TITLE!r}).delete()"
PAGES = {
    "list": "/press-releases/",
    "term page": "/structures/minsk-group/",
    "feed": "/press-releases/feed/",
    "sitemap": "/sitemap-releases.xml",
}


def seen_on(server, wanted):
    """The pages (by name) whose answer holds ``wanted``, each asked twice so that the
    second answer comes from whichever cache the server keeps."""
    found = []
    for name, path in PAGES.items():
        answers = [server.get(path) for _ in range(2)]
        assert all(status == 200 for status, _text in answers), (name, answers[0][0])
        if all(wanted in text for _status, text in answers):
            found.append(name)
    return found


def test_a_command_in_another_process_shows_at_the_next_request(site, server):
    folder, _env = site
    running, env = server
    assert seen_on(running, NEW_TITLE) == []  # every page now cached without it

    manage(env, "import_releases", str(folder / "new-page.txt"))
    assert seen_on(running, NEW_TITLE) == ["list", "term page", "feed"]
    _status, sitemap = running.get(PAGES["sitemap"])
    printed = manage(env, "shell", "-c", f"from press.models import Release; {SLUG}")
    slug = printed.strip().splitlines()[-1]  # after the shell's own line about imports
    assert f"/press-releases/{slug}/" in sitemap

    # A takedown typed into the shell: a bulk update, no signal sent.
    manage(env, "shell", "-c", f"from press.models import Release; {TAKE_DOWN}")
    assert seen_on(running, NEW_TITLE) == []
    assert f"/press-releases/{slug}/" not in running.get(PAGES["sitemap"])[1]
    assert running.get(f"/press-releases/{slug}/")[0] == 404


SLUG = f"print(Release.objects.get(title={NEW_TITLE!r}).slug)"
TAKE_DOWN = f"Release.objects.filter(title={NEW_TITLE!r}).update(status='unpublished')"
