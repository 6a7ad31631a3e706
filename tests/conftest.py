"""Fixtures shared by every test: the reference data, a clean cache, data builders."""

import io
import json
import logging
from pathlib import Path

import pytest
from django.core.cache import cache

from institutions.reference import load_reference_data
from osce_site.observability import JSONFormatter

from .helpers import factories

ROOT = Path(__file__).resolve().parent.parent
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "minsk-group-statement-2021-09-24.txt"
SAMPLE_SEED = ROOT / "press" / "sample_pages" / "minsk-group-statement-2021-09-24.txt"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the reference data, as a real site does."""
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Each test starts with an empty cache, so a cached menu cannot leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def seed_path():
    """The seed page: the shared original where it is beside the checkout, else our copy."""
    return SHARED_SEED if SHARED_SEED.exists() else SAMPLE_SEED


@pytest.fixture
def seed_text(seed_path):
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture
def make_release(db):
    return factories.make_release


@pytest.fixture
def reference_data(transactional_db):
    """For tests that flush the database (live server): load the reference data again."""
    load_reference_data()


@pytest.fixture
def log_lines():
    """The lines the site's configured JSON handler writes during the test, parsed."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler.formatter, JSONFormatter)
    ]
    assert len(handlers) == 1, "production logging has one JSON handler on the root logger"
    stream = io.StringIO()
    previous = handlers[0].setStream(stream)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        handlers[0].setStream(previous)
