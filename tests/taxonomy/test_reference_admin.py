"""Site admins keep the reference data through the admin, as a browser would post it.

Adding, renaming and regrouping countries; refusing to delete what is in use and merging
instead; the chair of the year; the countries list going out and back as CSV and JSON;
closing a field operation; dragging tree nodes; history and reverts. Every effect is
checked where the public sees it (term pages, feeds, the menu on the home page) or where a
site admin does (the admin's pages and messages).
"""

import datetime as dt
import json

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from institutions.models import Structure
from press.models import Release
from taxonomy.models import Chairpersonship, Country, FieldOfWork, MenuItem, OldAddress, Place
from taxonomy.names import name_key
from tests.helpers.admin_forms import (
    admin_url,
    change_url,
    form_data,
    form_errors,
    messages_of,
    shown_form_data,
)
from tests.helpers.csv_files import csv_rows, csv_text
from tests.helpers.factories import field, group
from tests.helpers.menu import menu_parent, neighbours, public_menu
from tests.helpers.reference import (
    ASIAN,
    COUNTRIES_URL,
    FIELDS_URL,
    FINLAND_CHAIR,
    IMPORT_URL,
    IN_2025,
    IN_2026,
    PARTICIPATING,
    SWITZERLAND_CHAIR,
    country_sections,
)
from tests.helpers.trees import assert_valid_tree, move_node, tree_columns
from tests.helpers.users import SITE_ADMINS, client_for, make_user

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------
# Helpers: snapshots of the countries, the export and the import


def countries_snapshot():
    """Every column of every country (the save stamp too) and every chairpersonship."""
    countries = {
        c.slug: {
            "pk": c.pk,
            "name": c.name,
            "group": c.group_id,
            "iso_code": c.iso_code,
            "sort_name": c.sort_name,
            "joined_on": c.joined_on,
            "aliases": c.aliases,
            "description": c.description,
            "updated_at": c.updated_at,
            "chairs": sorted(ch.year for ch in c.chairpersonships.all()),
        }
        for c in Country.objects.prefetch_related("chairpersonships")
    }
    chairs = set(Chairpersonship.objects.values_list("pk", "year", "country_id"))
    return countries, chairs


def export(client, fmt):
    response = client.get(reverse("admin:taxonomy_country_export", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    return response.content.decode("utf-8")


def upload(client, name, content):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data)})


def revert(client, obj, version):
    """Open the revision page from History and post its form as shown: a revert."""
    url = admin_url(type(obj), "revision", obj.pk, version.pk)
    return client.post(url, form_data(client.get(url)))


# ---------------------------------------------------------------------------------------
# Adding, renaming and regrouping countries


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


# ---------------------------------------------------------------------------------------
# Deleting is for unused terms; terms in use are merged


