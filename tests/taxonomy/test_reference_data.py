"""The reference data against the seed page: the menu, countries, places, chairs, the loader."""

import datetime as dt
import re
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, transaction

from taxonomy.menu import flatten, read_tree
from taxonomy.models import Chairpersonship, Country, FieldOfWork, MenuItem, Place
from tests.helpers.reference import (
    FINLAND_CHAIR,
    IN_2025,
    IN_2026,
    SWITZERLAND_CHAIR,
    country_sections,
)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "minsk-group-statement-2021-09-24.txt"
SAMPLE_SEED = ROOT / "press" / "sample_pages" / "minsk-group-statement-2021-09-24.txt"

# Independent of the loader's own lists: what the reference data must hold.
CAPITALS = {
    # participating States
    "AL": "Tirana",
    "AD": "Andorra la Vella",
    "AM": "Yerevan",
    "AT": "Vienna",
    "AZ": "Baku",
    "BE": "Brussels",
    "BY": "Minsk",
    "BA": "Sarajevo",
    "BG": "Sofia",
    "CA": "Ottawa",
    "HR": "Zagreb",
    "CY": "Nicosia",
    "CZ": "Prague",
    "DK": "Copenhagen",
    "EE": "Tallinn",
    "FI": "Helsinki",
    "FR": "Paris",
    "GE": "Tbilisi",
    "DE": "Berlin",
    "GR": "Athens",
    "VA": "Vatican City",
    "HU": "Budapest",
    "IS": "Reykjavik",
    "IE": "Dublin",
    "IT": "Rome",
    "KZ": "Astana",
    "KG": "Bishkek",
    "LV": "Riga",
    "LI": "Vaduz",
    "LT": "Vilnius",
    "LU": "Luxembourg",
    "MT": "Valletta",
    "MD": "Chisinau",
    "MC": "Monaco",
    "MN": "Ulaanbaatar",
    "ME": "Podgorica",
    "NL": "Amsterdam",
    "MK": "Skopje",
    "NO": "Oslo",
    "PL": "Warsaw",
    "PT": "Lisbon",
    "RO": "Bucharest",
    "RU": "Moscow",
    "SM": "San Marino",
    "RS": "Belgrade",
    "SK": "Bratislava",
    "SI": "Ljubljana",
    "ES": "Madrid",
    "SE": "Stockholm",
    "CH": "Bern",
    "TJ": "Dushanbe",
    "TR": "Ankara",
    "TM": "Ashgabat",
    "UA": "Kyiv",
    "GB": "London",
    "US": "Washington, D.C.",
    "UZ": "Tashkent",
    # Asian Partners for Co-operation
    "AF": "Kabul",
    "AU": "Canberra",
    "JP": "Tokyo",
    "KR": "Seoul",
    "TH": "Bangkok",
    # Mediterranean Partners for Co-operation
    "DZ": "Algiers",
    "EG": "Cairo",
    "IL": "Jerusalem",
    "JO": "Amman",
    "MA": "Rabat",
    "TN": "Tunis",
}

HOST_CITIES = {
    "Vienna": "Austria",
    "Warsaw": "Poland",
    "The Hague": "The Netherlands",
    "Copenhagen": "Denmark",
    "Geneva": "Switzerland",
    "Prague": "Czech Republic",
}


def seed_menu_lines(text):
    """The seed's menu section: every line up to and including "- About us".

    A menu line is "-" (a heading follows), "- Name" (a leaf) or the name right after a
    lone "-"; the first line that is none of these ends the menu.
    """
    lines = []
    previous = None
    for line in text.splitlines():
        if not (line == "-" or line.startswith("- ") or previous == "-"):
            break
        lines.append(line)
        previous = line
    return lines


def seed_children(menu_lines, heading, until):
    """The leaf names after the heading ``heading`` up to the line ``- until``."""
    start = next(i for i in range(len(menu_lines) - 1) if menu_lines[i : i + 2] == ["-", heading])
    end = menu_lines.index(f"- {until}", start)
    return [line.removeprefix("- ") for line in menu_lines[start + 2 : end]]


