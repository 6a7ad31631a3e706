"""The public site through HTTP: the home page, the release list, release pages, term pages,
the country and field-of-work indexes, the usual files and the error pages."""

import datetime as dt
import re
from unittest import mock

import pytest
import time_machine
from django.db import OperationalError, connection
from django.utils import timezone

from institutions.models import Structure
from press.models import Release
from press.sitemaps import ReleaseSitemap
from taxonomy.models import FieldOfWork, Meeting
from taxonomy.reference import COUNTRIES_BY_GROUP, FIELDS_OF_WORK
from tests.helpers.pages import Node, assert_menu, card_titles, main, page

pytestmark = pytest.mark.django_db


def metadata(response):
    """The release page's metadata block: {label: <dd> node}."""
    dl = main(response).find("dl", cls="release__meta")
    pairs = {}
    for div in dl.children:
        if isinstance(div, Node):
            pairs[div.find("dt").text] = div.find("dd")
    return pairs


def numbered_releases(make_release, count, **values):
    """``count`` releases, "Numbered release 01" the oldest; returned newest first."""
    releases = [
        make_release(title=f"Numbered release {n:02d}", days_ago=count - n + 1, **values)
        for n in range(1, count + 1)
    ]
    return releases[::-1]


# The home page


def test_home_page_shows_the_latest_releases_newest_first_and_the_menu(client, make_release):
    make_release(title="Middle release on border management", days_ago=5)
    make_release(title="Newest release on policing", days_ago=1)
    make_release(title="Oldest release on elections", days_ago=9)

    response = client.get("/")

    assert response.status_code == 200
    assert card_titles(response) == [
        "Newest release on policing",
        "Middle release on border management",
        "Oldest release on elections",
    ]
    assert_menu(response)


def test_home_page_shows_only_the_ten_latest(client, make_release):
    releases = numbered_releases(make_release, 12)

    titles = card_titles(client.get("/"))

    assert titles == [release.title for release in releases[:10]]


def test_home_page_never_shows_drafts_or_scheduled_releases(client, make_release):
    make_release(title="Public release", days_ago=2)
    make_release(title="Unfinished draft", status=Release.Status.DRAFT, days_ago=1)
    make_release(title="Embargoed release", days_ago=-1)

    response = client.get("/")

    assert card_titles(response) == ["Public release"]
    assert "Unfinished draft" not in response.content.decode()
    assert "Embargoed release" not in response.content.decode()


