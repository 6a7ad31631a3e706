"""Reads archive pages in the seed's format and files them as releases.

A page is the site's menu (optional), then the type ("Press release"), the title, a
metadata block of "- Key:" lines each followed by "- value" lines, and the body, one
paragraph a line. :func:`parse_page` turns text into a :class:`Page` without touching the
database; :class:`Importer` resolves its names against the reference data and writes it,
one page per transaction, so a bad page leaves nothing behind.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.html import escape

from institutions.models import Structure
from taxonomy.models import Country, FieldOfWork, Meeting, Place
from taxonomy.names import display_case, free_slug, make_slug, name_key

from .html import sanitise
from .models import Release


class PageError(Exception):
    """The page cannot be imported; the message says why, for the person who fixes it."""


TYPE_LABELS = {
    "press release": Release.Type.PRESS_RELEASE,
    "news": Release.Type.NEWS,
    "news item": Release.Type.NEWS,
    "statement": Release.Type.STATEMENT,
}
FIELD_NAMES = {
    "date": "date",
    "place": "place",
    "source": "sources",
    "sources": "sources",
    "field of work": "fields",
    "fields of work": "fields",
    "country": "countries",
    "countries": "countries",
    "related countries": "countries",
    "meeting": "meetings",
    "meetings": "meetings",
    "type": "type",
}
_KEY_LINE = re.compile(r"^-\s*(?P<key>[A-Za-z][A-Za-z ]{0,40}?)\s*:\s*(?P<value>.*)$")
_DATE = r"\d{1,2}\s+[A-Za-z]+\.?\s+\d{4}"
_DATELINE = re.compile(rf"^(?:(?P<place>[^,\d][^,]{{0,80}}?),\s*)?(?P<date>{_DATE})\s*(?:[–—-]|$)")
_DATE_FORMATS = ["%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d.%m.%Y", "%d/%m/%Y"]
# An imported page gives a day, not a time: noon at the seat keeps the day in every zone
# from UTC-11 to UTC+12.
DEFAULT_TIME = dt.time(12, 0)


@dataclass
class Page:
    title: str
    type: str
    published_at: dt.datetime
    place: str = ""
    sources: list = field(default_factory=list)
    fields: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    body: str = ""
    warnings: list = field(default_factory=list)


def parse_date(text):
    """A date or date-time in the formats the archive uses; raises ValueError otherwise."""
    text = " ".join(text.split())
    try:
        value = dt.datetime.fromisoformat(text)
        if len(text) > 10:
            return timezone.make_aware(value) if timezone.is_naive(value) else value
        day = value.date()
    except ValueError:
        day = None
        for candidate in (text, text.replace(".", "")):
            for fmt in _DATE_FORMATS:
                try:
                    day = dt.datetime.strptime(candidate, fmt).date()
                except ValueError:
                    continue
                break
            if day:
                break
        if day is None:
            raise ValueError(text) from None
    return timezone.make_aware(dt.datetime.combine(day, DEFAULT_TIME))


def _body_html(lines):
    """Paragraph lines as escaped HTML paragraphs; runs of "- item" lines as a list."""
    html, items = [], []
    for line in [*lines, ""]:
        if line.startswith("- "):
            items.append(f"<li>{escape(line[2:].strip())}</li>")
            continue
        if items:
            html.append("<ul>" + "".join(items) + "</ul>")
            items = []
        if line:
            html.append(f"<p>{escape(line)}</p>")
    return "\n".join(html)


def parse_page(text):
    """Parse one page; raises :class:`PageError` with the reason when it is malformed.

    The steps read the page from the top down, so the error names the first part to fix.
    """
    lines = _page_lines(text)
    start = _metadata_start(lines)
    title, type_line = _title_and_type_line(lines[:start])
    metadata, body_lines, warnings = _read_metadata(lines, start)
    release_type = _release_type((metadata.get("type") or [type_line])[0], warnings)
    dateline = _DATELINE.match(body_lines[0]) if body_lines else None
    published_at = _published_at(metadata.get("date") or [], dateline)
    place = _place(metadata.get("place") or [], dateline)
    return Page(
        title=title,
        type=release_type,
        published_at=published_at,
        place=display_case(place) if place else "",
        sources=metadata.get("sources", []),
        fields=metadata.get("fields", []),
        countries=metadata.get("countries", []),
        meetings=metadata.get("meetings", []),
        body=_body_html(body_lines),
        warnings=warnings,
    )


def _page_lines(text):
    """The page's lines, spaces collapsed and the byte-order mark dropped: stray whitespace
    from a copied page never changes a value."""
    if "\x00" in text:
        raise PageError("the file is binary, not a text page")
    return [" ".join(line.split()) for line in text.replace("\ufeff", "").splitlines()]


def _field_name(match):
    """The :class:`Page` field a "- Key:" line fills, or None for a key we don't know."""
    return FIELD_NAMES.get(match["key"].lower()) if match else None