def row_counts():
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def load(*args):
    out = StringIO()
    call_command("load_reference_data", *args, stdout=out)
    return out.getvalue()


# The seed and its menu


def test_the_seed_parser_stops_at_the_first_line_after_the_menu():
    text = "-\nOur work\n- Arms control\n-\nCountries\n- About us\nPress release\n- Date:\n"
    assert seed_menu_lines(text) == [
        "-",
        "Our work",
        "- Arms control",
        "-",
        "Countries",
        "- About us",
    ]


def test_the_seeds_menu_section_ends_with_about_us(seed_text):
    lines = seed_menu_lines(seed_text)
    assert lines[:2] == ["-", "Our work"]
    assert lines[-1] == "- About us"
    assert f"- {FINLAND_CHAIR}" in lines


def test_the_committed_sample_page_is_the_shared_seed():
    if not SHARED_SEED.exists():
        pytest.skip("the shared seed is not beside this checkout")
    assert SAMPLE_SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_the_menu_is_the_seeds_menu_entry_for_entry_in_2025(seed_text):
    """Every heading and leaf, in order, with the chair of 2025 marked as the seed shows."""
    with time_machine.travel(IN_2025, tick=False):
        menu = flatten(read_tree())
    assert menu == seed_menu_lines(seed_text)


def test_in_2026_the_menu_differs_from_the_seed_only_by_the_chair_marker(seed_text):
    expected = [
        {
            f"- {FINLAND_CHAIR}": "- Finland",
            "- Switzerland": f"- {SWITZERLAND_CHAIR}",
        }.get(line, line)
        for line in seed_menu_lines(seed_text)
    ]
    with time_machine.travel(IN_2026, tick=False):
        menu = flatten(read_tree())
    assert menu == expected


def test_an_explicit_year_picks_that_years_chair():
    with time_machine.travel(IN_2026, tick=False):
        menu = flatten(read_tree(2021))
    assert "- Sweden – OSCE Chairpersonship 2021" in menu
    assert not any("Switzerland –" in line for line in menu)


@pytest.mark.parametrize(
    ("when", "shown", "not_shown"),
    [
        (IN_2025, FINLAND_CHAIR, "Switzerland – OSCE Chairpersonship"),
        (IN_2026, SWITZERLAND_CHAIR, "Finland – OSCE Chairpersonship"),
    ],
)
def test_the_home_page_menu_marks_the_chair_of_the_year(client, when, shown, not_shown):
    with time_machine.travel(when, tick=False):
        response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert shown in content
    assert not_shown not in content


