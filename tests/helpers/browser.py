"""What the browser tests (tests/e2e) share besides their fixtures, and make screenshots
uses too."""

from pathlib import Path

# How long Playwright waits for a page or an element before the test fails.
TIMEOUT_MS = 10_000

# The two screens the browser tests, the walk-throughs and `make screenshots` use.
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

# Debian's Chromium, and the flags it needs here (no sandbox as root, nothing fetched).
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
