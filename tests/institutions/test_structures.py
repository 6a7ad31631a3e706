"""The structures tree as the seed shows it, its subtree query, aliases and admin search."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from institutions.models import Structure
from taxonomy.models import Country
from taxonomy.names import name_key

pytestmark = pytest.mark.django_db

Kind = Structure.Kind


def seed_children(seed_text, heading, until):
    """The leaf names the seed's menu lists under ``heading``, up to the leaf ``until``."""
    lines = seed_text.splitlines()
    start = next(i for i in range(len(lines) - 1) if lines[i : i + 2] == ["-", heading])
    end = lines.index(f"- {until}", start)
    return [line.removeprefix("- ") for line in lines[start + 2 : end]]


def names(queryset):
    return [structure.name for structure in queryset]


@pytest.fixture
def secretariat():
    return Structure.objects.get(slug="secretariat")


# The tree


def test_the_top_of_the_tree_is_the_seeds():
    assert names(Structure.objects.root_nodes()) == [
        "Chairpersonship",
        "Secretariat",
        "Institutions",
        "Field operations",
        "Parliamentary Assembly",
        "Court of Conciliation and Arbitration",
    ]


def test_the_secretariats_units_are_in_the_seeds_order(seed_text, secretariat):
    expected = seed_children(seed_text, "Secretariat", "Institutions")
    assert len(expected) == 12
    assert names(secretariat.get_children()) == expected
    assert {unit.kind for unit in secretariat.get_children()} == {Kind.UNIT}


def test_the_field_operations_are_in_the_seeds_order(seed_text):
    field_operations = Structure.objects.get(slug="field-operations")
    expected = seed_children(seed_text, "Field operations", "Parliamentary Assembly")
    children = names(field_operations.get_children())
    assert children == expected
    assert children[-1] == "Closed field activities"
    assert len(children) == 13


def test_the_institutions_are_odihr_hcnm_and_rfom():
    institutions = Structure.objects.get(slug="institutions")
    children = list(institutions.get_children())
    assert names(children) == [
        "Office for Democratic Institutions and Human Rights",
        "High Commissioner on National Minorities",
        "Representative on Freedom of the Media",
    ]
    assert [child.alias_list()[0] for child in children] == ["ODIHR", "HCNM", "RFoM"]
    assert {child.kind for child in children} == {Kind.INSTITUTION}
    assert [child.seat.name for child in children] == ["Warsaw", "The Hague", "Vienna"]


@pytest.mark.parametrize(
    ("operation", "country"),
    [
        ("mission-to-moldova", "Moldova"),
        ("presence-in-albania", "Albania"),
        ("centre-in-ashgabat", "Turkmenistan"),
        ("mission-to-skopje", "North Macedonia"),
        ("project-co-ordinator-in-uzbekistan", "Uzbekistan"),
    ],
)
def test_a_field_operation_has_its_host_country(operation, country):
    structure = Structure.objects.get(slug=operation)
    assert structure.kind == Kind.FIELD_OPERATION
    assert structure.host_country.name == country


def test_the_mission_in_kosovo_has_no_host_country_and_sits_in_pristina():
    kosovo = Structure.objects.get(slug="mission-in-kosovo")
    assert kosovo.host_country is None
    assert kosovo.seat.name == "Pristina"


def test_every_open_field_operation_has_a_seat():
    operations = Structure.objects.filter(kind=Kind.FIELD_OPERATION)
    assert operations.count() == 12
    assert not operations.filter(seat__isnull=True).exists()


# Subtrees


def test_the_subtree_of_the_secretariat_is_it_and_its_twelve_units(
    secretariat, django_assert_num_queries
):
    with django_assert_num_queries(1):
        subtree = list(Structure.objects.subtree_of(secretariat))
    assert len(subtree) == 13
    assert {s.pk for s in subtree} == {secretariat.pk} | {
        unit.pk for unit in secretariat.get_children()
    }


def test_a_subtree_reaches_below_the_first_level(secretariat):
    cpc = Structure.objects.get(slug="conflict-prevention-centre")
    desk = Structure.objects.create(name="Operations Service", parent=cpc, kind=Kind.UNIT)
    secretariat.refresh_from_db()
    assert desk in Structure.objects.subtree_of(secretariat)
    assert desk not in Structure.objects.subtree_of(Structure.objects.get(slug="institutions"))


def test_the_subtree_of_several_nodes_is_their_union(secretariat):
    institutions = Structure.objects.get(slug="institutions")
    subtree = Structure.objects.subtree_of(secretariat, institutions)
    assert subtree.count() == 13 + 4
    assert not subtree.filter(slug="mission-to-moldova").exists()


