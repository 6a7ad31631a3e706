"""Reference data in every language: names in the page's language, in its alphabet.

The test database starts with the reference data (tests/conftest.py), Russian names
included (taxonomy/reference_ru.py); countries the organisation names as CLDR does have
no Russian name of their own and take CLDR's.
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from institutions.models import Structure
from taxonomy.models import Country, FieldOfWork, Place
from taxonomy.names import make_slug
from taxonomy.translated import alphabetical, collation_key
from tests.helpers.admin_forms import shown_form_data
from tests.helpers.pages import page

pytestmark = pytest.mark.django_db


def menu_labels(response, heading):
    """The labels of the menu's entries under the heading named ``heading``."""
    for item in page(response).find("nav", cls="menu").find_all("li", cls="menu__heading"):
        if item.find("span" if item.find_all("span") else "a").text == heading:
            return [entry.text for entry in item.find("ul").find_all("a")]
    raise AssertionError(f"no menu heading {heading!r}")


def test_a_country_takes_cldr_s_name_unless_the_organisation_writes_its_own():
    poland = Country.objects.get(iso_code="PL")
    kyrgyzstan = Country.objects.get(iso_code="KG")
    assert poland.name_ru == ""
    assert poland.name_in("ru") == "Польша"  # CLDR's
    assert poland.name_in("fr") == "Pologne"
    assert kyrgyzstan.name_in("ru") == "Кыргызстан"  # the organisation's, not "Киргизия"
    assert poland.name_in("en") == "Poland"


def test_a_term_without_a_translation_keeps_its_default_name(settings):
    field = FieldOfWork.objects.get(slug="elections")
    assert field.name_in("ru") == "Выборы"
    assert field.name_in("de") == "Elections"  # no German reference names yet


def test_the_russian_menu_lists_the_reference_data_in_russian_in_russian_order(
    client, russian_open
):
    russian = client.get("/ru/")
    states = menu_labels(russian, "Государства-участники")
    assert len(states) == 57
    assert states == sorted(states, key=lambda name: collation_key(name, "ru"))
    assert states[:3] == ["Австрия", "Азербайджан", "Албания"]
    assert "Соединенные Штаты Америки" in states
    fields = menu_labels(russian, "Направления деятельности")
    assert "Контроль над вооружениями" in fields
    run = [name for name in fields if FieldOfWork.objects.filter(name_ru=name).exists()]
    assert run == sorted(run, key=lambda name: collation_key(name, "ru"))

    english = menu_labels(client.get("/"), "Participating States")
    assert english[5:7] == ["Belgium", "Belarus"]  # the seed's order, kept in English


def test_the_russian_states_list_is_in_russian_order_within_each_group(client, russian_open):
    body = page(client.get("/ru/countries/"))
    lists = body.find("main").find_all("ul")
    participating = [link.text for link in lists[0].find_all("a")]
    assert participating[:3] == ["Австрия", "Азербайджан", "Албания"]
    assert participating == sorted(participating, key=lambda name: collation_key(name, "ru"))
    for link in lists[0].find_all("a"):
        assert link.attrs["href"].startswith("/ru/countries/")


def test_an_editor_s_name_shows_on_the_menu_the_list_and_the_finder_at_the_next_request(
    client, russian_open, make_release
):
    make_release(countries=("poland",))
    before = client.get("/ru/press-releases/").content.decode()
    assert "Польша" in before
    Country.objects.filter(iso_code="PL").update(name_ru="Республика Польша")
    for path in ("/ru/", "/ru/countries/", "/ru/press-releases/"):
        html = client.get(path).content.decode()
        assert "Республика Польша" in html, path


def test_a_release_s_terms_and_place_are_named_in_the_page_s_language(
    client, russian_open, make_release
):
    make_release(
        language="ru",
        title="Наблюдатели на выборах",
        fields=("elections",),
        place_slug="vienna",
        sources=("office-for-democratic-institutions-and-human-rights",),
    )
    listed = client.get("/ru/press-releases/").content.decode()
    assert "Вена" in listed
    facets = page(client.get("/ru/press-releases/")).find("fieldset", **{"data-facet": "field"})
    assert "Выборы" in facets.text
    english = client.get("/press-releases/").content.decode()
    assert "Вена" not in english


def test_the_finder_s_countries_are_in_the_language_s_order(client, russian_open, make_release):
    for slug in ("austria", "albania", "azerbaijan"):
        make_release(language="ru", countries=(slug,))
    facet = page(client.get("/ru/press-releases/")).find("fieldset", **{"data-facet": "country"})
    names = [label.text.split("(")[0].strip() for label in facet.find_all("label")]
    shown = [name for name in names if name in ("Австрия", "Азербайджан", "Албания")]
    assert shown == ["Австрия", "Азербайджан", "Албания"]


