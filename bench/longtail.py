"""The finder's long tail on the production stack: addresses nobody asked before.

Usage:
    scripts/with-postgres .venv/bin/python bench/longtail.py [--count 100000] [--tail 5000]
        [--language ru] [--public-languages en,ru]

Starts what ``make serve`` runs (gunicorn with the production settings, a private Redis as
the shared cache, ``--workers`` workers) on a PostgreSQL database with ``--count`` demo
releases (bench/serve.py prepares it), waits for the server's own ``warm_search`` to read
every common word's search postings (``--no-warm`` serves without it: each word then pays
its whole reading at its first search), then measures, each against ``/healthz`` in the
same run:

- the long tail: ``--tail`` distinct, real filter combinations drawn from the database's
  own terms (field x country, field x source, country x type x dates, search words x
  field or country, three-filter mixes), each asked once, by 16 concurrent clients;
- a mix: 90% popular pages (warmed first), 10% combinations never asked before;
- single finder pages rendered with nothing cached (the cache flushed before each);
- relevance-sorted searches, uncached.

``--language`` picks whose pages are asked: ``ru`` asks ``/ru/press-releases/…`` with search
words from the Russian releases' titles. The site opens the languages of its own
``PUBLIC_LANGUAGES`` (English and Russian by default); ``--public-languages`` sets others
(``en`` for an English-only site).

Everything is asked with wrk at 16 connections: ``/healthz`` for ``--duration`` seconds
(2 threads); the tail and the mix through ``bench/longtail.lua``, which asks each path of a
file (written in the workspace, one a line) once, in order, across the connections, and
ends the run when the list is done (``--limit`` seconds bound it). The rate is answers over
the time from the first request to the last answer; p50/p90/p99 are wrk's. Exits 1 on any
error in the tail or the mix (an answer outside 2xx/3xx, a socket error, a timeout, a path
left unanswered within the limit) and on any missed target. The 5% share and the 25 ms
render are the issue's targets at 100,000 releases: at a larger ``--count`` their lines are
shown ("met"/"not"), not counted, and ``--against`` adds the 1,000,000 one (half the 100,000
share).
"""

import argparse
import json
import random
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