def _metadata_start(lines):
    """Where the metadata block begins: the first "- Key:" line with a key we know."""
    for index, line in enumerate(lines):
        if _field_name(_KEY_LINE.match(line)):
            return index
    raise PageError("no metadata block: expected lines such as “- Date:” and “- Source:”")


def _title_and_type_line(head):
    """The title is the last line above the metadata; the type line, if any, the one before.

    The menu, when the page has one, comes earlier and is left out.
    """
    head = [line for line in head if line]
    if not head or head[-1].startswith("-"):
        raise PageError("no title: the line before the metadata block must be the title")
    title = head[-1]
    if name_key(title) in TYPE_LABELS:
        raise PageError(
            f"no title: “{title}” is the type line; the title goes between it and the metadata"
        )
    limit = Release._meta.get_field("title").max_length
    if len(title) > limit:
        raise PageError(f"the title is longer than {limit}")
    type_line = head[-2] if len(head) > 1 and not head[-2].startswith("-") else ""
    return title, type_line


def _read_metadata(lines, start):
    """The values under each known key, the body's lines after the block, and warnings.

    The block ends at the first line that is neither a key nor a "- value"; an unknown key's
    values are skipped, with a warning, rather than filed under the key above it.
    """
    metadata, warnings = {}, []
    key = None
    end = len(lines)
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        match = _KEY_LINE.match(line)
        if name := _field_name(match):
            key = name
            metadata.setdefault(key, [])
            if match["value"]:
                metadata[key].append(match["value"])
        elif match and not match["value"] and line.endswith(":"):
            key = None
            warnings.append(f"ignored the unknown field “{match['key']}”")
        elif line.startswith("-"):
            value = line[1:].strip()
            if key and value:
                metadata[key].append(value)
        else:
            end = index
            break
    body_lines = [line for line in lines[end:] if line]
    return metadata, body_lines, warnings


def _release_type(label, warnings):
    """The type the label names; a page without one is a press release, as most are."""
    if not label:
        warnings.append("no type line: filed as a press release")
        return Release.Type.PRESS_RELEASE
    try:
        return TYPE_LABELS[name_key(label)]
    except KeyError:
        known = ", ".join(sorted({choice.label for choice in Release.Type}))
        raise PageError(f"unknown type “{label}” (known: {known})") from None


def _published_at(dates, dateline):
    """The Date field's date, else the body's dateline's: older pages give only the latter."""
    if dates:
        try:
            return parse_date(dates[0])
        except ValueError:
            raise PageError(f"the Date “{dates[0]}” is not a date") from None
    if dateline:
        try:
            return parse_date(dateline["date"])
        except ValueError:
            raise PageError(f"the dateline's date “{dateline['date']}” is not a date") from None
    raise PageError("no date: the Date field is empty and the body has no dateline")


def _place(places, dateline):
    """The Place field's value, else the place the body's dateline opens with ("Vienna,")."""
    if len(places) > 1:
        raise PageError(f"several places ({', '.join(places)}): a release has one")
    if places:
        return places[0]
    return (dateline["place"] or "") if dateline else ""


