"""Switching languages in a browser (issue 18): the header's switcher leads from the home
page, a term page, the finder (its filters kept) and a release (to its translation) to the
same page in Russian and back, at a phone's and a desktop's size, and axe finds no WCAG
2.2 A or AA violation on the Russian pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.helpers.factories import make_translated_pair

pytestmark = pytest.mark.e2e

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}


@pytest.fixture
def pair(reference_data):
    """An English release and its published Russian translation."""
    return make_translated_pair()


def switch(tab, language):
    """Follow the header's link to ``language`` and wait for the page it leads to."""
    tab.locator(f'nav.languages a[lang="{language}"]').click()
    expect(tab.locator("html")).to_have_attribute("lang", language)


def test_the_switcher_leads_to_the_same_page_and_back(screen, russian_open, pair):
    _name, tab = screen
    english, russian = pair
    walk = [
        ("/", "/ru/"),
        ("/countries/moldova/", "/ru/countries/moldova/"),
        ("/press-releases/?field=elections", "/ru/press-releases/?field=elections"),
        (english.get_absolute_url(), russian.get_absolute_url()),
    ]
    for there, in_russian in walk:
        tab.goto(there)
        expect(tab.locator("nav.languages [aria-current]")).to_have_text("English")
        switch(tab, "ru")
        assert tab.url.endswith(in_russian), (there, tab.url)
        expect(tab.locator("nav.languages [aria-current]")).to_have_text("Русский")
        switch(tab, "en")
        assert tab.url.endswith(there), (in_russian, tab.url)
    tab.goto("/ru/press-releases/")
    expect(tab.locator("article.card h3")).to_have_text([russian.title])


def test_axe_finds_no_violation_on_the_russian_pages(screen, russian_open, pair):
    _name, tab = screen
    _english, russian = pair
    found = []
    for path in (
        "/ru/",
        "/ru/press-releases/",
        "/ru/countries/moldova/",
        russian.get_absolute_url(),
    ):
        response = tab.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        result = Axe().run(tab, options=AXE_OPTIONS)
        found += [(path, v["id"]) for v in result.response["violations"]]
    assert found == []


def test_the_finder_s_script_speaks_the_page_s_language(screen, russian_open, pair):
    """The live count, written by static/js/finder.js, in Russian (the other words it
    writes come from the page the same way: tests/test_catalogues.py)."""
    _name, tab = screen
    tab.goto("/ru/press-releases/")
    toggle = tab.locator("button.finder__toggle")
    if toggle.is_visible():  # a phone's: the filters fold behind it
        toggle.click()
    tab.locator('fieldset[data-facet="field"] input[value="elections"]').check()
    expect(tab.locator("[data-apply]")).to_have_text("Показать 1 материал")
    expect(tab.locator("[data-live-count]")).to_have_text("С этими фильтрами: 1 материал")
