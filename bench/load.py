"""A load test of the production stack: wrk over a realistic mix of public pages, no errors.

Usage:
    scripts/with-postgres .venv/bin/python bench/load.py [--connections 32] [--duration 60]
        [--count 100000] [--workers 3] [--miss 10] [--skip-generate] [--cold-only]

bench/serve.py measures one page at a time; this one measures what the site sustains
when visitors and crawlers ask for everything at once, with a share of addresses nobody
asked for before (each a full render). It sets up the stack as bench/serve.py does (its
helpers: production settings, PostgreSQL from DATABASE_URL, a private redis-server as the
shared cache, ``generate_demo_releases --seed 1`` up to ``--count``, gunicorn as ``make
serve`` starts it), draws the mix's data from the database and the running site, then
runs wrk with ``bench/load.lua``: its header lists the mix and its weights. The first run
starts on an empty cache, as after a deploy; a second (warm) run of the same mix follows
on the cache the first one filled, as a site that has been up for a while.

It prints requests/s, p50/p90/p99 latency and the errors (non-2xx/3xx answers, socket
errors, timeouts: wrk's count, and the status codes in gunicorn's access log), and exits
with status 1 on any error. A request that takes longer than ``--timeout`` (30 s, a
proxy's usual limit is 60) is a timeout, so an error. wrk runs on the same machine and
takes CPU from the server.
"""

import argparse
import functools
import html
import json
import os
import random
import re
import secrets
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import (
    ERROR_KINDS,
    Server,
    Workspace,
    cpu_busy,
    django_value,
    drain,
    get,
    machine,
    prepare_data,
    production_env,
    require_stack,
    run_wrk,
)

LUA = Path(__file__).resolve().parent / "load.lua"
TYPES = ["press-release", "news", "statement"]
POPULAR = 60  # filter links that many visitors share, so cached after their first hit

# What the mix draws from, read from the database in one ``manage.py shell``.
DATA_CODE = """
import json, re
from collections import Counter
from django.db.models import Max, Min
from institutions.models import Structure
from press.models import Release
from taxonomy.models import Country, FieldOfWork, Meeting

published = Release.objects.published()
slugs = list(published.order_by("?").values_list("slug", flat=True)[:2000])
titles = published.order_by("?").values_list("title", flat=True)[:1000]
words = Counter(w for t in titles for w in re.findall(r"[a-z]{5,}", t.lower()))
span = published.aggregate(first=Min("published_at"), last=Max("published_at"))
print(json.dumps({
    "releases": slugs,
    "published": published.count(),
    "field": list(FieldOfWork.objects.values_list("slug", flat=True)),
    "country": list(Country.objects.values_list("slug", flat=True)),
    "source": list(Structure.objects.values_list("slug", flat=True)),
    "meeting": list(Meeting.objects.values_list("slug", flat=True)),
    "words": [w for w, _ in words.most_common(150)],
    "first_day": int(span["first"].timestamp()) // 86400 + 1,
    "last_day": int(span["last"].timestamp()) // 86400,
}))
"""


