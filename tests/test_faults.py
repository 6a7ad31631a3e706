"""The database going away: a friendly 503, cached pages still served, recovery by itself.

The unit-level tests run on any database: ``connection.execute_wrapper`` makes every query
fail the way a lost server does (``OperationalError``). The real-fault test starts a
private PostgreSQL cluster and gunicorn with the production settings, stops PostgreSQL
under the running site, checks what visitors get, starts it again and checks that the
same gunicorn recovers by itself (connection health checks, no restart).
"""

import contextlib
import datetime as dt
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import time_machine
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from osce_site import backup
from osce_site.resilience import RETRY_AFTER
from press import pagecache

FRIENDLY = "The site is briefly unavailable"
FINDER = "/press-releases/"


def database_down(execute, sql, params, many, context):
    raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: refused')


def assert_friendly_503(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert "no-store" in response["Cache-Control"]
    assert FRIENDLY in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "Server Error" not in body


# ---------------------------------------------------------------------------------------
# Any database: the failure simulated at the query


@pytest.mark.django_db
def test_a_page_whose_queries_fail_gets_the_503_page_and_one_log_line(client, log_lines):
    with connection.execute_wrapper(database_down):
        response = client.get(FINDER, {"q": "ceasefire"})

    assert_friendly_503(response)
    [line] = log_lines()  # not a second "Service Unavailable" line from Django
    assert line["level"] == "ERROR"
    assert line["status"] == 503
    assert line["request_id"] == response["X-Request-ID"]
    assert line["path"] == FINDER
    assert f"Reference: <code>{response['X-Request-ID']}</code>" in response.content.decode()
    assert line["exception"] == "django.db.utils.OperationalError"
    assert "port 5432 failed" in line["traceback"]
    # And the next request, with the database back, is the page itself.
    assert client.get(FINDER, {"q": "ceasefire"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page", [FINDER, "/admin/"])
def test_a_logged_in_editor_gets_the_503_page_too(admin_client, page, log_lines):
    """A session cookie makes the response read the session (to renew it): with the
    database down that read fails as well, and must not turn the 503 into a 500."""
    assert admin_client.get(page).status_code == 200
    with connection.execute_wrapper(database_down):
        response = admin_client.get(page)
    assert_friendly_503(response)
    assert [line["status"] for line in log_lines() if line["level"] == "ERROR"] == [503]


@pytest.mark.django_db
def test_other_errors_are_still_server_errors(monkeypatch):
    """Only a lost database is a 503: a bug must not hide behind 'try again later'."""
    from press import views

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(views.ReleaseListView, "get_queryset", broken)
    response = Client(raise_request_exception=False).get(FINDER, {"q": "bug"})
    assert response.status_code == 500


@pytest.mark.django_db
def test_the_503_page_needs_no_database(client):
    """Rendered with the template loader alone: not one query, not the menu."""
    from osce_site.resilience import unavailable_response

    with connection.execute_wrapper(database_down):
        response = unavailable_response()
    assert_friendly_503(response)


@pytest.mark.django_db
def test_healthz_answers_503_while_the_database_is_down(client):
    with connection.execute_wrapper(database_down):
        assert client.get("/healthz").status_code == 503
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_cached_pages_are_served_while_the_database_is_down(client, make_release):
    release = make_release(title="Monitors return to the contact line")
    pages = ["/", FINDER, release.get_absolute_url()]
    before = {page: client.get(page) for page in pages}
    assert all(response.status_code == 200 for response in before.values())

    with connection.execute_wrapper(database_down):
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert response.content == before[page].content
        # Never cached, and it needs the database (a search asks it for its matches): the
        # 503 page. (A filter by term may not: the terms' slugs and the index are in memory.)
        assert_friendly_503(client.get(FINDER, {"q": "contact line"}))


@pytest.mark.django_db
def test_a_scheduled_release_falling_due_in_an_outage_keeps_the_cached_pages(client, make_release):
    """Past the due time every cached page would be rendered afresh; with the database
    down the versions last read stand, so the cached pages are served (a release shown a
    little late beats an error page), and the next request once it is back renders anew."""
    due = timezone.now() + dt.timedelta(hours=1)
    make_release(title="Scheduled for the afternoon", published_at=due)
    before = client.get(FINDER)
    assert "Scheduled for the afternoon" not in before.content.decode()

    with time_machine.travel(due + dt.timedelta(minutes=1)):
        with connection.execute_wrapper(database_down):
            during = client.get(FINDER)
        assert during.status_code == 200
        assert during.content == before.content
        after = client.get(FINDER)
        assert "Scheduled for the afternoon" in after.content.decode()


@pytest.mark.django_db
def test_an_outage_before_any_version_was_read_is_a_503_not_a_500(client, monkeypatch):
    """A process that never read the versions cannot trust anything cached: the page needs
    the database, so the visitor gets the 503 page."""
    client.get(FINDER)
    monkeypatch.setattr(pagecache, "_last_seen", {})  # as a process just started
    with connection.execute_wrapper(database_down):
        assert_friendly_503(client.get(FINDER))


# ---------------------------------------------------------------------------------------
# PostgreSQL stopped under a running gunicorn

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HTTPS = {"X-Forwarded-Proto": "https", "Host": "localhost"}
RECOVERY_SECONDS = 10
# As `make serve` starts it: its settings file (one process with threads, no REDIS_URL).
GUNICORN = [str(BIN / "gunicorn"), "osce_site.wsgi", "--config", "python:osce_site.gunicorn_conf"]
GUNICORN += ["--graceful-timeout", "2"]


def postgres_bindir():
    """The newest installed server programs, found as the backups find pg_dump."""
    with contextlib.suppress(backup.BackupError):
        return Path(backup.pg_program("initdb")).parent
    if os.environ.get("CI"):
        pytest.fail(
            "CI is set but PostgreSQL's server programs are missing (apt-get install postgresql)"
        )
    pytest.skip("PostgreSQL's server programs are not installed")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster, as scripts/with-postgres makes one."""

    def __init__(self, bindir):
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="osce-faults-pg."))
        self.port = free_port()
        self.url = f"postgres://osce@127.0.0.1:{self.port}/osce_site"
        if os.getuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.dir, "postgres")
        try:
            self.run("initdb", "-D", self.data, "-U", "osce", "-A", "trust", "-E", "UTF8",
                     "--locale=C.UTF-8", "--no-sync")  # fmt: skip
            self.start()
            self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "osce", "osce_site")
        except BaseException:
            self.remove()  # a server started, then a failure: stop it, leave no folder
            raise

    @property
    def data(self):
        return str(self.dir / "data")

    def run(self, program, *args):
        command = [str(self.bindir / program), *args]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self):
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.run(
            "pg_ctl", "-D", self.data, "-l", str(self.dir / "log"), "-w", "-o", options, "start"
        )

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def fetch(base, path):
    """(status, headers, body) of a GET through the would-be TLS proxy."""
    request = urllib.request.Request(base + path, headers=HTTPS)
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, reply.headers, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_for(base, path, status, seconds):
    """Seconds until ``path`` answers ``status``; fails after ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if fetch(base, path)[0] == status:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"{path} did not answer {status} within {seconds} s")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn (production settings, one process) over a private PostgreSQL cluster."""
    bindir = postgres_bindir()
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (scripts/with-postgres)")
    cluster = Cluster(bindir)
    var = tmp_path_factory.mktemp("var")
    log = var / "gunicorn.log"
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DEBUG", "REDIS_URL", "CONN_MAX_AGE", "WEB_CONCURRENCY"}
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost,127.0.0.1",
        DATABASE_URL=cluster.url,
        DJANGO_SETTINGS_MODULE="osce_site.settings",
        VAR_DIR=str(var),
        LOG_LEVEL="WARNING",
        # One process with threads: what it has cached is what it serves in the outage
        # (several workers without Redis each serve from their own cache).
        WEB_CONCURRENCY="1",
        GUNICORN_THREADS="4",
    )
    process = None
    try:
        for command in (
            ["migrate", "--noinput", "--verbosity", "0"],
            ["load_reference_data"],
            ["import_releases", "press/sample_pages"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
        ):
            done = subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=300)  # fmt: skip
            assert done.returncode == 0, done.stderr[-3000:]
        port = free_port()
        with log.open("w") as out:
            process = subprocess.Popen(
                [*GUNICORN, "--bind", f"127.0.0.1:{port}"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        base = f"http://127.0.0.1:{port}"
        wait_for(base, "/healthz", 200, 30)
        yield cluster, process, base, log
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        cluster.remove()


def json_lines(log):
    lines = []
    for raw in log.read_text(errors="replace").splitlines():
        if raw.startswith("{"):
            lines.append(json.loads(raw))
    return lines


@pytest.mark.postgres
def test_postgresql_stopped_and_started_under_a_running_site(site):
    cluster, process, base, log = site
    status, _, finder = fetch(base, FINDER)
    assert status == 200
    detail = re.search(r'href="(/press-releases/[a-z0-9-]+/)"', finder)[1]
    cached = {path: fetch(base, path) for path in ("/", detail)}
    assert all(status == 200 for status, _, _ in cached.values())

    cluster.stop("fast")
    try:
        assert fetch(base, "/healthz")[0] == 503
        started = time.monotonic()
        status, headers, body = fetch(base, f"{FINDER}?q=minsk")  # never cached
        outage_seconds = time.monotonic() - started
        assert status == 503
        assert headers["Retry-After"] == str(RETRY_AFTER)
        assert FRIENDLY in body
        assert "Traceback" not in body
        assert outage_seconds < 2, "a refused connection is answered at once"
        request_id = headers["X-Request-ID"]
        for path, (_, _, body) in cached.items():
            assert fetch(base, path)[:3:2] == (200, body), f"{path} from the cache"
    finally:
        cluster.start()

    recovered = wait_for(base, "/healthz", 200, RECOVERY_SECONDS)
    assert fetch(base, f"{FINDER}?q=minsk")[0] == 200
    assert process.poll() is None, "the same gunicorn, not restarted"

    logged = [line for line in json_lines(log) if line.get("request_id") == request_id]
    assert [line["status"] for line in logged] == [503]
    assert logged[0]["exception"].endswith("OperationalError")
    print(
        f"\n503 answered in {outage_seconds * 1000:.0f} ms; recovered {recovered:.2f} s after start"
    )
