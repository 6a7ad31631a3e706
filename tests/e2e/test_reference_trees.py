"""What a site admin does to a reference tree: drag a field of work under another.

The fields of work changelist is django-mptt's DraggableMPTTAdmin: a row is dragged by its
handle and dropped on the middle third of another row to become its child. The public
menu follows the move (taxonomy/menu.py), on the very next request, and the moved field
keeps its releases.
"""

import importlib
import re

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import expect

from taxonomy.models import FieldOfWork
from tests.helpers.browser import TIMEOUT_MS
from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e

# Two top-level fields of taxonomy.reference.FIELDS_OF_WORK, neither with children.
MOVED, MOVED_SLUG = "Gender equality", "gender-equality"
PARENT, PARENT_SLUG = "Human rights", "human-rights"
TITLE = "Mission trains women human rights defenders"
USERNAME = "siteadmin"
CHILD_POSITION = "move node to child position"  # the drag line's label (mptt's message)


@pytest.fixture
def site_admin(reference_data):
    """A user in the "Site admins" group, as migration 0004 creates it.

    The live server's flush removed the groups; the migration's own function puts them
    back (as the ``roles`` fixture of test_editorial.py does).
    """
    roles = importlib.import_module("press.migrations.0004_roles")
    state = MigrationLoader(connection).project_state(("press", "0004_roles"))
    roles.create_roles(state.apps, None)
    user = User.objects.create_user(USERNAME, password=f"{USERNAME}-pass-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Site admins"))
    return user


def _log_in(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill(USERNAME)
    page.get_by_label("Password").fill(f"{USERNAME}-pass-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#user-tools")).to_contain_text(f"Welcome, {USERNAME}")


def _row(page, name):
    return page.locator("#result_list tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def _drag_onto(page, name, target):
    """Drag ``name``'s row by its handle onto the middle of ``target``'s row (as a child).

    draggable-admin.js listens for mousedown on div.drag-handle, then mousemove and mouseup
    on the body; the pointer in the middle third of a row means "child".
    """
    handle = _row(page, name).locator(".drag-handle")
    target_row = _row(page, target)
    expect(handle).to_be_visible()
    expect(target_row).to_be_visible()
    start, goal = handle.bounding_box(), target_row.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 10, y + 5, steps=3)
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=10)
    expect(page.locator("#drag-line")).to_have_text(CHILD_POSITION)
    with page.expect_request(
        lambda request: request.method == "POST" and "cmd=move_node" in (request.post_data or "")
    ) as posted:
        page.mouse.up()  # the page posts the move, then reloads whatever the answer
    assert "position=last-child" in posted.value.post_data, posted.value.post_data


def _menu_link(menu, name):
    return menu.get_by_role("link", name=name, exact=True)


def _fields_list(menu):
    """The "Fields of work" submenu of "Our work": the list after its (link-less) heading."""
    return menu.locator("span", has_text=re.compile(r"^Fields of work$")).locator(
        "xpath=following-sibling::ul"
    )


def _top_fields(menu):
    """The links directly in the "Fields of work" submenu (not those nested deeper)."""
    return _fields_list(menu).locator("xpath=./li/a")


def test_a_site_admin_drags_a_field_of_work_under_another_and_the_menu_follows(
    page, browser, live_server, site_admin
):
    release = make_release(title=TITLE, fields=(MOVED_SLUG,), days_ago=1)
    page.set_viewport_size({"width": 1280, "height": 1400})  # every row in view: no scrolling
    public = browser.new_context(base_url=live_server.url)  # an anonymous reader
    public.set_default_timeout(TIMEOUT_MS)
    reader = public.new_page()
    try:
        # Before: both fields sit side by side in the menu, which is now rendered and cached.
        reader.goto("/")
        menu = reader.get_by_role("navigation", name="Main")
        expect(_top_fields(menu).filter(has_text=re.compile(f"^{MOVED}$"))).to_have_count(1)
        expect(_top_fields(menu).filter(has_text=re.compile(f"^{PARENT}$"))).to_have_count(1)

        _log_in(page)
        page.goto("/admin/taxonomy/fieldofwork/")
        expect(_row(page, MOVED).locator(".tree-node")).to_have_attribute("data-level", "0")
        _drag_onto(page, MOVED, PARENT)

        # The changelist reloads with the message, the moved row indented under its parent.
        expect(page.locator(".messagelist li")).to_have_text(  # mptt says it at "info" level
            f"{MOVED} has been successfully moved."
        )
        expect(_row(page, MOVED).locator(".tree-node")).to_have_attribute("data-level", "1")
        rows = page.locator("#result_list tbody tr")
        names = [name.strip() for name in rows.locator("th").all_inner_texts()]
        assert names[names.index(PARENT) + 1] == MOVED, names

        moved = FieldOfWork.objects.get(slug=MOVED_SLUG)
        assert moved.parent is not None
        assert moved.parent.slug == PARENT_SLUG
        assert list(release.fields_of_work.all()) == [moved]

        # After: the reader's next page shows the field inside the other's submenu, only there.
        reader.goto("/")
        menu = reader.get_by_role("navigation", name="Main")
        menu.locator("summary", has_text="Our work").click()
        parent_item = _menu_link(menu, PARENT).locator("xpath=..")
        expect(parent_item).to_have_class(re.compile(r"\bmenu__heading\b"))
        nested = parent_item.get_by_role("list").get_by_role("link", name=MOVED, exact=True)
        expect(nested).to_be_visible()
        expect(_menu_link(menu, MOVED)).to_have_count(1)  # not left at its old place too
        expect(_top_fields(menu).filter(has_text=re.compile(f"^{MOVED}$"))).to_have_count(0)
        expect(_top_fields(menu).filter(has_text=re.compile(f"^{PARENT}$"))).to_have_count(1)

        # Its page: the new parent in the breadcrumbs, and its release still listed.
        nested.click()
        expect(reader).to_have_url(re.compile(f"/fields-of-work/{MOVED_SLUG}/$"))
        expect(reader.get_by_role("heading", level=1)).to_have_text(MOVED)
        crumbs = reader.get_by_role("navigation", name="Breadcrumbs").get_by_role("listitem")
        expect(crumbs).to_have_text(["Home", "Fields of work", PARENT, MOVED])
        expect(crumbs.get_by_role("link", name=PARENT, exact=True)).to_have_attribute(
            "href", f"/fields-of-work/{PARENT_SLUG}/"
        )
        releases = reader.get_by_role("region", name="Releases")
        expect(releases.get_by_role("link", name=TITLE, exact=True)).to_be_visible()

        # The parent's page covers its subtree: it now lists the moved field and its release.
        reader.goto(f"/fields-of-work/{PARENT_SLUG}/")
        expect(
            reader.get_by_role("region", name=f"Within {PARENT}").get_by_role(
                "link", name=MOVED, exact=True
            )
        ).to_be_visible()
        releases = reader.get_by_role("region", name="Releases")
        expect(releases.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    finally:
        public.close()