def lua_value(value):
    """``value`` as a Lua literal: lists become sequences, dicts tables."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {lua_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(lua_value(v) for v in value) + "}"
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string of ASCII is a Lua string
    return str(value)


def popular_links(data, rng):
    """Filter combinations as people share them: one to three filters, each kind once."""
    links = set()
    while len(links) < POPULAR:
        kinds = rng.sample(["field", "country", "source", "type"], rng.randint(1, 3))
        links.add("&".join(f"{kind}={rng.choice(data[kind])}" for kind in sorted(kinds)))
    return sorted(links)


def older_links(port):
    """The Older links a crawler follows, position and all, scraped from the running site."""
    found = []
    starts = ["/press-releases/?page=2", "/press-releases/?page=40", "/press-releases/?sort=oldest"]
    starts += [f"/press-releases/?type={kind}&page=3" for kind in TYPES]
    for path in starts:
        for _ in range(3):
            status, _, body, _ = get(port, path)
            if status != 200:
                sys.exit(f"{path} answered {status} while collecting Older links")
            link = re.search(rb'<a rel="next" href="\?([^"]+)"', body)
            if not link:
                break
            path = "/press-releases/?" + html.unescape(link.group(1).decode())
            found.append(path)
    if not any("after=" in link for link in found):
        sys.exit("no Older link carried a position (after=): the deep pages changed?")
    return found


def write_data(folder, data, port, args):
    rng = random.Random(args.seed)
    data = {**data, "type": TYPES}
    terms = [f"/fields-of-work/{s}/" for s in data["field"]]
    terms += [f"/countries/{s}/" for s in data["country"]]
    terms += [f"/structures/{s}/" for s in data["source"]]
    terms += [f"/meetings/{s}/" for s in data["meeting"]]
    table = {
        "seed": args.seed,
        "miss": args.miss,
        "releases": data["releases"],
        "field": data["field"],
        "country": data["country"],
        "source": data["source"],
        "type": TYPES,
        "words": data["words"],
        "terms": terms,
        "popular": popular_links(data, rng),
        "older": older_links(port),
        "last_page": max(2, data["published"] // 20),
        "first_day": data["first_day"],
        "last_day": data["last_day"],
    }
    path = folder / "load-data.lua"
    path.write_text("return " + lua_value(table) + "\n")
    return path, table


def report(phase, values):
    """Print one run's figures; return its error count."""
    errors = sum(values[k] for k in ERROR_KINDS)
    seconds = values["duration_us"] / 1e6
    detail = ", ".join(f"{values[k]} {k}" for k in ERROR_KINDS if values[k]) or "none"
    print(
        f"{phase}: {values['requests']:,} requests in {seconds:.1f} s: "
        f"{values['requests'] / seconds:.1f} requests/s; latency p50 "
        f"{values['p50_us'] / 1000:.1f} ms, p90 {values['p90_us'] / 1000:.1f} ms, "
        f"p99 {values['p99_us'] / 1000:.1f} ms, max {values['max_us'] / 1000:.0f} ms; "
        f"errors: {errors} ({detail})"
    )
    return errors


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=60, help="seconds")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--timeout", type=int, default=30, help="wrk's per-request limit, s")
    parser.add_argument("--count", type=int, default=100_000, help="releases to have")
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn workers (default: make serve's with Redis)",
    )
    parser.add_argument(
        "--miss", type=int, default=10, help="weight of never-asked addresses, of about 100"
    )
    parser.add_argument("--seed", type=int, default=1, help="for the popular links")
    parser.add_argument("--skip-generate", action="store_true", help="use the releases there")
    parser.add_argument(
        "--cold-only",
        action="store_true",
        help="one run on the empty cache only (else a second, warm run follows)",
    )
    args = parser.parse_args()

    require_stack("bench/load.py")

    with Workspace("osce-load-") as workspace:
        folder, redis = workspace.folder, workspace.redis
        env = production_env(folder / "var", redis.url)
        published, total, pg_version, _ = prepare_data(env, args, secrets.token_urlsafe(16))
        data = json.loads(django_value(env, DATA_CODE))
        server = Server(env, args.workers, folder / "gunicorn.log")
        try:
            for path in ("/healthz", "/", "/press-releases/"):  # each worker's imports
                get(server.port, path)
            data_path, table = write_data(folder, data, server.port, args)
            redis.flush()  # the run starts with an empty cache, as after a deploy
            drain(server)
            background = cpu_busy()
            print()
            print(f"date: {time.strftime('%Y-%m-%d')}; machine: {machine()}")
            print(
                f"PostgreSQL {pg_version}; releases: {int(total):,} ({int(published):,} "
                f"published); gunicorn: {args.workers} sync workers; cache: Redis, empty"
            )
            print(
                f"mix: {len(table['releases']):,} release slugs, {len(table['terms'])} term "
                f"pages, {len(table['popular'])} popular filter links, {len(table['older'])} "
                f"Older links, {len(table['words'])} search words; misses weigh {args.miss}"
            )
            run = functools.partial(
                run_wrk, args, LUA, f"http://127.0.0.1:{server.port}/",
                script_args=[str(data_path)], show=True,
            )  # fmt: skip
            phases = {"cold": run()}
            drain(server)
            if not args.cold_only:  # the same mix again, on the cache the first run filled
                phases["warm"] = run()
                drain(server)
        finally:
            server.stop()
        log = server.log_report()
        print()
        errors = sum(report(phase, values) for phase, values in phases.items())
        print(f"access log: {dict(sorted(log.statuses.items()))}")
        busy = f"{background:.0%}" + (" (something else was running)" if background > 0.1 else "")
        print(f"CPU busy before the run: {busy}")
        for entry, count in log.failed.most_common(20):
            print(f"  {count} × {entry}")
        workspace.show_problems(server, log.problems)
        if errors or log.failed or log.problems:
            print("FAIL: the load test must run without an error")
            sys.exit(1)
        print("PASS: no errors")


if __name__ == "__main__":
    main()
