"""Reference data in every official language: one column per language beside the default's.

A term's ``name`` is its name in the default language (English): every query, the
importer's matching and the admin keep working on it as before. ``translate(Term, "name")``
adds ``name_ru``, ``name_fr``… (blank: not written yet), and :func:`value_in` reads the
page's language, falling back to the default language's value. The layout is the one
django-modeltranslation makes; what it adds on top (every query on ``name`` rewritten to
the active language) would make the finder's shared index, the importer and the menu's
one-query read depend on who asks, so names are chosen where they are shown instead.
"""

import unicodedata

from django.conf import settings

from osce_site.languages import current_language, language_name


def other_languages():
    """The official languages but the default: those with a column of their own."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def column(field_name, code):
    """The attribute holding ``field_name`` in language ``code``."""
    return field_name if code == settings.LANGUAGE_CODE else f"{field_name}_{code}"


def translate(model, *field_names):
    """Add a blank column per other official language for each of ``field_names``.

    Called on an abstract model before its subclasses are declared, so each subclass gets
    the columns as if written in the class body. A new official language is a new column:
    ``makemigrations`` writes it (README, "Adding a language"). The model (and each
    subclass) keeps the names in ``translated_fields``.
    """
    model.translated_fields = (*getattr(model, "translated_fields", ()), *field_names)
    for field_name in field_names:
        original = model._meta.get_field(field_name)
        for code in other_languages():
            field = original.clone()
            field.verbose_name = f"{original.verbose_name} ({language_name(code)})"
            field.blank = True
            field.default = ""
            field.help_text = ""
            model.add_to_class(column(field_name, code), field)


def columns_by_language(model):
    """{language: [its columns]} of ``model``'s translated fields (none for others)."""
    fields = getattr(model, "translated_fields", ())
    return {code: [column(name, code) for name in fields] for code in other_languages()}


def value_in(instance, field_name, code=None):
    """``field_name`` of ``instance`` in ``code`` (the page's language by default), or the
    default language's where that language has none.

    Reads only what is loaded: a row read without its translations (``only()``, a list
    built from the finder's index) gives its default value rather than a query per row.
    """
    code = code or current_language()
    if code != settings.LANGUAGE_CODE:
        value = instance.__dict__.get(column(field_name, code))
        if value:
            return value
    return getattr(instance, field_name)


def collation_key(text, code=None):
    """A sort key that orders ``text`` as the language's dictionaries do, near enough.

    Without ICU: case folded; in Russian "ё" files under "е" and "й" stays a letter of its
    own; in the Latin-script languages accents are ignored ("Österreich" under O).
    """
    code = code or current_language()
    text = text.casefold().lstrip("«\"'(")
    if code == "ru":
        return text.replace("ё", "е")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def alphabetical(items, name=lambda item: item.local_name, code=None):
    """``items`` in the alphabetical order of ``code`` (the page's language by default).

    In the default language they stay as given: lists there are in the editors' order,
    which for lists of names is English's alphabet, exceptions included.
    """
    code = code or current_language()
    if code == settings.LANGUAGE_CODE:
        return list(items)
    return sorted(items, key=lambda item: collation_key(name(item), code))
