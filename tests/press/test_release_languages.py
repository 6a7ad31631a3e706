"""Releases in several languages (issue 18): each is listed, searched and shown in its
own language; a translation and its original lead to each other."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from press.finder import Finder
from press.models import Release
from tests.helpers.admin_forms import new_release_data, shown_form_data
from tests.helpers.factories import make_translated_pair
from tests.helpers.pages import card_titles, page
from tests.helpers.users import WRITERS, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(db):
    """An English release and its published Russian translation."""
    return make_translated_pair()


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


def translate(client, release, language):
    return client.post(reverse("admin:press_translate", args=[release.pk, language]))


def test_a_translation_is_made_from_its_original_in_the_admin(admin_client, make_release):
    original = make_release(
        title="Talks resume", fields=("elections",), countries=("moldova",), place_slug="vienna"
    )
    response = translate(admin_client, original, "ru")
    copy = Release.objects.get(translation_of=original)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:press_release_change", args=[copy.pk])
    assert (copy.language, copy.status, copy.title, copy.body) == (
        "ru",
        Release.Status.DRAFT,
        original.title,
        original.body,
    )
    assert (copy.place, copy.type, copy.published_at) == (
        original.place,
        original.type,
        original.published_at,
    )
    for relation in ("sources", "fields_of_work", "countries"):
        assert set(getattr(copy, relation).all()) == set(getattr(original, relation).all())
    assert copy.slug == f"{original.slug}-ru"
    # Asked again: no second one, and the existing translation is shown.
    again = translate(admin_client, original, "ru")
    assert again["Location"] == reverse("admin:press_release_change", args=[copy.pk])
    assert Release.objects.filter(translation_of=original).count() == 1
    assert (
        admin_client.get(reverse("admin:press_translate", args=[original.pk, "ru"])).status_code
        == 405
    )


def test_the_change_form_shows_the_group_and_offers_the_missing_languages(admin_client, pair):
    english, russian = pair
    form = admin_client.get(reverse("admin:press_release_change", args=[english.pk]))
    html = form.content.decode()
    for code in ("fr", "de", "it", "es"):
        assert f'formaction="{reverse("admin:press_translate", args=[english.pk, code])}"' in html
    assert reverse("admin:press_translate", args=[english.pk, "ru"]) not in html
    assert f'href="{reverse("admin:press_release_change", args=[russian.pk])}"' in html
    shown = admin_client.get(reverse("admin:press_release_change", args=[russian.pk]))
    assert "Translate into" not in shown.content.decode()  # a translation is not translated


def test_a_writer_translates_only_what_they_may_edit(client, make_release):
    mine = make_release(title="Ours", sources=("secretariat",))
    theirs = make_release(title="Theirs", sources=("mission-to-moldova",))
    writer = make_user("writer-scope", WRITERS, scope=("secretariat",))
    client.force_login(writer)
    assert translate(client, mine, "ru").status_code == 302
    assert translate(client, theirs, "ru").status_code in (403, 404)
    assert not Release.objects.filter(translation_of=theirs).exists()


def test_a_change_to_the_original_s_text_marks_its_translations(admin_client, pair):
    english, russian = pair
    english.title = "Observers report on the elections, updated"
    english.save()
    russian.refresh_from_db()
    assert russian.needs_update
    listing = admin_client.get(
        reverse("admin:press_release_changelist"), {"needs_update__exact": "1"}
    )
    assert [row.pk for row in listing.context["cl"].result_list] == [russian.pk]
    russian.status = Release.Status.PUBLISHED  # a state change is no work on the text
    russian.save()
    russian.refresh_from_db()
    assert russian.needs_update
    russian.title = "Наблюдатели о выборах (обновлено)"
    russian.save()
    russian.refresh_from_db()
    assert not russian.needs_update


def test_the_original_s_type_place_and_terms_are_its_translations(admin_client, pair):
    english, russian = pair
    data = shown_form_data(english)
    data.update(type=Release.Type.STATEMENT, countries=[], _continue="1")
    response = admin_client.post(reverse("admin:press_release_change", args=[english.pk]), data)
    assert response.status_code == 302
    russian.refresh_from_db()
    assert russian.type == Release.Type.STATEMENT
    assert not russian.countries.exists()


def test_a_translation_s_form_shows_the_original_to_translate_from(admin_client, pair):
    english, russian = pair
    html = page(admin_client.get(reverse("admin:press_release_change", args=[russian.pk])))
    original = html.find("div", cls="original-text")
    assert original.attrs["lang"] == "en"
    assert english.title in original.text
    assert "The elections were held in calm." in original.text


def also_in(response):
    """Each card's title and its "Also in" links as (language, address)."""
    found = {}
    for card in page(response).find_all("article", cls="card"):
        title = card.find("h3", cls="card__title").text
        links = card.find_all("p", cls="card__also")
        found[title] = [
            (link.attrs["lang"], link.attrs["href"]) for p in links for link in p.find_all("a")
        ]
    return found


def test_results_say_in_which_other_languages_a_release_is(
    client, russian_open, pair, make_release
):
    english, russian = pair
    make_release(title="English only")
    assert also_in(client.get("/press-releases/")) == {
        english.title: [("ru", russian.get_absolute_url())],
        "English only": [],
    }
    assert also_in(client.get("/ru/press-releases/")) == {
        russian.title: [("en", english.get_absolute_url())]
    }
    assert also_in(client.get("/")) == {
        english.title: [("ru", russian.get_absolute_url())],
        "English only": [],
    }
    Release.objects.filter(pk=russian.pk).update(status=Release.Status.DRAFT)
    assert also_in(client.get("/press-releases/"))[english.title] == []


def test_with_one_language_open_cards_name_no_other(client, english_only, pair):
    english, _russian = pair
    assert also_in(client.get("/press-releases/")) == {english.title: []}


def test_dates_are_written_in_the_page_s_language(client, russian_open, make_release):
    moment = dt.datetime(2021, 9, 24, 12, tzinfo=ZoneInfo("Europe/Vienna"))
    english = make_release(title="Talks", published_at=moment)
    russian = make_release(
        title="Переговоры", language="ru", translation_of=english, published_at=moment
    )
    assert "24 September 2021" in page(client.get("/press-releases/")).find("time").text
    assert page(client.get("/ru/press-releases/")).find("time").text == "24 сентября 2021 г."
    detail = page(client.get(russian.get_absolute_url()))
    assert "24 сентября 2021 г." in detail.find("dl").text


@pytest.mark.postgres
def test_a_word_s_matches_are_kept_apart_for_each_language_s_configuration(
    client, russian_open, pair, make_release
):
    """The same words read with Russian and with English stemming match different
    releases: what one language's page computed is never the other's answer."""
    if connection.vendor != "postgresql":
        pytest.skip("the configurations are PostgreSQL's")
    quoted = make_release(title="Voters said «выборы» in Chisinau", body="<p>Quoted.</p>")
    assert card_titles(client.get("/ru/press-releases/", {"q": "выборы"})) == [pair[1].title]
    assert card_titles(client.get("/press-releases/", {"q": "выборы"})) == [quoted.title]
