"""The countries' CSV never carries a formula a spreadsheet would run (CSV injection).

On export, a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading apostrophe, and the import drops it again: the file round-trips. A cell
that starts a formula without one (typed into the file by hand) is refused on import,
by row and column, and nothing is written.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taxonomy.models import Country
from tests.helpers.csv_files import csv_rows, csv_text

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:taxonomy_country_import")
PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rx"]
# Text that already starts with an apostrophe: before a formula's start it gets one more
# on export, so that the import's dropping one gives it back; elsewhere it is the text's.
QUOTED = ["'=not a formula", "''-2", "'s-Hertogenbosch", "'"]


def export_csv(client):
    response = client.get(reverse("admin:taxonomy_country_export", args=["csv"]))
    assert response.status_code == 200
    return response.content.decode("utf-8")


def upload(client, text):
    file = SimpleUploadedFile("countries.csv", text.encode("utf-8"))
    return client.post(IMPORT_URL, {"file": file})


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_exported_cell_never_starts_a_formula_and_round_trips(admin_client, payload):
    Country.objects.filter(slug="austria").update(description=payload, sort_name=payload)
    rows = {row["slug"]: row for row in csv_rows(export_csv(admin_client))}

    assert rows["austria"]["description"] == f"'{payload}"
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value

    response = upload(admin_client, export_csv(admin_client))
    assert response.status_code == 200
    result = response.context["result"]
    assert result.errors == []
    # The apostrophe came off: nothing differs (the import trims a cell's spaces, so a
    # text that starts with a tab or a line break comes back trimmed, as any cell does).
    assert bool(result.changed) == (payload != payload.strip())


@pytest.mark.parametrize("payload", QUOTED)
def test_text_that_starts_with_an_apostrophe_round_trips_exactly(admin_client, payload):
    Country.objects.filter(slug="austria").update(description=payload)
    exported = {row["slug"]: row for row in csv_rows(export_csv(admin_client))}["austria"]
    neutralised = payload.lstrip("'").startswith(("=", "+", "-", "@"))
    assert exported["description"] == (f"'{payload}" if neutralised else payload)

    response = upload(admin_client, export_csv(admin_client))
    assert response.context["result"].errors == []
    assert not response.context["result"].changed


@pytest.mark.parametrize("payload", [*PAYLOADS, " =1+1", "  @SUM(A1)"])
def test_a_formula_typed_into_the_file_is_refused_by_row_and_column(admin_client, payload):
    rows = csv_rows(export_csv(admin_client))
    austria = next(number for number, row in enumerate(rows, start=2) if row["slug"] == "austria")
    rows[austria - 2]["description"] = payload
    before = Country.objects.get(slug="austria").description

    response = upload(admin_client, csv_text(rows))

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors == [
        f"Row {austria}, column description: a cell may not start with =, +, -, @, a tab or "
        "a line break, which a spreadsheet would run as a formula. Put an apostrophe before "
        "it, as the export does."
    ]
    assert Country.objects.get(slug="austria").description == before
