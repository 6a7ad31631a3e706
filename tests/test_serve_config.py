"""`make serve`'s gunicorn settings: a worker per core and one more, with Redis or without
(the versions live in the database, so private page caches are never stale)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = [str(Path(sys.executable).parent / "gunicorn"), "osce_site.wsgi"]
CONFIG = ["--config", "python:osce_site.gunicorn_conf"]


def gunicorn(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "WEB_CONCURRENCY"}}
    return subprocess.run(
        [*GUNICORN, *CONFIG, *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def settings_printed(**env):
    result = gunicorn("--print-config", **env)
    assert result.returncode == 0, result.stderr
    pairs = (line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs}


@pytest.mark.parametrize("redis", [{}, {"REDIS_URL": "redis://127.0.0.1:6379/0"}])
def test_one_worker_per_core_and_one_more_with_redis_or_without(redis):
    printed = settings_printed(**redis)
    assert printed["workers"] == str(os.cpu_count() + 1)
    assert printed["threads"] == "1"
    assert printed["bind"] == "['127.0.0.1:8000']"


def test_the_host_port_and_worker_count_follow_the_environment():
    printed = settings_printed(
        HOST="0.0.0.0", PORT="9000", WEB_CONCURRENCY="3", REDIS_URL="redis://r:6379/0"
    )
    assert printed["bind"] == "['0.0.0.0:9000']"
    assert printed["workers"] == "3"
