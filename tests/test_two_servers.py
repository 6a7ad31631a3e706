"""Scale-out on real parts: two gunicorn servers, one PostgreSQL database, one Redis.

Both servers run the production settings (DEBUG off) behind what would be a load
balancer: every request names the same host (``localhost``) and says it came over HTTPS
(``X-Forwarded-Proto``), as the TLS-terminating proxy would. An editor logs in and
publishes on server A; the very next visitor on server B must see the release, because
the versions live in the database (taxonomy.freshness) and the pages in the shared Redis;
the editor's session, kept in the database, opens the admin on B too.

Needs PostgreSQL (``scripts/with-postgres``) and ``redis-server`` on PATH; skipped
otherwise, except that with ``CI`` set a missing ``redis-server`` is a failure. Cookies,
CSRF and redirects are handled by hand over urllib, as a browser would.
"""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import override_settings

from press.models import Release

from .helpers.factories import make_release

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "localhost"  # the one name the balancer's clients use, whichever server answers
ORIGIN = f"https://{HOST}"
SECRET_KEY = secrets.token_urlsafe(60)  # one key for both servers, as in a real deployment
USERNAME, PASSWORD = "editor-in-chief", secrets.token_urlsafe(16)
FINDER = "/press-releases/"
DRAFT_TITLE = "Ceasefire monitors return to the contact line"
STARTUP_SECONDS = 30
REDIS_SERVER = ["redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
# As `make serve` starts it (its settings file), one worker each to keep the test light.
GUNICORN = [
    str(BIN / "gunicorn"),
    "osce_site.wsgi",
    "--config",
    "python:osce_site.gunicorn_conf",
    "--workers",
    "1",
    "--graceful-timeout",
    "2",
]


# ---------------------------------------------------------------------------------------
# The real parts


def require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("two servers need a shared database server: run under scripts/with-postgres")


def require_redis():
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but redis-server is not on PATH (apt-get install redis-server)")
        pytest.skip("redis-server is not on PATH")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url():
    """The pytest test database, as the servers' DATABASE_URL."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "localhost"
    if host.startswith("/"):
        host = quote(host, safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"


def server_env(var_dir, redis_url=None):
    env = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CONN_MAX_AGE"}
    }
    env.update(
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="osce_site.settings",
        VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def quiet_gunicorn():
    """Gunicorn 24+ opens a control socket in ~/.gunicorn, one path for both servers: off."""
    import gunicorn.config

    names = {setting.name for setting in gunicorn.config.KNOWN_SETTINGS}
    return ["--no-control-socket"] if "control_socket_disable" in names else []


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """Collected static files (production settings need WhiteNoise's manifest)."""
    require_postgresql()
    var = tmp_path_factory.mktemp("var")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=server_env(var),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return var


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def log_text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Site:
    a: Server
    b: Server
    redis_port: int | None = None

    def redis(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.redis_port)


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def wait_until_healthy(server):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"server {server.name} exited:\n{server.log_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.base}/healthz", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    pytest.fail(f"server {server.name} did not answer /healthz:\n{server.log_text()[-3000:]}")


def wait_for_redis(port):
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if client.ping():
                return
        except redis.exceptions.ConnectionError:
            time.sleep(0.02)
    pytest.fail("redis-server did not start")


@pytest.fixture
def start_site(reference_data, var_dir, tmp_path):
    """Start Redis (unless ``shared_cache=False``) and two servers A and B; stop them after.

    Requests the reference data (reloaded after the last flush) first, so the servers
    start on the data this test sees.
    """
    processes = []
    servers = []

    def start(*, shared_cache=True):
        redis_url = redis_port = None
        if shared_cache:
            require_redis()
            redis_port = free_port()
            processes.append(
                subprocess.Popen(
                    [*REDIS_SERVER, "--port", str(redis_port)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            wait_for_redis(redis_port)
            redis_url = f"redis://127.0.0.1:{redis_port}/0"
        env = server_env(var_dir, redis_url)
        for name in ("A", "B"):
            port = free_port()
            log = tmp_path / f"server-{name}.log"
            with log.open("w") as out:
                process = subprocess.Popen(
                    [*GUNICORN, "--bind", f"127.0.0.1:{port}", *quiet_gunicorn()],
                    cwd=ROOT,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            processes.append(process)
            servers.append(Server(name, port, process, log))
        for server in servers[-2:]:
            wait_until_healthy(server)
        return Site(servers[-2], servers[-1], redis_port)

    try:
        yield start
    finally:
        for process in reversed(processes):
            stop(process)
        for server in servers:  # shown by pytest when the test failed
            print(f"--- server {server.name} log ---\n{server.log_text()[-3000:]}")


# ---------------------------------------------------------------------------------------
# A browser, by hand


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 3xx is an answer to look at, not to follow


OPENER = urllib.request.build_opener(NoRedirect)


@dataclass
class Reply:
    status: int
    headers: object
    body: bytes

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def header(self, name):
        return self.headers.get(name)


@dataclass
class Browser:
    """Keeps cookies as a browser would; a new one is a visitor with none."""

    cookies: dict = field(default_factory=dict)
    secure_cookies: set = field(default_factory=set)

    def request(self, server, path, data=None, headers=None):
        sent = {"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            sent.update({"Origin": ORIGIN, "Referer": ORIGIN + path})
        request = urllib.request.Request(server.base + path, data=body, headers=sent)
        try:
            with OPENER.open(request, timeout=15) as answer:
                reply = Reply(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            reply = Reply(error.code, error.headers, error.read())
        self.keep_cookies(reply)
        return reply

    def get(self, server, path, **headers):
        return self.request(server, path, headers=headers)

    def post(self, server, path, data):
        return self.request(server, path, data=data)

    def keep_cookies(self, reply):
        for line in reply.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(line)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                    continue
                self.cookies[name] = morsel.value
                if morsel["secure"]:
                    self.secure_cookies.add(name)


def visit(server, path, **headers):
    """A visitor's request: no cookie at all."""
    return Browser().get(server, path, **headers)


def csrf_token(html):
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found, "no CSRF token in the form"
    return found.group(1)


def make_editor():
    """A superuser whose password the servers' own (PBKDF2) hasher can check."""
    user = User.objects.create_superuser(USERNAME, "editor@example.org")
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


def log_in(server):
    editor = Browser()
    form = editor.get(server, "/admin/login/?next=/admin/")
    assert form.status == 200, form.status
    reply = editor.post(
        server,
        "/admin/login/?next=/admin/",
        {
            "csrfmiddlewaretoken": csrf_token(form.text),
            "username": USERNAME,
            "password": PASSWORD,
            "next": "/admin/",
        },
    )
    assert reply.status == 302, (reply.status, reply.text[:2000])
    assert reply.header("Location") == "/admin/"
    assert "sessionid" in editor.cookies
    assert {"sessionid", "csrftoken"} <= editor.secure_cookies
    return editor


def publish_in_the_changelist(editor, server, release):
    changelist = editor.get(server, "/admin/press/release/")
    assert changelist.status == 200, changelist.status
    assert release.title in changelist.text
    reply = editor.post(
        server,
        "/admin/press/release/",
        {
            "csrfmiddlewaretoken": csrf_token(changelist.text),
            "action": "publish_selected",
            "select_across": "0",
            "index": "0",
            "_selected_action": str(release.pk),
        },
    )
    assert reply.status == 302, (reply.status, reply.text[:2000])
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


# ---------------------------------------------------------------------------------------
# The scenario


def test_a_publish_on_one_server_shows_at_once_on_the_other(start_site):
    make_editor()
    online = make_release(title="Talks resume in Vienna", sources=("secretariat",))
    draft = make_release(title=DRAFT_TITLE, status=Release.Status.DRAFT)
    site = start_site()
    a, b = site.a, site.b

    # Production settings: plain HTTP is sent to HTTPS; the proxy's header says it was.
    assert Browser().request(b, FINDER, headers={"X-Forwarded-Proto": "http"}).status == 301

    # A visitor on B: the finder, now cached in Redis, without the draft.
    first = visit(b, FINDER)
    assert first.status == 200
    assert online.title in first.text
    assert DRAFT_TITLE not in first.text
    assert first.header("Cache-Control") == "public, no-cache"
    assert first.header("ETag")
    again = visit(b, FINDER)
    assert again.header("ETag") == first.header("ETag")
    assert again.header("Last-Modified") == first.header("Last-Modified")
    assert visit(b, FINDER, **{"If-None-Match": first.header("ETag")}).status == 304
    assert site.redis().keys("*page:*"), "no page in Redis"
    assert visit(b, draft.get_absolute_url()).status == 404

    # Served from Redis: A, which never rendered the finder, answers with B's page, byte
    # for byte, read from the shared cache (a hit in Redis's own count).
    hits = site.redis().info("stats")["keyspace_hits"]
    from_a = visit(a, FINDER)
    assert from_a.status == 200
    assert from_a.body == first.body
    assert from_a.header("ETag") == first.header("ETag")
    assert site.redis().info("stats")["keyspace_hits"] > hits
    # A change behind every cache's back (a bulk update, no signal) shows all the same.
    Release.objects.filter(pk=online.pk).update(title="Retitled behind the cache")
    assert "Retitled behind the cache" in visit(a, FINDER).text

    # An editor logs in on A and publishes the draft from the list of releases.
    editor = log_in(a)
    publish_in_the_changelist(editor, a, draft)

    # The very next visitor on B sees it: A's save moved the version in the database.
    fresh = visit(b, FINDER)
    assert fresh.status == 200
    assert DRAFT_TITLE in fresh.text
    assert "Retitled behind the cache" in fresh.text  # rendered afresh, not patched
    assert fresh.header("ETag") != first.header("ETag")
    assert visit(b, FINDER, **{"If-None-Match": first.header("ETag")}).status == 200
    page = visit(b, draft.get_absolute_url())
    assert page.status == 200
    assert DRAFT_TITLE in page.text
    assert visit(a, FINDER).body == fresh.body  # and A serves the same new page

    # The session lives in the database: the cookie from A opens the admin on B.
    admin_on_b = editor.get(b, "/admin/")
    assert admin_on_b.status == 200, admin_on_b.status
    assert "Site administration" in admin_on_b.text
    assert visit(b, "/admin/").status == 302  # and a visitor is sent to log in
    # Staff on B get a fresh page, not the visitors' copy.
    staff_page = editor.get(b, FINDER)
    assert staff_page.status == 200
    assert "public" not in (staff_page.header("Cache-Control") or "")


def test_a_visitor_during_the_commit_does_not_keep_the_old_page(start_site):
    draft = make_release(title=DRAFT_TITLE, status=Release.Status.DRAFT)
    site = start_site()
    shared = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{site.redis_port}/0",
        }
    }
    assert DRAFT_TITLE not in visit(site.b, FINDER).text

    # This process writes as server A's admin does: a save inside a transaction, its
    # signals reaching the shared cache.
    with override_settings(CACHES=shared), transaction.atomic():
        draft.status = Release.Status.PUBLISHED
        draft.save()
        during = visit(site.b, FINDER)  # a visitor while the publish is being committed
        assert DRAFT_TITLE not in during.text  # not committed yet: right for now

    after = visit(site.b, FINDER)
    assert DRAFT_TITLE in after.text
