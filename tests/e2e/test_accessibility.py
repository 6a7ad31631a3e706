"""Accessibility: axe-core finds nothing serious, and the site works from the keyboard."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    # WCAG 2.5.3 (level A), experimental in axe-core: a link's name must contain its text,
    # so that voice control users can say what they see.
    "rules": {"label-content-name-mismatch": {"enabled": True}},
}


@pytest.fixture
def releases(reference_data):
    """A few releases, enough to fill the finder, its facets and a term page."""
    return [
        make_release(
            title="Mission to Moldova trains women mediators",
            sources=("mission-to-moldova",),
            fields=("gender-equality",),
            countries=("moldova",),
            place_slug="chisinau",
            days_ago=3,
        ),
        make_release(
            title="Secretary General opens a gender equality conference",
            sources=("secretary-general",),
            fields=("gender-equality", "youth"),
            days_ago=2,
        ),
        make_release(
            title="Conflict Prevention Centre meets youth leaders",
            sources=("conflict-prevention-centre",),
            fields=("youth",),
            days_ago=1,
        ),
    ]


def _described(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in violations
    )


def test_axe_finds_no_serious_or_critical_violation(page, releases):
    paths = [
        "/",
        "/press-releases/?field=gender-equality&sort=oldest",
        releases[0].get_absolute_url(),
        "/structures/secretariat/",
        "/countries/",
    ]
    found = []
    for path in paths:
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        if blocking:
            found.append(f"axe on {path}:\n{_described(blocking)}")
    assert not found, "\n".join(found)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(page, releases):
    page.goto("/")
    skip = page.get_by_role("link", name="Skip to content")

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # seen by sighted keyboard users, not only announced

    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside main, not back in the header
    expect(page.locator("main :focus")).to_have_count(1)


def test_the_menus_sections_open_and_close_with_enter(page):
    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    section = menu.locator("details", has=page.locator("summary", has_text="Countries"))
    summary = section.locator("summary")
    all_countries = section.get_by_role("link", name="All", exact=True)
    expect(all_countries).to_be_hidden()

    for _ in range(10):  # Tab through the header to the section's summary
        page.keyboard.press("Tab")
        if summary.evaluate("el => el === document.activeElement"):
            break
    expect(summary).to_be_focused()

    page.keyboard.press("Enter")
    expect(section).to_have_attribute("open", "")
    expect(all_countries).to_be_visible()
    page.keyboard.press("Tab")
    expect(all_countries).to_be_focused()

    page.keyboard.press("Shift+Tab")
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(section).not_to_have_attribute("open", "")
    expect(all_countries).to_be_hidden()


def test_every_control_of_the_finder_has_a_label(page, releases):
    page.goto("/press-releases/?field=gender-equality")
    controls = page.locator("form[data-finder]").locator("input, select, textarea, button")
    assert controls.count() > 10  # search, sort, dates, the facets' options, the button

    for control in controls.all():
        html = control.evaluate("el => el.outerHTML")
        if control.is_visible():  # a folded level's boxes are out of the tree until shown
            expect(control, f"no accessible name: {html}").to_have_accessible_name(
                re.compile(r"\w")
            )
        if control.evaluate("el => el.tagName") != "BUTTON":  # a button is named by its text
            assert control.evaluate("el => el.labels.length") == 1, f"no <label> for {html}"
    expect(page.get_by_role("searchbox", name="Search")).to_have_value("")
    sort = page.get_by_role("combobox", name="Sort by")
    assert sort.evaluate("el => el.selectedOptions[0].text") == "Newest first"
    expect(page.get_by_role("checkbox", name="Gender equality (2)")).to_be_checked()
    expect(page.get_by_role("button", name="Apply filters")).to_be_enabled()


def test_ticking_a_facet_from_the_keyboard_changes_nothing_until_applied(page, releases):
    """WCAG 3.2.2: a change of a control never reloads the page under the reader; the
    number it would give is announced politely, and Apply (reached by Tab) applies it."""
    page.goto("/press-releases/")
    youth = page.get_by_role("checkbox", name="Youth (2)")
    youth.focus()

    page.keyboard.press("Space")

    expect(youth).to_be_checked()
    expect(youth).to_be_focused()
    live = page.locator("[data-live-count]")
    expect(live).to_have_attribute("aria-live", "polite")
    expect(live).to_have_text("2 results with these filters")
    expect(page).not_to_have_url(re.compile(r"field="))
    apply = page.get_by_role("button", name="Show 2 results")
    while not apply.evaluate("el => el === document.activeElement"):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"field=youth"))
    expect(page.get_by_role("region", name="Results")).to_be_focused()
    expect(page.get_by_role("checkbox", name="Youth (2)")).to_be_checked()


def test_a_date_typed_from_the_keyboard_applies_only_when_asked(page, releases):
    """A date is typed as people write it (GOV.UK's finders: a text box with an example),
    nothing is sent while it is typed, and a mistake is said in words beside the box."""
    page.goto("/press-releases/")
    date_from = page.get_by_label("From", exact=True)
    expect(date_from).to_have_accessible_description(
        re.compile("For example, 2015, 3/2015 or 21/11/2014")
    )
    date_from.focus()
    page.keyboard.type("2/1/2024")
    expect(page).not_to_have_url(re.compile(r"date_from="))

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]date_from=2%2F1%2F2024(&|$)"))
    expect(page.get_by_role("list", name="Active filters")).to_contain_text("From 2 January 2024")

    date_to = page.get_by_label("To", exact=True)
    date_to.fill("31/2/2024")
    date_to.press("Enter")
    expect(date_to).to_have_attribute("aria-invalid", "true")
    expect(date_to).to_have_accessible_description(re.compile("Enter a real date"))
    expect(date_to).to_have_value("31/2/2024")  # kept, to be mended


def test_every_page_has_the_landmarks(page, releases):
    paths = ["/", "/press-releases/", releases[0].get_absolute_url(), "/structures/secretariat/"]
    for path in paths:
        page.goto(path)
        expect(page.get_by_role("banner"), path).to_have_count(1)
        expect(page.get_by_role("navigation", name="Main", exact=True), path).to_have_count(1)
        expect(page.get_by_role("main"), path).to_have_count(1)
        expect(page.get_by_role("contentinfo"), path).to_have_count(1)
