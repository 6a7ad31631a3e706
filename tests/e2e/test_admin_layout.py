"""The release form and list give room to work: measured in Chromium at 1280 by 800."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e
LONG_TITLE = (
    "Chairperson-in-Office welcomes the agreement on the extension of the ceasefire and "
    "the exchange of detainees"
)


@pytest.fixture
def admin_page(page):
    User.objects.create_superuser("root", password="root-pass-1")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/admin/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("root-pass-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def test_the_body_editor_opens_at_a_useful_height(admin_page):
    admin_page.goto("/admin/press/release/add/")
    editor = admin_page.locator(".field-body [contenteditable=true]")
    expect(editor).to_be_visible()

    assert editor.bounding_box()["height"] >= 300


def test_a_long_title_in_the_list_takes_at_most_three_lines(admin_page):
    make_release(title=LONG_TITLE)
    admin_page.goto("/admin/press/release/")
    cell = admin_page.locator("#result_list .field-title").first
    expect(cell).to_contain_text("Chairperson-in-Office")

    lines = cell.locator("a").evaluate("link => link.getClientRects().length")  # line boxes
    assert lines <= 3, lines