def test_deleting_an_unused_field_of_work_succeeds(admin_client, client):
    youth = field("youth")
    url = reverse("admin:taxonomy_fieldofwork_delete", args=[youth.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == FIELDS_URL
    assert not FieldOfWork.objects.filter(slug="youth").exists()
    assert client.get("/fields-of-work/youth/").status_code == 404
    assert menu_parent(public_menu(client), "Youth") is None


def test_deleting_an_unused_country_succeeds(admin_client, client):
    kosovo = Country.objects.create(name="Kosovo", group=group(PARTICIPATING))
    assert menu_parent(public_menu(client), "Kosovo") is not None

    response = admin_client.post(
        reverse("admin:taxonomy_country_delete", args=[kosovo.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Country.objects.filter(slug="kosovo").exists()
    assert menu_parent(public_menu(client), "Kosovo") is None


FILED_AS = {
    # model: (make_release's keyword, the release's relation)
    FieldOfWork: ("fields", "fields_of_work"),
    Country: ("countries", "countries"),
    Structure: ("sources", "sources"),
}


@pytest.mark.parametrize(
    ("model", "slug", "uses"),
    [
        (FieldOfWork, "education", "2 releases"),
        (Country, "austria", "1 place and 2 releases"),  # Vienna is a place in Austria
        (Structure, "mission-to-moldova", "2 releases"),
    ],
    ids=["field of work", "country", "structure"],
)
def test_deleting_a_term_in_use_is_refused_with_the_count(
    admin_client, make_release, model, slug, uses
):
    """The delete page sends the admin back to the term, saying what uses it."""
    term = model.objects.get(slug=slug)
    keyword, relation = FILED_AS[model]
    releases = [make_release(**{keyword: (slug,)}) for _ in range(2)]
    expected = (
        f"“{term.name}” is used by {uses}; merge it into another term instead of deleting it."
    )

    opened = admin_client.get(admin_url(model, "delete", term.pk), follow=True)
    confirmed = admin_client.post(admin_url(model, "delete", term.pk), {"post": "yes"}, follow=True)

    for response in (opened, confirmed):
        assert response.redirect_chain == [(change_url(term), 302)]
        assert messages_of(response) == [expected]
    assert model.objects.filter(pk=term.pk).exists()
    for release in releases:
        assert list(getattr(release, relation).all()) == [term]


UNUSED = {
    Country: lambda: Country.objects.create(name="Kosovo", group=group(PARTICIPATING)),
    FieldOfWork: lambda: FieldOfWork.objects.create(name="Artificial intelligence"),
}


@pytest.mark.parametrize(
    ("model", "used_slug"),
    [(Country, "austria"), (FieldOfWork, "education")],
    ids=["country", "field of work"],
)
def test_the_bulk_delete_page_lists_a_term_in_use_as_protected(
    admin_client, make_release, model, used_slug
):
    keyword, _ = FILED_AS[model]
    make_release(**{keyword: (used_slug,)})
    used, unused = model.objects.get(slug=used_slug), UNUSED[model]()
    before = model.objects.count()

    response = admin_client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk]},
    )

    assert response.status_code == 200
    protected = " ".join(str(reason) for reason in response.context["protected"])
    assert f"“{used.name}” is used by" in protected
    assert unused.name not in protected
    assert 'name="post"' not in response.content.decode()  # no button to go on
    assert model.objects.count() == before


def test_a_confirmed_bulk_delete_of_countries_in_use_deletes_nothing(admin_client, make_release):
    """A stale confirmation page (a release was filed meanwhile) still deletes nothing."""
    make_release(countries=("austria",))
    kosovo = Country.objects.create(name="Kosovo", group=group(PARTICIPATING))
    austria = Country.objects.get(slug="austria")

    response = admin_client.post(
        COUNTRIES_URL,
        {"action": "delete_selected", "_selected_action": [kosovo.pk, austria.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "“Austria” is used by 1 place and 1 release" in " ".join(
        str(p) for p in response.context["protected"]
    )
    assert Country.objects.filter(pk__in=[kosovo.pk, austria.pk]).count() == 2


def test_a_confirmed_bulk_delete_of_fields_in_use_deletes_nothing(admin_user, make_release):
    make_release(fields=("education",))
    selected = [field("arms-control").pk, field("education").pk]
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    response = client.post(
        FIELDS_URL, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )

    assert FieldOfWork.objects.filter(pk__in=selected).count() == 2
    assert response.status_code in (200, 302)


def merge(client, model, sources, target):
    """The merge action as the admin posts it: choose the terms, then the target, apply."""
    selected = [term.pk for term in sources]
    url = admin_url(model, "changelist")
    asked = client.post(url, {"action": "merge_terms", "_selected_action": selected})
    assert asked.status_code == 200
    assert asked.templates[0].name == "admin/taxonomy/merge.html"
    return client.post(
        url,
        {"action": "merge_terms", "_selected_action": selected, "target": target.pk, "apply": "1"},
        follow=True,
    )


def test_merging_a_field_of_work_moves_releases_children_names_and_address(
    admin_client, client, make_release
):
    source = field("democratization")
    target = field("elections")
    # An earlier rename left an old address; the merge must carry it along too.
    data = shown_form_data(source)
    data.update(name="Democratisation", slug="democratisation")
    assert admin_client.post(change_url(source), data).status_code == 302
    child = FieldOfWork.objects.create(name="Electoral reform", parent=field("democratisation"))
    both = make_release(title="Filed under both", fields=("democratisation", "elections"))
    only = make_release(title="Filed under the source", fields=("democratisation",))
    below = make_release(title="Filed below the source", fields=("electoral-reform",))

    response = merge(admin_client, FieldOfWork, [source], target)

    assert response.redirect_chain == [(FIELDS_URL, 302)]
    assert messages_of(response) == [
        "Merged “Democratisation” into “Elections”, moving 1 term below it, 2 releases."
    ]
    assert not FieldOfWork.objects.filter(pk=source.pk).exists()
    links = Release.fields_of_work.through.objects
    assert list(links.filter(release=both).values_list("fieldofwork__slug", flat=True)) == [
        "elections"
    ]
    assert list(only.fields_of_work.values_list("slug", flat=True)) == ["elections"]
    child.refresh_from_db()
    assert child.parent_id == target.pk
    assert_valid_tree(FieldOfWork)
    target.refresh_from_db()
    assert {"Democratization", "Democratisation"} <= set(target.alias_list())

    for old in ("democratization", "democratisation"):
        moved = client.get(f"/fields-of-work/{old}/?type=news")
        assert moved.status_code == 301
        assert moved["Location"] == "/fields-of-work/elections/?type=news"
        feed = client.get(f"/fields-of-work/{old}/feed/")
        assert feed["Location"] == "/fields-of-work/elections/feed/"
    page = client.get("/fields-of-work/elections/")
    assert set(page.context["releases"]) == {both, only, below}
    menu = public_menu(client)
    assert menu_parent(menu, "Democratisation") is None
    assert menu_parent(menu, "Elections")[0] == "Fields of work"


def test_merging_a_country_moves_its_releases_and_places(admin_client, client, make_release):
    """A duplicate added by mistake is merged into the real one."""
    duplicate = Country.objects.create(name="Czechia (duplicate)", group=group(PARTICIPATING))
    release = make_release(countries=(duplicate.slug,))
    brno = Place.objects.create(name="Brno", country=duplicate)
    czech = Country.objects.get(slug="czech-republic")

    response = merge(admin_client, Country, [duplicate], czech)

    assert response.redirect_chain == [(COUNTRIES_URL, 302)]
    assert messages_of(response) == [
        "Merged “Czechia (duplicate)” into “Czech Republic”, moving 1 place, 1 release."
    ]
    assert list(release.countries.all()) == [czech]
    brno.refresh_from_db()
    assert brno.country == czech
    assert "Czechia (duplicate)" in Country.objects.get(pk=czech.pk).alias_list()
    assert client.get(f"/countries/{duplicate.slug}/")["Location"] == "/countries/czech-republic/"
    assert menu_parent(public_menu(client), "Czechia (duplicate)") is None


def test_a_term_cannot_be_merged_into_a_term_below_it(admin_client):
    parent = field("human-rights")
    child = FieldOfWork.objects.create(name="Freedom of assembly", parent=parent)

    response = admin_client.post(
        FIELDS_URL,
        {
            "action": "merge_terms",
            "_selected_action": [parent.pk],
            "target": child.pk,
            "apply": "1",
        },
    )

    assert response.status_code == 200
    assert "target" in response.context["form"].errors
    assert FieldOfWork.objects.filter(pk=parent.pk).exists()
    child.refresh_from_db()
    assert child.parent_id == parent.pk


def test_merging_a_duplicate_that_took_a_freed_slug(admin_user, make_release):
    """Renamed "Migration" frees /migration/; a duplicate added there is merged back."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    migration = field("migration")
    data = shown_form_data(migration)
    data.update(name="Migration and mobility", slug="migration-and-mobility")
    assert client.post(change_url(migration), data).status_code == 302
    data = form_data(client.get(reverse("admin:taxonomy_fieldofwork_add")))
    data.update(name="Migrations", slug="migration")
    assert client.post(reverse("admin:taxonomy_fieldofwork_add"), data).status_code == 302
    duplicate = field("migration")
    release = make_release(fields=("migration",))

    response = client.post(
        FIELDS_URL,
        {
            "action": "merge_terms",
            "_selected_action": [duplicate.pk],
            "target": migration.pk,
            "apply": "1",
        },
    )

    assert response.status_code == 302
    assert list(release.fields_of_work.all()) == [migration]
    assert client.get("/fields-of-work/migration/")["Location"] == (
        "/fields-of-work/migration-and-mobility/"
    )


# ---------------------------------------------------------------------------------------
# The chair of the year


def test_the_home_page_marks_the_chair_of_each_year_as_the_admin_sets_it(admin_client, client):
    austria = Country.objects.get(slug="austria")
    with time_machine.travel(IN_2025, tick=False):
        in_2025 = public_menu(client)
    with time_machine.travel(IN_2026, tick=False):
        in_2026 = public_menu(client)  # the menu is cached now
        chair = Chairpersonship.objects.get(year=2026)
        response = admin_client.post(change_url(chair), {"year": "2026", "country": austria.pk})
        changed = public_menu(client)
    with time_machine.travel(IN_2025, tick=False):
        back_in_2025 = public_menu(client)

    assert response.status_code == 302, form_errors(response)
    assert menu_parent(in_2025, FINLAND_CHAIR)[0] == "Participating States"
    assert menu_parent(in_2025, "Switzerland") is not None
    assert menu_parent(in_2026, SWITZERLAND_CHAIR)[0] == "Participating States"
    assert menu_parent(in_2026, "Finland") is not None
    assert menu_parent(changed, "Austria – OSCE Chairpersonship 2026") is not None
    assert menu_parent(changed, "Switzerland") is not None
    assert menu_parent(changed, SWITZERLAND_CHAIR) is None
    assert menu_parent(back_in_2025, FINLAND_CHAIR) is not None


def test_the_admin_refuses_a_second_chair_for_a_year(admin_client):
    sweden = Country.objects.get(slug="sweden")

    response = admin_client.post(
        reverse("admin:taxonomy_chairpersonship_add"), {"year": "2025", "country": sweden.pk}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["year"] == [
        "Chairpersonship with this Year already exists."
    ]
    assert Chairpersonship.objects.for_year(2025).country.name == "Finland"
    assert Chairpersonship.objects.filter(year=2025).count() == 1


def test_the_country_form_refuses_a_chair_year_another_country_holds(admin_client):
    sweden = Country.objects.get(slug="sweden")
    data = shown_form_data(sweden)
    data.update(
        {
            "chairpersonships-TOTAL_FORMS": "2",
            "chairpersonships-1-id": "",
            "chairpersonships-1-country": str(sweden.pk),
            "chairpersonships-1-year": "2025",
        }
    )

    response = admin_client.post(change_url(sweden), data)

    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    assert formset.formset.errors[1] == {"year": ["Chairpersonship with this Year already exists."]}
    assert sorted(sweden.chairpersonships.values_list("year", flat=True)) == [2021]
    assert Chairpersonship.objects.for_year(2025).country.name == "Finland"


def test_the_database_refuses_a_second_chair_for_a_year():
    chair = Chairpersonship(year=2026, country=Country.objects.get(slug="austria"))
    with pytest.raises(IntegrityError), transaction.atomic():
        chair.save()
    assert Chairpersonship.objects.for_year(2026).country.name == "Switzerland"


# ---------------------------------------------------------------------------------------
# The countries list out and back


@pytest.fixture
def varied_countries():
    """Values a round trip could lose: quotes, commas and line breaks, dates, no ISO code,
    several chair years, aliases beyond ASCII."""
    austria = Country.objects.get(slug="austria")
    austria.description = 'Neutral, "permanently", since 1955.\r\nA second line; with a comma.'
    austria.joined_on = dt.date(1973, 6, 25)
    austria.aliases = "Österreich\nRepublic of Austria"
    austria.save()
    Chairpersonship.objects.create(year=2000, country=austria)
    Chairpersonship.objects.create(year=2017, country=austria)
    Country.objects.create(name="Kosovo", group=group(PARTICIPATING))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exporting_and_importing_the_whole_list_changes_nothing(
    admin_client, varied_countries, fmt
):
    before = countries_snapshot()
    text = export(admin_client, fmt)
    if fmt == "json":
        rows = {row["slug"]: row for row in json.loads(text)["countries"]}
        assert rows["austria"]["chairpersonship_years"] == [2000, 2017]
    else:
        rows = {row["slug"]: row for row in csv_rows(text)}
        assert rows["austria"]["chairpersonship_years"] == "2000 2017"
    assert len(rows) == 69
    assert rows["austria"]["joined_on"] == "1973-06-25"
    assert rows["austria"]["description"] == Country.objects.get(slug="austria").description
    assert rows["kosovo"]["iso_code"] == ""

    response = upload(admin_client, f"countries.{fmt}", text)

    assert response.status_code == 200
    result = response.context["result"]
    assert result.errors == []
    assert len(result.rows) == 69
    assert result.changed == []
    assert "confirm" not in response.context
    assert "Nothing to change: all 69 rows match" in response.content.decode()
    assert countries_snapshot() == before


def kosovo_row(**values):
    row = {
        "name": "Kosovo",
        "slug": "kosovo",
        "group": "Participating States",  # a group by name works as well as by slug
        "iso_code": "XK",
        "sort_name": "",
        "joined_on": "",
        "chairpersonship_years": "",
        "aliases": "",
        "description": "",
    }
    row.update(values)
    return row


def renamed(rows, slug, name):
    for row in rows:
        if row["slug"] == slug:
            row["name"] = name
    return rows


def test_an_import_applied_after_the_preview_changes_exactly_its_changes(client):
    """A site admin renames one country and adds one: those two, and nothing else, change."""
    site_admin = client_for(make_user("keeper", SITE_ADMINS))
    rows = renamed(csv_rows(export(site_admin, "csv")), "czech-republic", "Czechia")
    czech_row = 2 + [row["slug"] for row in rows].index("czech-republic")
    rows.append(kosovo_row())
    before, chairs = countries_snapshot()

    preview = upload(site_admin, "countries.csv", csv_text(rows))

    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.errors == []
    assert [(r.number, r.label, r.action, r.changes) for r in result.changed] == [
        (czech_row, "Czechia", "change", ["name"]),
        (70, "Kosovo", "add", []),
    ]
    assert "2 of 69 rows would change the list" in preview.content.decode()
    assert countries_snapshot() == (before, chairs)  # a preview writes nothing

    applied = site_admin.post(IMPORT_URL, {"confirm": preview.context["confirm"]}, follow=True)

    assert applied.redirect_chain == [(COUNTRIES_URL, 302)]
    assert messages_of(applied) == ["2 countries added or changed."]
    after, chairs_after = countries_snapshot()
    assert chairs_after == chairs
    kosovo = after.pop("kosovo")
    assert kosovo["name"] == "Kosovo"
    assert kosovo["iso_code"] == "XK"
    assert kosovo["sort_name"] == "Kosovo"
    assert kosovo["group"] == group(PARTICIPATING).pk
    czech, czech_before = after.pop("czech-republic"), before.pop("czech-republic")
    assert czech["name"] == "Czechia"
    assert czech["aliases"] == "Czechia\nCzech Republic"  # the old name, kept for the archive
    unchanged = {"pk", "group", "iso_code", "sort_name", "joined_on", "description", "chairs"}
    assert {k: czech[k] for k in unchanged} == {k: czech_before[k] for k in unchanged}
    assert after == before  # every other country, to its save stamp

    holder, siblings = menu_parent(public_menu(client), "Kosovo")
    assert holder == "Participating States"
    assert neighbours(siblings, "Kosovo") == ["Kazakhstan", "Kosovo", "Kyrgyzstan"]
    [version] = Version.objects.get_for_object(Country.objects.get(slug="kosovo"))
    assert version.revision.user.username == "keeper"
    assert version.revision.comment == "Imported from a countries file."


INVALID_ROWS = {
    "bad ISO code": (
        kosovo_row(slug="atlantis", name="Atlantis", iso_code="A1"),
        "Row 71 (Atlantis): iso_code: Two letters, as in ISO 3166-1",
    ),
    "unknown group": (kosovo_row(slug="atlantis", name="Atlantis", group="Atlantic"), "Atlantic"),
    "duplicate year": (  # Finland's row keeps 2025
        kosovo_row(slug="atlantis", name="Atlantis", iso_code="", chairpersonship_years="2025"),
        "the 2025 chairpersonship is also given to row",
    ),
    "duplicate slug": (kosovo_row(name="Kosovo again", iso_code=""), "“kosovo” is also on row 70"),
}


@pytest.mark.parametrize("case", INVALID_ROWS)
def test_an_import_with_one_invalid_row_writes_nothing(admin_client, case):
    """Valid rows around it (a rename, a new country) are not written either."""
    invalid, mentioned = INVALID_ROWS[case]
    rows = renamed(csv_rows(export(admin_client, "csv")), "czech-republic", "Czechia")
    rows += [kosovo_row(), invalid]  # rows 70 and 71 of the file
    before = countries_snapshot()

    response = upload(admin_client, "countries.csv", csv_text(rows))

    assert response.status_code == 200
    errors = response.context["result"].errors
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"Row 71 ({invalid['name']}): ")
    assert mentioned in errors[0]
    html = response.content.decode()
    assert "Nothing was written: 1 problem in countries.csv." in html
    assert "Row 71" in html
    assert "confirm" not in response.context
    assert countries_snapshot() == before
    assert not Country.objects.filter(slug__in=["kosovo", "atlantis"]).exists()


def test_an_import_cannot_silently_take_a_chair_from_a_country_not_in_the_file(admin_client):
    """The file holds only Sweden, now claiming 2025 too; Finland, not in the file, "stays
    as it is" by the import's own rule, so the preview must say Finland is affected (or
    refuse the row), never leave Finland out of it."""
    rows = [r for r in csv_rows(export(admin_client, "csv")) if r["slug"] == "sweden"]
    rows[0]["chairpersonship_years"] = "2021 2025"

    preview = upload(admin_client, "sweden.csv", csv_text(rows))

    result = preview.context["result"]
    shown = [*result.errors, *(f"{row.label}: {row.changes}" for row in result.changed)]
    assert "Finland" in preview.content.decode(), shown


def test_a_forged_or_expired_confirmation_writes_nothing(admin_client):
    before = countries_snapshot()

    response = admin_client.post(IMPORT_URL, {"confirm": "e30:forged:signature"}, follow=True)

    assert response.redirect_chain == [(IMPORT_URL, 302)]
    assert messages_of(response) == ["The preview has expired; upload the file again."]
    assert countries_snapshot() == before


UNREADABLE = [
    (
        "latin-1.csv",
        "name,slug,group\nMünchen,m,participating-states\n".encode("latin-1"),
        "not UTF-8",
    ),
    ("countries.xlsx", b"PK\x03\x04 a spreadsheet", "Choose a .csv or .json file"),
    ("countries.json", b'{"countries": [{"name": "Kosovo",}]}', "The JSON cannot be read"),
    ("countries.json", b'[{"name": "Kosovo"}]', 'The JSON must be {"countries": [ {…}, … ]}'),
    ("countries.csv", b"name,iso_code\nKosovo,XK\n", "The CSV has no column slug, group."),
    ("countries.csv", b"name,slug,group\nKosovo,kosovo,participating-states,extra\n", "more cells"),
    pytest.param(
        "one-line.csv",
        b"x" * 200_000,
        "The CSV cannot be read",
        id="header-over-the-field-limit",
    ),
    pytest.param(
        "deep.json",
        b"[" * 50_000 + b"]" * 50_000,
        "The JSON cannot be read",
        id="deeply-nested-json",
    ),
    pytest.param(
        "huge-number.json",
        b'{"countries": [{"joined_on": ' + b"9" * 5000 + b"}]}",
        "The JSON cannot be read",
        id="integer-over-the-digit-limit",
    ),
]


@pytest.mark.parametrize(("name", "content", "message"), UNREADABLE)
def test_an_unreadable_file_is_a_form_error_not_a_server_error(admin_user, name, content, message):
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    before = countries_snapshot()

    response = upload(client, name, content)

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert message in error
    assert "result" not in response.context
    assert countries_snapshot() == before


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


# ---------------------------------------------------------------------------------------
# Closing a field operation


def test_closing_a_field_operation_moves_it_under_closed_field_activities(
    admin_client, client, make_release
):
    release = make_release(title="Montenegro mission report", sources=("mission-to-montenegro",))
    montenegro = Structure.objects.get(slug="mission-to-montenegro")
    assert montenegro.parent.slug == "field-operations"
    data = shown_form_data(montenegro)
    data["closed_on"] = "2024-12-31"

    response = admin_client.post(change_url(montenegro), data, follow=True)

    assert response.redirect_chain == [(admin_url(Structure, "changelist"), 302)]
    assert messages_of(response)[0] == (
        "“Mission to Montenegro” is closed, so it now sits under “Closed field activities”; "
        "its page, address and releases stay."
    )
    montenegro.refresh_from_db()
    assert montenegro.parent.kind == Structure.Kind.CLOSED_GROUP
    assert montenegro.parent.name == "Closed field activities"
    assert montenegro.slug == "mission-to-montenegro"
    assert_valid_tree(Structure)

    page = client.get("/structures/mission-to-montenegro/")
    assert page.status_code == 200
    assert list(page.context["releases"]) == [release]
    assert "Closed on 31 December 2024." in page.content.decode()
    closed = client.get("/structures/closed-field-activities/")
    assert list(closed.context["releases"]) == [release]
    assert release.title in client.get("/structures/mission-to-montenegro/feed/").content.decode()
    assert menu_parent(public_menu(client), "Mission to Montenegro")[0] == (
        "Closed field activities"
    )


# ---------------------------------------------------------------------------------------
# Dragging tree nodes, history and reverts


def test_dragging_a_field_of_work_under_another(admin_client, client, make_release):
    release = make_release(title="Young people and human rights", fields=("youth",))
    youth, human_rights = field("youth"), field("human-rights")
    assert menu_parent(public_menu(client), "Youth")[0] == "Fields of work"

    response = move_node(admin_client, youth, human_rights, "last-child")

    assert response.status_code == 200
    assert response.content == b"OK, moved."
    youth.refresh_from_db()
    assert youth.parent == human_rights
    assert_valid_tree(FieldOfWork)
    assert list(release.fields_of_work.all()) == [youth]
    assert list(client.get("/fields-of-work/youth/").context["releases"]) == [release]
    # The parent's page covers its subtree, so the release is listed there now too.
    assert list(client.get("/fields-of-work/human-rights/").context["releases"]) == [release]
    holder, siblings = menu_parent(public_menu(client), "Youth")
    assert (holder, siblings) == ("Human rights", ["Youth"])
    assert "Youth" not in menu_parent(public_menu(client), "Arms control")[1]

    [version] = Version.objects.get_for_object(youth)
    assert version.revision.comment == "Moved under “Human rights”."
    assert version.revision.user.username == "admin"
    assert version.field_dict["parent_id"] == human_rights.pk


def test_dragging_a_field_of_work_before_another_reorders_the_menu(admin_client, client):
    youth, arms_control = field("youth"), field("arms-control")

    response = move_node(admin_client, youth, arms_control, "left")

    assert response.content == b"OK, moved."
    assert list(FieldOfWork.objects.filter(parent=None).values_list("slug", flat=True)[:2]) == [
        "youth",
        "arms-control",
    ]
    assert_valid_tree(FieldOfWork)
    holder, siblings = menu_parent(public_menu(client), "Youth")
    assert holder == "Fields of work"
    assert siblings[:2] == ["Youth", "Arms control"]


def test_the_history_page_lists_each_change_with_its_user(client):
    keeper = make_user("keeper", SITE_ADMINS)
    site_admin = client_for(keeper)
    austria = Country.objects.get(slug="austria")
    data = shown_form_data(austria)
    data["description"] = "A participating State since 1973."
    assert site_admin.post(change_url(austria), data).status_code == 302
    youth = field("youth")
    assert move_node(site_admin, youth, field("education"), "last-child").content == b"OK, moved."

    for obj, action in [
        (austria, "Changed Description."),
        (youth, "Moved under “Education”."),
    ]:
        history = site_admin.get(admin_url(type(obj), "history", obj.pk))
        assert history.status_code == 200
        [entry] = history.context["action_list"]
        assert entry["revision"].user == keeper
        assert entry["revision"].comment == action
        html = history.content.decode()
        assert "keeper" in html
        assert action in html
        assert entry["url"] in html


def rename_turkiye(client):
    """An unchanged save first (a revision to go back to), then the rename."""
    turkiye = Country.objects.get(slug="turkiye")
    assert client.post(change_url(turkiye), shown_form_data(turkiye)).status_code == 302
    data = shown_form_data(turkiye)
    data.update(name="Turkey", slug="turkey")
    assert client.post(change_url(turkiye), data).status_code == 302
    return turkiye


def test_reverting_a_rename_restores_the_name(admin_client, client):
    turkiye = rename_turkiye(admin_client)
    first, renaming = Version.objects.get_for_object(turkiye).order_by("pk")
    assert renaming.field_dict["name"] == "Turkey"

    response = revert(admin_client, turkiye, first)

    assert response.status_code == 302
    turkiye.refresh_from_db()
    assert (turkiye.name, turkiye.slug) == ("Türkiye", "turkiye")
    assert client.get("/countries/turkiye/").status_code == 200
    assert menu_parent(public_menu(client), "Türkiye")[0] == "Participating States"
    assert menu_parent(public_menu(client), "Turkey") is None
    latest = Version.objects.get_for_object(turkiye).order_by("-pk").first()
    assert latest.revision.comment.startswith("Reverted to previous version")


def test_reverting_a_rename_keeps_the_address_it_had_in_between(admin_client, client):
    turkiye = rename_turkiye(admin_client)
    first = Version.objects.get_for_object(turkiye).order_by("pk").first()
    assert revert(admin_client, turkiye, first).status_code == 302

    response = client.get("/countries/turkey/?q=water")

    assert response.status_code == 301
    assert response["Location"] == "/countries/turkiye/?q=water"


def drag_youth_under_human_rights(client):
    """An unchanged save first (a revision to go back to), then the drag."""
    youth = field("youth")
    assert client.post(change_url(youth), shown_form_data(youth)).status_code == 302
    assert move_node(client, youth, field("human-rights"), "last-child").content == b"OK, moved."
    return youth


def test_reverting_the_move_of_a_subtree_leaves_a_valid_tree(admin_client):
    """The revert writes the old tree columns of the parent only; its child must follow."""
    youth = drag_youth_under_human_rights(admin_client)
    human_rights = field("human-rights")
    assert (
        admin_client.post(change_url(human_rights), shown_form_data(human_rights)).status_code
        == 302
    )
    assert move_node(
        admin_client, human_rights, field("democratization"), "last-child"
    ).content == (b"OK, moved.")
    at_the_top = Version.objects.get_for_object(human_rights).order_by("pk").first()

    assert revert(admin_client, human_rights, at_the_top).status_code == 302

    assert_valid_tree(FieldOfWork)
    human_rights.refresh_from_db()
    youth.refresh_from_db()
    assert human_rights.parent is None
    assert youth.parent == human_rights
    assert list(human_rights.get_descendants()) == [youth]
    assert field("democratization").get_descendant_count() == 0


def test_reverting_a_tree_move_leaves_a_valid_tree(admin_client, make_release):
    release = make_release(fields=("youth",))
    before = [(pk, parent) for pk, parent, *_ in tree_columns(FieldOfWork)]
    youth = drag_youth_under_human_rights(admin_client)
    first, moved = Version.objects.get_for_object(youth).order_by("pk")
    assert moved.field_dict["parent_id"] == field("human-rights").pk

    response = revert(admin_client, youth, first)

    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.parent is None
    assert field("human-rights").get_children().count() == 0
    assert_valid_tree(FieldOfWork)
    assert [(pk, parent) for pk, parent, *_ in tree_columns(FieldOfWork)] == before
    assert list(release.fields_of_work.all()) == [youth]


def test_reverting_a_tree_move_moves_the_menu_entry_back(admin_client, client):
    youth = drag_youth_under_human_rights(admin_client)
    assert menu_parent(public_menu(client), "Youth")[0] == "Human rights"
    first = Version.objects.get_for_object(youth).order_by("pk").first()
    assert revert(admin_client, youth, first).status_code == 302

    assert menu_parent(public_menu(client), "Youth")[0] == "Fields of work"
