"""What a person does with the finder: filter, share, search a phrase, read, subscribe."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers.browser import TIMEOUT_MS
from tests.helpers.factories import make_release

pytestmark = pytest.mark.e2e

PHRASE = "riverside mediation caravans"
GENDER_TITLES = [  # newest first, as the finder lists them
    "Women mayors of Moldova compare notes on local budgets",
    "Mission to Moldova launches riverside caravans for mediation",
    "Gender-responsive policing course opens in Chisinau",
]
YOUTH_TITLES = [
    "Young mediators graduate from the Conflict Prevention Centre course",
    "Youth leaders brief the Conflict Prevention Centre on early warning",
]


@pytest.fixture
def releases(reference_data):
    """Three releases on gender equality from Moldova, two on youth from the CPC.

    Only the second has the phrase; the first youth release has its words, apart.
    """
    bodies = {
        GENDER_TITLES[1]: f"<p>CHISINAU – The Mission launched {PHRASE} along the Prut, "
        "bringing trained mediators to villages far from any court.</p>",
        YOUTH_TITLES[0]: "<p>VIENNA – The caravans of volunteers studied mediation by the "
        "riverside before the graduation.</p>",
    }
    made = []
    for days_ago, title in enumerate(GENDER_TITLES, start=1):
        made.append(
            make_release(
                title=title,
                sources=("mission-to-moldova",),
                fields=("gender-equality",),
                countries=("moldova",),
                place_slug="chisinau",
                days_ago=days_ago,
                **({"body": bodies[title]} if title in bodies else {}),
            )
        )
    for days_ago, title in enumerate(YOUTH_TITLES, start=4):
        made.append(
            make_release(
                title=title,
                sources=("conflict-prevention-centre",),
                fields=("youth",),
                days_ago=days_ago,
                **({"body": bodies[title]} if title in bodies else {}),
            )
        )
    return made


def _titles(page):
    return page.get_by_role("region", name="Results").get_by_role("heading", level=3)


def test_a_reader_filters_shares_searches_a_phrase_reads_and_subscribes(
    page, browser, live_server, releases
):
    page.goto("/press-releases/")
    expect(_titles(page)).to_have_count(5)
    fields = page.get_by_role("group", name="Field of work", exact=True)
    sources = page.get_by_role("group", name="Source", exact=True)

    fields.get_by_role("checkbox", name="Gender equality (3)").check()
    # Nothing reloads on a change (WCAG 3.2.2): the count it would give is announced, and
    # the button applies it.
    expect(page).to_have_url(re.compile(r"/press-releases/$"))
    expect(page.locator("[data-live-count]")).to_have_text("3 results with these filters")
    page.get_by_role("button", name="Show 3 results").click()

    expect(page).to_have_url(re.compile(r"[?&]field=gender-equality(&|$)"))
    expect(page.get_by_role("region", name="Results")).to_be_focused()  # carry on there
    expect(page.get_by_role("status")).to_have_text("3 releases")
    expect(_titles(page)).to_have_text(GENDER_TITLES)
    expect(fields.get_by_role("checkbox", name="Gender equality (3)")).to_be_checked()
    expect(fields.get_by_role("checkbox", name="Youth (2)")).not_to_be_checked()  # an "or"
    # A source's tree is folded where nothing in it is chosen: its parents open it.
    expect(sources.get_by_role("checkbox", name="Mission to Moldova (3)")).to_be_hidden()
    for button in sources.get_by_role("button", name=re.compile(r"^Show the \d+ under")).all():
        button.click()
    expect(sources.get_by_role("checkbox", name="Mission to Moldova (3)")).to_be_visible()
    expect(
        sources.get_by_role("checkbox", name=re.compile(r"^Conflict Prevention Centre"))
    ).to_have_count(0)

    shared = browser.new_context()  # someone else opens the address
    try:
        other = shared.new_page()
        other.set_default_timeout(TIMEOUT_MS)
        other.goto(page.url)
        expect(_titles(other)).to_have_text(GENDER_TITLES)
        expect(other.get_by_role("checkbox", name="Gender equality (3)")).to_be_checked()
    finally:
        shared.close()

    chips = page.get_by_role("list", name="Active filters")
    chips.get_by_role("link", name="Remove filter Gender equality").click()
    expect(page).to_have_url(re.compile(r"/press-releases/$"))
    expect(_titles(page)).to_have_count(5)
    expect(fields.get_by_role("checkbox", name="Gender equality (3)")).not_to_be_checked()

    search = page.get_by_role("searchbox", name="Search")
    search.fill(f'"{PHRASE}"')
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q=%22riverside\+mediation\+caravans%22"))
    expect(_titles(page)).to_have_text([GENDER_TITLES[1]])  # not the one with the words apart
    card = page.get_by_role("region", name="Results").get_by_role("article")
    expect(card.locator("mark")).to_have_text([PHRASE])

    card.get_by_role("link", name=GENDER_TITLES[1]).click()
    expect(page).to_have_url(re.compile(r"/press-releases/mission-to-moldova-launches-"))
    expect(page.get_by_role("heading", level=1)).to_have_text(GENDER_TITLES[1])

    page.go_back()
    expect(search).to_have_value(f'"{PHRASE}"')
    feed = page.get_by_role("link", name="Subscribe to this search (RSS)")
    expect(feed).to_have_attribute(
        "href", re.compile(r"^/press-releases/feed/\?q=%22riverside\+mediation\+caravans%22$")
    )
    answer = page.request.get(feed.get_attribute("href"))
    assert answer.ok
    assert GENDER_TITLES[1] in answer.text()
    assert YOUTH_TITLES[0] not in answer.text()


def test_without_javascript_the_apply_button_filters(browser, live_server, releases):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto("/press-releases/")
        page.get_by_role("checkbox", name="Gender equality (3)").check()
        expect(page).to_have_url(re.compile(r"/press-releases/$"))  # nothing without a click

        page.get_by_role("button", name="Apply filters").click()

        expect(page).to_have_url(re.compile(r"[?&]field=gender-equality(&|$)"))
        expect(_titles(page)).to_have_text(GENDER_TITLES)
        expect(page.get_by_role("checkbox", name="Gender equality (3)")).to_be_checked()
        expect(page.get_by_role("list", name="Active filters")).to_contain_text("Gender equality")
    finally:
        context.close()
