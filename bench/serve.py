"""What the production server serves: wrk against `make serve` on PostgreSQL, warm and cold.

Usage:
    scripts/with-postgres .venv/bin/python bench/serve.py [--count 100000] [--workers 2]
        [--duration 10] [--connections 16] [--skip-generate]
    scripts/with-postgres .venv/bin/python bench/serve.py --workers 2,3,4   # compare

The finder and menu benchmarks time one request in-process; this one measures what a
visitor gets from the deployed stack, where the page cache, gunicorn's workers and the
database share the machine. With DATABASE_URL (``scripts/with-postgres`` starts a throwaway
cluster and sets it) it:
- runs what ``make serve`` runs, with the production settings (DEBUG off, a SECRET_KEY,
  ALLOWED_HOSTS=127.0.0.1): ``collectstatic``, ``migrate``; then ``load_reference_data``,
  ``generate_demo_releases --seed 1`` up to ``--count`` releases, VACUUM ANALYZE (else
  autovacuum would run in the middle of the measurements) and a superuser for the admin;
- starts a private ``redis-server`` and points REDIS_URL at it: production runs several
  workers, and only a shared cache makes "cold" mean one thing for all of them (with the
  default local-memory cache each worker would render its own first copy);
- starts gunicorn as ``make serve`` does, for each ``--workers`` count, and for every page:
  * render: the median of 5 single requests, each with a fresh ``_=<n>`` parameter; the
    page cache keys on every query parameter and the views ignore unknown ones, so each is
    a full render (the menu stays cached);
  * first: one request right after ``redis-cli flushall``: the true cold cost (the page,
    the menu and the cache versions all rebuilt);
  * wrk ``warm``: the page requested once, then wrk;
  * wrk ``cold``: ``flushall`` just before wrk: the run pays for the first renders;
  * wrk ``miss``: every request carries a fresh ``_=<n>``: what the server sustains when
    nothing is cached (a crawler walking filter combinations, each a new address);
  and prints requests/s, p50 and p99 latency, errors (non-2xx/3xx answers, socket errors,
  timeouts) and throughput as a share of /healthz (a request through Django, one
  ``SELECT 1``, no template: the floor of what a request costs this server on this machine).

Before each measurement the script waits for gunicorn's workers to go idle: when wrk stops,
the requests it had sent are still queued and get served, and after a run of misses that is
seconds of renders. It then samples the machine's CPU for half a second: anything busy then
is someone else (a test suite, a build), and the run is flagged (``busy``) as not to trust.

Every request carries ``X-Forwarded-Proto: https``, as from the TLS proxy production sits
behind; without it DEBUG-off Django redirects to https. The admin is measured logged in,
with the session cookie of a login through /admin/login/. wrk runs on the same machine and
takes CPU from the server: the ratios to /healthz, not the absolute figures, are what
carries over to another machine. SQL query counts per page are the tests' business.
"""

import argparse
import contextlib
import dataclasses
import datetime as dt
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HEADERS = {"X-Forwarded-Proto": "https"}
ADMIN_USER = "bench-admin"
BUSY = 0.10  # CPU share used by others before a run above which its figures are suspect


@dataclass
class Page:
    label: str
    path: str
    cached: bool = True  # served from the page cache to visitors
    public: bool = True  # a visitor's page: the p99 target applies
    logged_in: bool = False  # requested with the superuser's session cookie
    # Reads the finder's parameters: a new value of one is a new address, a new cache entry.
    # Other pages read none, and the cache ignores unknown ones (they cannot be flooded).
    params: bool = False


PAGES = [
    Page("/healthz", "/healthz", cached=False, public=False),
    Page("home", "/"),
    Page("finder, plain", "/press-releases/", params=True),
    Page("finder, two filters", "/press-releases/?field=human-rights&country=ukraine", params=True),
    Page("finder, search", "/press-releases/?q=election+observation", params=True),
    Page("release page", "/press-releases/{release}/"),
    Page("term page", "/structures/secretariat/", params=True),
    Page("admin change list", "/admin/press/release/", cached=False, public=False, logged_in=True),
]

# Printed after each run: wrk's summary and latency percentiles in one parseable line.
DONE_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d connect=%d read=%d write=%d status=%d timeout=%d "
    .. "p50_us=%d p90_us=%d p99_us=%d max_us=%d\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
"""

# Every request a new address: a real parameter (a start date, a day in 55 years) that
# each wrk thread steps through from its own offset, from a per-run one (NONCE, a number).
MISS_LUA = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end
local n = 0
request = function()
  n = n + 1
  local day = (NONCE + id * 7919 + n * 13) % 20000
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "date_from=" .. os.date("!%Y-%m-%d", day * 86400))
end
"""


