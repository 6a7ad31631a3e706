"""What every benchmark shares: a Django set up on a database with the reference data."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def median_ms(function, repeat):
    """The median wall time of ``repeat`` calls, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def setup_site():
    """Django on DATABASE_URL (else a throwaway SQLite file), migrated, reference data in."""
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="osce-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "osce_site.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from institutions.reference import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()


def ensure_releases(count, *, vacuum=False):
    """At least ``count`` demo releases (seed 1; their translations on top), then fresh
    planner statistics on PostgreSQL; ``vacuum`` also marks the table visible, as
    autovacuum would in time."""
    import io

    from django.core.management import call_command
    from django.db import connection

    from press.models import Release

    missing = count - Release.objects.filter(translation_of=None).count()
    if missing > 0:
        call_command("generate_demo_releases", count=missing, seed=1, stdout=io.StringIO())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")