def test_the_cached_menu_follows_the_new_year(client):
    """The cached menu is kept per year, so on 1 January the marker moves on its own."""
    with time_machine.travel(dt.datetime(2025, 12, 31, 22, 0, tzinfo=dt.UTC), tick=False):
        last_day = client.get("/").content.decode()  # 23:00 in Vienna
    with time_machine.travel(dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        new_year = client.get("/").content.decode()  # 00:30 in Vienna
    assert FINLAND_CHAIR in last_day
    assert SWITZERLAND_CHAIR in new_year
    assert "Finland – OSCE Chairpersonship" not in new_year


def test_the_chair_marker_is_computed_not_stored():
    assert not Country.objects.filter(name__icontains="Chairpersonship").exists()
    assert not MenuItem.objects.filter(label__icontains="Chairpersonship 20").exists()


# Chairpersonships


def test_the_chairs_of_2020_to_2026_are_loaded():
    chairs = dict(
        Chairpersonship.objects.filter(year__range=(2020, 2026)).values_list(
            "year", "country__name"
        )
    )
    assert chairs == {
        2020: "Albania",
        2021: "Sweden",
        2022: "Poland",
        2023: "North Macedonia",
        2024: "Malta",
        2025: "Finland",
        2026: "Switzerland",
    }


def test_the_database_refuses_a_second_chair_for_a_year():
    sweden = Country.objects.get(name="Sweden")
    with pytest.raises(IntegrityError), transaction.atomic():
        Chairpersonship.objects.create(year=2025, country=sweden)
    assert Chairpersonship.objects.for_year(2025).country.name == "Finland"


def test_the_database_refuses_an_implausible_chair_year():
    sweden = Country.objects.get(name="Sweden")
    with pytest.raises(IntegrityError), transaction.atomic():
        Chairpersonship.objects.create(year=1900, country=sweden)


# Countries and places


@pytest.mark.parametrize(
    ("group_slug", "count"),
    [
        ("participating-states", 57),
        ("asian-partners-for-co-operation", 5),
        ("mediterranean-partners-for-co-operation", 6),
    ],
)
def test_each_country_group_has_its_members(group_slug, count):
    assert Country.objects.filter(group__slug=group_slug).count() == count


def test_every_country_has_a_two_letter_iso_code():
    codes = list(Country.objects.values_list("iso_code", flat=True))
    assert len(codes) == 68
    assert all(code and re.fullmatch(r"[A-Z]{2}", code) for code in codes), codes
    assert set(codes) == set(CAPITALS)


def test_the_participating_states_are_the_seeds(seed_text):
    seed = seed_children(
        seed_menu_lines(seed_text), "Participating States", "Asian Partners for Co-operation"
    )
    seed = [name.removesuffix(" – OSCE Chairpersonship 2025") for name in seed]
    names = Country.objects.filter(group__slug="participating-states").values_list(
        "name", flat=True
    )
    assert len(seed) == 57
    assert sorted(names) == sorted(seed)


def test_the_netherlands_sorts_under_n():
    assert Country.objects.get(name="The Netherlands").sort_name == "Netherlands"
    names = list(
        Country.objects.filter(group__slug="participating-states").values_list("name", flat=True)
    )
    assert names.index("Norway") - names.index("The Netherlands") == 2  # North Macedonia between


def test_turkiye_sorts_between_tajikistan_and_turkmenistan():
    names = list(
        Country.objects.filter(group__slug="participating-states")
        .order_by("sort_name")
        .values_list("name", flat=True)
    )
    at = names.index("Türkiye")
    assert names[at - 1 : at + 2] == ["Tajikistan", "Türkiye", "Turkmenistan"]


def test_every_country_has_its_capital_as_a_place_in_it():
    missing = [
        (country.name, CAPITALS[country.iso_code])
        for country in Country.objects.all()
        if not Place.objects.filter(name=CAPITALS[country.iso_code], country=country).exists()
    ]
    assert missing == []


def test_pristina_is_a_place_without_a_country():
    pristina = Place.objects.get(name="Pristina")
    assert pristina.country is None


@pytest.mark.parametrize(("city", "country"), HOST_CITIES.items())
def test_the_cities_that_host_structures_are_places(city, country):
    assert Place.objects.get(name=city).country.name == country


# The countries page


def test_the_countries_page_lists_the_participating_states_in_the_seeds_order(client, seed_text):
    seed = seed_children(
        seed_menu_lines(seed_text), "Participating States", "Asian Partners for Co-operation"
    )
    seed = [name.removesuffix(" – OSCE Chairpersonship 2025") for name in seed]
    response = client.get("/countries/")
    assert response.status_code == 200
    sections = country_sections(response.content.decode())
    assert sections["participating-states"] == seed
    assert sections["participating-states"].index("Belgium") < sections[
        "participating-states"
    ].index("Belarus")


def test_the_countries_page_lists_the_partner_groups_after_the_states(client):
    response = client.get("/countries/")
    sections = country_sections(response.content.decode())
    assert list(sections) == [
        "participating-states",
        "asian-partners-for-co-operation",
        "mediterranean-partners-for-co-operation",
    ]
    assert sections["asian-partners-for-co-operation"] == [
        "Afghanistan",
        "Australia",
        "Japan",
        "Republic of Korea",  # sorted as Korea
        "Thailand",
    ]
    assert sections["mediterranean-partners-for-co-operation"] == [
        "Algeria",
        "Egypt",
        "Israel",
        "Jordan",
        "Morocco",
        "Tunisia",
    ]


def test_the_countries_page_marks_the_chair_of_the_year(client):
    with time_machine.travel(IN_2025, tick=False):
        content = client.get("/countries/").content.decode()
    assert re.search(
        r">Finland</a>\s*<span class=\"chair-marker\">– OSCE Chairpersonship 2025<", content
    )


# Loading again


def test_loading_again_creates_nothing():
    before = row_counts()
    output = load()
    assert row_counts() == before
    lines = [line for line in output.splitlines() if " created, " in line]
    assert lines, output
    assert all(" 0 created, 0 updated, " in line for line in lines), output
    assert "Reference data loaded." in output


def test_loading_again_keeps_what_editors_renamed_and_added():
    youth = FieldOfWork.objects.get(slug="youth")
    youth.name = "Youth and security"
    youth.save()
    new_field = FieldOfWork.objects.create(name="Artificial intelligence")
    # The menu gave the new field its entry beside the other fields (menu.follow).
    new_entry = MenuItem.objects.get(object_id=new_field.pk, content_type__model="fieldofwork")
    assert new_entry.parent.label == "Fields of work"
    newsletter = MenuItem.objects.create(label="Newsletter", url="/newsletter/")
    before = row_counts()

    output = load()

    assert row_counts() == before
    assert all(" 0 created, " in line for line in output.splitlines() if " created, " in line)
    youth.refresh_from_db()
    assert youth.name == "Youth and security"
    assert not FieldOfWork.objects.filter(name="Youth").exists()
    assert FieldOfWork.objects.filter(name="Artificial intelligence").count() == 1
    assert MenuItem.objects.filter(pk__in=[new_entry.pk, newsletter.pk]).count() == 2
    menu = flatten(read_tree())
    assert menu.count("- Youth and security") == 1
    assert "- Youth" not in menu
    assert menu.count("- Artificial intelligence") == 1
    assert menu[-2:] == ["-", "Newsletter"]


def test_loading_again_keeps_a_menu_heading_an_editor_renamed():
    """Renaming a heading must not make the loader add the seed's heading and subtree again."""
    heading = MenuItem.objects.get(parent=None, label="Our work")
    heading.label = "What we do"
    heading.save()
    before = row_counts()

    load()

    assert row_counts() == before
    menu = flatten(read_tree())
    assert menu[:2] == ["-", "What we do"]
    assert "Our work" not in menu
    assert menu.count("- Arms control") == 1


def test_loading_again_keeps_a_menu_link_an_editor_renamed():
    projects = MenuItem.objects.get(label="Projects")
    projects.label = "Our projects"
    projects.save()
    before = row_counts()

    load()

    assert row_counts() == before
    assert not MenuItem.objects.filter(label="Projects").exists()
    assert MenuItem.objects.filter(url="https://www.osce.org/projects").count() == 1


def test_loading_again_keeps_a_menu_entry_where_an_editor_moved_it():
    """Editors drag entries in the admin; a term's entry moved elsewhere is not added back."""
    youth = FieldOfWork.objects.get(slug="youth")
    entry = youth.menu_items.get()
    entry.move_to(MenuItem.objects.get(label="Meetings and conferences"), "last-child")
    before = row_counts()

    load()

    assert row_counts() == before
    assert youth.menu_items.count() == 1
    assert youth.menu_items.get().parent.label == "Meetings and conferences"


def test_a_renamed_term_that_keeps_its_old_name_as_an_alias_is_not_loaded_again():
    """An editor may re-slug a term; recording the old name as an alias keeps it one term."""
    youth = FieldOfWork.objects.get(slug="youth")
    youth.name = "Youth and security"
    youth.slug = "youth-and-security"
    youth.aliases = "Youth"
    youth.save()
    before = row_counts()

    load()

    assert row_counts() == before
    assert FieldOfWork.objects.filter(name__istartswith="youth").count() == 1


def test_a_dry_run_writes_nothing_and_a_real_run_restores_what_is_missing():
    Chairpersonship.objects.filter(year=2024).delete()
    before = row_counts()

    output = load("--dry-run")

    assert row_counts() == before
    assert not Chairpersonship.objects.filter(year=2024).exists()
    assert "chairpersonships: 1 created" in output
    assert "Dry run: nothing was written." in output

    output = load()

    assert Chairpersonship.objects.for_year(2024).country.name == "Malta"
    assert "chairpersonships: 1 created" in output
    assert "Reference data loaded." in output
