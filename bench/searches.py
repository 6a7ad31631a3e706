"""A search's cost in process: its reading, its placing, and the long tail's pages.

Usage:
    DATABASE_URL=postgres://…/osce_site .venv/bin/python bench/searches.py [--words 50]

On a PostgreSQL database already filled (bench/longtail.py's, or ``generate_demo_releases``),
with the test client and a cache of this process's own, prints:
- ``warm_search``'s pass over the vectors: its time and how many words it read;
- for the first ``--words`` search words of the long tail (words of the English titles):
  a word read whole (``press.postings.read``, as the first search of a word that is not
  warmed), and its warmed postings placed at the snapshot's positions
  (``engine.Scores.of``, once per worker and content version), each as median / p90 / max;
- 400 long-tail addresses (bench/longtail.py's combinations) through the test client with
  the pages not cached and the postings warm, median and mean per kind (filters alone,
  search words with a filter).

The machine is noisy: compare figures of one run, not of two.
"""

import argparse
import os
import pickle
import statistics
import time

from common import setup_site


def summary(seconds):
    found = sorted(seconds)
    return (
        f"median {statistics.median(found) * 1000:.1f} ms, "
        f"p90 {found[int(len(found) * 0.9)] * 1000:.1f} ms, max {found[-1] * 1000:.0f} ms"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    setup_site()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from longtail import combinations

    from institutions.models import Structure
    from press import engine, postings
    from press.models import Release
    from press.pagecache import versions
    from taxonomy.models import Country, FieldOfWork

    if connection.vendor != "postgresql":
        raise SystemExit("postings are PostgreSQL's: set DATABASE_URL")
    cache._max_entries = 10**6  # the process's own cache holds every word, as Redis does
    listed = Release.objects.published().filter(language="en")
    titles = listed.order_by("pk").values_list("title", flat=True)[:400]
    words = sorted({w.strip(",.:;()«»").lower() for t in titles for w in t.split() if len(w) > 5})
    print(f"releases: {Release.objects.count():,}; search words like {', '.join(words[:3])}")

    warmed = postings.warm()
    print(
        f"warm_search: {warmed.words:,} words, {warmed.releases:,} places, {warmed.seconds:.1f} s"
    )
    snapshot = engine.INDEX.snapshot(versions()[0].key)
    read, placed, sizes = [], [], []
    for word in words[: args.words]:
        horizon, _writing, table, normal = postings._horizon("default", word)
        start = time.perf_counter()
        whole = postings.read(word, "default", horizon)
        read.append(time.perf_counter() - start)
        sizes.append(sum(len(ids) for ids in whole.tiers.values()))
        kept = cache.get(postings._key("default", table, 0, normal))
        if kept is not None:
            tiers = pickle.loads(kept).tiers
            start = time.perf_counter()
            engine.Scores.of(tiers, snapshot)
            placed.append(time.perf_counter() - start)
    print(f"{len(read)} words, matches median {statistics.median(sizes):,.0f}, max {max(sizes):,}")
    print(f"  read whole: {summary(read)}")
    print(f"  warmed ({len(placed)}), placed: {summary(placed)}")

    terms = {
        "field": list(FieldOfWork.objects.values_list("slug", flat=True)),
        "country": list(Country.objects.values_list("slug", flat=True)),
        "source": list(Structure.objects.values_list("slug", flat=True)),
        "type": list(Release.Type.values),
        "words": words[:300],
    }
    client = Client()
    client.get("/press-releases/")  # the menu and the snapshot, as a worker has them
    kinds = {}
    for path in combinations(terms, 400, 8):
        start = time.perf_counter()
        response = client.get(path)
        kind = "search words x a filter" if "q=" in path else "filters alone"
        kinds.setdefault(kind, []).append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
    for kind, seconds in kinds.items():
        mean = statistics.mean(seconds) * 1000
        print(f"long tail, {kind} ({len(seconds)}): {summary(seconds)}, mean {mean:.1f} ms")


if __name__ == "__main__":
    main()