def test_the_subtree_of_no_node_is_empty():
    assert not Structure.objects.subtree_of().exists()


# Aliases


def test_the_structure_resolver_knows_the_archives_spellings():
    resolve = Structure.objects.all().resolver()
    moldova = Structure.objects.get(slug="mission-to-moldova")
    chair = Structure.objects.get(slug="chairpersonship")
    assert resolve[name_key("OSCE Mission to Moldova")] == moldova
    assert resolve[name_key("MISSION TO MOLDOVA")] == moldova
    assert resolve[name_key("Chairmanship")] == chair
    assert resolve[name_key("Chairperson-in-Office")] == chair
    assert (
        resolve[name_key("OSCE/ODIHR")].slug
        == "office-for-democratic-institutions-and-human-rights"
    )


def test_the_country_resolver_knows_earlier_names():
    resolve = Country.objects.all().resolver()
    assert resolve[name_key("Czechia")].name == "Czech Republic"
    assert resolve[name_key("Turkey")].name == "Türkiye"
    assert resolve[name_key("TÜRKIYE")].name == "Türkiye"
    assert resolve[name_key("Netherlands")].name == "The Netherlands"


def test_an_alias_that_names_another_term_is_refused():
    moldova = Country.objects.get(slug="moldova")
    moldova.aliases = "Republic of Moldova\nTurkey"
    with pytest.raises(ValidationError) as error:
        moldova.clean()
    assert "aliases" in error.value.message_dict
    assert "Türkiye" in error.value.message_dict["aliases"][0]


def test_an_alias_is_refused_however_it_is_spelt():
    structure = Structure(name="Democratic Institutions Office", aliases="osce/odihr")
    with pytest.raises(ValidationError) as error:
        structure.clean()
    assert "aliases" in error.value.message_dict


def test_a_name_that_names_another_term_is_refused():
    structure = Structure(name="Chairmanship")
    with pytest.raises(ValidationError) as error:
        structure.clean()
    assert "name" in error.value.message_dict


def test_a_terms_own_names_are_not_a_conflict():
    Country.objects.get(slug="turkiye").clean()
    Structure.objects.get(slug="chairpersonship").clean()


# Admin search


def _changelist_names(admin_client, url, search):
    response = admin_client.get(url, {"q": search})
    assert response.status_code == 200
    return [term.name for term in response.context["cl"].result_list]


def test_the_admin_finds_turkiye_when_searching_for_turkey(admin_client):
    assert _changelist_names(admin_client, "/admin/taxonomy/country/", "turkey") == ["Türkiye"]


def test_the_admin_search_ignores_diacritics(admin_client):
    assert _changelist_names(admin_client, "/admin/taxonomy/country/", "TURKIYE") == ["Türkiye"]


def test_the_admin_finds_the_chairpersonship_when_searching_for_chairmanship(admin_client):
    found = _changelist_names(admin_client, "/admin/institutions/structure/", "chairmanship")
    assert found == ["Chairpersonship"]


def test_the_admin_search_still_matches_names(admin_client):
    found = _changelist_names(admin_client, "/admin/institutions/structure/", "mission to")
    assert sorted(found) == [
        "Mission to Bosnia and Herzegovina",
        "Mission to Moldova",
        "Mission to Montenegro",
        "Mission to Serbia",
        "Mission to Skopje",
    ]


# Opening and closing


def test_the_database_refuses_a_closing_before_the_opening():
    closed = Structure.objects.get(slug="closed-field-activities")
    with pytest.raises(IntegrityError), transaction.atomic():
        Structure.objects.create(
            name="Mission to Georgia",
            parent=closed,
            kind=Kind.FIELD_OPERATION,
            opened_on=dt.date(2009, 6, 30),
            closed_on=dt.date(1992, 12, 13),
        )


def test_a_closed_operation_is_kept_and_no_longer_active():
    closed = Structure.objects.get(slug="closed-field-activities")
    georgia = Structure.objects.create(
        name="Mission to Georgia",
        parent=closed,
        kind=Kind.FIELD_OPERATION,
        host_country=Country.objects.get(slug="georgia"),
        opened_on=dt.date(1992, 12, 13),
        closed_on=dt.date(2009, 6, 30),
    )
    assert not georgia.is_active
    assert Structure.objects.get(slug="mission-to-moldova").is_active
    assert georgia in Structure.objects.subtree_of(Structure.objects.get(slug="field-operations"))