@dataclass
class Outcome:
    name: str
    status: str  # created, updated, unchanged or failed
    title: str = ""
    reason: str = ""
    notes: list = field(default_factory=list)


class Importer:
    """Files parsed pages as releases, resolving names through terms and their aliases."""

    def __init__(self):
        self._resolvers = None

    def resolvers(self):
        if self._resolvers is None:
            self._resolvers = {
                model: model._default_manager.all().resolver()
                for model in (Place, Structure, FieldOfWork, Country, Meeting)
            }
        return self._resolvers

    def import_text(self, text, name):
        """Import one page's text; returns an :class:`Outcome`, never raises for bad input."""
        try:
            page = parse_page(text)
            with transaction.atomic():
                outcome = self._save(page, name)
        except (PageError, DatabaseError) as error:
            # The page's transaction is rolled back, terms made for it too: forget them.
            self._resolvers = None
            reason = (
                str(error) if isinstance(error, PageError) else f"the database refused it: {error}"
            )
            return Outcome(name, "failed", reason=reason)
        outcome.notes[:0] = page.warnings
        return outcome

    def import_path(self, path):
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            return Outcome(str(path), "failed", reason="not UTF-8 text")
        except OSError as error:
            return Outcome(str(path), "failed", reason=error.strerror or str(error))
        return self.import_text(text, str(path))

    def _known(self, model, names, what):
        lookup = self.resolvers()[model]
        missing = [name for name in names if name_key(name) not in lookup]
        if missing:
            raise PageError(f"unknown {what}: " + ", ".join(f"“{n}”" for n in missing))
        return list({lookup[name_key(name)].pk: lookup[name_key(name)] for name in names}.values())

    def _get_or_create(self, model, name, notes, what, **extra):
        lookup = self.resolvers()[model]
        term = lookup.get(name_key(name))
        if term is None:
            limit = model._meta.get_field("name").max_length
            if len(name) > limit:
                raise PageError(f"the {what} “{name[:60]}…” is longer than {limit} characters")

            def taken(slug):
                return model._default_manager.filter(slug=slug).exists()

            slug = free_slug(make_slug(name)[:180] or "term", taken)
            term = model(name=name, slug=slug, **extra)
            term.save()
            lookup[name_key(name)] = term
            notes.append(f"created the {what} “{name}”: review it in the admin")
        return term

    def _save(self, page, name):
        notes = []
        fields = self._known(FieldOfWork, page.fields, "field of work")
        countries = self._known(Country, page.countries, "country")
        meetings = self._known(Meeting, page.meetings, "meeting")
        place = self._get_or_create(Place, page.place, notes, "place") if page.place else None
        sources = [
            self._get_or_create(Structure, source, notes, "source") for source in page.sources
        ]
        values = {
            "title": page.title,
            "type": page.type,
            "published_at": page.published_at,
            "place": place,
            "body": sanitise(page.body),
            "imported_from": Path(name).name,
        }
        relations = {
            "sources": sources,
            "fields_of_work": fields,
            "countries": countries,
            "meetings": meetings,
        }
        key = f"{timezone.localdate(page.published_at).isoformat()}|{name_key(page.title)}"
        release = Release.objects.filter(import_key=key).first()
        if release is None:
            release = Release(import_key=key, status=Release.Status.PUBLISHED, **values)
            release.save()
            status = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(release, k) != v}
            for attname, value in changed.items():
                setattr(release, attname, value)
            if changed:
                release.save()
            status = "updated" if changed else "unchanged"
        for relation, terms in relations.items():
            manager = getattr(release, relation)
            if {t.pk for t in manager.all()} != {t.pk for t in terms}:
                manager.set(terms)
                status = "updated" if status == "unchanged" else status
        return Outcome(name, status, title=page.title, notes=notes)


def page_files(paths):
    """Every file to import: the files named, and the ``.txt`` files under folders named."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path
