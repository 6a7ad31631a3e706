"""The Content Security Policy blocks nothing the site needs, in a real browser.

Chromium reports each thing a policy refuses (a ``securitypolicyviolation`` event and a
"Refused to …" console message). A site admin logs in through the throttled login, then
visits the public pages and the admin's heaviest pages: the release form with its
rich-text editor, and a draggable tree. None may report a violation, and the editor and
the tree must have started.
"""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def watched(page):
    """The tab, with every policy violation it meets kept in ``page.refusals``."""
    page.refusals = []
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.refusals.append(message.text)
        ),
    )
    return page


def violations(page):
    return page.evaluate("window.__violations") + page.refusals


def test_public_pages_and_the_admin_run_under_the_policy(watched):
    page = watched
    release = make_release(
        title="Chair visits Vienna", fields=("conflict-prevention-and-resolution",)
    )
    for url in ["/", "/press-releases/?type=news", release.get_absolute_url()]:
        response = page.goto(url)
        assert "object-src 'none'" in response.headers["content-security-policy"]
        assert violations(page) == [], url

    User.objects.create_superuser("keeper", password="keeper-pass-1")
    page.goto("/admin/")
    page.get_by_label("Username").fill("keeper")
    page.get_by_label("Password").fill("keeper-pass-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text("Welcome, keeper")

    page.goto("/admin/press/release/add/")
    editor = page.locator(".field-body [contenteditable=true]")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.type("Typed under the policy.")
    expect(editor).to_contain_text("Typed under the policy.")
    assert violations(page) == []

    page.goto("/admin/taxonomy/fieldofwork/")
    expect(page.locator(".drag-handle").first).to_be_visible()
    assert violations(page) == []
