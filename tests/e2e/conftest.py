"""Browser tests: a real Chromium (Debian's) driven by Playwright against the live server.

Without Chromium at /usr/bin/chromium the browser tests are skipped, unless REQUIRE_E2E is
set (as on CI), when a missing browser is a failure.
"""

import os
from pathlib import Path

import pytest

from tests.helpers.browser import CHROMIUM, LAUNCH_ARGS, SCREENS, TIMEOUT_MS

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
HERE = Path(__file__).resolve().parent


_browser_running = False


def _uses_database(item):
    names = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db") or names & {"db", "transactional_db"})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """Let the browser tests, with their fixtures, use the ORM beside Playwright.

    Playwright's sync API keeps an event loop running in this thread from the browser's
    start to the end of the browser tests, so Django would refuse the database calls that
    create the test database, load each test's data and flush it afterwards. Hence
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true", but only around the browser tests
    (and any database test that runs while the browser is open): set for the whole session,
    it would leak into the subprocesses of other tests, where ``manage.py check --deploy``
    reports it as an error (async.E001).
    """
    if not (item.path.is_relative_to(HERE) or (_browser_running and _uses_database(item))):
        return (yield)
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        return (yield)
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def _unavailable(reason):
    if os.environ.get("REQUIRE_E2E"):
        pytest.fail(f"REQUIRE_E2E is set but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason}")


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One headless Chromium for the browser tests.

    It stops when they are done, and with it Playwright's event loop, so that the tests
    after them use the ORM freely; it depends on the test database so that it stops before
    the database is destroyed.
    """
    if not CHROMIUM.exists():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install playwright)")

    global _browser_running
    playwright = sync_playwright().start()
    _browser_running = True
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
    except Exception as error:
        playwright.stop()
        _browser_running = False
        _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
    yield browser
    browser.close()
    playwright.stop()
    _browser_running = False


@pytest.fixture
def page(live_server, reference_data, browser):
    """A fresh browser tab (its own cookies) on the live server with the reference data."""
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(params=list(SCREENS))
def screen(request, live_server, reference_data, browser):
    """A fresh tab on the live server on each of a phone's and a desktop's screens: (the
    screen's name, the tab)."""
    context = browser.new_context(base_url=live_server.url, viewport=SCREENS[request.param])
    context.set_default_timeout(TIMEOUT_MS)
    yield request.param, context.new_page()
    context.close()