@dataclass
class Run:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    error_detail: str
    requests: int
    background: float  # CPU busy just before the run, with the server idle


@dataclass
class Result:
    page: Page
    render_ms: float | None = None
    first_ms: float | None = None
    runs: dict = field(default_factory=dict)  # mode -> Run


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(var_dir, redis_url):
    """The environment ``make serve`` expects in production, on this cluster and cache."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECURE_SSL_REDIRECT")}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        VAR_DIR=str(var_dir),
        REDIS_URL=redis_url,
    )
    return env


def manage(env, *args, quiet=True):
    """Run ``manage.py`` like the Makefile does; show the command, and its output on failure."""
    print(f"$ manage.py {' '.join(args)}", flush=True)
    start = time.perf_counter()
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")
    if not quiet and done.stdout.strip():
        print(done.stdout.rstrip())
    print(f"  {time.perf_counter() - start:.1f} s", flush=True)
    return done.stdout


def django_value(env, code):
    """The last line ``code`` prints, run in ``manage.py shell`` with the production settings."""
    done = subprocess.run(
        [str(PYTHON), "manage.py", "shell", "--verbosity", "0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"manage.py shell failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def prepare_data(env, args, password):
    """Migrate, load reference data, generate the releases, analyse, and make a superuser."""
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_reference_data")
    have = int(
        django_value(
            env,
            "from press.models import Release\n"
            "print(Release.objects.filter(translation_of=None).count())",
        )
    )
    missing = args.count - have
    if args.skip_generate:
        print(f"releases: {have:,} (--skip-generate)")
    elif missing > 0:
        print(f"releases: {have:,}, generating {missing:,}")
        manage(env, "generate_demo_releases", "--count", str(missing), "--seed", "1")
    else:
        print(f"releases: {have:,}, enough")
    print("$ VACUUM ANALYZE", flush=True)
    start = time.perf_counter()
    django_value(
        env,
        "from django.db import connection\n"
        "with connection.cursor() as c: c.execute('VACUUM ANALYZE')",
    )
    print(f"  {time.perf_counter() - start:.1f} s")
    env = {**env, "BENCH_ADMIN_PASSWORD": password}
    django_value(
        env,
        "import os\n"
        "from django.contrib.auth import get_user_model\n"
        f"u, _ = get_user_model().objects.get_or_create(username={ADMIN_USER!r})\n"
        "u.is_staff = u.is_superuser = u.is_active = True\n"
        "u.set_password(os.environ['BENCH_ADMIN_PASSWORD'])\n"
        "u.save()",
    )
    return django_value(
        env,
        "from django.db import connection\n"
        "from press.models import Release\n"
        "p = Release.objects.published()\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW server_version'); v = c.fetchone()[0]\n"
        "print(p.count(), Release.objects.count(), v.split()[0],"
        " p.newest_first().values_list('slug', flat=True).first())",
    ).split()


class Server:
    """gunicorn as ``make serve`` starts it, in its own process group, logging to a file."""

    def __init__(self, env, workers, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        command = [
            str(GUNICORN),
            "osce_site.wsgi",
            "--config",
            "python:osce_site.gunicorn_conf",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
        ]
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if get(self.port, "/healthz")[0] == 200:
                    break
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"gunicorn did not come up: see {log_path}")
            time.sleep(0.2)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def log_report(self):
        """The status codes in the access log, the requests that answered 4xx or 5xx
        (status and path), and every error line the server logged."""
        report = LogReport(Counter(), Counter(), [])
        for line in Path(self.log_path).read_text(errors="replace").splitlines():
            found = re.search(r'"[A-Z]+ (\S+) HTTP/[\d.]+" (\d{3}) ', line)
            if found and line.startswith("127.0.0.1 "):
                path, status = found.groups()
                report.statuses[status] += 1
                if status >= "400":
                    report.failed[f"{status} {path[:160]}"] += 1
            elif re.search(
                r"Traceback|\[ERROR\]|\[CRITICAL\]|WORKER TIMEOUT|Internal Server", line
            ):
                report.problems.append(line)
        return report


class LogReport(NamedTuple):
    statuses: Counter
    failed: Counter
    problems: list


def get(port, path, headers=None, method="GET", body=None):
    """One request: (status, headers, body, seconds). http.client: no redirects, no cookie jar
    (the cookies are Secure and the connection plain http, so they are handled by hand)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    start = time.perf_counter()
    connection.request(method, path, body=body, headers={**HEADERS, **(headers or {})})
    response = connection.getresponse()
    content = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    return response.status, response.headers, content, elapsed


