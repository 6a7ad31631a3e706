"""Gunicorn's settings for ``make serve``: one synchronous worker per core, plus one.

Every worker sees the same versions (taxonomy.freshness keeps them in the database), so a
publish handled by one is seen by all at their next request, with Redis as the shared
cache or without it (each worker then keeps its own copies of the pages: more renders,
never a stale page). The extra worker keeps a core busy while another waits on the
database for an uncached page (bench/README.md: 2 and 3 workers serve cached pages
equally on 2 cores).

Once the workers are up, the master starts ``manage.py warm_search`` in a process of its
own (``WARM_SEARCH=0`` leaves it out): it reads every common word's search postings into
the shared cache in one pass, so that after a first deploy or an emptied cache no visitor
waits for a common word's first reading (press/postings.py).
"""

import os
import subprocess
import sys
import threading
from pathlib import Path

MANAGE = Path(__file__).resolve().parent.parent / "manage.py"

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 1)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
graceful_timeout = 10


def when_ready(server):
    """Warm the search postings beside the workers (the master opens no database)."""
    if os.environ.get("WARM_SEARCH", "1") == "0":
        return
    warming = subprocess.Popen([sys.executable, str(MANAGE), "warm_search"])
    threading.Thread(target=warming.wait, daemon=True).start()  # reaped when it ends
