"""The countries list as CSV or JSON, and reading it back: preview first, then all or nothing.

Site admins keep the list in a spreadsheet between years, or hand it to another system.
A row is a country; its group is the group's slug (or name), its chairpersonship years a
list. A country is matched by slug; rows add or change countries and never delete one (a
country missing from the file stays as it is). A file with any invalid row writes nothing.
"""

import csv
import io
import json
from dataclasses import dataclass, field

from django import forms
from django.db import transaction

from .models import Chairpersonship, Country, CountryGroup
from .names import name_key

COLUMNS = [
    "name",
    "slug",
    "group",
    "iso_code",
    "sort_name",
    "joined_on",
    "chairpersonship_years",
    "aliases",
    "description",
]
FIELDS = ["name", "slug", "group", "iso_code", "sort_name", "joined_on", "aliases", "description"]
MAX_BYTES = 2 * 1024 * 1024
# A cell a spreadsheet would run as a formula (CSV injection): these first characters.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class UnreadableFile(ValueError):
    """The file as a whole cannot be read (format, encoding, size, columns)."""


def export_rows():
    """Every country, in the menu's order, as plain values."""
    countries = Country.objects.in_menu_order().prefetch_related("chairpersonships")
    return [
        {
            "name": country.name,
            "slug": country.slug,
            "group": country.group.slug,
            "iso_code": country.iso_code or "",
            "sort_name": country.sort_name,
            "joined_on": country.joined_on.isoformat() if country.joined_on else "",
            "chairpersonship_years": sorted(c.year for c in country.chairpersonships.all()),
            "aliases": country.alias_list(),
            "description": country.description,
        }
        for country in countries
    ]


def starts_formula(text):
    """Whether a spreadsheet would run ``text`` as a formula once the apostrophes that
    neutralise it are taken off: the one rule both directions of the CSV follow."""
    return text.lstrip("'").startswith(FORMULA_STARTS)


def spreadsheet_cell(text):
    """``text`` as a CSV cell a spreadsheet shows and never runs: one that would start a
    formula gets a leading apostrophe (OWASP's advice), which :func:`plain_cell` drops.
    Text that already starts with apostrophes before a formula's start gets one more, so
    that it too comes back as it was."""
    return f"'{text}" if starts_formula(text) else text


def plain_cell(text, row, column):
    """A CSV cell's value, trimmed: the apostrophe :func:`spreadsheet_cell` put before a
    formula's start is dropped; a formula's start without one (spaces before it aside) is
    refused, by row and column. Any other apostrophe ('s-Hertogenbosch) is the text's."""
    text = text.strip(" ")
    if starts_formula(text):
        if not text.startswith("'"):
            raise UnreadableFile(
                f"Row {row}, column {column}: a cell may not start with =, +, -, @, a tab or "
                "a line break, which a spreadsheet would run as a formula. Put an apostrophe "
                "before it, as the export does."
            )
        text = text[1:]
    return text.strip()


def to_csv(rows):
    """CSV with a header row; lists become one cell ("2021 2025"; aliases one a line)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        cells = {
            **row,
            "chairpersonship_years": " ".join(map(str, row["chairpersonship_years"])),
            "aliases": "\n".join(row["aliases"]),
        }
        writer.writerow({name: spreadsheet_cell(str(value)) for name, value in cells.items()})
    return out.getvalue()


def to_json(rows):
    return json.dumps({"countries": rows}, ensure_ascii=False, indent=2) + "\n"


def read(data, filename):
    """Rows from an uploaded file's bytes, as strings and lists; the format by its name."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(f"The file is not UTF-8 text (byte {error.start}).") from None
    if filename.lower().endswith(".json"):
        return _read_json(text)
    if filename.lower().endswith(".csv"):
        return _read_csv(text)
    raise UnreadableFile("Choose a .csv or .json file, as the export gives.")


def _read_csv(text):
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        fieldnames = reader.fieldnames or []
        missing = [name for name in ("name", "slug", "group") if name not in fieldnames]
        if missing:
            raise UnreadableFile(f"The CSV has no column {', '.join(missing)}.")
        for number, row in enumerate(reader, start=2):
            if None in row:
                raise UnreadableFile(f"Line {reader.line_num} has more cells than the header.")
            cells = {name: plain_cell(row.get(name) or "", number, name) for name in COLUMNS}
            rows.append(
                {
                    **cells,
                    "chairpersonship_years": cells["chairpersonship_years"].split(),
                    "aliases": cells["aliases"].splitlines(),
                }
            )
    except csv.Error as error:
        raise UnreadableFile(f"The CSV cannot be read: {error}.") from None
    return rows


