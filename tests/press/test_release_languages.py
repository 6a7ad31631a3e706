"""Releases in several languages (issue 18): each is listed, searched and shown in its
own language; a translation and its original lead to each other."""

import pytest
from django.db import IntegrityError, connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from press.finder import Finder
from press.models import Release
from tests.helpers.admin_forms import new_release_data
from tests.helpers.pages import card_titles, page

pytestmark = pytest.mark.django_db


@pytest.fixture
def russian_open(settings):
    settings.PUBLIC_LANGUAGES = ("en", "ru")


@pytest.fixture
def pair(make_release):
    """An English release on elections and its Russian translation."""
    english = make_release(
        title="Observers report on the elections",
        fields=("elections",),
        countries=("moldova",),
        body="<p>The elections were held in calm.</p>",
    )
    russian = make_release(
        title="Наблюдатели о выборах",
        slug="nabliudateli-o-vyborakh",
        language="ru",
        translation_of=english,
        fields=("elections",),
        countries=("moldova",),
        body="<p>Выборы прошли спокойно.</p>",
    )
    return english, russian


def test_a_finder_lists_the_releases_written_in_its_language(client, russian_open, pair):
    english, russian = pair
    assert card_titles(client.get("/press-releases/")) == [english.title]
    assert card_titles(client.get("/ru/press-releases/")) == [russian.title]
    assert card_titles(client.get("/ru/countries/moldova/")) == [russian.title]
    assert card_titles(client.get("/")) == [english.title]
    assert card_titles(client.get("/ru/")) == [russian.title]


def test_facet_counts_and_totals_are_the_language_s_own(client, russian_open, pair, make_release):
    make_release(title="Another English one", fields=("elections",))
    english = page(client.get("/press-releases/?field=elections"))
    russian = page(client.get("/ru/press-releases/?field=elections"))
    assert english.find("p", cls="count").attrs["data-count"] == "2"
    assert russian.find("p", cls="count").attrs["data-count"] == "1"


def test_the_index_agrees_with_sql_in_each_language(pair, make_release):
    make_release(title="Only English", fields=("elections",))
    for language, expected in [("en", 2), ("ru", 1), ("fr", 0)]:
        with translation.override(language):
            finder = Finder(QueryDict("field=elections"), Release.objects.published())
            assert finder.total() == expected
            assert sorted(finder.page_ids(1, 50)) == sorted(
                finder.filtered().values_list("pk", flat=True)
            )
            assert {r.language for r in finder.releases(finder.page_ids(1, 50))} <= {language}


def test_a_feed_is_the_language_s(client, russian_open, pair):
    english, russian = pair
    feed = client.get("/ru/press-releases/feed/").content.decode()
    assert russian.title in feed
    assert english.title not in feed
    assert "http://testserver/ru/press-releases/nabliudateli-o-vyborakh/" in feed


def test_a_release_asked_under_another_language_leads_to_its_own_address(
    client, russian_open, pair
):
    english, _russian = pair
    response = client.get(f"/ru/press-releases/{english.slug}/")
    assert response.status_code == 301
    assert response["Location"] == f"/press-releases/{english.slug}/"
    response = client.get("/press-releases/nabliudateli-o-vyborakh/")
    assert response.status_code == 301
    assert response["Location"] == "/ru/press-releases/nabliudateli-o-vyborakh/"


def test_a_release_and_its_translation_name_each_other(client, russian_open, pair):
    english, _russian = pair
    for release in pair:
        response = client.get(release.get_absolute_url())
        assert response.status_code == 200
        html = page(response)
        assert html.find("html").attrs["lang"] == release.language
        alternates = {
            link.attrs["hreflang"]: link.attrs["href"]
            for link in html.find("head").find_all("link", rel="alternate")
            if "hreflang" in link.attrs
        }
        assert alternates == {
            "en": f"http://testserver/press-releases/{english.slug}/",
            "ru": "http://testserver/ru/press-releases/nabliudateli-o-vyborakh/",
            "x-default": f"http://testserver/press-releases/{english.slug}/",
        }
    switcher = page(client.get(english.get_absolute_url())).find("nav", cls="languages")
    assert [link.attrs["href"] for link in switcher.find_all("a")] == [
        "/ru/press-releases/nabliudateli-o-vyborakh/"
    ]


def test_without_a_translation_the_switcher_leads_to_the_section(
    client, russian_open, make_release
):
    release = make_release(title="English only")
    html = page(client.get(release.get_absolute_url()))
    switcher = html.find("nav", cls="languages")
    assert [link.attrs["href"] for link in switcher.find_all("a")] == ["/ru/press-releases/"]
    hreflangs = [
        link.attrs["hreflang"]
        for link in html.find("head").find_all("link", rel="alternate")
        if "hreflang" in link.attrs
    ]
    assert hreflangs == ["en", "x-default"]  # no Russian page is claimed


def test_an_unpublished_translation_is_not_offered(client, russian_open, pair):
    english, russian = pair
    Release.objects.filter(pk=russian.pk).update(status=Release.Status.DRAFT)
    switcher = page(client.get(english.get_absolute_url())).find("nav", cls="languages")
    assert [link.attrs["href"] for link in switcher.find_all("a")] == ["/ru/press-releases/"]


def test_a_release_has_one_translation_per_language(pair, make_release):
    english, _russian = pair
    with pytest.raises(IntegrityError):
        make_release(title="Второй перевод", language="ru", translation_of=english)


@pytest.mark.postgres
def test_russian_search_finds_the_word_in_any_of_its_forms(client, russian_open, pair):
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL's")
    english, russian = pair
    for word in ["выборах", "выборы", "выборов"]:
        response = client.get("/ru/press-releases/", {"q": word})
        assert card_titles(response) == [russian.title], word
    assert card_titles(client.get("/press-releases/", {"q": "выборах"})) == []
    assert card_titles(client.get("/press-releases/", {"q": "election"})) == [english.title]


def test_the_admin_refuses_a_translation_in_its_original_s_language_or_of_a_translation(
    admin_client, pair
):
    english, russian = pair
    for original, language, field in [
        (english, "en", "language"),
        (russian, "de", "translation_of"),
    ]:
        data = new_release_data(
            title="A translation", language=language, translation_of=str(original.pk)
        )
        response = admin_client.post(reverse("admin:press_release_add"), data)
        assert response.status_code == 200
        assert field in response.context["adminform"].form.errors
    assert not Release.objects.filter(title="A translation").exists()


def test_the_admin_saves_a_translation_and_lists_its_language(admin_client, pair):
    english, _russian = pair
    data = new_release_data(
        title="Beobachter berichten", language="de", translation_of=str(english.pk)
    )
    response = admin_client.post(reverse("admin:press_release_add"), data)
    assert response.status_code == 302
    german = Release.objects.get(title="Beobachter berichten")
    assert (german.language, german.translation_of) == ("de", english)
    listing = admin_client.get(reverse("admin:press_release_changelist"), {"language": "de"})
    assert [row.title for row in listing.context["cl"].result_list] == ["Beobachter berichten"]
