"""A release page describes itself to machines: a NewsArticle and a BreadcrumbList in JSON-LD
for search engines, Open Graph and Twitter tags for link previews; an embargoed draft's page
says nothing of the kind.

The JSON-LD is checked against what Google documents for its rich results (Article, whose
NewsArticle is a kind, and Breadcrumb): the properties it requires or recommends present,
of the right types, dates in ISO 8601 with a time zone, every address absolute, the trail's
positions 1 to n.
"""

import datetime as dt
import json
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from press.models import EmbargoLink, Release
from tests.helpers.factories import make_translated_pair
from tests.helpers.images import add_lead_image, photo
from tests.helpers.pages import page

pytestmark = pytest.mark.django_db

ISO_WITH_ZONE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})")
BREAKOUT = "</script><script>alert(1)</script>"


@pytest.fixture
def release(make_release):
    return make_release(
        title="Chair urges restraint in eastern Ukraine",
        lead="The Chair called on all sides to respect the ceasefire.",
        sources=("secretariat", "mission-to-moldova"),
        fields=("human-rights",),
        countries=("ukraine",),
    )


def json_ld(response):
    """The page's JSON-LD blocks, parsed, by their @type."""
    blocks = {}
    for script in page(response).find_all("script", type="application/ld+json"):
        data = json.loads(script_text(script))
        blocks[data["@type"]] = data
    return blocks


def script_text(script):
    """A script element's text as the browser has it (the tree's text joins whitespace)."""
    return "".join(child for child in script.children if isinstance(child, str))


def head_meta(response):
    """The head's <meta property|name=... content=...> as a dict."""
    head = page(response).find("head")
    return {
        meta.attrs.get("property") or meta.attrs.get("name"): meta.attrs.get("content")
        for meta in head.find_all("meta")
        if meta.attrs.get("property") or meta.attrs.get("name")
    }


def canonical(response):
    return page(response).find("link", rel="canonical").attrs["href"]


def a_moment(value):
    """``value`` as an aware datetime, if it is ISO 8601 with a time zone."""
    assert isinstance(value, str)
    assert ISO_WITH_ZONE.fullmatch(value), f"{value!r} is not ISO 8601 with a time zone"
    moment = dt.datetime.fromisoformat(value)
    assert moment.tzinfo is not None
    return moment


def to_the_second(moment):
    """What the page gives of ``moment``: whole seconds."""
    return moment.replace(microsecond=0)


def an_absolute_url(value, scheme="http"):
    assert isinstance(value, str)
    parts = urlsplit(value)
    assert parts.scheme == scheme, value
    assert parts.netloc == "testserver", value
    return value


def a_non_empty_string(value):
    assert isinstance(value, str)
    assert value.strip()
    return value


def assert_organization(value, scheme="http"):
    assert value["@type"] == "Organization"
    a_non_empty_string(value["name"])
    an_absolute_url(value["url"], scheme)


def assert_news_article(article, scheme="http"):
    """The shape Google documents for Article / NewsArticle structured data."""
    assert article["@context"] == "https://schema.org"
    assert article["@type"] == "NewsArticle"
    a_non_empty_string(article["headline"])
    a_non_empty_string(article["description"])
    published = a_moment(article["datePublished"])
    assert a_moment(article["dateModified"]) >= published
    an_absolute_url(article["mainEntityOfPage"], scheme)
    an_absolute_url(article["url"], scheme)
    assert isinstance(article["author"], list)
    assert article["author"]
    for author in article["author"]:
        assert_organization(author, scheme)
    publisher = article["publisher"]
    assert_organization(publisher, scheme)
    assert publisher["logo"]["@type"] == "ImageObject"
    an_absolute_url(publisher["logo"]["url"], scheme)
    assert publisher["logo"]["width"] >= 112  # Google's minimum for a logo
    assert publisher["logo"]["height"] >= 112
    for thing in article.get("about", []):
        assert thing["@type"] == "Thing"
        a_non_empty_string(thing["name"])
        an_absolute_url(thing["url"], scheme)
    if "image" in article:
        images = article["image"] if isinstance(article["image"], list) else [article["image"]]
        for image in images:
            an_absolute_url(image, scheme)


def assert_breadcrumb_list(trail, scheme="http"):
    """The shape Google documents for a BreadcrumbList."""
    assert trail["@context"] == "https://schema.org"
    assert trail["@type"] == "BreadcrumbList"
    items = trail["itemListElement"]
    assert isinstance(items, list)
    assert len(items) >= 2
    assert [item["position"] for item in items] == list(range(1, len(items) + 1))
    for item in items:
        assert item["@type"] == "ListItem"
        a_non_empty_string(item["name"])
        an_absolute_url(item["item"], scheme)


