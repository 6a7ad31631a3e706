"""What the newsroom does in the admin: write, send for review, publish, correct, restore.

A writer (Communications staff) writes a release in the rich-text editor and sends it for
review; a publisher publishes it; the writer corrects it, then restores the version before
the correction from the history. The public site follows every step.
"""

import importlib

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import expect

from tests.helpers.browser import TIMEOUT_MS

pytestmark = pytest.mark.e2e

TITLE = "Secretariat opens the annual security review"
BEFORE_BOLD, BOLD, AFTER_BOLD = "VIENNA – The Secretariat opened the ", "annual", " review today."
FIRST_BODY = BEFORE_BOLD + BOLD + AFTER_BOLD
CORRECTION = " It runs until Friday."


@pytest.fixture
def roles(reference_data):
    """The editorial groups, as migration 0004 creates them.

    An earlier live-server test flushes the database, and the groups with it; the
    migration's own function, on the models as they were then, puts them back (it adds
    nothing to groups that are still there).
    """
    roles = importlib.import_module("press.migrations.0004_roles")
    state = MigrationLoader(connection).project_state(("press", "0004_roles"))
    roles.create_roles(state.apps, None)


def _staff(username, group):
    user = User.objects.create_user(username, password=f"{username}-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name=group))


def _log_in(page, username):
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"{username}-pass-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(f"Welcome, {username}")


def _log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Logged out")).to_be_visible()


def _open_release(page):
    page.goto("/admin/press/release/")
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page.get_by_label("Title:", exact=True)).to_have_value(TITLE)


def _save(page):
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_contain_text("successfully")


def _press(page, action):
    """One of the release form's buttons, the workflow's actions: it saves, and says so."""
    page.get_by_role("button", name=action, exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("successfully")


# True when the caret is collapsed at the very end of the element's text.
CARET_AT_END = """el => {
  const selection = getSelection();
  if (!selection.isCollapsed || !el.contains(selection.focusNode)) return false;
  const rest = document.createRange();
  rest.selectNodeContents(el);
  rest.setStart(selection.focusNode, selection.focusOffset);
  return rest.toString() === "";
}"""


def _caret_to_end(page, editor):
    """Put the caret after the editor's last character, and check it is there.

    ProseMirror sets its own selection a moment after it gains focus; a Control+End
    pressed before that is undone and the typing lands at the start. So the key is pressed
    until the page reports the caret at the end, not once on a guess.
    """
    editor.focus()
    for _ in range(40):
        page.keyboard.press("Control+End")
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(done)))")
        if editor.evaluate(CARET_AT_END):
            return
    pytest.fail("the caret never reached the end of the editor's text")


def _editor(page):
    """The body's editor: ProseMirror's contenteditable textbox.

    Not any textbox: until the editor starts, the field's textarea is one, and focus given
    to it is lost when the editor moves it into its wrapper and hides it.
    """
    return (
        page.locator(".field-body")
        .get_by_role("textbox")
        .and_(page.locator("[contenteditable=true]"))
    )


def _public_body(reader):
    """The release as the public finds it: listed on /press-releases/, then its page."""
    reader.goto("/press-releases/")
    reader.get_by_role("region", name="Results").get_by_role("link", name=TITLE).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
    return reader.locator(".release__body")


def test_a_writer_drafts_a_publisher_publishes_and_the_writer_corrects_and_restores(
    page, browser, live_server, roles
):
    _staff("writer", "Communications staff")
    _staff("publisher", "Publishers")
    public = browser.new_context(base_url=live_server.url)  # an anonymous reader
    public.set_default_timeout(TIMEOUT_MS)
    reader = public.new_page()
    try:
        # The writer writes the release and sends it for review; publishing is not offered.
        _log_in(page, "writer")
        page.goto("/admin/press/release/add/")
        page.get_by_label("Title:", exact=True).fill(TITLE)
        page.get_by_label("Type:", exact=True).select_option(label="News item")
        buttons = page.locator(".submit-row button")
        expect(buttons).to_have_text(["Save draft", "Submit for review"])

        sources = page.locator(".field-sources")
        sources.locator(".select2-selection").click()
        sources.get_by_role("searchbox").press_sequentially("Secretariat")
        page.get_by_role("option", name="Secretariat", exact=True).click()
        expect(sources.locator(".select2-selection__choice")).to_contain_text("Secretariat")

        editor = _editor(page)
        editor.click()
        page.keyboard.type(BEFORE_BOLD)
        page.locator(".field-body").get_by_role("button", name="bold").click()  # bold on
        page.keyboard.type(BOLD)
        page.keyboard.press("Control+b")  # bold off
        page.keyboard.type(AFTER_BOLD)
        expect(editor).to_have_text(FIRST_BODY)
        expect(editor.locator("strong")).to_have_text(BOLD)
        _press(page, "Submit for review")
        _log_out(page)

        reader.goto("/press-releases/")
        expect(reader.get_by_role("link", name=TITLE)).to_have_count(0)  # not yet public

        # The publisher publishes it.
        _log_in(page, "publisher")
        _open_release(page)
        _press(page, "Publish now")
        _log_out(page)

        body = _public_body(reader)
        expect(body).to_have_text(FIRST_BODY)
        expect(body.locator("strong")).to_have_text(BOLD)

        # The writer corrects the body.
        _log_in(page, "writer")
        _open_release(page)
        editor = _editor(page)
        _caret_to_end(page, editor)  # not a click: the caret would land where it clicked
        page.keyboard.type(CORRECTION)
        expect(editor).to_have_text(FIRST_BODY + CORRECTION)
        _press(page, "Save changes")
        expect(_public_body(reader)).to_have_text(FIRST_BODY + CORRECTION)

        # ... and restores the version before the correction: the publisher's save, which has
        # the first body and is published (the writer's own first save is still "In review").
        _open_release(page)
        page.get_by_role("link", name="History").click()
        versions = page.locator("#change-history tbody tr")
        expect(versions).to_have_count(3)  # added, published, corrected: oldest first
        expect(versions.nth(1)).to_contain_text("publisher")
        versions.nth(1).get_by_role("rowheader").get_by_role("link").click()
        expect(page.get_by_text("Press the save button below to revert")).to_be_visible()
        expect(_editor(page)).to_have_text(FIRST_BODY)  # the old body, not yet saved
        expect(page.get_by_label("Status:", exact=True)).to_have_value("published")
        _save(page)

        body = _public_body(reader)
        expect(body).to_have_text(FIRST_BODY)
        expect(body.locator("strong")).to_have_text(BOLD)
        _open_release(page)
        page.get_by_role("link", name="History").click()
        expect(versions).to_have_count(4)
        expect(versions.last).to_contain_text("Reverted to previous version")
    finally:
        public.close()