def cookies_of(headers):
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def log_in(port, password):
    """A session cookie from the admin's login form, CSRF token and all, as a browser gets it."""
    status, headers, body, _ = get(port, "/admin/login/?next=/admin/")
    assert status == 200, f"GET /admin/login/ answered {status}"
    csrf_cookie = cookies_of(headers)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    origin = f"https://127.0.0.1:{port}"
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": ADMIN_USER,
            "password": password,
            "next": "/admin/",
        }
    )
    status, headers, body, _ = get(
        port,
        "/admin/login/?next=/admin/",
        method="POST",
        body=form,
        headers={
            "Cookie": f"csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"{origin}/admin/login/?next=/admin/",
            "Origin": origin,
        },
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        sys.exit(f"logging in answered {status}: {body[:300]!r}")
    return f"sessionid={session}"


class Redis:
    """A private redis-server with nothing saved to disk; ``flush()`` empties it."""

    def __init__(self, folder):
        self.port = free_port()
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        for _ in range(100):
            if self.cli("ping") == "PONG":
                break
            time.sleep(0.1)
        else:
            sys.exit("redis-server did not start")
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def cli(self, *args):
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), *args], capture_output=True, text=True
        )
        return done.stdout.strip()

    def flush(self):
        assert self.cli("flushall") == "OK"

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(10)


class Workspace:
    """A temporary folder with a private redis-server, both gone after the run, unless the
    run found errors in a server's log: then the folder is kept for them."""

    def __init__(self, prefix):
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self.redis = Redis(self.folder)
        self.keep = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.redis.stop()
        if self.keep:
            print(f"logs kept in {self.folder}")
        else:
            shutil.rmtree(self.folder, ignore_errors=True)

    def show_problems(self, server, problems):
        """Print a server's logged errors, if any, and keep the logs for them."""
        if problems:
            self.keep = True
            print(f"server log: {len(problems)} error lines, kept in {server.log_path}:")
            for line in problems[:10]:
                print(f"  {line}")


def cpu_busy(seconds=0.5):
    """The machine's CPU busy share over ``seconds``: taken between runs, with the server
    idle, it is someone else's load (a test suite, a build), which skews the figures."""

    def sample():
        values = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    total, idle = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return 1 - (idle2 - idle) / max(1, total2 - total)


def group_cpu_seconds(group):
    """CPU seconds used so far by the processes of a process group (gunicorn's)."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group:
                ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def drain(server, limit=120):
    """Wait until the workers are idle. When wrk stops, requests it sent are still queued in
    the listen backlog and the workers serve them anyway: after a run of misses, seconds of
    renders that would land in the next measurement."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = group_cpu_seconds(server.process.pid)
        time.sleep(0.3)
        if group_cpu_seconds(server.process.pid) - before < 0.3 * 0.05:
            return
    print(f"  (the workers were still busy {limit} s after a run)")


ERROR_KINDS = ["connect", "read", "write", "status", "timeout"]


def run_wrk(args, script, url, *, headers=(), script_args=(), show=False):
    """Run wrk with ``script`` (which prints the BENCH line of ``DONE_LUA``) against ``url``;
    return that line's figures, by name."""
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
        f"--timeout={args.timeout}s", "-s", str(script), "-H", "X-Forwarded-Proto: https",
    ]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    command += [url, *(["--", *script_args] if script_args else [])]
    if show:
        print("$ " + " ".join(command), flush=True)
    done = subprocess.run(command, capture_output=True, text=True)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH ")), None)
    if line is None:
        sys.exit(f"wrk gave no summary:\n{done.stdout}\n{done.stderr}")
    return {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}