def test_a_release_page_carries_a_news_article(client, release):
    response = client.get(release.get_absolute_url())

    article = json_ld(response)["NewsArticle"]
    assert_news_article(article)
    url = f"http://testserver{release.get_absolute_url()}"
    assert article["mainEntityOfPage"] == article["url"] == canonical(response) == url
    assert article["headline"] == release.title
    assert article["description"] == release.lead
    assert article["articleSection"] == "Press release"
    assert article["inLanguage"] == "en"
    assert a_moment(article["datePublished"]) == to_the_second(release.published_at)
    assert a_moment(article["dateModified"]) == to_the_second(release.updated_at)
    assert [(a["name"], a["url"]) for a in article["author"]] == [
        ("Secretariat", "http://testserver/structures/secretariat/"),
        ("Mission to Moldova", "http://testserver/structures/mission-to-moldova/"),
    ]
    assert [(thing["name"], thing["url"]) for thing in article["about"]] == [
        ("Human rights", "http://testserver/fields-of-work/human-rights/"),
        ("Ukraine", "http://testserver/countries/ukraine/"),
    ]
    assert "image" not in article  # no lead image to give


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_a_lead_image_is_the_articles_image_and_the_previews_large_picture(
    client, release, media, scheme
):
    alt = "Delegates at the table in the Hofburg"
    image = add_lead_image(release, photo(2000, 1333), alt=alt)

    response = client.get(release.get_absolute_url(), secure=scheme == "https")

    article = json_ld(response)["NewsArticle"]
    assert_news_article(article, scheme)
    largest_first = [f"{scheme}://testserver/media/{size.jpeg}" for size in reversed(image.sizes)]
    assert article["image"] == largest_first
    meta = head_meta(response)
    assert meta["og:image"] == meta["twitter:image"] == largest_first[0]
    assert meta["og:image:type"] == "image/jpeg"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "800")
    assert meta["og:image:alt"] == meta["twitter:image:alt"] == alt
    assert meta["twitter:card"] == "summary_large_image"


def test_without_a_lead_image_no_preview_names_one(client, release):
    meta = head_meta(client.get(release.get_absolute_url()))

    assert meta["twitter:card"] == "summary"
    assert not [name for name in meta if name.endswith(":image") or ":image:" in name]


def test_the_publisher_logo_is_a_file_the_site_serves(client, release):
    article = json_ld(client.get(release.get_absolute_url()))["NewsArticle"]

    publisher = article["publisher"]
    assert publisher["name"] == "Organization for Security and Co-operation in Europe"
    assert publisher["url"] == "http://testserver/"
    path = urlsplit(publisher["logo"]["url"]).path
    assert path.startswith(settings.STATIC_URL)
    assert finders.find(path.removeprefix(settings.STATIC_URL)), path


def test_the_breadcrumb_list_repeats_the_visible_trail(client, release):
    response = client.get(release.get_absolute_url())

    trail = json_ld(response)["BreadcrumbList"]
    assert_breadcrumb_list(trail)
    assert [(item["name"], item["item"]) for item in trail["itemListElement"]] == [
        ("Home", "http://testserver/"),
        ("Press releases", "http://testserver/press-releases/"),
        (release.title, canonical(response)),
    ]
    visible = page(response).find("nav", cls="breadcrumbs").find_all("li")
    assert [li.text for li in visible] == [item["name"] for item in trail["itemListElement"]]


def test_open_graph_and_twitter_tags_describe_the_release(client, release):
    response = client.get(release.get_absolute_url())

    meta = head_meta(response)
    article = json_ld(response)["NewsArticle"]
    assert meta["og:type"] == "article"
    assert meta["og:site_name"] == "OSCE"
    assert meta["og:title"] == meta["twitter:title"] == release.title
    assert meta["og:description"] == meta["twitter:description"] == release.lead
    assert meta["og:url"] == canonical(response)
    assert meta["twitter:card"] == "summary"
    assert a_moment(meta["article:published_time"]) == to_the_second(release.published_at)
    assert meta["article:published_time"] == article["datePublished"]
    assert meta["article:modified_time"] == article["dateModified"]


def test_over_https_every_address_is_https(client, release):
    response = client.get(release.get_absolute_url(), secure=True)

    blocks = json_ld(response)
    assert_news_article(blocks["NewsArticle"], scheme="https")
    assert_breadcrumb_list(blocks["BreadcrumbList"], scheme="https")
    assert head_meta(response)["og:url"].startswith("https://testserver/")


