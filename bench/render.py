"""A finder page's time inside one process, the view's part and the template's part.

Usage:
    DATABASE_URL=postgres://…/osce_site .venv/bin/python bench/render.py [--repeat 60]
    .venv/bin/python bench/render.py --count 20000      # SQLite, in a throwaway folder

Served figures move by several milliseconds from one hour to the next on a shared machine;
a change of one or two milliseconds is seen here instead: the finder's pages are asked
through ``RequestFactory`` with the finder's index and the menu warm and no page cache, and
the medians of the view (the finder's answer, the rows, the facets, the timeline: the
context) and of the template rendering it are printed apart, page by page. Run it on two
checkouts against the same database for an A/B.
"""

import argparse
import statistics
import time

from common import ensure_releases, setup_site

PATHS = [
    "/press-releases/",
    "/press-releases/?field=human-rights&country=ukraine",
    "/press-releases/?source=secretariat&type=statement",
    "/press-releases/?country=moldova&date_from=2015-01-01",
    "/press-releases/?q=elections&field=human-rights",
    "/countries/ukraine/",
]


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, (time.perf_counter() - start) * 1000


def render_once(path, factory):
    """(view ms, template ms) of one answer to ``path``, asked as the page cache asks: the
    versions read once and pinned, so that the menu and the index ask no more."""
    from django.urls import resolve

    from press.pagecache import versions
    from taxonomy import freshness

    match = resolve(path.split("?")[0])
    view = getattr(match.func, "__wrapped__", match.func)  # past the page cache
    request = factory.get(path)
    start = time.perf_counter()
    now, _answered = versions()
    with freshness.pinned(now):
        response = view(request, *match.args, **match.kwargs)
        view_ms = (time.perf_counter() - start) * 1000
        _, template_ms = timed(response.render)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    return view_ms, template_ms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=0, help="releases to have (default: any)")
    parser.add_argument("--repeat", type=int, default=60, help="renders of each page")
    args = parser.parse_args()

    setup_site()
    if args.count:
        ensure_releases(args.count)
    from django.test import RequestFactory

    factory = RequestFactory(HTTP_HOST="127.0.0.1")
    print(f"{'page':<58} {'view':>8} {'template':>9} {'total':>8}  (medians, ms)")
    totals = []
    for path in PATHS:
        for _warm in range(3):  # the first renders warm the index and the templates
            render_once(path, factory)
        samples = [render_once(path, factory) for _ in range(args.repeat)]
        view_ms = statistics.median(s[0] for s in samples)
        template_ms = statistics.median(s[1] for s in samples)
        total = statistics.median(s[0] + s[1] for s in samples)
        totals.append(total)
        print(f"{path:<58} {view_ms:8.2f} {template_ms:9.2f} {total:8.2f}")
    print(f"{'median of the pages':<58} {'':>8} {'':>9} {statistics.median(totals):8.2f}")


if __name__ == "__main__":
    main()
