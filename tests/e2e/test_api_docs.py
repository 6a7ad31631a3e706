"""The API's documentation page works in a browser under the site's strict CSP: Swagger
UI's files come from the site itself, and the page lists the operations."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_api_documentation_lists_the_operations(screen):
    _name, tab = screen
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    response = tab.goto("/api/v1/docs/")
    assert response.ok
    expect(tab.get_by_text("/api/v1/releases/", exact=True).first).to_be_visible()
    expect(tab.get_by_text("/api/v1/countries/", exact=True).first).to_be_visible()
    assert errors == []