def test_without_a_lead_the_description_is_the_body_as_plain_text(client, make_release):
    release = make_release(body="<p>Talks in <strong>Vienna</strong> &amp; Geneva.</p>")

    response = client.get(release.get_absolute_url())

    description = "Talks in Vienna & Geneva."
    assert json_ld(response)["NewsArticle"]["description"] == description
    meta = head_meta(response)
    assert meta["og:description"] == meta["twitter:description"] == description
    assert meta["description"] == description  # escaped once, not "&amp;amp;"


def test_a_release_with_no_terms_names_its_publisher_as_author(client, make_release):
    release = make_release(sources=())

    article = json_ld(client.get(release.get_absolute_url()))["NewsArticle"]

    assert_news_article(article)
    assert article["author"] == [article["publisher"]]
    assert "about" not in article


def test_a_change_before_publication_is_not_dated_before_it(client, make_release):
    """A release scheduled ahead was saved before it went out: modified = published, until
    a later change."""
    release = make_release()
    Release.objects.filter(pk=release.pk).update(
        updated_at=release.published_at - dt.timedelta(days=3)
    )

    article = json_ld(client.get(release.get_absolute_url()))["NewsArticle"]

    assert article["dateModified"] == article["datePublished"]

    corrected = release.published_at + dt.timedelta(hours=5)
    Release.objects.filter(pk=release.pk).update(updated_at=corrected)
    article = json_ld(client.get(release.get_absolute_url()))["NewsArticle"]
    assert a_moment(article["dateModified"]) == to_the_second(corrected)


def test_dates_carry_the_site_time_zone(client, release):
    article = json_ld(client.get(release.get_absolute_url()))["NewsArticle"]

    published = a_moment(article["datePublished"])
    assert published.utcoffset() == timezone.localtime(release.published_at).utcoffset()


@pytest.mark.parametrize(
    "title",
    [
        f"Talks {BREAKOUT} & more",
        "Talks <!-- <script> & </SCRIPT > go on",
        'Talks \u2028 and \u2029 ‘quoted’ "double"',
    ],
)
def test_a_title_cannot_break_out_of_the_json(client, make_release, title):
    release = make_release(title=title, lead=f"Lead {BREAKOUT}")

    response = client.get(release.get_absolute_url())

    assert response.status_code == 200
    scripts = page(response).find_all("script")
    data_blocks = [s for s in scripts if s.attrs.get("type") == "application/ld+json"]
    assert len(data_blocks) == 2
    # Every other script is one the site loads from a file: nothing inline that runs.
    for script in scripts:
        if script not in data_blocks:
            assert script.attrs.get("src")
            assert not script_text(script).strip()
    for block in data_blocks:
        assert not set(script_text(block)) & set("<>&")
    blocks = json_ld(response)
    assert blocks["NewsArticle"]["headline"] == title
    assert blocks["NewsArticle"]["description"] == f"Lead {BREAKOUT}"
    assert blocks["BreadcrumbList"]["itemListElement"][-1]["name"] == title
    assert BREAKOUT not in response.content.decode()
    assert head_meta(response)["og:title"] == title  # an attribute, escaped as one


def test_an_embargoed_draft_says_nothing_to_machines(client, make_release, media):
    draft = make_release(
        title="Chair to visit the South Caucasus",
        status=Release.Status.DRAFT,
        fields=("human-rights",),
        days_ago=-2,
    )
    add_lead_image(draft, photo(800, 600))  # shown to the journalist, announced to no one
    link = EmbargoLink.objects.create(release=draft, recipient="AFP")

    response = client.get(link.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert draft.title in html  # the page itself is there, with its image
    assert page(response).find("figure", cls="release__image")
    assert "application/ld+json" not in html
    meta = head_meta(response)
    assert meta["robots"] == "noindex, nofollow"
    shared = [name for name in meta if name.split(":")[0] in ("og", "article", "twitter")]
    assert shared == []
    assert 'property="og:' not in html


def test_a_translation_s_article_says_its_language_and_names_its_terms_in_it(client, russian_open):
    _english, russian = make_translated_pair()
    article = json_ld(client.get(russian.get_absolute_url()))["NewsArticle"]
    assert_news_article(article)
    assert article["inLanguage"] == "ru"
    assert [(thing["name"], thing["url"]) for thing in article["about"]] == [
        ("Выборы", "http://testserver/ru/fields-of-work/elections/"),
        ("Молдова", "http://testserver/ru/countries/moldova/"),
    ]
