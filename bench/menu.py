"""How much the cached menu saves: reads and renders the site menu, cold and cached.

Usage: .venv/bin/python bench/menu.py [--extra N]

Builds a throwaway SQLite database (or uses DATABASE_URL), loads the reference data, adds
N extra menu entries (default 800, for a menu of about 940 entries like the organisation's
full site), then prints the SQL queries and the time to read the tree, to render it
uncached, and to serve it from the cache.
"""

import argparse

from common import median_ms, setup_site


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", type=int, default=800, help="extra menu entries to add")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    setup_site()
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from taxonomy import menu
    from taxonomy.models import FieldOfWork, MenuItem

    section = MenuItem.objects.get(label="Our work")
    fields = list(FieldOfWork.objects.all())
    for number in range(args.extra):
        # Half headings' children, half term links, so the read exercises both kinds.
        if number % 2:
            MenuItem.objects.create(parent=section, label=f"Extra link {number}", url="/")
        else:
            field = fields[number % len(fields)]
            MenuItem.objects.create(parent=section, term=field)
    entries = MenuItem.objects.count()

    menu.read_tree()  # warm ContentType's own cache, as any running process has
    with CaptureQueriesContext(connection) as read_queries:
        menu.read_tree()
    read_ms = median_ms(menu.read_tree, args.repeat)

    def render_uncached():
        cache.clear()
        menu.render_menu()

    uncached_ms = median_ms(render_uncached, args.repeat)
    menu.render_menu()
    with CaptureQueriesContext(connection) as cached_queries:
        menu.render_menu()
    cached_ms = median_ms(menu.render_menu, args.repeat * 10)

    print(f"database: {connection.vendor}; menu entries: {entries}")
    print(f"read the tree:        {len(read_queries)} queries, {read_ms:8.2f} ms (median)")
    print(f"render, cache empty:  {uncached_ms:8.2f} ms (median, read included)")
    print(f"render, cached:       {len(cached_queries)} queries, {cached_ms:8.3f} ms (median)")
    print(f"speed-up from the cache: {uncached_ms / cached_ms:,.0f}x")


if __name__ == "__main__":
    main()
