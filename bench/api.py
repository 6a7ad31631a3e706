"""The API's release list on the production stack, next to the HTML finder.

Usage:
    DATABASE_URL=postgres://…/osce_site .venv/bin/python bench/api.py [--tail 2000]
        [--popular 50] [--cached 5000]

Starts what ``make serve`` runs (gunicorn with the production settings, a private Redis as
the shared cache, ``--workers`` workers) on a PostgreSQL database that already holds its
releases (``bench/longtail.py`` or ``bench/serve.py`` makes one: this script writes
nothing to the database), and measures, in one run, against ``/healthz`` of the same run:

- uncached, the long tail: ``--tail`` distinct real filter combinations (bench/longtail.py's
  kinds), each asked once, on the HTML finder (``/press-releases/?…``), then the same
  combinations on the API (``/api/v1/releases/?…``);
- cached: ``--popular`` addresses (the plain list and combinations of the same kinds),
  warmed once, then asked ``--cached`` times in all, in a random order, on each.

Each side gets a server of its own, started with the cache empty and warmed by its plain
list (the finder's index built, every worker's first requests paid): a search's matches
are shared between requests in each process and through the cache, so the side asked
second would otherwise find the first one's. ``/healthz`` is measured on both servers; the
shares are of the first. Every list is asked with wrk at ``--connections`` connections
through ``bench/longtail.lua`` (each line once, in order; the rate is answers over the time
from the first request to the last answer; p50/p99 are wrk's). The API's per-client limit
(``API_REQUESTS_PER_MINUTE``) is raised out of the way: one address asks everything here,
and a real client would get its 429. Exits 1 on any error (an answer outside 2xx/3xx, a
socket error, a timeout, a path left unanswered).
"""

import argparse
import datetime as dt
import json
import random
import sys

from longtail import TERMS_CODE, ask_all, combinations
from serve import (
    DONE_LUA,
    Server,
    Workspace,
    cpu_busy,
    django_value,
    drain,
    get,
    machine,
    manage,
    production_env,
    require_stack,
    run_wrk,
)

FINDER = "/press-releases/"
API = "/api/v1/releases/"

DESCRIBE_CODE = """
from django.db import connection
from press.models import Release
with connection.cursor() as cursor:
    cursor.execute("SHOW server_version")
    version = cursor.fetchone()[0].split()[0]
originals = Release.objects.filter(translation_of=None).count()
print(Release.objects.published().count(), Release.objects.count(), originals, version)
"""


def on_api(paths):
    """The finder's addresses as the API's: the same parameters, the list's address."""
    return [API + path.removeprefix(FINDER) for path in paths]


def healthz(server, args, folder):
    """/healthz's rate and latencies, wrk for ``--duration`` seconds."""
    script = folder / "done.lua"
    script.write_text(DONE_LUA)
    quiet(server)
    values = run_wrk(args, script, f"http://127.0.0.1:{server.port}/healthz")
    rate = values["requests"] / (values["duration_us"] / 1e6)
    p50, p99 = values["p50_us"] / 1000, values["p99_us"] / 1000
    print(f"/healthz: {rate:.0f}/s, p50 {p50:.1f} ms, p99 {p99:.1f} ms", flush=True)
    return rate, p50, p99


def quiet(server):
    """Wait for the workers to go idle; say how busy the machine is without them."""
    drain(server)
    busy = cpu_busy()
    print(f"  CPU busy before the run: {busy:.0%}{' (not to trust)' if busy > 0.1 else ''}")


def measured(label, asked, floor):
    """Print one list's figures as shares of /healthz's; return them for the summary."""
    rate_floor, p50_floor, p99_floor = floor
    print(
        f"{label}: {asked.answered:,} answers, {asked.rate:.1f}/s = "
        f"{asked.rate / rate_floor:.1%} of /healthz; p50 {asked.p50_ms:.1f} ms "
        f"({asked.p50_ms / p50_floor:.1f}x), p99 {asked.p99_ms:.1f} ms "
        f"({asked.p99_ms / p99_floor:.1f}x); errors: {', '.join(asked.failures) or 'none'}",
        flush=True,
    )
    return label, asked