def _read_json(text):
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            f"The JSON cannot be read: {error.msg} (line {error.lineno})."
        ) from None
    except (RecursionError, ValueError):  # nested too deep; a number too long to convert
        raise UnreadableFile("The JSON cannot be read: it is not a countries export.") from None
    items = document.get("countries") if isinstance(document, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise UnreadableFile('The JSON must be {"countries": [ {…}, … ]}, as the export gives.')
    rows = []
    for item in items:
        row = {name: item.get(name) for name in COLUMNS}
        for name in FIELDS:
            if name != "aliases":
                row[name] = "" if row[name] is None else str(row[name]).strip()
        for name in ("chairpersonship_years", "aliases"):
            value = row[name] or []
            row[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        rows.append(row)
    return rows


class CountryRowForm(forms.ModelForm):
    """One row, validated as the admin's form would: the same rules, the same messages."""

    group = forms.CharField()
    chairpersonship_years = forms.CharField(required=False)

    class Meta:
        model = Country
        fields = ["name", "slug", "iso_code", "sort_name", "joined_on", "aliases", "description"]

    def clean_group(self):
        given = self.cleaned_data["group"]
        group = CountryGroup.objects.filter(slug=given).first()
        group = group or CountryGroup.objects.all().resolver().get(name_key(given))
        if group is None:
            raise forms.ValidationError(f"No country group “{given}”.")
        return group

    def clean_chairpersonship_years(self):
        years = []
        for value in self.cleaned_data["chairpersonship_years"].split():
            if not value.isdigit() or not 1973 <= int(value) <= 2200:
                raise forms.ValidationError(f"“{value}” is not a year between 1973 and 2200.")
            years.append(int(value))
        return sorted(set(years))

    def clean(self):
        cleaned = super().clean()
        # Before the model's own validation, which needs the group (not a model field here).
        if "group" in cleaned:
            self.instance.group = cleaned["group"]
        return cleaned


@dataclass
class Row:
    number: int
    label: str
    form: CountryRowForm
    action: str = ""  # "add", "change" or "unchanged"
    changes: list = field(default_factory=list)


@dataclass
class Plan:
    """What importing the rows would do, or why it cannot."""

    rows: list
    errors: list = field(default_factory=list)

    @property
    def changed(self):
        return [row for row in self.rows if row.action != "unchanged"]


def plan(raw_rows, first_row=2):
    """Validate every row and work out its changes, writing nothing.

    Rows are numbered as a spreadsheet shows them (the header is row 1); pass
    ``first_row=1`` for a JSON list.
    """
    existing = {c.slug: c for c in Country.objects.prefetch_related("chairpersonships")}
    # The forms change their instances as they validate: compare with values read first.
    before = {slug: _snapshot(country) for slug, country in existing.items()}
    result = Plan(rows=[])
    seen = {"slug": {}, "iso_code": {}, "year": {}}
    for number, raw in enumerate(raw_rows, start=first_row):
        label = raw.get("name") or raw.get("slug") or "(no name)"
        instance = existing.get(raw.get("slug") or "")
        data = {
            **{name: raw.get(name, "") for name in FIELDS},
            "aliases": "\n".join(a.strip() for a in raw.get("aliases", []) if a.strip()),
            "chairpersonship_years": " ".join(raw.get("chairpersonship_years", [])),
        }
        form = CountryRowForm(data, instance=instance)
        row = Row(number, label, form)
        result.rows.append(row)
        if not form.is_valid():
            for name, messages in form.errors.items():
                where = "" if name == "__all__" else f"{name}: "
                result.errors.extend(f"Row {number} ({label}): {where}{m}" for m in messages)
            continue
        cleaned = form.cleaned_data
        for column, value in (("slug", cleaned["slug"]), ("iso_code", cleaned["iso_code"])):
            if value and value in seen[column]:
                result.errors.append(
                    f"Row {number} ({label}): {column} “{value}” is also on row "
                    f"{seen[column][value]}."
                )
            seen[column].setdefault(value, number)
        for year in cleaned["chairpersonship_years"]:
            if year in seen["year"]:
                result.errors.append(
                    f"Row {number} ({label}): the {year} chairpersonship is also given to row "
                    f"{seen['year'][year]}; a year has one chair."
                )
            seen["year"].setdefault(year, number)
        row.action, row.changes = _changes(before.get(raw.get("slug") or ""), cleaned)
    _check_chairs_left_out(result, seen["year"])
    return result


def _check_chairs_left_out(result, years):
    """A year may only move between countries that are both in the file: a country the
    file leaves out stays as it is, its chairpersonships too."""
    in_file = {row.form.data.get("slug") for row in result.rows}
    for chair in Chairpersonship.objects.filter(year__in=years).select_related("country"):
        if chair.country.slug not in in_file:
            number = years[chair.year]
            result.errors.append(
                f"Row {number}: the {chair.year} chairpersonship belongs to "
                f"{chair.country.name}, which is not in the file; add its row to move it."
            )


def _snapshot(country):
    return {
        **{name: getattr(country, name) for name in FIELDS if name not in ("group", "aliases")},
        "group": country.group_id,
        "aliases": country.alias_list(),
        "chairpersonship_years": sorted(c.year for c in country.chairpersonships.all()),
    }


def _changes(before, cleaned):
    if before is None:
        return "add", []
    after = {
        **cleaned,
        "group": cleaned["group"].pk,
        "aliases": [a.strip() for a in cleaned["aliases"].splitlines() if a.strip()],
    }
    changed = [name for name in before if (before[name] or None) != (after[name] or None)]
    return ("change" if changed else "unchanged"), changed


@transaction.atomic
def apply(result):
    """Write a valid plan: every row or, on any failure, none."""
    if result.errors:
        raise ValueError("A plan with errors is never applied.")
    for row in result.changed:
        country = row.form.save()
        years = row.form.cleaned_data["chairpersonship_years"]
        Chairpersonship.objects.filter(country=country).exclude(year__in=years).delete()
        for year in years:
            Chairpersonship.objects.update_or_create(year=year, defaults={"country": country})
    return len(result.changed)