from serve import (
    DONE_LUA,
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

LUA = Path(__file__).resolve().parent / "longtail.lua"

# Run with LANGUAGE set before it: the search words are that language's.
TERMS_CODE = """
import json, random
from institutions.models import Structure
from press.models import Release
from taxonomy.models import Country, FieldOfWork
listed = Release.objects.published().filter(language=LANGUAGE)
titles = list(listed.order_by("pk").values_list("title", flat=True)[:400])
words = sorted({w.strip(",.:;()«»").lower() for t in titles for w in t.split() if len(w) > 5})
print(json.dumps({
    "published": listed.count(),
    "field": list(FieldOfWork.objects.values_list("slug", flat=True)),
    "country": list(Country.objects.values_list("slug", flat=True)),
    "source": list(Structure.objects.values_list("slug", flat=True)),
    "type": list(Release.Type.values),
    "words": words[:300],
}))
"""


def combinations(terms, count, seed, avoid=(), prefix=""):
    """``count`` distinct finder addresses of the kinds a long tail is made of, under the
    language ``prefix`` ("/ru")."""
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
        path = f"{prefix}/press-releases/?" + urlencode(sorted(pairs))
        if path not in seen:
            seen.add(path)
            found.append(path)
    return found


class Asked(NamedTuple):
    """A list of paths asked once each: the rate, wrk's latencies, and what went wrong."""

    answered: int
    rate: float  # answers a second, from the first request sent to the last answer read
    p50_ms: float
    p90_ms: float
    p99_ms: float
    failures: list  # in words; empty when every path was answered with a 2xx or 3xx


def ask_all(port, paths, args, folder, name):
    """Ask every path once, in order, with wrk over ``args.connections`` connections
    (bench/longtail.lua), the list written to ``folder/<name>.txt``; ``args.limit`` seconds
    at most."""
    listing = folder / f"{name}.txt"
    listing.write_text("".join(f"{path}\n" for path in paths))
    finished = folder / f"{name}.finished"  # the threads that are done note it here
    finished.unlink(missing_ok=True)
    # One wrk thread: a connection left with nothing to ask is open and silent, and a sync
    # worker that accepts it waits on it; with one thread every path is queued before the
    # first such connection, and wrk ends (closing them) with the last answer. A second
    # thread's silent connections could hold both workers while the other's paths wait.
    bounded = argparse.Namespace(**{**vars(args), "duration": args.limit, "threads": 1})
    values = run_wrk(
        bounded, LUA, f"http://127.0.0.1:{port}/",
        script_args=[str(listing), "1", str(finished)],
    )  # fmt: skip
    # wrk's "status" errors (4xx, 5xx) are in "bad", with the 1xx it does not count.
    failures = [
        f"{values[kind]} {kind} errors" for kind in ERROR_KINDS if kind != "status" and values[kind]
    ]
    if values["bad"]:
        failures.append(f"{values['bad']} answers outside 2xx/3xx")
    if values["answered"] < len(paths):
        failures.append(f"{len(paths) - values['answered']} of {len(paths)} paths unanswered")
    return Asked(
        answered=values["answered"],
        rate=values["answered"] / max(values["span_us"] / 1e6, 1e-6),
        p50_ms=values["p50_us"] / 1000,
        p90_ms=values["p90_us"] / 1000,
        p99_ms=values["p99_us"] / 1000,
        failures=failures,
    )


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def report(label, asked, healthz):
    """Print one list's figures; return its rate and p99 in ms."""
    print(
        f"{label}: {asked.answered:,} answers, {asked.rate:.1f}/s = {asked.rate / healthz:.1%} "
        f"of /healthz; p50 {asked.p50_ms:.0f} ms, p90 {asked.p90_ms:.0f} ms, "
        f"p99 {asked.p99_ms:.0f} ms; errors: {', '.join(asked.failures) or 'none'}",
        flush=True,
    )
    return asked.rate, asked.p99_ms


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


def wait_for_warm_search(redis, limit):
    """Wait for the server's own ``warm_search`` (started by gunicorn's master) to have
    read every common word's postings, as a site does once after a first deploy."""
    start = time.perf_counter()
    while not redis.cli("--scan", "--pattern", "*engine:postings:warmed*").split():
        if time.perf_counter() - start > limit:
            sys.exit(f"warm_search did not finish in {limit} s")
        time.sleep(0.5)
    memory = redis.cli("info", "memory").split("used_memory_human:")[1].split()[0]
    print(
        f"search postings warmed by the server in {time.perf_counter() - start:.0f} s "
        f"(Redis holds {memory})"
    )


def verdict(label, passed, applies=True):
    """Print a target's line; one the issue sets at another size is shown, not counted."""
    if not applies:
        print(f"{'met ' if passed else 'not '}  {label} (a target at 100,000 releases)")
        return True
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
    parser.add_argument(
        "--no-warm",
        action="store_true",
        help="serve with WARM_SEARCH=0: every common word read at its first search",
    )
    parser.add_argument("--limit", type=int, default=600, help="seconds a list may take")
    parser.add_argument("--language", default="en", help="whose finder pages to ask (ru: /ru/…)")
    parser.add_argument(
        "--public-languages",
        help="the site's PUBLIC_LANGUAGES (default: its own, or the environment's)",
    )
    parser.add_argument(
        "--against",
        type=float,
        help="the long tail's share of /healthz at 100,000 releases (0.057 for 5.7%%): "
        "at 1,000,000 the issue asks at least half of it",
    )
    args = parser.parse_args()
    args.threads, args.timeout = 2, 30
    require_stack("bench/longtail.py")
    prefix = "" if args.language == "en" else f"/{args.language}"
    at_100k = args.count <= 100_000  # the share and render targets; 1M has its own

    with Workspace("osce-longtail-") as workspace:
        folder, redis = workspace.folder, workspace.redis
        env = production_env(folder / "var", redis.url)
        if args.public_languages:
            env["PUBLIC_LANGUAGES"] = args.public_languages
        public = env.get("PUBLIC_LANGUAGES", "the site's default")
        start = time.perf_counter()
        published, total, pg_version, _slug = prepare_data(env, args, secrets.token_urlsafe(16))
        print(f"prepared in {time.perf_counter() - start:.0f} s (generation included)")
        terms = json.loads(django_value(env, f"LANGUAGE = {args.language!r}\n{TERMS_CODE}"))
        tail = combinations(terms, args.tail, args.seed, prefix=prefix)
        fresh = combinations(terms, 2000, args.seed + 1, avoid=tail, prefix=prefix)
        popular = [f"{prefix}/press-releases/", *fresh[:49]]
        news = fresh[49:]
        cold = combinations(
            terms, args.samples, args.seed + 2, avoid=[*tail, *fresh], prefix=prefix
        )
        print(f"machine: {machine()}; PostgreSQL {pg_version}")
        print(f"releases: {int(total):,} ({int(published):,} published); workers {args.workers}")
        print(
            f"asking {prefix or '/'}… pages ({terms['published']:,} published releases in "
            f"{args.language!r}); PUBLIC_LANGUAGES={public}; search words like "
            f"{', '.join(terms['words'][:3])}"
        )

        if args.no_warm:
            env["WARM_SEARCH"] = "0"
        server = Server(env, args.workers, folder / "gunicorn.log")
        if not args.no_warm:
            wait_for_warm_search(redis, args.limit)

        def quiet():
            """Wait for the workers to go idle, then say how busy the machine is without
            them: another engineer's test suite skews a run (bench/serve.py's BUSY)."""
            drain(server)
            busy = cpu_busy()
            print(f"  CPU busy before the run: {busy:.0%}{' (not to trust)' if busy > 0.1 else ''}")

        try:
            script = folder / "done.lua"
            script.write_text(DONE_LUA)
            for path in ("/healthz", f"{prefix}/press-releases/"):  # each worker's first requests
                get(server.port, path)
            quiet()
            health = run_wrk(args, script, f"http://127.0.0.1:{server.port}/healthz")
            healthz = health["requests"] / (health["duration_us"] / 1e6)
            print(f"/healthz: {healthz:.0f}/s (wrk, {args.connections} connections)")

            ok = True
            if not args.skip_tail:
                # The pages out, not the rest: a flush would also drop the postings that
                # warm_search read, and each word would pay its whole reading again.
                drop_pages(redis)
                quiet()
                asked = ask_all(server.port, tail, args, folder, "tail")
                rate, p99 = report("long tail, each once", asked, healthz)
                failures = asked.failures
                ok &= verdict("long tail at least 5% of /healthz", rate / healthz >= 0.05, at_100k)
                ok &= verdict("long tail p99 at most 500 ms, no errors", p99 <= 500)
                if args.against:
                    ok &= verdict(
                        f"long tail at least half the 100,000 figure ({args.against:.1%})",
                        rate / healthz >= args.against / 2,
                    )
                ok &= not failures

                ask_all(server.port, popular, args, folder, "popular")  # cached from now
                chooser = random.Random(args.seed)
                mix = [
                    news.pop() if chooser.random() < 0.1 and news else chooser.choice(popular)
                    for _ in range(3000)
                ]
                quiet()
                asked = ask_all(server.port, mix, args, folder, "mix")
                _rate, p99 = report("mix 90% popular / 10% new", asked, healthz)
                failures = asked.failures
                ok &= verdict("mix p99 at most 150 ms, no errors", p99 <= 150 and not failures)

            medians = {}
            for flush, label in [(False, "the page not cached"), (True, "nothing cached")]:
                medians[flush], p90 = single_renders(server.port, redis, cold, flush=flush)
                print(
                    f"single finder page, {label}: median {medians[flush]:.1f} ms, p90 {p90:.1f} ms"
                )
            ok &= verdict(
                "single page, not cached, median at most 25 ms", medians[False] <= 25, at_100k
            )

            searches = [
                f"{prefix}/press-releases/?" + urlencode({"q": word, "sort": "relevance"})
                for word in terms["words"][: args.samples // 4]
            ]
            median, p90 = single_renders(server.port, redis, searches, flush=False)
            print(f"search by relevance, page not cached: median {median:.1f} ms, p90 {p90:.1f} ms")
            ok &= verdict("relevance search median at most 50 ms (asked at 1M)", median <= 50)
            report_errors = server.log_report()
            workspace.show_problems(server, report_errors.problems)
        finally:
            server.stop()
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
