"""Gunicorn's settings for ``make serve``: one synchronous worker per core, plus one.

Every worker sees the same versions (taxonomy.freshness keeps them in the database), so a
publish handled by one is seen by all at their next request, with Redis as the shared
cache or without it (each worker then keeps its own copies of the pages: more renders,
never a stale page). The extra worker keeps a core busy while another waits on the
database for an uncached page (bench/README.md: 2 and 3 workers serve cached pages
equally on 2 cores).
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
graceful_timeout = 10