def test_a_name_in_any_language_means_one_term():
    field = FieldOfWork(name="Electoral matters", slug="electoral-matters", name_ru="Выборы")
    with pytest.raises(ValidationError) as refused:
        field.full_clean()
    assert "name_ru" in refused.value.message_dict


def test_the_importer_knows_the_names_in_every_language():
    assert FieldOfWork.objects.all().resolver()["выборы"].slug == "elections"
    found = Structure.objects.search_names("бюро по демократическим")
    assert [structure.slug for structure in found] == [
        "office-for-democratic-institutions-and-human-rights"
    ]


def test_loading_the_reference_data_again_keeps_an_editor_s_translation():
    Place.objects.filter(slug="vienna").update(name_ru="Вена (штаб-квартира)")
    FieldOfWork.objects.filter(slug="youth").update(name_ru="")
    call_command("load_reference_data", verbosity=0)
    assert Place.objects.get(slug="vienna").name_ru == "Вена (штаб-квартира)"
    assert FieldOfWork.objects.get(slug="youth").name_ru == "Молодежь"  # empty: filled


def test_russian_order_files_yo_under_ye_and_keeps_short_i_apart():
    names = ["Йемен", "Ёлка", "Иран", "Ель", "Жук", "Елена"]
    assert sorted(names, key=lambda name: collation_key(name, "ru")) == [
        "Елена",
        "Ёлка",  # as "елка": before "ель"
        "Ель",
        "Жук",
        "Иран",
        "Йемен",
    ]
    assert sorted(["Zypern", "Österreich", "Polen"], key=lambda n: collation_key(n, "de")) == [
        "Österreich",
        "Polen",
        "Zypern",
    ]


def test_lists_keep_the_editors_order_in_the_default_language(settings):
    names = ["Belgium", "Belarus"]
    assert alphabetical(names, name=str, code="en") == names
    assert alphabetical(names, name=str, code="ru") == ["Belarus", "Belgium"]


def test_the_admin_form_has_a_folded_section_per_language_with_cldr_s_name_shown(
    admin_client,
):
    poland = Country.objects.get(iso_code="PL")
    body = page(admin_client.get(f"/admin/taxonomy/country/{poland.pk}/change/"))
    russian = body.find("input", name="name_ru")
    assert russian.attrs["placeholder"] == "Польша"
    sections = [legend.text.strip() for legend in body.find_all("h2", cls="fieldset-heading")]
    assert {"Русский", "Français", "Deutsch"} <= set(sections)


def test_a_translator_s_russian_name_is_saved_through_the_admin(admin_client):
    field = FieldOfWork.objects.get(slug="youth")
    url = f"/admin/taxonomy/fieldofwork/{field.pk}/change/"
    data = shown_form_data(field)
    data["name_ru"] = "Молодёжь"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    field.refresh_from_db()
    assert field.name_ru == "Молодёжь"
    assert field.name == "Youth"


def test_a_menu_entry_not_yet_translated_says_its_language(client, russian_open):
    FieldOfWork.objects.filter(slug="youth").update(name_ru="")
    menu = page(client.get("/ru/")).find("nav", cls="menu")
    youth = [link for link in menu.find_all("a") if link.text == "Youth"]
    assert youth
    assert youth[0].attrs["lang"] == "en"
    translated = [link for link in menu.find_all("a") if link.text == "Выборы"]
    assert "lang" not in translated[0].attrs
    english_menu = page(client.get("/")).find("nav", cls="menu")
    assert all("lang" not in link.attrs for link in english_menu.find_all("a"))


def test_a_cyrillic_name_or_title_gets_an_address_in_latin_letters():
    assert make_slug("Наблюдатели о выборах") == "nabliudateli-o-vyborakh"
    assert make_slug("Съезд в Щучине: ёлка") == "sieezd-v-shchuchine-elka"
    assert make_slug("Цифровая безопасность / ИКТ") == "tsifrovaia-bezopasnost-ikt"
    assert make_slug("Cyber/ICT Security") == "cyber-ict-security"  # as before


def test_a_country_answers_to_cldr_s_names_in_every_language():
    resolver = Country.objects.all().resolver()
    assert resolver["киргизия"].iso_code == "KG"  # CLDR's, beside the organisation's
    assert resolver["кыргызстан"].iso_code == "KG"
    assert resolver["pologne"].iso_code == "PL"
