"""Languages in the addresses: English at today's URLs, the others under their prefix,
offered only once opened (PUBLIC_LANGUAGES), each page saying its language and its
alternates (issue 18)."""

import pytest

from tests.helpers.pages import page
from tests.helpers.settings import manage

pytestmark = pytest.mark.django_db

PAGES = ["/", "/press-releases/", "/countries/", "/fields-of-work/", "/countries/ukraine/"]


def hreflangs(response):
    head = page(response).find("head")
    return {
        link.attrs["hreflang"]: link.attrs["href"]
        for link in head.find_all("link", rel="alternate")
        if "hreflang" in link.attrs
    }


@pytest.mark.parametrize("path", PAGES)
def test_english_keeps_today_s_addresses_and_says_it_is_english(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert page(response).find("html").attrs["lang"] == "en"
    assert response["Content-Language"] == "en"
    assert "Accept-Language" not in response.get("Vary", "")  # the address alone decides


@pytest.mark.parametrize("path", PAGES)
def test_a_language_not_yet_offered_is_no_page(client, english_only, path):
    assert client.get(f"/ru{path}").status_code == 404
    assert client.get(f"/fr{path}").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_an_open_language_serves_every_page_under_its_prefix(client, russian_open, path):
    response = client.get(f"/ru{path}")
    assert response.status_code == 200
    assert page(response).find("html").attrs["lang"] == "ru"
    assert response["Content-Language"] == "ru"
    assert client.get(f"/fr{path}").status_code == 404  # French is not open


def test_each_page_names_its_alternates_and_the_default(client, russian_open):
    english = hreflangs(client.get("/press-releases/?field=human-rights"))
    russian = hreflangs(client.get("/ru/press-releases/?field=human-rights"))
    expected = {
        "en": "http://testserver/press-releases/?field=human-rights",
        "ru": "http://testserver/ru/press-releases/?field=human-rights",
        "x-default": "http://testserver/press-releases/?field=human-rights",
    }
    assert english == expected
    assert russian == expected


def test_the_switcher_leads_to_the_same_page_in_the_other_language(client, russian_open):
    switcher = page(client.get("/countries/ukraine/")).find("nav", cls="languages")
    links = {link.attrs["lang"]: link.attrs["href"] for link in switcher.find_all("a")}
    assert links == {"ru": "/ru/countries/ukraine/"}
    current = switcher.find("span", cls="languages__current")
    assert current.attrs["lang"] == "en"
    assert current.attrs["aria-current"] == "true"
    assert current.text == "English"
    back = page(client.get("/ru/countries/ukraine/")).find("nav", cls="languages")
    assert {link.attrs["lang"]: link.attrs["href"] for link in back.find_all("a")} == {
        "en": "/countries/ukraine/"
    }
    assert back.find("span", cls="languages__current").text == "Русский"


def test_with_one_language_there_is_no_switcher_nor_alternates(client, english_only):
    response = client.get("/")
    assert not page(response).find_all("nav", cls="languages")
    assert hreflangs(response) == {}


def test_the_menu_s_links_keep_the_page_s_language(client, russian_open):
    english = page(client.get("/")).find("nav", cls="menu")
    russian = page(client.get("/ru/")).find("nav", cls="menu")
    english_links = [link.attrs["href"] for link in english.find_all("a")]
    russian_links = [link.attrs["href"] for link in russian.find_all("a")]
    assert "/countries/ukraine/" in english_links
    assert "/ru/countries/ukraine/" in russian_links
    assert not [href for href in russian_links if href.startswith(("/countries/", "/fields-"))]


def test_a_page_cached_in_one_language_is_not_served_in_the_other(client, russian_open):
    assert page(client.get("/")).find("html").attrs["lang"] == "en"
    assert page(client.get("/ru/")).find("html").attrs["lang"] == "ru"
    assert page(client.get("/")).find("html").attrs["lang"] == "en"


def test_the_site_offers_english_and_russian_unless_told_otherwise(tmp_path):
    code = "from django.conf import settings; print(','.join(settings.PUBLIC_LANGUAGES))"
    done = manage(
        "shell", "-c", code, env={"DEBUG": "1", "PUBLIC_LANGUAGES": None}, tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "en,ru"


@pytest.mark.parametrize("value", ["en,xx", "ru"])
def test_public_languages_other_than_official_ones_or_without_english_stop_the_start(
    value, tmp_path
):
    done = manage("check", env={"DEBUG": "1", "PUBLIC_LANGUAGES": value}, tmp_path=tmp_path)
    assert done.returncode != 0
    assert "PUBLIC_LANGUAGES must name en and only codes of LANGUAGES" in done.stderr


def test_a_term_s_sitemap_lists_its_page_in_each_open_language_with_alternates(
    client, russian_open
):
    xml = client.get("/sitemap-countries.xml").content.decode()
    english = "http://testserver/countries/ukraine/"
    russian = "http://testserver/ru/countries/ukraine/"
    assert f"<loc>{english}</loc>" in xml
    assert f"<loc>{russian}</loc>" in xml
    for code, href in [("en", english), ("ru", russian), ("x-default", english)]:
        link = f'<xhtml:link rel="alternate" hreflang="{code}" href="{href}"/>'
        assert xml.count(link) == 2, link  # under each of the two addresses
    assert "/fr/" not in xml


def test_alternates_keep_the_parameters_the_page_reads_and_nothing_else(client, russian_open):
    response = client.get("/press-releases/?field=human-rights&utm_source=x&next=//evil.example")
    assert hreflangs(response)["ru"] == "http://testserver/ru/press-releases/?field=human-rights"
    assert "evil.example" not in response.content.decode()


def test_a_page_outside_the_public_site_names_no_alternates(client, russian_open):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 200
    assert 'hreflang="' not in response.content.decode()


def test_the_releases_sitemap_names_each_release_s_translations_and_no_closed_language(
    client, settings, english_only, django_assert_max_num_queries
):
    from tests.helpers.factories import make_translated_pair

    english, russian = make_translated_pair()
    xml = client.get("/sitemap-releases.xml").content.decode()
    assert f"http://testserver{english.get_absolute_url()}</loc>" in xml
    assert "/ru/" not in xml  # Russian is not open: its pages answer 404
    settings.PUBLIC_LANGUAGES = ("en", "ru")
    with django_assert_max_num_queries(6):
        xml = client.get("/sitemap-releases.xml").content.decode()
    assert f"<loc>http://testserver{russian.get_absolute_url()}</loc>" in xml
    for release in (english, russian):
        link = (
            f'<xhtml:link rel="alternate" hreflang="{release.language}" '
            f'href="http://testserver{release.get_absolute_url()}"/>'
        )
        assert xml.count(link) == 2, link  # under each of the two addresses