def wrk(server, path, args, folder, cookie=None, miss=False, flush=None):
    """One wrk run: 2xx/3xx counted good, anything else and socket errors counted as errors.
    ``flush`` (the cold run) empties the cache just before wrk starts."""
    port = server.port
    drain(server)
    background = cpu_busy()
    if flush:
        flush()
    script = Path(folder) / "bench.lua"
    lua = DONE_LUA
    if miss:
        lua += MISS_LUA.replace("NONCE", str(secrets.randbelow(20000)))
    script.write_text(lua)
    headers = [f"Cookie: {cookie}"] if cookie else []
    values = run_wrk(args, script, f"http://127.0.0.1:{port}{path}", headers=headers)
    detail = ", ".join(f"{values[k]} {k}" for k in ERROR_KINDS if values[k])
    return Run(
        requests_per_s=values["requests"] / (values["duration_us"] / 1e6),
        p50_ms=values["p50_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        errors=sum(values[k] for k in ERROR_KINDS),
        error_detail=detail,
        requests=values["requests"],
        background=background,
    )


def busted(path, number):
    """``path`` with the start date ``number`` days after 1970 (modulo 55 years): a start
    date no other request of the run has is a new cache entry."""
    day = dt.date(1970, 1, 1) + dt.timedelta(days=number % 20000)
    return f"{path}{'&' if '?' in path else '?'}date_from={day.isoformat()}"


def check_pages(port, pages, cookie, redis):
    """Every page answers 200 as measured, and ``_=<n>`` gives a fresh render, not a 400."""
    for page in pages:
        headers = {"Cookie": cookie} if page.logged_in else None
        status, response_headers, _, _ = get(port, page.path, headers)
        if status != 200:
            sys.exit(f"{page.path} answered {status} {response_headers.get('Location', '')}")
        if page.params:
            before = int(redis.cli("dbsize"))
            check = busted(page.path, secrets.randbelow(20000))
            status, _, _, _ = get(port, check)
            after = int(redis.cli("dbsize"))
            if status != 200 or after != before + 1:
                sys.exit(f"{check}: {status}, cache entries {before}→{after}")
    print("every page answers 200; with a new date_from, 200 and one more cache entry")


def measure(server, page, args, folder, redis, cookie):
    port = server.port
    result = Result(page)
    cookie = cookie if page.logged_in else None
    headers = {"Cookie": cookie} if cookie else None
    nonce = secrets.randbelow(20000)
    samples = []
    drain(server)
    for n in range(args.repeat):
        path = busted(page.path, nonce + n) if page.params else page.path
        if page.cached and not page.params:
            redis.flush()  # no address of its own: nothing cached instead
        status, _, _, seconds = get(port, path, headers)
        assert status == 200, (path, status)
        samples.append(seconds * 1000)
    result.render_ms = statistics.median(samples)
    if page.cached:
        drain(server)
        redis.flush()
        status, _, _, seconds = get(port, page.path)
        assert status == 200, (page.path, status)
        result.first_ms = seconds * 1000
    get(port, page.path, headers)  # warm: the page in the cache, the worker warmed up
    result.runs["warm"] = wrk(server, page.path, args, folder, cookie=cookie)
    if page.cached:
        result.runs["cold"] = wrk(server, page.path, args, folder, flush=redis.flush)
        if page.params and not args.skip_miss:
            result.runs["miss"] = wrk(server, page.path, args, folder, miss=True)
    return result


def ms(value):
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def print_table(results, floor):
    print()
    header = (
        f"{'page':22} {'render':>7} {'first':>7} {'mode':5} {'req/s':>8} {'p50':>7} "
        f"{'p99':>7} {'errors':>7} {'/healthz':>8} {'busy':>6}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        first = True
        for mode, run in result.runs.items():
            lead = (
                f"{result.page.label:22} {ms(result.render_ms):>7} {ms(result.first_ms):>7}"
                if first
                else " " * 38
            )
            first = False
            ratio = run.requests_per_s / floor
            errors = f"{run.errors}" + (f" ({run.error_detail})" if run.errors else "")
            busy = f"{run.background:.0%}" + (" !" if run.background > BUSY else "")
            print(
                f"{lead} {mode:5} {run.requests_per_s:8.1f} {ms(run.p50_ms):>7} "
                f"{ms(run.p99_ms):>7} {errors:>7} {ratio:8.0%} {busy:>6}"
            )
    print("render: median ms of single uncached requests; first: ms of the first request after")
    print("a cache flush; p50/p99 in ms; /healthz: throughput as a share of /healthz's; busy:")
    print("the CPU others used just before the run (! above 10%: that run is not to be trusted).")


def targets(results, floor):
    """The issue's targets, each (description, measured, pass)."""
    by_label = {result.page.label: result for result in results}
    checks = []

    def share(label, mode, goal):
        run = by_label[label].runs.get(mode)
        if run is None:
            return
        ratio = run.requests_per_s / floor
        checks.append((f"{mode} {label} ≥ {goal:.0%} of /healthz", f"{ratio:.1%}", ratio >= goal))

    for label in ["finder, plain", "finder, two filters", "finder, search", "term page",
                  "release page"]:  # fmt: skip
        share(label, "warm", 0.60)
    share("finder, two filters", "cold", 0.25)
    share("finder, search", "cold", 0.15)
    for result in results:
        if result.page.public:
            p99 = result.runs["warm"].p99_ms
            checks.append((f"warm {result.page.label} p99 < 100 ms", f"{p99:.1f} ms", p99 < 100))
    for result in results:
        for mode, run in result.runs.items():
            if run.errors:
                checks.append((f"{mode} {result.page.label}: no errors", run.error_detail, False))
    return checks


def machine():
    model = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}"


def require_stack(script):
    """Exit with what to install unless PostgreSQL, wrk and Redis are at hand."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(f"{script} needs PostgreSQL: scripts/with-postgres .venv/bin/python ...")
    for program in ("wrk", "redis-server", "redis-cli"):
        if not shutil.which(program):
            sys.exit(f"{script} needs {program} (apt-get install {program.split('-')[0]})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="releases to have")
    parser.add_argument(
        "--workers",
        default=str((os.cpu_count() or 1) + 1),
        help="gunicorn workers (default: make serve's with Redis); several, comma-separated",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=int, default=30, help="wrk's per-request timeout, s")
    parser.add_argument("--repeat", type=int, default=5, help="requests for the render median")
    parser.add_argument("--skip-generate", action="store_true", help="use the releases there")
    parser.add_argument("--skip-miss", action="store_true", help="no every-request-a-miss run")
    args = parser.parse_args()
    worker_counts = [int(n) for n in args.workers.split(",")]

    require_stack("bench/serve.py")

    with Workspace("osce-serve-") as workspace:
        folder, redis = workspace.folder, workspace.redis
        env = production_env(folder / "var", redis.url)
        password = secrets.token_urlsafe(16)
        published, total, pg_version, slug = prepare_data(env, args, password)
        pages = [dataclasses.replace(p, path=p.path.format(release=slug)) for p in PAGES]
        print()
        print(f"date: {dt.date.today().isoformat()}; machine: {machine()}")
        print(
            f"PostgreSQL {pg_version}; releases: {int(total):,} ({int(published):,} published); "
            f"cache: Redis (shared by the workers)"
        )
        print(
            f"wrk: {args.threads} threads, {args.connections} connections, {args.duration} s a "
            f"run, on the same machine; release page: /press-releases/{slug}/"
        )

        summary = []
        for workers in worker_counts:
            print()
            print(f"=== gunicorn, {workers} workers (sync) ===")
            server = Server(env, workers, folder / f"gunicorn-{workers}.log")
            try:
                cookie = log_in(server.port, password)
                # Each worker's first requests (imports, connections, templates) not counted.
                quick = argparse.Namespace(**{**vars(args), "duration": 2})
                for path in ("/healthz", "/"):
                    get(server.port, path)
                    wrk(server, path, quick, folder)
                check_pages(server.port, pages, cookie, redis)
                results = []
                for page in pages:
                    result = measure(server, page, args, folder, redis, cookie)
                    results.append(result)
                    runs = ", ".join(
                        f"{mode} {run.requests_per_s:.0f}/s p99 {ms(run.p99_ms)} ms"
                        for mode, run in result.runs.items()
                    )
                    print(f"  {page.label}: render {ms(result.render_ms)} ms; {runs}", flush=True)
            finally:
                server.stop()
            floor = results[0].runs["warm"].requests_per_s
            print_table(results, floor)
            busy = [
                f"{result.page.label} {mode}"
                for result in results
                for mode, run in result.runs.items()
                if run.background > BUSY
            ]
            if busy:
                print(f"WARNING: the machine was busy before {len(busy)} runs ({', '.join(busy)}):")
                print("something else is running; measure again on a quiet machine.")
            log = server.log_report()
            print(f"access log: {dict(sorted(log.statuses.items()))}")
            workspace.show_problems(server, log.problems)
            checks = targets(results, floor)
            print()
            print(f"targets (issue), {workers} workers, {args.connections} connections:")
            for description, measured, ok in checks:
                print(f"  {'PASS' if ok else 'FAIL'}  {description}: {measured}")
            public_warm = sum(r.runs["warm"].requests_per_s for r in results if r.page.public)
            passed = sum(ok for *_, ok in checks)
            summary.append((workers, floor, public_warm, passed, len(checks)))

        if len(summary) > 1:
            print()
            print(f"{'workers':>7} {'/healthz req/s':>15} {'public pages, warm req/s':>25} targets")
            for workers, floor, public_warm, passed, count in summary:
                print(f"{workers:7d} {floor:15.0f} {public_warm:25.0f} {passed}/{count}")
            best = max(summary, key=lambda row: (row[3], row[2]))
            print(f"best: {best[0]} workers (most targets met, then most warm throughput)")


if __name__ == "__main__":
    main()
