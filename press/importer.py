"""Reads archive pages in the seed's format and files them as releases.

A page is the site's menu (optional), then the type ("Press release"), the title, a
metadata block of "- Key:" lines each followed by "- value" lines, and the body, one
paragraph a line. :func:`parse_page` turns text into a :class:`Page` without touching the
database; :class:`Importer` resolves its names against the reference data and writes it,
one page per transaction, so a bad page leaves nothing behind.

Pages come in any of the official languages. The English archive's labels ("- Date:") can
head a page in any of them; the Russian archive's ("- Дата:") say the page is Russian, and
a "- Language:" line ("- Язык:") says it outright. A translation names its original in an
"- Original:" line ("- Оригинал:"), by title or address, and shares the original's type,
place and terms, as every translation does.
"""

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.html import escape

from institutions.models import Structure
from osce_site.languages import language_name
from taxonomy.models import Country, FieldOfWork, Meeting, Place
from taxonomy.names import display_case, fold, free_slug, make_slug, name_key
from taxonomy.translated import column

from .html import sanitise
from .models import Release, SlugRedirect


class PageError(Exception):
    """The page cannot be imported; the message says why, for the person who fixes it."""


TYPE_LABELS = {
    "press release": Release.Type.PRESS_RELEASE,
    "news": Release.Type.NEWS,
    "news item": Release.Type.NEWS,
    "statement": Release.Type.STATEMENT,
    "пресс-релиз": Release.Type.PRESS_RELEASE,
    "новость": Release.Type.NEWS,
    "новости": Release.Type.NEWS,
    "заявление": Release.Type.STATEMENT,
}
# The metadata's labels in each archive. The English archive's head pages in any language;
# another archive's labels say the page is in that archive's language.
FIELD_LABELS = {
    "en": {
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
        "language": "language",
        "original": "original",
        "translation of": "original",
    },
    "ru": {
        "дата": "date",
        "место": "place",
        "источник": "sources",
        "источники": "sources",
        "направление деятельности": "fields",
        "направления деятельности": "fields",
        "страна": "countries",
        "страны": "countries",
        "связанные страны": "countries",
        "встреча": "meetings",
        "встречи": "meetings",
        "мероприятие": "meetings",
        "мероприятия": "meetings",
        "тип": "type",
        "язык": "language",
        "оригинал": "original",
    },
}
FIELD_NAMES = {label: name for labels in FIELD_LABELS.values() for label, name in labels.items()}
_LABEL_LANGUAGE = {
    label: code
    for code, labels in FIELD_LABELS.items()
    if code != settings.LANGUAGE_CODE
    for label in labels
}
_KEY_LINE = re.compile(r"^-\s*(?P<key>[^\W\d_](?:[^\W\d_]| ){0,40}?)\s*:\s*(?P<value>.*)$")
# "24 September 2021", "24 сентября 2021 г." (the Russian archive's "г." or "года" for year).
_DATE = r"\d{1,2}\s+[^\W\d_]+\.?\s+\d{4}(?:\s*г\.|\s+года)?"
_DATELINE = re.compile(rf"^(?:(?P<place>[^,\d][^,]{{0,80}}?),\s*)?(?P<date>{_DATE})\s*(?:[–—-]|$)")
_DATE_FORMATS = ["%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%d.%m.%Y", "%d/%m/%Y"]
_YEAR_WORD = re.compile(r"(?<=\d{4})\s*(?:г\.?|года)$")
_RUSSIAN_DATE = re.compile(r"^(?P<day>\d{1,2})\s+(?P<month>[^\W\d_]+)\.?\s+(?P<year>\d{4})$")
# Genitive ("24 сентября"), as dates are written; nominative and the archive's abbreviations.
_RUSSIAN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "января январь янв",
            "февраля февраль фев февр",
            "марта март мар",
            "апреля апрель апр",
            "мая май",
            "июня июнь июн",
            "июля июль июл",
            "августа август авг",
            "сентября сентябрь сен сент",
            "октября октябрь окт",
            "ноября ноябрь ноя нояб",
            "декабря декабрь дек",
        ],
        start=1,
    )
    for name in names.split()
}
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# A page's original given by its address rather than its title.
_ADDRESS = re.compile(r"^(?:https?://[^/]+)?(?:/[a-z]{2})?/press-releases/(?P<slug>[-\w]+)/?$")
_SLUG = re.compile(r"^[-a-z0-9]+$")
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
    language: str = settings.LANGUAGE_CODE
    original: str = ""  # the original's title or address, for a translation that names it


