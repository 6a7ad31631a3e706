"""The Russian names file against the reference data it translates.

Every name the reference lists hold (nested structures and the menu's labelled entries
included) has a Russian name, and nothing in the file names what no list holds any more.
"""

import re

import pytest
from babel import Locale

from institutions.reference import MENU, STRUCTURES
from taxonomy.names import name_key
from taxonomy.reference import (
    COUNTRIES_BY_GROUP,
    COUNTRY_GROUPS,
    FIELDS_OF_WORK,
    HOST_CITIES,
    MEETINGS,
)
from taxonomy.reference_ru import COUNTRY_NAMES, NAMES

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def walk(entries):
    for entry in entries:
        yield entry
        yield from walk(entry.children)


def reference_names():
    """Every English name the reference data writes, by the kind of row that holds it."""
    countries = [country for members in COUNTRIES_BY_GROUP.values() for country in members]
    return {
        "field of work": [name for name, _aliases in FIELDS_OF_WORK],
        "meeting": list(MEETINGS),
        "country group": [name for _slug, name, _aliases in COUNTRY_GROUPS],
        "place": [c.capital for c in countries] + [name for name, _iso, _aliases in HOST_CITIES],
        "structure": [structure.name for structure in walk(STRUCTURES)],
        "menu label": [item.label for item in walk(MENU) if item.label],
    }


def all_reference_names():
    return {name for names in reference_names().values() for name in names}


def reference_countries():
    return {country.iso_code for members in COUNTRIES_BY_GROUP.values() for country in members}


@pytest.mark.parametrize("kind", reference_names())
def test_every_reference_name_has_a_russian_name(kind):
    missing = [name for name in reference_names()[kind] if not NAMES.get(name)]
    assert not missing, f"no Russian name for these {kind} names: {missing}"


def test_the_walk_reaches_nested_structures_and_menu_entries():
    """The check above covers the tree's depths, not only its top level."""
    names = reference_names()
    assert "Programme Office in Bishkek" in names["structure"]
    assert "Office of Internal Oversight" in names["structure"]
    assert {"Our work", "Projects", "All", "About us"} <= set(names["menu label"])


def test_no_russian_name_is_stale():
    stale = sorted(set(NAMES) - all_reference_names())
    assert not stale, f"names no reference entry has any more: {stale}"


def test_russian_names_are_written_in_cyrillic():
    latin_only = {
        english: russian for english, russian in NAMES.items() if not CYRILLIC.search(russian)
    }
    assert not latin_only


@pytest.mark.parametrize(
    "kind", ["field of work", "meeting", "country group", "place", "structure"]
)
def test_no_two_terms_of_a_kind_share_a_russian_name(kind):
    """The importer resolves a Russian name to one term: two sharing it would be a guess."""
    keys = [name_key(NAMES[name]) for name in set(reference_names()[kind])]
    assert len(keys) == len(set(keys))


def test_country_names_are_reference_countries():
    assert set(COUNTRY_NAMES) <= reference_countries()


def test_country_names_list_only_where_the_organisation_differs_from_cldr():
    """A country whose name CLDR already gives needs no entry: the fallback gives it."""
    territories = Locale("ru").territories
    same = {iso: name for iso, name in COUNTRY_NAMES.items() if territories[iso] == name}
    assert not same


def test_the_organisations_country_names_are_kept_where_cldr_writes_others():
    assert COUNTRY_NAMES["KG"] == "Кыргызстан"
    assert COUNTRY_NAMES["RU"] == "Российская Федерация"
    assert COUNTRY_NAMES["US"] == "Соединенные Штаты Америки"
