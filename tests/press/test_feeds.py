"""RSS 2.0 feeds: the finder's feed with its query parameters, and each term page's feed."""

import datetime as dt
import html
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from press.models import Release
from taxonomy.models import FieldOfWork
from tests.helpers import factories
from tests.helpers.pages import card_titles, page

pytestmark = pytest.mark.django_db

VIENNA = ZoneInfo("Europe/Vienna")

YOUTH = "Youth forum in Vienna"
MOLDOVA = "Moldova mission report"
ELECTIONS = "ODIHR statement on elections"
SECRETARIAT = "Secretariat ceasefire statement"
ASSEMBLY = "Assembly monitors trained"
DRAFT = "Draft never published"
SCHEDULED = "Scheduled for next month"


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIENNA)


@pytest.fixture(scope="module")
def releases(module_db, django_db_blocker):
    """Five public releases (newest first as listed by the constants above), a draft and a
    scheduled release, with a child field under human rights: made once for the module."""
    with django_db_blocker.unblock():
        return _make_releases(factories.make_release)


def _make_releases(make_release):
    child = FieldOfWork.objects.create(
        name="Freedom of peaceful assembly",
        slug="freedom-of-peaceful-assembly",
        parent=FieldOfWork.objects.get(slug="human-rights"),
    )
    made = {
        YOUTH: make_release(
            title=YOUTH,
            type="news",
            sources=("conflict-prevention-centre",),
            fields=("youth",),
            place_slug="vienna",
            published_at=at(2024, 5, 10),
            body="<p>VIENNA – Young people <b>met</b> &amp; talked.</p>",
        ),
        MOLDOVA: make_release(
            title=MOLDOVA,
            type="press-release",
            sources=("mission-to-moldova",),
            fields=("human-rights", "policing"),
            place_slug="chisinau",
            published_at=at(2024, 5, 8),
            body="<p>CHISINAU – The ceasefire held.</p>",
        ),
        ELECTIONS: make_release(
            title=ELECTIONS,
            type="statement",
            sources=("office-for-democratic-institutions-and-human-rights",),
            fields=("elections",),
            countries=("ukraine",),
            place_slug="warsaw",
            published_at=at(2024, 5, 6, 23, 30),
        ),
        SECRETARIAT: make_release(
            title=SECRETARIAT,
            type="statement",
            sources=("secretariat",),
            fields=("human-rights",),
            place_slug="vienna",
            published_at=at(2024, 4, 30),
        ),
        ASSEMBLY: make_release(
            title=ASSEMBLY,
            type="news",
            sources=("mission-to-serbia",),
            fields=(child.slug,),
            place_slug="belgrade",
            published_at=at(2024, 4, 1),
        ),
    }
    for title, values in [
        (DRAFT, {"status": Release.Status.DRAFT, "published_at": at(2024, 5, 9)}),
        (SCHEDULED, {"published_at": timezone.now() + dt.timedelta(days=30)}),
    ]:
        make_release(
            title=title,
            type="statement",
            sources=("secretariat", "mission-to-moldova"),
            fields=("human-rights", "youth", child.slug),
            countries=("moldova", "ukraine"),
            place_slug="chisinau",
            body="<p>The ceasefire held.</p>",
            **values,
        )
    return made


def read_feed(response):
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"].startswith("application/rss+xml")
    rss = ET.fromstring(response.content)
    assert rss.tag == "rss"
    assert rss.attrib["version"] == "2.0"
    channel = rss.find("channel")
    assert channel is not None
    return channel


def item_titles(channel):
    return [item.findtext("title") for item in channel.findall("item")]


def feed_titles(client, url):
    return item_titles(read_feed(client.get(url)))


# The finder's feed


# Before the tests on the module's releases, made once for them (module_db).
def test_the_feed_holds_at_most_twenty_items_newest_first(client, make_release):
    for n in range(1, 23):
        make_release(title=f"Numbered release {n:02d}", days_ago=n)

    channel = read_feed(client.get("/press-releases/feed/"))

    assert item_titles(channel) == [f"Numbered release {n:02d}" for n in range(1, 21)]


def test_the_feed_is_rss_2_with_the_releases_newest_first(client, releases):
    channel = read_feed(client.get("/press-releases/feed/"))

    assert channel.findtext("title") == "OSCE press releases"
    assert channel.findtext("link") == "http://testserver/press-releases/"
    assert channel.findtext("description") == "Press releases, news and statements of the OSCE."
    assert item_titles(channel) == [YOUTH, MOLDOVA, ELECTIONS, SECRETARIAT, ASSEMBLY]