def parse_date(text):
    """A date or date-time in the formats the archive uses; raises ValueError otherwise."""
    text = _YEAR_WORD.sub("", " ".join(text.split()))
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
            day = _russian_date(text)
    return timezone.make_aware(dt.datetime.combine(day, DEFAULT_TIME))


def _russian_date(text):
    """A date such as "24 сентября 2021" (the year word dropped); ValueError otherwise."""
    match = _RUSSIAN_DATE.match(text)
    month = _RUSSIAN_MONTHS.get(match["month"].lower()) if match else None
    if month is None:
        raise ValueError(text)
    try:
        return dt.date(int(match["year"]), month, int(match["day"]))
    except ValueError:  # no such day in that month
        raise ValueError(text) from None


@functools.cache
def _language_codes():
    """Every way a page names an official language: its code, its own name, and its name in
    each official language ("Russian", "русский", "russe"…), folded."""
    codes = {}
    for code, own_name in settings.LANGUAGES:
        codes[fold(code)] = codes[fold(own_name)] = code
        for other, _name in settings.LANGUAGES:
            codes[fold(Locale(other).languages[code])] = code
    return codes


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


def parse_page(text, language=None):
    """Parse one page; raises :class:`PageError` with the reason when it is malformed.

    The page is in the language it says, else in ``language``, else in the default one;
    a page that says another language than ``language`` fails. The steps read the page
    from the top down, so the error names the first part to fix.
    """
    lines = _page_lines(text)
    start = _metadata_start(lines)
    title, type_line = _title_and_type_line(lines[:start])
    metadata, body_lines, warnings, label_languages = _read_metadata(lines, start)
    page_language = _page_language(metadata.get("language") or [], label_languages, language)
    if page_language == "ru" and not _CYRILLIC.search(title):
        warnings.append("the title has no Cyrillic letter, for a page in Russian")
    release_type = _release_type((metadata.get("type") or [type_line])[0], warnings)
    dateline = _DATELINE.match(body_lines[0]) if body_lines else None
    published_at = _published_at(metadata.get("date") or [], dateline)
    place = _place(metadata.get("place") or [], dateline)
    originals = metadata.get("original") or []
    if len(originals) > 1:
        raise PageError(f"several originals ({', '.join(originals)}): a translation has one")
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
        language=page_language,
        original=originals[0] if originals else "",
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
    """The values under each known key, the body's lines after the block, warnings, and
    the languages of its labels other than the default's (which any page may use).

    The block ends at the first line that is neither a key nor a "- value"; an unknown key's
    values are skipped, with a warning, rather than filed under the key above it.
    """
    metadata, warnings, label_languages = {}, [], set()
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
            if label_language := _LABEL_LANGUAGE.get(match["key"].lower()):
                label_languages.add(label_language)
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
    return metadata, body_lines, warnings, label_languages


