"""The countries list out and back: exported as CSV or JSON and imported again unchanged;
an import previewed, then applied exactly; an invalid row, a forged confirmation or an
unreadable file writes nothing."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from taxonomy.models import Chairpersonship, Country
from tests.helpers.admin_forms import messages_of
from tests.helpers.csv_files import csv_rows, csv_text
from tests.helpers.factories import group
from tests.helpers.menu import menu_parent, neighbours, public_menu
from tests.helpers.reference import COUNTRIES_URL, IMPORT_URL, PARTICIPATING
from tests.helpers.users import SITE_ADMINS, client_for, make_user

pytestmark = pytest.mark.django_db


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