def side(workspace, env, args, name, plain, tail, popular, floor=None):
    """One side's server, fresh and warmed: /healthz (the first side's is the floor), the
    tail each once, then the popular addresses warmed and asked ``--cached`` times.
    Returns the floor, each list's figures, and the server log's error lines."""
    folder, redis = workspace.folder, workspace.redis
    redis.flush()
    server = Server(env, args.workers, folder / f"gunicorn-{name}.log")
    try:
        for path in ["/healthz", plain, "/healthz", plain]:  # each worker's first requests
            status, _headers, body, _seconds = get(server.port, path)
            if status != 200:
                sys.exit(f"{path} answered {status}")
        print(f"{name}: {plain} is {len(body):,} bytes")
        health = healthz(server, args, folder)
        floor = floor or health
        results = []
        quiet(server)
        asked = ask_all(server.port, tail, args, folder, f"{name}-tail")
        results.append(measured(f"{name}, long tail, each once (uncached)", asked, floor))
        ask_all(server.port, popular, args, folder, f"{name}-warm")
        chooser = random.Random(args.seed)
        repeated = [chooser.choice(popular) for _ in range(args.cached)]
        quiet(server)
        asked = ask_all(server.port, repeated, args, folder, f"{name}-cached")
        results.append(measured(f"{name}, {len(popular)} popular, repeated (cached)", asked, floor))
        report = server.log_report()
        print(f"  access log: {dict(sorted(report.statuses.items()))}")
        workspace.show_problems(server, report.problems)
        return floor, results, report.problems
    finally:
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tail", type=int, default=2000, help="distinct combinations")
    parser.add_argument("--popular", type=int, default=50, help="addresses asked repeatedly")
    parser.add_argument("--cached", type=int, default=5000, help="requests of the popular set")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10, help="seconds of /healthz")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--limit", type=int, default=600, help="seconds a list may take")
    args = parser.parse_args()
    args.threads, args.timeout = 2, 30
    require_stack("bench/api.py")

    with Workspace("osce-api-") as workspace:
        env = {
            **production_env(workspace.folder / "var", workspace.redis.url),
            "PUBLIC_LANGUAGES": "en",
            "API_REQUESTS_PER_MINUTE": str(10**9),
        }
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        published, total, originals, pg_version = django_value(env, DESCRIBE_CODE).split()
        terms = json.loads(django_value(env, f"LANGUAGE = 'en'\n{TERMS_CODE}"))
        tail = combinations(terms, args.tail, args.seed)
        fresh = combinations(terms, args.popular - 1, args.seed + 1, avoid=tail)
        popular = [FINDER, *fresh]
        print(f"date: {dt.date.today().isoformat()}; machine: {machine()}")
        print(
            f"PostgreSQL {pg_version}; releases: {int(total):,} ({int(originals):,} originals, "
            f"{int(published):,} published); {args.workers} workers; wrk {args.connections} "
            "connections"
        )
        print(f"tail: {len(tail):,} combinations, like {tail[0]}")

        floor, html, html_problems = side(workspace, env, args, "finder", FINDER, tail, popular)
        _floor, api, api_problems = side(
            workspace, env, args, "API", API, on_api(tail), on_api(popular), floor
        )

        print()
        print(f"{'list':44} {'req/s':>8} {'/healthz':>9} {'p50 ms':>8} {'p99 ms':>8}")
        rate_floor = floor[0]
        print(f"{'/healthz':44} {rate_floor:8.0f} {'100%':>9} {floor[1]:8.1f} {floor[2]:8.1f}")
        failed = bool(html_problems or api_problems)
        for label, asked in [*html, *api]:
            failed |= bool(asked.failures)
            print(
                f"{label:44} {asked.rate:8.1f} {asked.rate / rate_floor:9.1%} "
                f"{asked.p50_ms:8.1f} {asked.p99_ms:8.1f}"
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