def _page_language(named, label_languages, language):
    """The language the page says (its Language line, else its archive's labels), else
    ``language``, else the default; a page that says another than ``language`` fails."""
    if len(named) > 1:
        raise PageError(f"several languages ({', '.join(named)}): a page is in one")
    if named:
        said = _language_codes().get(fold(named[0]))
        if said is None:
            known = ", ".join(code for code, _name in settings.LANGUAGES)
            raise PageError(f"unknown language “{named[0]}” (known: {known})")
        how = f"its language line says {named[0]}"
    else:
        if len(label_languages) > 1:
            names = ", ".join(sorted(map(language_name, label_languages)))
            raise PageError(f"the page's labels are in several languages: {names}")
        said = next(iter(label_languages), None)
        how = f"its labels are in {language_name(said)}" if said else ""
    if said and language and said != language:
        raise PageError(f"the page is not in {language_name(language)}: {how}")
    return said or language or settings.LANGUAGE_CODE


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
    """Files parsed pages as releases, resolving names through terms and their aliases.

    ``language`` is the language of pages that do not say theirs; ``original`` names (by
    slug, address or title) the release every page imported translates, where the pages do
    not name it themselves (the command's ``--translation-of``, for one page).
    """

    def __init__(self, language=None, original=None):
        self.language = language
        self.original = original
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
            page = parse_page(text, self.language)
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

    def _get_or_create(self, model, name, notes, what, language):
        lookup = self.resolvers()[model]
        term = lookup.get(name_key(name))
        if term is None:
            limit = model._meta.get_field("name").max_length
            if len(name) > limit:
                raise PageError(f"the {what} “{name[:60]}…” is longer than {limit} characters")

            def taken(slug):
                return model._default_manager.filter(slug=slug).exists()

            slug = free_slug(make_slug(name)[:180] or "term", taken)
            term = model(name=name, slug=slug)
            note = f"created the {what} “{name}”: review it in the admin"
            if language != settings.LANGUAGE_CODE:
                # Its only name is the page's: English pages would show it as written here.
                setattr(term, column("name", language), name)
                note += f", and give it its {language_name(settings.LANGUAGE_CODE)} name"
            term.save()
            lookup[name_key(name)] = term
            notes.append(note)
        return term

    def _save(self, page, name):
        notes = []
        day = timezone.localdate(page.published_at).isoformat()
        if page.language == settings.LANGUAGE_CODE:
            key = f"{day}|{name_key(page.title)}"
        else:
            key = f"{day}|{page.language}|{name_key(page.title)}"
        release = Release.objects.filter(import_key=key).first()
        # A translation linked before (by an editor, or by --translation-of) stays linked
        # when its page is imported again without naming its original.
        original = self._original(page, notes) or (release and release.translation_of)
        terms = {
            "fields_of_work": self._known(FieldOfWork, page.fields, "field of work"),
            "countries": self._known(Country, page.countries, "country"),
            "meetings": self._known(Meeting, page.meetings, "meeting"),
        }
        if original is None:
            release_type = page.type
            place = (
                self._get_or_create(Place, page.place, notes, "place", page.language)
                if page.place
                else None
            )
            terms["sources"] = [
                self._get_or_create(Structure, source, notes, "source", page.language)
                for source in page.sources
            ]
        else:
            self._check_free(original, page.language, release)
            release_type, place = original.type, original.place
            terms = self._shared_with(original, page, terms, notes)
        values = {
            "title": page.title,
            "type": release_type,
            "published_at": page.published_at,
            "place": place,
            "body": sanitise(page.body),
            "imported_from": Path(name).name,
            "language": page.language,
            "translation_of": original,
        }
        if release is None:
            release = Release(import_key=key, status=Release.Status.PUBLISHED, **values)
            if original is not None:  # the address the admin gives a translation
                release.slug = release.unique_slug(f"{original.slug[:176]}-{page.language}")
            release.save()
            status = "created"
        else:
            changed = {k: v for k, v in values.items() if getattr(release, k) != v}
            for attname, value in changed.items():
                setattr(release, attname, value)
            if changed:
                release.save()
            status = "updated" if changed else "unchanged"
        relations_changed = False
        for relation, related in terms.items():
            manager = getattr(release, relation)
            if {t.pk for t in manager.all()} != {t.pk for t in related}:
                manager.set(related)
                relations_changed = True
        if relations_changed:
            status = "updated" if status == "unchanged" else status
            if original is None:
                release.share_with_translations()
        return Outcome(name, status, title=page.title, notes=notes)

    def _original(self, page, notes):
        """The release the page translates: the one ``--translation-of`` or the page's
        Original line names, by slug, address or title; None for an original."""
        wanted = self.original or page.original
        if not wanted:
            return None
        original = _release_named(wanted, page)
        if original.translation_of_id is not None:
            notes.append(
                f"“{original.title}” is itself a translation: filed as a translation of "
                f"its original, “{original.translation_of.title}”"
            )
            original = original.translation_of
        if original.language == page.language:
            raise PageError(
                f"its original “{original.title}” is in {language_name(page.language)} "
                "too: a translation is in another language"
            )
        return original

    def _check_free(self, original, language, release):
        """Fails the page when its original has another translation in its language, or
        when its release is an original with translations of its own."""
        if release is not None and release.translations.exists():
            raise PageError(
                f"“{release.title}” has translations of its own: an original cannot become "
                "a translation (link them to the other original in the admin first)"
            )
        others = Release.objects.filter(translation_of=original, language=language)
        if release is not None:
            others = others.exclude(pk=release.pk)
        if other := others.first():
            raise PageError(
                f"“{original.title}” already has a translation in {language_name(language)}: "
                f"“{other.title}” ({other.slug})"
            )

    def _shared_with(self, original, page, terms, notes):
        """The original's terms, which a translation shares; a note for each kind the page
        gives otherwise (or in names the reference data does not know), for an editor to
        check which is right."""
        shared = {relation: list(getattr(original, relation).all()) for relation in terms}
        shared["sources"] = list(original.sources.all())
        kept = {
            "type": [Release.Type(original.type).label],
            "place": [original.place] if original.place else [],
            **shared,
        }
        given = {
            "type": [Release.Type(page.type).label],
            "place": [page.place] if page.place else [],
            "sources": page.sources,
            **{relation: [term.name for term in found] for relation, found in terms.items()},
        }
        lookups = {"place": self.resolvers()[Place], "sources": self.resolvers()[Structure]}
        for relation, names in given.items():
            if not names:
                continue  # the page leaves it to the original
            if relation in lookups:
                found = [lookups[relation].get(name_key(name)) for name in names]
                differs = None in found or {t.pk for t in found} != {t.pk for t in kept[relation]}
            elif relation == "type":
                differs = names != kept["type"]
            else:
                differs = {t.pk for t in terms[relation]} != {t.pk for t in kept[relation]}
            if differs:
                theirs = ", ".join(map(str, kept[relation])) or "none"
                notes.append(
                    f"kept the original's {relation.replace('_', ' ')} ({theirs}), which a "
                    f"translation shares; the page gives {', '.join(map(str, names))}"
                )
        return shared