def test_home_page_with_no_releases_says_so(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "No releases have been published yet." in main(response).text


# The release list


def test_release_list_is_newest_first_twenty_a_page(client, make_release):
    releases = numbered_releases(make_release, 25)

    first = client.get("/press-releases/")
    second = client.get("/press-releases/", {"page": 2})

    assert first.status_code == 200
    assert second.status_code == 200
    assert card_titles(first) == [release.title for release in releases[:20]]
    assert card_titles(second) == [release.title for release in releases[20:]]
    assert "25 releases" in main(first).text
    older = dict(main(first).links())["Older →"]
    assert older.startswith("?page=2&after=")  # where page 2 starts: see test_deep_pages
    assert card_titles(client.get("/press-releases/" + older)) == card_titles(second)
    # Page 1 has no page parameter: its address is the plain list.
    assert ("← Newer", "/press-releases/") in main(second).links()
    assert_menu(first)


def test_release_list_leaves_out_drafts_and_scheduled_releases(client, make_release):
    make_release(title="Published yesterday", days_ago=1)
    make_release(title="A draft", status=Release.Status.DRAFT, days_ago=2)
    make_release(title="Scheduled for tomorrow", days_ago=-1)
    make_release(title="A dated draft for tomorrow", status=Release.Status.DRAFT, days_ago=-1)

    response = client.get("/press-releases/")

    assert card_titles(response) == ["Published yesterday"]
    assert "1 release" in main(response).text


def test_a_scheduled_release_is_listed_once_its_time_comes(client, make_release):
    publish_at = timezone.now() + dt.timedelta(hours=3)
    make_release(title="Embargoed until noon", published_at=publish_at)

    assert card_titles(client.get("/press-releases/")) == []
    with time_machine.travel(publish_at + dt.timedelta(minutes=1), tick=False):
        assert card_titles(client.get("/press-releases/")) == ["Embargoed until noon"]


@pytest.mark.parametrize("bad_page", ["abc", "0", "-1", "99999", "2.5", "1e3"])
def test_a_page_number_that_is_not_a_page_answers_400_with_the_first_page(
    client, make_release, bad_page
):
    releases = numbered_releases(make_release, 22)

    response = client.get("/press-releases/", {"page": bad_page})

    assert response.status_code == 400
    alert = main(response).find(role="alert")
    assert "There is no page" in alert.text
    assert "pages run from 1 to 2" in alert.text
    assert card_titles(response) == [release.title for release in releases[:20]]
    assert_menu(response)


def test_a_page_number_with_markup_is_shown_escaped(client):
    response = client.get("/press-releases/", {"page": "<script>x</script>"})

    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert "There is no page “<script>x</script>”" in main(response).find(role="alert").text


def test_a_bad_page_number_on_an_empty_list_is_still_not_a_server_error(client):
    response = client.get("/press-releases/", {"page": "abc"})

    assert response.status_code == 400
    assert "There is no page" in main(response).find(role="alert").text
    assert_menu(response)


def test_a_good_page_number_shows_no_error(client, make_release):
    numbered_releases(make_release, 3)

    response = client.get("/press-releases/", {"page": "1"})

    assert response.status_code == 200
    assert main(response).find_all(role="alert") == []


# A release's page


def test_release_page_shows_the_release(client, make_release):
    release = make_release(
        title="Mission to Moldova supports gender-responsive policing",
        type=Release.Type.NEWS,
        sources=("mission-to-moldova", "gender-issues-programme"),
        fields=("gender-equality", "policing"),
        countries=("ukraine",),
        place_slug="chisinau",
        published_at=dt.datetime(2024, 3, 5, 10, 0, tzinfo=dt.UTC),
        body="<p>CHISINAU, 5 March 2024 – Police officers met.</p><h2>Next steps</h2>",
    )

    response = client.get(f"/press-releases/{release.slug}/")

    assert response.status_code == 200
    article = main(response).find("article", cls="release")
    assert article.find("h1").text == "Mission to Moldova supports gender-responsive policing"
    assert article.find("p", cls="release__type").text == "News item"
    meta = metadata(response)
    assert meta["Date"].text == "5 March 2024"
    assert meta["Date"].find("time").attrs["datetime"].startswith("2024-03-05T11:00:00")
    assert meta["Place"].text == "Chisinau, Moldova"
    assert meta["Place"].links() == [("Moldova", "/countries/moldova/")]
    assert sorted(meta["Sources"].links()) == [
        ("Gender Issues Programme", "/structures/gender-issues-programme/"),
        ("Mission to Moldova", "/structures/mission-to-moldova/"),
    ]
    assert sorted(meta["Fields of work"].links()) == [
        ("Gender equality", "/fields-of-work/gender-equality/"),
        ("Policing", "/fields-of-work/policing/"),
    ]
    assert meta["Countries"].links() == [("Ukraine", "/countries/ukraine/")]
    body = article.find("div", cls="release__body")
    assert body.find("p").text == "CHISINAU, 5 March 2024 – Police officers met."
    assert body.find("h2").text == "Next steps"
    assert_menu(response)


def test_release_page_with_one_source_says_source(client, make_release):
    release = make_release(sources=("conflict-prevention-centre",))

    meta = metadata(client.get(release.get_absolute_url()))

    assert meta["Source"].links() == [
        ("Conflict Prevention Centre", "/structures/conflict-prevention-centre/")
    ]


def test_release_page_shows_the_date_as_it_is_in_vienna(client, make_release):
    # 23:30 UTC on 4 March is already 5 March at the organisation's seat.
    release = make_release(published_at=dt.datetime(2024, 3, 4, 23, 30, tzinfo=dt.UTC))

    meta = metadata(client.get(release.get_absolute_url()))

    assert meta["Date"].text == "5 March 2024"


def test_release_page_has_breadcrumbs_canonical_link_and_open_graph_title(client, make_release):
    release = make_release(title="Chair welcomes ceasefire agreement")

    response = client.get(f"/press-releases/{release.slug}/")

    html = page(response)
    crumbs = html.find("nav", cls="breadcrumbs").find_all("li")
    assert [crumb.text for crumb in crumbs] == [
        "Home",
        "Press releases",
        "Chair welcomes ceasefire agreement",
    ]
    assert crumbs[0].links() == [("Home", "/")]
    assert crumbs[1].links() == [("Press releases", "/press-releases/")]
    assert crumbs[2].attrs.get("aria-current") == "page"
    assert crumbs[2].links() == []
    canonical = html.find("link", rel="canonical")
    assert canonical.attrs["href"] == f"http://testserver/press-releases/{release.slug}/"
    og_title = html.find("meta", property="og:title")
    assert og_title.attrs["content"] == "Chair welcomes ceasefire agreement"
    assert html.find("title").text == "Chair welcomes ceasefire agreement · OSCE"


def test_release_page_escapes_the_title(client, make_release):
    release = make_release(title="Statement on <b>bold</b> & “quoted” claims")

    response = client.get(release.get_absolute_url())

    content = response.content.decode()
    assert "<b>bold</b>" not in content
    assert main(response).find("h1").text == "Statement on <b>bold</b> & “quoted” claims"


def test_a_draft_release_page_is_not_found(client, make_release):
    draft = make_release(title="Draft not for the public", status=Release.Status.DRAFT)

    response = client.get(f"/press-releases/{draft.slug}/")

    assert response.status_code == 404
    assert "Draft not for the public" not in response.content.decode()


def test_a_scheduled_release_page_is_not_found_until_its_time(client, make_release):
    publish_at = timezone.now() + dt.timedelta(days=1)
    release = make_release(title="Embargoed statement", published_at=publish_at)

    assert client.get(release.get_absolute_url()).status_code == 404
    with time_machine.travel(publish_at + dt.timedelta(seconds=1), tick=False):
        assert client.get(release.get_absolute_url()).status_code == 200


def test_an_unknown_release_slug_is_not_found(client):
    assert client.get("/press-releases/no-such-release/").status_code == 404


def test_the_not_found_page_uses_the_site_layout(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert main(response).find("h1").text == "Page not found"
    assert_menu(response)


# Term pages


def test_field_of_work_page_shows_the_releases_of_its_whole_subtree(client, make_release):
    human_rights = FieldOfWork.objects.get(slug="human-rights")
    child = FieldOfWork.objects.create(
        name="Freedom of peaceful assembly",
        slug="freedom-of-peaceful-assembly",
        parent=human_rights,
    )
    grandchild = FieldOfWork.objects.create(
        name="Monitoring of assemblies", slug="monitoring-of-assemblies", parent=child
    )
    make_release(title="Filed under human rights", fields=("human-rights",), days_ago=4)
    make_release(title="Filed under the child", fields=(child.slug,), days_ago=3)
    make_release(title="Filed under the grandchild", fields=(grandchild.slug,), days_ago=2)
    make_release(title="Filed under gender equality", fields=("gender-equality",), days_ago=1)
    make_release(title="Draft on human rights", fields=("human-rights",), status="draft")

    parent_page = client.get("/fields-of-work/human-rights/")
    child_page = client.get(f"/fields-of-work/{child.slug}/")

    assert parent_page.status_code == 200
    assert main(parent_page).find("h1").text == "Human rights"
    assert card_titles(parent_page) == [
        "Filed under the grandchild",
        "Filed under the child",
        "Filed under human rights",
    ]
    assert card_titles(child_page) == ["Filed under the grandchild", "Filed under the child"]


def test_term_page_lists_its_children_and_breadcrumbs_up_the_tree(client):
    human_rights = FieldOfWork.objects.get(slug="human-rights")
    child = FieldOfWork.objects.create(
        name="Freedom of peaceful assembly",
        slug="freedom-of-peaceful-assembly",
        parent=human_rights,
    )

    parent_page = main(client.get("/fields-of-work/human-rights/"))
    child_response = client.get(f"/fields-of-work/{child.slug}/")

    children = parent_page.find("ul", cls="term__children")
    assert children.links() == [
        ("Freedom of peaceful assembly", "/fields-of-work/freedom-of-peaceful-assembly/")
    ]
    crumbs = page(child_response).find("nav", cls="breadcrumbs")
    assert [li.text for li in crumbs.find_all("li")] == [
        "Home",
        "Fields of work",
        "Human rights",
        "Freedom of peaceful assembly",
    ]
    assert ("Human rights", "/fields-of-work/human-rights/") in crumbs.links()
    assert main(child_response).find_all("ul", cls="term__children") == []


def test_secretariat_page_shows_its_departments_releases_not_the_missions(client, make_release):
    make_release(title="CPC briefs the Permanent Council", sources=("conflict-prevention-centre",))
    make_release(title="Secretariat announces vacancies", sources=("secretariat",), days_ago=2)
    make_release(title="Mission to Moldova opens office", sources=("mission-to-moldova",))

    response = client.get("/structures/secretariat/")

    assert response.status_code == 200
    assert main(response).find("h1").text == "Secretariat"
    assert card_titles(response) == [
        "CPC briefs the Permanent Council",
        "Secretariat announces vacancies",
    ]
    children = main(response).find("ul", cls="term__children")
    assert ("Conflict Prevention Centre", "/structures/conflict-prevention-centre/") in (
        children.links()
    )


def test_field_operations_page_shows_the_missions_releases(client, make_release):
    make_release(title="Mission to Moldova opens office", sources=("mission-to-moldova",))
    make_release(title="Mission to Serbia trains police", sources=("mission-to-serbia",))
    make_release(title="CPC briefs the Permanent Council", sources=("conflict-prevention-centre",))

    response = client.get("/structures/field-operations/")

    assert response.status_code == 200
    assert sorted(card_titles(response)) == [
        "Mission to Moldova opens office",
        "Mission to Serbia trains police",
    ]


def test_country_page_shows_releases_placed_in_or_related_to_the_country(client, make_release):
    make_release(title="Dated from Chisinau", place_slug="chisinau", days_ago=3)
    make_release(
        title="About Moldova, dated from Vienna",
        place_slug="vienna",
        countries=("moldova",),
        days_ago=2,
    )
    make_release(
        title="Dated from Chisinau and about Moldova",
        place_slug="chisinau",
        countries=("moldova", "ukraine"),
        days_ago=1,
    )
    make_release(title="About Ukraine, dated from Vienna", countries=("ukraine",))
    make_release(title="Dated from Kyiv", place_slug="kyiv")
    make_release(title="Dated from nowhere", place_slug=None)

    response = client.get("/countries/moldova/")

    assert response.status_code == 200
    assert main(response).find("h1").text == "Moldova"
    assert card_titles(response) == [
        "Dated from Chisinau and about Moldova",
        "About Moldova, dated from Vienna",
        "Dated from Chisinau",
    ]
    assert "3 releases" in main(response).text


def test_chair_country_page_names_its_chairpersonship(client):
    response = client.get("/countries/finland/")

    assert main(response).find("p", cls="term__chair").text == "OSCE Chairpersonship 2025"


def test_term_pages_never_list_drafts_or_scheduled_releases(client, make_release):
    make_release(title="Public", sources=("conflict-prevention-centre",), fields=("youth",))
    for title, status, days_ago in [("Draft", "draft", 1), ("Scheduled", "published", -1)]:
        make_release(
            title=title,
            status=status,
            days_ago=days_ago,
            sources=("conflict-prevention-centre",),
            fields=("youth",),
            countries=("austria",),
        )

    for url in ["/structures/secretariat/", "/fields-of-work/youth/", "/countries/austria/"]:
        assert card_titles(client.get(url)) == ["Public"], url


def test_term_page_pages_like_the_list(client, make_release):
    releases = numbered_releases(make_release, 21, fields=("youth",))

    second = client.get("/fields-of-work/youth/", {"page": 2})
    bad = client.get("/fields-of-work/youth/", {"page": "abc"})

    assert card_titles(second) == [releases[20].title]
    assert bad.status_code == 400
    assert "There is no page" in main(bad).find(role="alert").text
    assert card_titles(bad) == [release.title for release in releases[:20]]
    assert_menu(bad)


@pytest.mark.parametrize(
    "url",
    [
        "/fields-of-work/no-such-field/",
        "/countries/no-such-country/",
        "/structures/no-such-structure/",
        "/meetings/no-such-meeting/",
    ],
)
def test_an_unknown_term_is_not_found(client, url):
    response = client.get(url)

    assert response.status_code == 404
    assert_menu(response)


# The indexes


def test_countries_page_shows_the_groups_and_their_countries_in_menu_order(client):
    response = client.get("/countries/")

    assert response.status_code == 200
    for group_slug, members in COUNTRIES_BY_GROUP.items():
        section = main(response).find("section", id=group_slug)
        names = [name for name, _ in section.find("ul", cls="country-list").links()]
        assert names == [country.name for country in members], group_slug
    participating = main(response).find("section", id="participating-states")
    assert participating.find("h2").text == "Participating States (57)"
    assert ("Belgium", "/countries/belgium/") in participating.links()


@pytest.mark.parametrize(
    ("year", "chair", "not_chair"),
    [(2025, "Finland", "Switzerland"), (2026, "Switzerland", "Finland")],
)
def test_countries_page_marks_this_years_chair(client, year, chair, not_chair):
    with time_machine.travel(dt.datetime(year, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        response = client.get("/countries/")

    items = {
        li.find("a").text: li for li in main(response).find("ul", cls="country-list").find_all("li")
    }
    assert items[chair].find("span", cls="chair-marker").text == f"– OSCE Chairpersonship {year}"
    assert items[not_chair].find_all("span", cls="chair-marker") == []
    assert sum(len(li.find_all(cls="chair-marker")) for li in items.values()) == 1
    lead = main(response).find("p", cls="lead")
    assert lead.text == f"{year} OSCE Chairpersonship: {chair}"
    menu_chair = page(response).find("nav", cls="menu").find("a", cls="menu__chair")
    assert menu_chair.text == f"{chair} – OSCE Chairpersonship {year}"


def test_countries_page_follows_the_year_change_on_new_years_day(client):
    # Midnight in Vienna is 23:00 UTC in winter: the new chair takes over then.
    with time_machine.travel(dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        response = client.get("/countries/")

    assert main(response).find("p", cls="lead").text == "2026 OSCE Chairpersonship: Switzerland"


def test_fields_of_work_page_lists_the_tree(client):
    human_rights = FieldOfWork.objects.get(slug="human-rights")
    FieldOfWork.objects.create(
        name="Freedom of peaceful assembly",
        slug="freedom-of-peaceful-assembly",
        parent=human_rights,
    )

    response = client.get("/fields-of-work/")

    assert response.status_code == 200
    tree = main(response).find("ul", cls="term-tree")
    top = [li.find("a").text for li in tree.children if isinstance(li, Node)]
    assert top == [name for name, _ in FIELDS_OF_WORK]
    human_rights_item = next(
        li for li in tree.children if isinstance(li, Node) and li.find("a").text == "Human rights"
    )
    assert human_rights_item.find("ul", cls="term-tree").links() == [
        ("Freedom of peaceful assembly", "/fields-of-work/freedom-of-peaceful-assembly/")
    ]
    assert_menu(response)


# The usual files


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content.decode().strip() == "ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def _cursor_that_fails_on_execute():
    cursor = mock.MagicMock()
    cursor.__enter__.return_value = cursor
    cursor.execute.side_effect = OperationalError("server closed the connection unexpectedly")
    return mock.Mock(return_value=cursor)


@pytest.mark.parametrize(
    "broken_cursor",
    [
        pytest.param(
            lambda: mock.Mock(side_effect=OperationalError("could not connect to server")),
            id="cannot-connect",
        ),
        pytest.param(_cursor_that_fails_on_execute, id="query-fails"),
    ],
)
def test_healthz_answers_503_when_the_database_does_not(client, broken_cursor):
    with mock.patch.object(connection, "cursor", broken_cursor()):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert "ok" not in response.content.decode()
    assert client.get("/healthz").status_code == 200  # and recovers with the database


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def sitemap_locations(client):
    """Every address the sitemap index leads to, read as a crawler does."""
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    assert "<sitemapindex" in index.content.decode()
    locations = []
    for section in re.findall(r"<loc>(.*?)</loc>", index.content.decode()):
        response = client.get(section.removeprefix("http://testserver"))
        assert response.status_code == 200, section
        locations += re.findall(r"<loc>(.*?)</loc>", response.content.decode())
    return locations


def test_the_sitemap_index_pages_through_the_whole_archive(client, make_release, monkeypatch):
    """A sitemap holds at most 50,000 addresses; the index lists as many pages as the
    archive needs, so the oldest release is listed too (here 2 a page for 5 releases)."""
    monkeypatch.setattr(ReleaseSitemap, "limit", 2)
    releases = [make_release(title=f"Archived {n}", days_ago=n) for n in range(5)]

    index = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/sitemap-releases.xml?p=3" in index
    assert "?p=4" not in index
    release_urls = [
        loc for loc in sitemap_locations(client) if loc.startswith("http://testserver/press-")
    ]
    assert sorted(release_urls) == sorted(
        f"http://testserver{release.get_absolute_url()}" for release in releases
    )
    assert client.get("/sitemap-releases.xml?p=4").status_code == 404
    assert client.get("/sitemap-releases.xml?p=x").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemap_lists_published_releases_and_term_pages_only(client, make_release):
    public = make_release(title="A published release")
    draft = make_release(title="A draft release", status=Release.Status.DRAFT)
    scheduled = make_release(title="A scheduled release", days_ago=-2)

    locations = sitemap_locations(client)

    assert f"http://testserver/press-releases/{public.slug}/" in locations
    assert not any(draft.slug in loc for loc in locations)
    assert not any(scheduled.slug in loc for loc in locations)
    for term_url in [
        "/fields-of-work/human-rights/",
        "/countries/moldova/",
        "/structures/secretariat/",
        "/structures/mission-to-moldova/",
        Meeting.objects.order_by("pk").first().get_absolute_url(),
    ]:
        assert f"http://testserver{term_url}" in locations
    assert len(locations) == len(set(locations))


def test_every_page_names_its_icons_and_favicon_ico_leads_to_one(client):
    page = client.get("/").content.decode()
    for name in ("img/favicon.svg", "img/favicon-32.png", "img/apple-touch-icon.png"):
        assert f"/static/{name}" in page, name

    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.url == "/static/img/favicon-32.png"


def test_robots_keeps_crawlers_out_of_embargo_links(client):
    assert "Disallow: /embargo/" in client.get("/robots.txt").content.decode().splitlines()


@pytest.mark.parametrize("path", ["/", "/countries/", "/fields-of-work/"])
def test_every_page_has_a_search_box_in_its_header_that_searches_the_releases(client, path):
    header = page(client.get(path)).find("header", cls="site-header")
    form = header.find("form", role="search")

    assert form.attrs["action"] == "/press-releases/"
    assert form.attrs["method"] == "get"
    box = form.find("input", name="q")
    assert form.find("label").attrs["for"] == box.attrs["id"]


def test_the_finder_offers_a_skip_link_to_its_results(client):
    found = page(client.get("/press-releases/"))

    assert found.find("a", cls="skip-link", href="#results")
    assert found.find("section", id="results")


@pytest.mark.parametrize("path", ["/press-releases/", "/countries/ukraine/"])
def test_a_finder_page_has_one_search_box_its_own(client, path):
    boxes = page(client.get(path)).find_all("input", type="search")

    assert [box.attrs["id"] for box in boxes] == ["id_q"]


def test_a_country_page_lists_the_field_operations_it_hosts_open_ones_first(client):
    moldova = Structure.objects.get(slug="mission-to-moldova")
    closed = Structure.objects.create(
        name="Mission to Moldova's predecessor",
        slug="old-moldova-office",
        kind=Structure.Kind.FIELD_OPERATION,
        host_country=moldova.host_country,
        opened_on=dt.date(1993, 2, 4),
        closed_on=dt.date(1994, 1, 1),
    )

    found = page(client.get(moldova.host_country.get_absolute_url()))
    section = found.find("section", aria_labelledby="operations-heading")
    links = [(link.text, link.attrs["href"]) for link in section.find_all("a")]

    assert links == [
        ("Mission to Moldova", "/structures/mission-to-moldova/"),
        (closed.name, "/structures/old-moldova-office/"),
    ]
    assert "(closed 1994)" in section.text


def test_a_country_without_field_operations_shows_no_such_section(client):
    found = page(client.get("/countries/austria/"))

    assert not found.find_all("section", aria_labelledby="operations-heading")
