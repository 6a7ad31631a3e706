"""Gunicorn's settings for ``make serve``: as many processes as the cache allows.

The visitors' page cache must be one for every process serving the site, or a publish
handled by one process leaves the others serving their old copies. Local memory (no
``REDIS_URL``) belongs to one process, so without Redis the site runs one process with
threads and refuses more; with Redis it runs one synchronous worker per core, plus one
so that a worker waiting on the database for an uncached page leaves no core idle
(bench/README.md: 2 and 3 workers serve cached pages equally on 2 cores).
"""

import os

shared_cache = bool(os.environ.get("REDIS_URL"))

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(
    os.environ.get("WEB_CONCURRENCY") or ((os.cpu_count() or 1) + 1 if shared_cache else 1)
)
threads = int(os.environ.get("GUNICORN_THREADS") or (1 if shared_cache else 4))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
graceful_timeout = 10

if workers > 1 and not shared_cache:
    raise SystemExit(
        f"WEB_CONCURRENCY={workers} needs REDIS_URL: each process would keep its own page "
        "cache and serve pages a publish elsewhere made stale. Set REDIS_URL, or run one "
        "process (GUNICORN_THREADS sets its threads)."
    )