def _release_named(wanted, page):
    """The release ``wanted`` names: a slug (or an old one), an address, else a title in
    another language than the page's (of the page's day, if several have it)."""
    address = _ADDRESS.match(wanted)
    slug = address["slug"] if address else wanted if _SLUG.match(wanted) else None
    if slug:
        found = Release.objects.filter(slug=slug).first()
        if found is None:
            redirect = SlugRedirect.objects.filter(old_slug=slug).select_related("release")
            found = next((old.release for old in redirect), None)
        if found is not None or address:
            if found is None:
                raise PageError(f"its original “{wanted}” is not in the database")
            return found
    key = name_key(wanted)
    candidates = [
        release
        for release in Release.objects.filter(
            Q(import_key__endswith=f"|{key}") | Q(title__iexact=wanted)
        ).exclude(language=page.language)
        if name_key(release.title) == key
    ]
    if len(candidates) > 1:
        day = timezone.localdate(page.published_at)
        candidates = [r for r in candidates if timezone.localdate(r.published_at) == day]
    if not candidates:
        raise PageError(
            f"its original “{wanted}” is not in the database: import it first (one run "
            "imports the originals before the pages that name them)"
        )
    if len(candidates) > 1:
        raise PageError(
            f"its original “{wanted}” is ambiguous: {len(candidates)} releases of that day "
            "have that title; name it by its address"
        )
    return candidates[0]


def page_files(paths):
    """Every file to import: the files named, and the ``.txt`` files under folders named."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.txt") if p.is_file())
        else:
            yield path


def originals_first(paths):
    """``paths`` with the pages that name an original after the others, each group in its
    order: a run finds the originals it imports itself, whatever the files are called."""
    return sorted(paths, key=_names_an_original)


def _names_an_original(path):
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeError):
        return False  # the import reports it
    return any(_field_name(_KEY_LINE.match(line.strip())) == "original" for line in lines)