def test_each_item_has_title_link_date_description_and_categories(client, releases):
    channel = read_feed(client.get("/press-releases/feed/"))
    items = {item.findtext("title"): item for item in channel.findall("item")}

    youth = items[YOUTH]
    assert youth.findtext("link") == f"http://testserver/press-releases/{releases[YOUTH].slug}/"
    assert youth.findtext("guid") == youth.findtext("link")
    assert parsedate_to_datetime(youth.findtext("pubDate")) == at(2024, 5, 10)
    # The description is HTML in RSS: the body's text, its tags left out.
    assert "<b>" not in youth.findtext("description")
    assert html.unescape(youth.findtext("description")) == "VIENNA – Young people met & talked."
    assert [c.text for c in youth.findall("category")] == ["Youth"]
    moldova = items[MOLDOVA]
    assert sorted(c.text for c in moldova.findall("category")) == ["Human rights", "Policing"]
    assert moldova.findtext("description") == "CHISINAU – The ceasefire held."
    # 23:30 in Vienna on 6 May is 21:30 UTC: the same moment, whatever the zone written.
    elections = items[ELECTIONS]
    assert parsedate_to_datetime(elections.findtext("pubDate")) == at(2024, 5, 6, 23, 30)


def test_drafts_and_scheduled_releases_never_appear(client, releases):
    for url in [
        "/press-releases/feed/",
        "/press-releases/feed/?type=statement",
        "/press-releases/feed/?q=ceasefire",
        "/press-releases/feed/?country=moldova",
        "/fields-of-work/human-rights/feed/",
        "/structures/secretariat/feed/",
        "/countries/moldova/feed/",
    ]:
        content = client.get(url).content.decode()
        assert DRAFT not in content, url
        assert SCHEDULED not in content, url


FILTERS = [
    pytest.param("field=human-rights", [MOLDOVA, SECRETARIAT, ASSEMBLY], id="field-subtree"),
    pytest.param("field=youth&field=elections", [YOUTH, ELECTIONS], id="repeated-field"),
    pytest.param("source=secretariat", [YOUTH, SECRETARIAT], id="source-subtree"),
    pytest.param("source=field-operations", [MOLDOVA, ASSEMBLY], id="missions"),
    pytest.param("country=moldova", [MOLDOVA], id="country-by-place"),
    pytest.param("country=ukraine", [ELECTIONS], id="country-by-related"),
    pytest.param("type=statement", [ELECTIONS, SECRETARIAT], id="type"),
    pytest.param("type=news&type=press-release", [YOUTH, MOLDOVA, ASSEMBLY], id="types"),
    pytest.param("q=ceasefire&sort=newest", [MOLDOVA, SECRETARIAT], id="search"),
    pytest.param("q=ceasefire&sort=relevance", [SECRETARIAT, MOLDOVA], id="search-relevance"),
    pytest.param(
        "date_from=2024-04-30&date_to=2024-05-06", [ELECTIONS, SECRETARIAT], id="dates-inclusive"
    ),
    pytest.param("sort=oldest", [ASSEMBLY, SECRETARIAT, ELECTIONS, MOLDOVA, YOUTH], id="oldest"),
    pytest.param("field=human-rights&type=statement", [SECRETARIAT], id="field-and-type"),
    pytest.param("field=youth&country=moldova", [], id="nothing"),
    pytest.param("utm_source=newsletter", [YOUTH, MOLDOVA, ELECTIONS, SECRETARIAT, ASSEMBLY]),
]


@pytest.mark.parametrize(("query", "expected"), FILTERS)
def test_the_feed_honours_every_filter_like_the_page(client, releases, query, expected):
    in_feed = feed_titles(client, f"/press-releases/feed/?{query}")
    on_page = card_titles(client.get(f"/press-releases/?{query}"))

    assert in_feed == expected
    assert on_page == expected


@pytest.mark.parametrize(
    ("query", "channel_query", "title"),
    [
        ("", "", "OSCE press releases"),
        ("field=human-rights", "field=human-rights", "OSCE press releases · Human rights"),
        (
            "type=statement&field=human-rights&field=youth&date_from=2024-04-30&utm_source=x",
            "field=human-rights&field=youth&type=statement&date_from=2024-04-30",
            "OSCE press releases · Human rights · Youth · Statement · From 30 April 2024",
        ),
        ("q=ceasefire&sort=newest", "q=ceasefire", "OSCE press releases · “ceasefire”"),
        ("q=ceasefire&sort=relevance", "q=ceasefire&sort=relevance", None),
    ],
)
def test_the_channel_links_to_the_finder_with_the_same_query(
    client, releases, query, channel_query, title
):
    channel = read_feed(client.get(f"/press-releases/feed/?{query}"))

    link = urlsplit(channel.findtext("link"))
    assert (link.scheme, link.netloc, link.path) == ("http", "testserver", "/press-releases/")
    assert sorted(parse_qsl(link.query)) == sorted(parse_qsl(channel_query))
    if title:
        assert channel.findtext("title") == title


