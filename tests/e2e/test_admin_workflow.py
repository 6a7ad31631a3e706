"""The release form in Chromium: the body editor's toolbar names and draws every button,
and people move a release along by its buttons (a writer saves and submits, a publisher
schedules)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from press.models import Release
from tests.helpers.browser import SCREENS
from tests.helpers.factories import make_release
from tests.helpers.users import PUBLISHERS, WRITERS, make_user

pytestmark = pytest.mark.e2e

# Whether a character is drawn with a glyph of the font it is set in: a missing one is
# drawn as the font's "missing glyph" box, the same for every missing character (U+10FFFD
# is a private-use code no font gives a glyph).
MISSING_GLYPHS = """(elements) => {
  const drawn = (text, font) => {
    const canvas = document.createElement("canvas");
    canvas.width = 96;
    canvas.height = 64;
    const context = canvas.getContext("2d");
    context.font = font;
    context.fillText(text, 16, 44);
    return canvas.toDataURL();
  };
  const found = [];
  for (const element of elements) {
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(element, pseudo);
      const content = /^"(.*)"$/.exec(style.content);
      if (!content || style.display === "none") continue;
      const font = `${style.fontSize} ${style.fontFamily}`;
      for (const character of content[1]) {
        if (drawn(character, font) === drawn("\\u{10FFFD}", font)) {
          found.push(`${element.className}${pseudo} ${character}`);
        }
      }
    }
  }
  return found;
}"""


at_both_sizes = pytest.mark.parametrize("size", SCREENS.values(), ids=SCREENS.keys())


def log_in(page, username, size=SCREENS["desktop"]):
    """Log in through the login form as a new staff member, or a superuser."""
    if username == "root":
        make_user("root", superuser=True)
    else:
        make_user(username, {"writer": WRITERS, "publisher": PUBLISHERS}[username])
    page.set_viewport_size(size)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def check_toolbar(toolbar):
    """Every button shown has a name a screen reader reads, and a glyph the size of an icon
    (a word in place of an icon is wider than its button)."""
    buttons = toolbar.locator("button.prose-menubar__button:visible")
    assert buttons.count() > 0
    for index in range(buttons.count()):
        button = buttons.nth(index)
        expect(button).to_have_accessible_name(re.compile(r"\w"))
        glyph, box = button.evaluate(
            """(button) => {
              const range = document.createRange();
              range.selectNodeContents(button);
              const glyph = range.getBoundingClientRect();
              const box = button.getBoundingClientRect();
              return [[glyph.width, glyph.height], [box.width, box.height]];
            }"""
        )
        name = button.get_attribute("aria-label")
        assert min(glyph) > 0, name
        assert glyph[0] <= box[0], name
        assert glyph[1] <= box[1], name
    missing = toolbar.locator("*").evaluate_all(MISSING_GLYPHS)
    assert missing == []


def test_every_toolbar_button_is_named_and_drawn(page):
    log_in(page, "root")
    page.goto("/admin/press/release/add/")
    editor = page.locator(".field-body [contenteditable=true]")
    expect(editor).to_be_visible()
    toolbar = page.locator(".field-body .prose-menubar")

    check_toolbar(toolbar)

    # In a table the table's own buttons appear: they are checked there.
    editor.click()
    toolbar.get_by_role("button", name="Insert table").click()
    dialog = page.locator("dialog[open]")
    if dialog.count():
        dialog.get_by_role("button", name=re.compile("insert|ok", re.I)).click()
    expect(toolbar.get_by_role("button", name="Delete table")).to_be_visible()
    check_toolbar(toolbar)


@at_both_sizes
def test_a_writer_saves_a_draft_and_submits_it_for_review(page, size):
    release = make_release(title="Talks resume in Geneva", status=Release.Status.DRAFT)
    log_in(page, "writer", size)
    page.goto(f"/admin/press/release/{release.pk}/change/")
    expect(page.locator(".workflow-state")).to_have_text("Draft: not on the site.")
    buttons = page.locator(".submit-row button")
    expect(buttons).to_have_text(["Save draft", "Submit for review"])

    page.get_by_label("Title:").fill("Talks resume in Geneva on Monday")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    listed = page.locator("#result_list")
    listed.get_by_role("link", name="Talks resume in Geneva on Monday").click()
    page.get_by_role("button", name="Submit for review").click()

    expect(page.locator(".messagelist")).to_contain_text(
        "“Talks resume in Geneva on Monday” — In review: waiting for a publisher."
    )
    release.refresh_from_db()
    assert (release.title, release.status) == ("Talks resume in Geneva on Monday", "review")


@at_both_sizes
def test_a_publisher_schedules_a_release(page, size):
    release = make_release(title="Chair to visit Skopje", status=Release.Status.REVIEW)
    log_in(page, "publisher", size)
    page.goto(f"/admin/press/release/{release.pk}/change/")
    schedule = page.get_by_role("button", name="Schedule…")

    # Its date is yesterday's: the button asks for a time to come, and posts nothing.
    schedule.click()
    date = page.locator("#id_published_at_0")
    expect(date).to_be_focused()
    expect(page.get_by_role("alert")).to_contain_text("a date and time in the future")
    expect(page.locator(".workflow-state")).to_have_text("In review: waiting for a publisher.")

    when = timezone.localtime() + dt.timedelta(days=3)
    date.fill(f"{when:%Y-%m-%d}")
    page.locator("#id_published_at_1").fill("09:00:00")
    schedule.click()

    zone = timezone.get_current_timezone_name()
    out = timezone.localtime().replace(
        year=when.year, month=when.month, day=when.day, hour=9, minute=0, second=0, microsecond=0
    )
    expect(page.locator(".messagelist")).to_contain_text(
        f"— Scheduled: publishes {out.day} {out:%B %Y}, 09:00 {out:%Z} ({zone})."
    )
    cell = page.locator("#result_list tr", has_text="Chair to visit Skopje").locator(".field-state")
    expect(cell.locator(".mini")).to_have_text(
        f"publishes {out.day} {out:%B %Y}, 09:00 {out:%Z} ({zone})"
    )
    expect(cell).to_contain_text("Scheduled")
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED
    assert timezone.localtime(release.published_at).replace(tzinfo=None) == out.replace(tzinfo=None)


@at_both_sizes
def test_a_publisher_shares_a_draft_under_embargo(page, size, browser, live_server):
    """The publisher makes a link, is shown it, and a journalist opens it without an
    account: the draft, marked embargoed and kept out of search engines and caches."""
    draft = make_release(title="Ministerial Council to meet in Vienna", status="draft")
    log_in(page, "publisher", size)
    page.goto("/admin/press/embargolink/add/")
    page.get_by_role("combobox", name="Release").click()  # Select2's box, named by its label
    page.locator(".select2-container--open .select2-search__field").fill("Ministerial")
    page.get_by_role("option", name=draft.title).click()
    page.get_by_label("Recipient:").fill("Reuters, Vienna desk")
    page.get_by_role("button", name="Save", exact=True).click()

    message = page.locator(".messagelist")
    expect(message).to_contain_text("The link for Reuters, Vienna desk:")
    address = re.search(r"https?://\S+/embargo/\S+/", message.inner_text()).group(0)

    journalist = browser.new_context(viewport=size)
    try:
        tab = journalist.new_page()
        response = tab.goto(address)
        assert response.status == 200
        assert "no-store" in response.headers["cache-control"]
        assert (
            "noindex" in response.headers.get("x-robots-tag", "")
            or tab.locator('meta[name="robots"][content*="noindex"]').count()
        )
        expect(tab.get_by_role("heading", level=1)).to_have_text(draft.title)
        expect(tab.get_by_role("status")).to_contain_text("Embargoed")
    finally:
        journalist.close()
