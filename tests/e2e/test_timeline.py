"""The finder's timeline in a browser: axe finds nothing serious with the chart on the page,
the keyboard walks the table's links (shown while it does) and never the bars, a click on a
bar narrows the dates, and on a 390 px phone the chart fits and its labels stay apart."""

import datetime as dt
import re
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e

VIENNA = ZoneInfo("Europe/Vienna")
YEARS = [year for year in range(2004, 2025) if year != 2010]  # 2010 is an empty year


@pytest.fixture
def releases(reference_data):
    """One release a year from 2004 to 2024 but 2010, two in 2019; the Secretariat's in
    odd years, a field operation's in even ones."""
    made = []
    for year in [*YEARS, 2019]:
        made.append(
            make_release(
                title=f"Release of {year} on co-operation",
                sources=("secretariat",) if year % 2 else ("mission-to-moldova",),
                fields=("youth",),
                published_at=dt.datetime(year, 6, 1, 10, tzinfo=VIENNA),
            )
        )
    return made


def _timeline(page):
    return page.locator(".timeline")


def test_axe_finds_no_violation_with_the_chart_on_the_page(page, releases):
    """Every rule axe has, of any impact, with the table out of sight and then shown."""
    found = []
    for path in ("/press-releases/", "/structures/secretariat/", "/press-releases/?q=release"):
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        expect(_timeline(page)).to_have_count(1)
        for state in ("chart", "table shown"):
            if state == "table shown":
                page.locator(".timeline__table a").first.focus()
            violations = Axe().run(page, options={"resultTypes": ["violations"]}).response
            found += [f"{path}, {state}: {v['id']}: {v['help']}" for v in violations["violations"]]
    assert not found, "\n".join(found)


def test_the_keyboard_walks_the_tables_links_once_and_never_the_bars(page, releases):
    page.goto("/press-releases/")
    table = page.get_by_role("table", name=re.compile("^Releases per year"))
    expect(table.get_by_role("link")).to_have_count(len(YEARS))
    bars = page.locator(".timeline__chart a")
    expect(bars).to_have_count(len(YEARS))
    assert page.locator(".timeline__data").bounding_box()["height"] <= 1  # until the keyboard comes

    # After the results: the keyboard reaches the first release before twenty years.
    page.locator(".cards article a, .pagination a").last.focus()
    page.keyboard.press("Tab")
    first = table.get_by_role("link", name="2004")
    expect(first).to_be_focused()
    assert table.bounding_box()["height"] > 100, "the table shows while it has the focus"
    for _ in YEARS[1:]:
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('svg') === null")
    expect(table.get_by_role("link", name="2024")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(table.get_by_role("link", name="2023")).to_be_focused()

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?date_from=2023-01-01&date_to=2023-12-31$"))
    expect(page.get_by_role("status")).to_have_text("1 release")


def test_a_click_on_a_bar_narrows_the_dates_to_its_year(page, releases):
    page.goto("/press-releases/?field=youth")
    bar = page.locator(".timeline__chart a", has=page.locator("title", has_text="2019:"))
    expect(bar.locator("title")).to_have_text("2019: 2 releases")

    bar.locator(".timeline__hit").click()
    expect(page).to_have_url(re.compile(r"\?field=youth&date_from=2019-01-01&date_to=2019-12-31$"))
    expect(page.get_by_role("status")).to_have_text("2 releases")
    # Inside one year: one month, so no chart.
    expect(_timeline(page)).to_have_count(0)


def test_on_a_phone_the_chart_fits_and_its_labels_are_readable_and_apart(page, releases):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/press-releases/")
    chart = page.locator(".timeline__chart")
    expect(chart).to_be_visible()

    box = chart.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    labels = page.locator(".timeline__tick")
    expect(labels).to_have_text(["2005", "2010", "2015", "2020"])  # every fifth year
    boxes = [labels.nth(n).bounding_box() for n in range(labels.count())]
    assert min(label["height"] for label in boxes) >= 10, boxes  # px: readable
    for left, right in pairwise(boxes):
        assert left["x"] + left["width"] + 8 <= right["x"], boxes
