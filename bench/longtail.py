"""The finder's long tail on the production stack: addresses nobody asked before.

Usage:
    scripts/with-postgres .venv/bin/python bench/longtail.py [--count 100000] [--tail 5000]

Starts what ``make serve`` runs (gunicorn with the production settings, a private Redis as
the shared cache, ``--workers`` workers) on a PostgreSQL database with ``--count`` demo
releases (bench/serve.py prepares it), then measures, each against ``/healthz`` in the
same run:

- the long tail: ``--tail`` distinct, real filter combinations drawn from the database's
  own terms (field x country, field x source, country x type x dates, search words x
  field or country, three-filter mixes), each asked once, by 16 concurrent clients;
- a mix: 90% popular pages (warmed first), 10% combinations never asked before;
- single finder pages rendered with nothing cached (the cache flushed before each);
- relevance-sorted searches, uncached.

``/healthz`` is measured with wrk (16 connections); the tail and the mix, which must ask
each address once, with a pool of 16 client threads (http.client, one connection each),
which costs the machine well under a tenth of a core at these rates. Exits 1 on any
answer other than 200.
"""

import argparse
import json
import random
import secrets
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from serve import (
    DONE_LUA,
    Server,
    Workspace,
    django_value,
    get,
    machine,
    prepare_data,
    production_env,
    require_stack,
    run_wrk,
)

TERMS_CODE = """
import json, random
from institutions.models import Structure
from press.models import Release
from taxonomy.models import Country, FieldOfWork
titles = list(Release.objects.published().order_by("?").values_list("title", flat=True)[:400])
words = sorted({w.strip(",.:;()").lower() for t in titles for w in t.split() if len(w) > 5})
print(json.dumps({
    "field": list(FieldOfWork.objects.values_list("slug", flat=True)),
    "country": list(Country.objects.values_list("slug", flat=True)),
    "source": list(Structure.objects.values_list("slug", flat=True)),
    "type": list(Release.Type.values),
    "words": words[:300],
}))
"""


def combinations(terms, count, seed, avoid=()):
    """``count`` distinct finder addresses of the kinds a long tail is made of."""
    chooser = random.Random(seed)

    def dates():
        start = chooser.randint(2000, 2024)
        end = min(2026, start + chooser.randint(0, 6))
        return [("date_from", f"{start}-01-01"), ("date_to", f"{end}-12-31")]

    kinds = [
        lambda: [("field", chooser.choice(terms["field"])), ("country", pick("country"))],
        lambda: [("field", chooser.choice(terms["field"])), ("source", pick("source"))],
        lambda: [("country", pick("country")), ("type", pick("type")), *dates()],
        lambda: [("q", pick("words")), ("field", pick("field"))],
        lambda: [("q", pick("words")), ("country", pick("country"))],
        lambda: [("field", pick("field")), ("source", pick("source")), ("type", pick("type"))],
        lambda: [("country", pick("country")), ("source", pick("source")), *dates()],
    ]

    def pick(kind):
        return chooser.choice(terms[kind])

    found, seen = [], set(avoid)
    while len(found) < count:
        pairs = chooser.choice(kinds)()
        path = "/press-releases/?" + urlencode(sorted(pairs))
        if path not in seen:
            seen.add(path)
            found.append(path)
    return found


def ask_all(port, paths, clients):
    """Ask every path once with ``clients`` concurrent clients: (seconds, latencies in ms,
    statuses other than 200)."""
    latencies, failures, lock = [], [], threading.Lock()

    def ask(path):
        status, _headers, _body, seconds = get(port, path)
        with lock:
            latencies.append(seconds * 1000)
            if status != 200:
                failures.append(f"{status} {path}")

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(ask, paths))
    return time.perf_counter() - start, latencies, failures


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(label, seconds, latencies, failures, healthz):
    rate = len(latencies) / seconds
    print(
        f"{label}: {len(latencies):,} requests, {rate:.1f}/s = {rate / healthz:.1%} of /healthz; "
        f"p50 {percentile(latencies, 0.5):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms; "
        f"errors {len(failures)}",
        flush=True,
    )
    for failure in failures[:5]:
        print(f"  {failure}")
    return rate, percentile(latencies, 0.99)


def drop_pages(redis):
    """Every cached page out of Redis; the menu and the finder's index stay, as on a site
    that has served any page since the last change."""
    keys = redis.cli("--scan", "--pattern", "*page:*").split()
    for start in range(0, len(keys), 500):
        redis.cli("del", *keys[start : start + 500])


