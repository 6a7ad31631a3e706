"""The Redis cache backend: Django's, with one client per pool; against a real redis-server."""

import os
import shutil
import socket
import subprocess
import threading
import time

import pytest

from osce_site.cache import SharedClientRedisCache


@pytest.fixture(scope="module")
def redis_url():
    if shutil.which("redis-server") is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but redis-server is not on PATH (apt-get install redis-server)")
        pytest.skip("redis-server is not on PATH")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.02)
    yield url
    server.terminate()
    server.wait(5)


def test_it_is_djangos_redis_cache_with_one_client(redis_url):
    cache = SharedClientRedisCache(redis_url, {})
    cache.clear()
    assert cache.add("lock", 1, 30)
    assert not cache.add("lock", 2, 30)
    cache.set_many({"a": {"page": b"x" * 70_000}, "b": 2}, None)
    assert cache.get_many(["a", "b", "missing"]) == {"a": {"page": b"x" * 70_000}, "b": 2}
    cache.delete("lock")
    assert cache.get("lock") is None
    client = cache._cache.get_client()
    assert cache._cache.get_client(write=True) is client  # one server: one pool, one client


def test_the_shared_client_serves_threads_at_once(redis_url):
    cache = SharedClientRedisCache(redis_url, {})
    errors = []

    def work(n):
        try:
            for i in range(200):
                cache.set(f"t{n}:{i}", i, 60)
                assert cache.get(f"t{n}:{i}") == i
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
