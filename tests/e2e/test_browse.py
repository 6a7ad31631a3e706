"""What a person does in the browser: find a department's release through the menu."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e


def test_a_reader_finds_a_departments_release_through_the_secretariat_menu(page):
    make_release(
        title="Conflict Prevention Centre briefs the Permanent Council",
        sources=("conflict-prevention-centre",),
        fields=("conflict-prevention-and-resolution",),
        days_ago=2,
    )
    make_release(title="Mission to Moldova opens a new office", sources=("mission-to-moldova",))

    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    secretariat = menu.get_by_role("link", name="Secretariat", exact=True)
    expect(secretariat).to_be_hidden()  # the section starts closed

    menu.locator("summary", has_text="Structures and institutions").click()
    expect(secretariat).to_be_visible()
    secretariat.click()

    expect(page).to_have_url(re.compile(r"/structures/secretariat/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Secretariat")
    releases = page.get_by_role("region", name="Releases")
    expect(
        releases.get_by_role("link", name="Mission to Moldova opens a new office")
    ).to_have_count(0)
    releases.get_by_role(
        "link", name="Conflict Prevention Centre briefs the Permanent Council"
    ).click()

    expect(page).to_have_url(re.compile(r"/press-releases/conflict-prevention-centre-briefs-"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Conflict Prevention Centre briefs the Permanent Council"
    )
    source = page.locator(".release__meta div", has=page.locator("dt", has_text="Source"))
    expect(source.locator("dd")).to_have_text("Conflict Prevention Centre")
    expect(source.get_by_role("link", name="Conflict Prevention Centre")).to_have_attribute(
        "href", "/structures/conflict-prevention-centre/"
    )