def single_renders(port, redis, paths, *, flush):
    """Each path asked once with the pages (``flush``: everything) dropped just before."""
    times = []
    for path in paths:
        redis.flush() if flush else drop_pages(redis)
        status, _headers, _body, seconds = get(port, path)
        if status != 200:
            sys.exit(f"{path} answered {status}")
        times.append(seconds * 1000)
    return statistics.median(times), percentile(times, 0.9)


def verdict(label, passed):
    print(f"{'PASS' if passed else 'FAIL'}  {label}")
    return passed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="releases to have")
    parser.add_argument("--tail", type=int, default=5000, help="distinct combinations")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10, help="seconds of /healthz")
    parser.add_argument("--samples", type=int, default=200, help="single cold renders")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--skip-generate", action="store_true", help="use the releases there")
    parser.add_argument("--skip-tail", action="store_true", help="single renders only")
    args = parser.parse_args()
    args.threads, args.timeout = 2, 30
    require_stack("bench/longtail.py")

    with Workspace("osce-longtail-") as workspace:
        folder, redis = workspace.folder, workspace.redis
        env = production_env(folder / "var", redis.url)
        start = time.perf_counter()
        published, total, pg_version, _slug = prepare_data(env, args, secrets.token_urlsafe(16))
        print(f"prepared in {time.perf_counter() - start:.0f} s (generation included)")
        terms = json.loads(django_value(env, TERMS_CODE))
        tail = combinations(terms, args.tail, args.seed)
        fresh = combinations(terms, 2000, args.seed + 1, avoid=tail)
        popular = ["/press-releases/", *fresh[:49]]
        news = fresh[49:]
        cold = combinations(terms, args.samples, args.seed + 2, avoid=[*tail, *fresh])
        print(f"machine: {machine()}; PostgreSQL {pg_version}")
        print(f"releases: {int(total):,} ({int(published):,} published); workers {args.workers}")

        server = Server(env, args.workers, folder / "gunicorn.log")
        try:
            script = folder / "done.lua"
            script.write_text(DONE_LUA)
            for path in ("/healthz", "/press-releases/"):  # each worker's first requests
                get(server.port, path)
            health = run_wrk(args, script, f"http://127.0.0.1:{server.port}/healthz")
            healthz = health["requests"] / (health["duration_us"] / 1e6)
            print(f"/healthz: {healthz:.0f}/s (wrk, {args.connections} connections)")

            ok = True
            if not args.skip_tail:
                redis.flush()
                seconds, latencies, failures = ask_all(server.port, tail, args.connections)
                rate, p99 = report("long tail, each once", seconds, latencies, failures, healthz)
                ok &= verdict("long tail at least 5% of /healthz", rate / healthz >= 0.05)
                ok &= verdict("long tail p99 at most 500 ms, no errors", p99 <= 500)
                ok &= not failures

                ask_all(server.port, popular, args.connections)  # the popular pages, cached
                chooser = random.Random(args.seed)
                mix = [
                    news.pop() if chooser.random() < 0.1 and news else chooser.choice(popular)
                    for _ in range(3000)
                ]
                seconds, latencies, failures = ask_all(server.port, mix, args.connections)
                _rate, p99 = report(
                    "mix 90% popular / 10% new", seconds, latencies, failures, healthz
                )
                ok &= verdict("mix p99 at most 150 ms, no errors", p99 <= 150 and not failures)

            medians = {}
            for flush, label in [(False, "the page not cached"), (True, "nothing cached")]:
                medians[flush], p90 = single_renders(server.port, redis, cold, flush=flush)
                print(
                    f"single finder page, {label}: median {medians[flush]:.1f} ms, p90 {p90:.1f} ms"
                )
            ok &= verdict("single page, not cached, median at most 25 ms", medians[False] <= 25)

            searches = [
                "/press-releases/?" + urlencode({"q": word, "sort": "relevance"})
                for word in terms["words"][: args.samples // 4]
            ]
            median, p90 = single_renders(server.port, redis, searches, flush=False)
            print(f"search by relevance, page not cached: median {median:.1f} ms, p90 {p90:.1f} ms")
            report_errors = server.log_report()
            workspace.show_problems(server, report_errors.problems)
        finally:
            server.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
