"""axe-core with the WCAG 2.0, 2.1 and 2.2 A and AA rules on every kind of page, on a
phone and a desktop: no violation of any impact (test_accessibility.py holds the looser
"nothing serious" check and the keyboard)."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import expect

from press.models import EmbargoLink, Release
from taxonomy.models import Meeting
from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}


@pytest.fixture
def site(reference_data):
    """Releases over several years (a timeline), one embargoed draft, one meeting's."""
    meeting = Meeting.objects.order_by("pk").first()
    made = [
        make_release(
            title=f"Mission to Moldova trains mediators, year {n}",
            sources=("mission-to-moldova",),
            fields=("gender-equality",),
            countries=("moldova",),
            place_slug="chisinau",
            days_ago=400 * n + 1,
        )
        for n in range(4)
    ]
    release = made[0]
    release.meetings.add(meeting)
    draft = make_release(title="Embargoed statement on the talks", status=Release.Status.DRAFT)
    link = EmbargoLink.objects.create(release=draft, recipient="Reuters, Vienna desk")
    gone = EmbargoLink.objects.create(release=draft, recipient="AFP")
    EmbargoLink.objects.filter(pk=gone.pk).update(revoked_at=draft.updated_at)
    return {
        "home": "/",
        "finder": "/press-releases/",
        "finder, filtered and searched": "/press-releases/?q=mediators&field=gender-equality",
        "finder, a date refused": "/press-releases/?date_from=31/2/2024",
        "finder, nothing found": "/press-releases/?q=nothingatallmatches",
        "release": release.get_absolute_url(),
        "field of work": "/fields-of-work/gender-equality/",
        "fields of work": "/fields-of-work/",
        "country": "/countries/moldova/",
        "countries": "/countries/",
        "structure": "/structures/secretariat/",
        "meeting": meeting.get_absolute_url(),
        "embargoed preview": link.get_absolute_url(),
        "embargo link withdrawn": gone.get_absolute_url(),
        "page not found": "/no-such-page/",
        "admin login": "/admin/login/",
    }


def violations(page):
    found = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in found
    ]


def test_no_public_page_violates_wcag_22_aa(screen, site):
    _, tab = screen
    found = {}
    for name, path in site.items():
        tab.goto(path)
        problems = violations(tab)
        if problems:
            found[f"{name} ({path})"] = problems
    assert not found, found


def test_the_finder_with_its_filters_open_on_a_phone_violates_nothing(screen, site):
    _, tab = screen
    tab.goto("/press-releases/?field=gender-equality")
    toggle = tab.get_by_role("button", name="Filter", exact=True)
    if toggle.is_visible():
        toggle.click()
    for button in tab.locator(".facet__expand").all():
        if button.is_visible():
            button.click()
    assert violations(tab) == []


def test_the_release_form_and_lists_of_the_admin_violate_nothing(screen, site):
    _, tab = screen
    User.objects.create_superuser("root", password="root-pass-1")
    tab.goto("/admin/login/")
    tab.get_by_label("Username").fill("root")
    tab.get_by_label("Password").fill("root-pass-1")
    tab.get_by_role("button", name="Log in").click()
    expect(tab.locator("#user-tools")).to_be_visible()
    release = Release.objects.order_by("pk").first()
    found = {}
    for path in [
        "/admin/",
        "/admin/press/release/",
        f"/admin/press/release/{release.pk}/change/",
        "/admin/press/release/add/",
        "/admin/press/embargolink/add/",  # another date-and-time field, another autocomplete
    ]:
        tab.goto(path)
        problems = violations(tab)
        if problems:
            found[path] = problems
    assert not found, found
