"""The menu as people expect it: Escape and a click outside close it; the focus is seen.

WCAG 2.4.7 and 2.4.13 ask the focus indicator to be visible with 3:1 against what it
sits on; the header is blue, so the ring is measured there, from the computed styles.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e
SECTION = "Structures and institutions"


def rgb(text):
    return [int(part) for part in re.findall(r"\d+", text)[:3]]


def luminance(colour):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(one, other):
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_escape_closes_the_open_section_and_gives_the_focus_back(page):
    page.goto("/")
    summary = page.locator("nav.menu summary", has_text=SECTION)
    section = page.locator("nav.menu details", has=page.locator("summary", has_text=SECTION))

    summary.focus()
    page.keyboard.press("Enter")
    expect(section).to_have_attribute("open", "")
    page.keyboard.press("Tab")  # into the open section
    page.keyboard.press("Escape")

    expect(section).not_to_have_attribute("open", "")
    expect(summary).to_be_focused()


def test_a_click_outside_the_menu_closes_it(page):
    page.goto("/")
    summary = page.locator("nav.menu summary", has_text=SECTION)
    section = page.locator("nav.menu details", has=page.locator("summary", has_text=SECTION))
    summary.click()
    expect(section).to_have_attribute("open", "")

    bar = page.locator(".site-header__bar").bounding_box()  # the header, outside the menu
    page.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)

    expect(section).not_to_have_attribute("open", "")


def test_the_focus_ring_in_the_header_has_three_to_one(page):
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the site's name, on the header's blue
    focused = page.evaluate(
        """() => {
            const element = document.activeElement;
            const style = getComputedStyle(element);
            let back = element, colour = "rgba(0, 0, 0, 0)";
            while (back && /rgba\\(0, 0, 0, 0\\)|transparent/.test(colour)) {
                colour = getComputedStyle(back).backgroundColor;
                back = back.parentElement;
            }
            return {
                name: element.className,
                outline: style.outlineColor,
                width: parseFloat(style.outlineWidth),
                behind: colour,
            };
        }"""
    )

    assert focused["name"] == "site-name", focused
    assert focused["width"] >= 2, focused
    assert contrast(rgb(focused["outline"]), rgb(focused["behind"])) >= 3, focused


def test_a_reader_searches_from_the_header_with_the_keyboard(page):
    make_release(title="Ceasefire monitors report from the line", days_ago=1)
    make_release(title="Youth forum opens", days_ago=2)
    page.goto("/countries/")

    box = page.get_by_role("search").get_by_label("Search the releases")
    box.focus()
    page.keyboard.type("ceasefire")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/press-releases/\?q=ceasefire$"))
    results = page.locator("#results")
    expect(
        results.get_by_role("link", name="Ceasefire monitors report from the line")
    ).to_be_visible()
    expect(results.get_by_role("link", name="Youth forum opens")).to_have_count(0)