@pytest.mark.parametrize(
    "query",
    [
        "field=no-such-field",
        "country=atlantis",
        "source=no-such-office",
        "type=rumour",
        "date_from=2021-13-45",
        "date_from=2024-05-02&date_to=2024-05-01",
        "sort=loudest",
        "q=" + "x" * 10_000,
        "q=a%00b",
        "field=%00",
    ],
)
def test_an_invalid_parameter_answers_400(client, releases, query):
    response = client.get(f"/press-releases/feed/?{query}")

    assert response.status_code == 400
    assert YOUTH not in response.content.decode()


def test_the_finder_page_names_its_feed_with_the_same_query(client, releases):
    response = client.get("/press-releases/?field=human-rights&type=statement&page=1")

    alternate = page(response).find("link", rel="alternate", type="application/rss+xml")
    href = urlsplit(alternate.attrs["href"])
    assert href.path == "/press-releases/feed/"
    assert sorted(parse_qsl(href.query)) == [("field", "human-rights"), ("type", "statement")]
    assert alternate.attrs["title"] == "OSCE press releases: Human rights · Statement"
    assert feed_titles(client, alternate.attrs["href"]) == [SECRETARIAT]


def test_the_unfiltered_finder_page_names_the_bare_feed(client, releases):
    alternate = page(client.get("/press-releases/")).find(
        "link", rel="alternate", type="application/rss+xml"
    )

    assert alternate.attrs["href"] == "/press-releases/feed/"


# Term feeds


@pytest.mark.parametrize(
    ("url", "expected", "title", "link"),
    [
        (
            "/fields-of-work/human-rights/feed/",
            [MOLDOVA, SECRETARIAT, ASSEMBLY],
            "OSCE press releases: Human rights",
            "http://testserver/fields-of-work/human-rights/",
        ),
        (
            "/fields-of-work/freedom-of-peaceful-assembly/feed/",
            [ASSEMBLY],
            "OSCE press releases: Freedom of peaceful assembly",
            "http://testserver/fields-of-work/freedom-of-peaceful-assembly/",
        ),
        (
            "/countries/moldova/feed/",
            [MOLDOVA],
            "OSCE press releases: Moldova",
            "http://testserver/countries/moldova/",
        ),
        (
            "/countries/ukraine/feed/",
            [ELECTIONS],
            "OSCE press releases: Ukraine",
            "http://testserver/countries/ukraine/",
        ),
        (
            "/structures/secretariat/feed/",
            [YOUTH, SECRETARIAT],
            "OSCE press releases: Secretariat",
            "http://testserver/structures/secretariat/",
        ),
        (
            "/structures/field-operations/feed/",
            [MOLDOVA, ASSEMBLY],
            "OSCE press releases: Field operations",
            "http://testserver/structures/field-operations/",
        ),
        (
            "/structures/mission-to-serbia/feed/",
            [ASSEMBLY],
            "OSCE press releases: Mission to Serbia",
            "http://testserver/structures/mission-to-serbia/",
        ),
    ],
)
def test_each_term_has_a_feed_of_its_subtree(client, releases, url, expected, title, link):
    channel = read_feed(client.get(url))

    assert item_titles(channel) == expected
    assert channel.findtext("title") == title
    assert channel.findtext("link") == link


def test_a_term_feed_takes_the_finders_filters_on_top(client, releases):
    channel = read_feed(client.get("/structures/secretariat/feed/?type=statement"))

    assert item_titles(channel) == [SECRETARIAT]
    assert channel.findtext("link") == "http://testserver/structures/secretariat/?type=statement"
    assert channel.findtext("title") == "OSCE press releases: Secretariat · Statement"


def test_a_term_page_names_its_feed(client, releases):
    response = client.get("/countries/moldova/?type=press-release")

    alternate = page(response).find("link", rel="alternate", type="application/rss+xml")
    assert alternate.attrs["href"] == "/countries/moldova/feed/?type=press-release"
    assert feed_titles(client, alternate.attrs["href"]) == [MOLDOVA]


def test_a_bad_parameter_on_a_term_feed_answers_400(client, releases):
    assert client.get("/structures/secretariat/feed/?field=no-such-field").status_code == 400
    assert client.get("/countries/moldova/feed/?date_to=yesterday").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/no-such-kind/secretariat/feed/",
        "/press-releases/secretariat/feed/",
        "/structures/no-such-structure/feed/",
        "/countries/atlantis/feed/",
        "/fields-of-work/no-such-field/feed/",
        "/meetings/no-such-meeting/feed/",
    ],
)
def test_an_unknown_kind_or_term_has_no_feed(client, releases, url):
    assert client.get(url).status_code == 404
