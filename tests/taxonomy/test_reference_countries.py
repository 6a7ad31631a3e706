"""Countries kept in the admin: added, renamed (the old address redirects, the old name
stays an alias) and moved to another group, each shown in its sorted place on the
countries page and in the menu; the ISO code field."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from taxonomy.models import Country, MenuItem, OldAddress
from taxonomy.names import name_key
from tests.helpers.admin_forms import change_url, form_data, form_errors, shown_form_data
from tests.helpers.factories import group
from tests.helpers.menu import menu_parent, neighbours, public_menu
from tests.helpers.reference import ASIAN, COUNTRIES_URL, PARTICIPATING, country_sections

pytestmark = pytest.mark.django_db


def test_a_country_added_in_the_admin_is_listed_and_in_the_menu_in_sorted_place(
    admin_client, client
):
    data = form_data(admin_client.get(reverse("admin:taxonomy_country_add")))
    data.update(name="Kosovo", slug="kosovo", group=str(group(PARTICIPATING).pk), iso_code="XK")

    response = admin_client.post(reverse("admin:taxonomy_country_add"), data)

    assert response.status_code == 302, form_errors(response)
    kosovo = Country.objects.get(slug="kosovo")
    assert kosovo.sort_name == "Kosovo"
    states = country_sections(client.get("/countries/").content.decode())[PARTICIPATING]
    assert neighbours(states, "Kosovo") == ["Kazakhstan", "Kosovo", "Kyrgyzstan"]
    holder, siblings = menu_parent(public_menu(client), "Kosovo")
    assert holder == "Participating States"
    assert neighbours(siblings, "Kosovo") == ["Kazakhstan", "Kosovo", "Kyrgyzstan"]
    assert client.get("/countries/kosovo/").status_code == 200


def test_renaming_turkiye_redirects_its_old_address_and_keeps_its_releases(
    admin_client, client, make_release
):
    release = make_release(title="Ankara talks on water", countries=("turkiye",))
    turkiye = Country.objects.get(slug="turkiye")
    data = shown_form_data(turkiye)
    data.update(name="Turkey", slug="turkey")

    response = admin_client.post(change_url(turkiye), data)

    assert response.status_code == 302, form_errors(response)
    page = client.get("/countries/turkiye/?q=water&page=2")
    assert page.status_code == 301
    assert page["Location"] == "/countries/turkey/?q=water&page=2"
    feed = client.get("/countries/turkiye/feed/?q=water")
    assert feed.status_code == 301
    assert feed["Location"] == "/countries/turkey/feed/?q=water"

    new_page = client.get("/countries/turkey/")
    assert new_page.status_code == 200
    assert list(new_page.context["releases"]) == [release]
    assert release.title in client.get("/countries/turkey/feed/").content.decode()
    assert menu_parent(public_menu(client), "Turkey")[0] == "Participating States"

    # The archive's old name still finds the country: in the admin's search and for the
    # importer, which resolves names through the aliases.
    turkiye.refresh_from_db()
    assert name_key("Türkiye") in {name_key(alias) for alias in turkiye.alias_list()}
    assert Country.objects.all().resolver()[name_key("Türkiye")] == turkiye
    found = admin_client.get(COUNTRIES_URL, {"q": "Türkiye"}).context["cl"].result_list
    assert list(found) == [turkiye]


def test_a_renamed_country_keeps_its_old_name_as_an_alias(admin_client):
    """Austria has no alias that already stands for its old name: the name itself is kept."""
    austria = Country.objects.get(slug="austria")
    data = shown_form_data(austria)
    data["name"] = "Republic of Austria"

    assert admin_client.post(change_url(austria), data).status_code == 302

    austria.refresh_from_db()
    assert austria.alias_list() == ["Austria"]
    assert austria.slug == "austria"  # the slug changes only when an admin changes it
    assert not OldAddress.objects.filter(object_id=austria.pk, old_slug="austria").exists()


def test_moving_a_country_to_another_group_moves_its_menu_entry(admin_client, client):
    """The menu lists the participating States one by one but not the partners: a State
    that becomes a partner leaves the list, and the /countries/ page has it in its group."""
    mongolia = Country.objects.get(slug="mongolia")
    assert menu_parent(public_menu(client), "Mongolia")[0] == "Participating States"
    data = shown_form_data(mongolia)
    data["group"] = str(group(ASIAN).pk)

    response = admin_client.post(change_url(mongolia), data)

    assert response.status_code == 302, form_errors(response)
    assert menu_parent(public_menu(client), "Mongolia") is None
    assert not MenuItem.objects.filter(content_type__model="country", object_id=mongolia.pk)
    states = menu_parent(public_menu(client), "Montenegro")[1]
    assert "Mongolia" not in states
    assert states[states.index("Moldova") + 1] == "Monaco"
    sections = country_sections(client.get("/countries/").content.decode())
    assert "Mongolia" in sections[ASIAN]
    assert "Mongolia" not in sections[PARTICIPATING]
    assert len(sections[PARTICIPATING]) == 56


@pytest.mark.parametrize(
    ("slug", "new_group", "expected"),
    [
        # "Republic of Korea" is alphabetised as "Korea".
        ("mongolia", ASIAN, ["Republic of Korea", "Mongolia", "Thailand"]),
        ("japan", PARTICIPATING, ["Italy", "Japan", "Kazakhstan"]),
    ],
)
def test_a_country_moved_to_another_group_is_listed_in_sorted_place(
    admin_client, client, slug, new_group, expected
):
    country = Country.objects.get(slug=slug)
    data = shown_form_data(country)
    data["group"] = str(group(new_group).pk)
    assert admin_client.post(change_url(country), data).status_code == 302

    names = country_sections(client.get("/countries/").content.decode())[new_group]
    assert neighbours(names, country.name) == expected


def test_a_lowercase_iso_code_is_taken_in_capitals(admin_client):
    austria = Country.objects.get(slug="austria")
    data = shown_form_data(austria)
    data["iso_code"] = "at"

    response = admin_client.post(change_url(austria), data)

    assert response.status_code == 302
    austria.refresh_from_db()
    assert austria.iso_code == "AT"


def test_a_malformed_iso_code_is_an_error_on_the_iso_code_field(admin_client):
    austria = Country.objects.get(slug="austria")
    data = shown_form_data(austria)
    data["iso_code"] = "A1"

    response = admin_client.post(change_url(austria), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["iso_code"] == ["Two letters, as in ISO 3166-1: e.g. AT."]
    austria.refresh_from_db()
    assert austria.iso_code == "AT"


def test_every_participating_state_says_since_when_and_a_partner_says_nothing(client):
    """Issue 17: a fact is filled from the public record or not shown."""
    states = Country.objects.filter(group__slug=PARTICIPATING)
    assert states.count() == 57
    assert not states.filter(joined_on=None).exists()
    assert str(Country.objects.get(slug="austria").joined_on) == "1973-06-25"
    assert str(Country.objects.get(slug="mongolia").joined_on) == "2012-11-21"

    mongolia = client.get("/countries/mongolia/").content.decode()
    assert "Participating State since 21 November 2012" in mongolia
    japan = Country.objects.get(slug="japan")
    assert japan.joined_on is None
    assert "since" not in client.get("/countries/japan/").content.decode()


def test_a_date_an_editor_wrote_is_kept_when_the_reference_data_is_loaded_again():
    Country.objects.filter(slug="serbia").update(joined_on=dt.date(1992, 7, 8))
    call_command("load_reference_data", stdout=io.StringIO())
    assert Country.objects.get(slug="serbia").joined_on == dt.date(1992, 7, 8)
    Country.objects.filter(slug="serbia").update(joined_on=None)
    call_command("load_reference_data", stdout=io.StringIO())
    assert Country.objects.get(slug="serbia").joined_on == dt.date(2000, 11, 10)
