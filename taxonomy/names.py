"""How the archive's spellings of a name are reduced to one key.

The archive writes "OSCE Mission to Moldova", "MISSION TO MOLDOVA" and "Mission to
Moldova" for one term, with en dashes or hyphens, and with or without diacritics; the
importer and the admin's search compare names through :func:`name_key`.
"""

import re
import unicodedata

from django.utils.text import slugify

_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "’": "'"})
_SPACES = re.compile(r"\s+")
_WORD_START = re.compile(r"(^|[-.'(])(\w)")
_PREFIXES = ("osce ", "the ")
# Words kept in lower case when a name written in capitals is shown in title case.
_SMALL_WORDS = {"a", "an", "and", "at", "de", "del", "der", "di", "en", "for", "in", "la", "le"}
_SMALL_WORDS |= {"of", "on", "the", "to", "van", "von"}


def fold(text):
    """Case-fold and strip diacritics, so "Türkiye" and "TURKIYE" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_DASHES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain).strip().casefold()


def name_key(text):
    """The key a name is matched by: folded, without a leading "OSCE" or "The"."""
    key = fold(text)
    for prefix in _PREFIXES:
        if key.startswith(prefix):
            key = key[len(prefix) :]
    return key


# Cyrillic in Latin letters as Russian passports write it (ICAO 9303), with Ukrainian's
# own letters: a Russian title's address reads "nabliudateli-o-vyborakh", not "release".
CYRILLIC = str.maketrans(
    {
        **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye", strict=True)),
        **{"ё": "e", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
        **{"ъ": "ie", "ь": "", "ю": "iu", "я": "ia", "і": "i", "ї": "i", "є": "ie", "ґ": "g"},
    }
)


def make_slug(text):
    """A URL slug that keeps "Cyber/ICT" as two words rather than gluing them together,
    and writes Cyrillic in Latin letters."""
    return slugify(re.sub(r"[/&+]", " ", text).lower().translate(CYRILLIC))


def free_slug(base, is_taken):
    """``base``, else ``base-2``, ``base-3``…: the first slug ``is_taken`` says is free.

    The one numbering rule for slugs that clash, for releases and for new terms alike.
    """
    slug, number = base, 2
    while is_taken(slug):
        slug, number = f"{base}-{number}", number + 1
    return slug


def display_case(text):
    """Turn "NEW YORK" or "BOSNIA AND HERZEGOVINA" into "New York", "Bosnia and Herzegovina".

    Text that is not all in capitals is kept as written: "The Hague" stays as it is.
    """
    text = _SPACES.sub(" ", text).strip()
    if text != text.upper():
        return text

    def word_case(index, word):
        lowered = word.lower()
        if index and lowered in _SMALL_WORDS:
            return lowered
        return _WORD_START.sub(lambda m: m.group(1) + m.group(2).upper(), lowered)

    return " ".join(word_case(i, word) for i, word in enumerate(text.split(" ")))
