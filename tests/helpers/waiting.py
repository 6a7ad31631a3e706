"""Waiting on a condition, with a deadline, instead of sleeping a fixed time."""

import time


def wait_until(condition, *, timeout=5, poll=0.005, what="the condition"):
    """Return as soon as ``condition()`` is true; fail if it is not within ``timeout``
    seconds. Fast on a fast machine, and patient on a slow one."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout}s for {what}"
        time.sleep(poll)
