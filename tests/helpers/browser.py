"""What the browser tests (tests/e2e) share besides their fixtures."""

# How long Playwright waits for a page or an element before the test fails.
TIMEOUT_MS = 10_000
