"""Forged ids in admin forms are form errors: Django's own fields and widgets let them
through to the database, a server error instead of "Select a valid choice"."""

import functools

from django import forms
from django.contrib.admin import widgets


def is_id(value):
    """Every model here has an integer key, of at most 64 bits: every number of up to 18
    digits fits, and a longer one is refused rather than checked against the limit."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) < 19


class CheckedIds:
    """A model choice field that refuses a malformed id itself: Django hands it to the
    database, where a number past 64 bits raised (OverflowError on SQLite), a server error
    instead of "Select a valid choice" (tests/test_fuzz.py, tests/test_admin_bad_ids.py)."""

    def clean(self, value):
        values = value if isinstance(value, (list, tuple)) else [value]
        bad = next((v for v in values if v not in self.empty_values and not is_id(v)), None)
        if bad is not None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": bad}
            )
        return super().clean(value)


@functools.cache
def _checked_class(field_class):
    if issubclass(field_class, CheckedIds):
        return field_class
    return type(f"Checked{field_class.__name__}", (CheckedIds, field_class), {})


class IdsOnly:
    """Django's autocomplete widget looks up the posted ids again to show a refused form;
    an id that is not a number (a forged post) raised there, a server error instead of the
    form's "Select a valid choice" (tests/test_fuzz.py, tests/test_admin_bad_ids.py)."""

    def optgroups(self, name, value, attr=None):
        ids = [v for v in value if is_id(v)]
        return super().optgroups(name, ids, attr)


class AutocompleteSelect(IdsOnly, widgets.AutocompleteSelect):
    pass


class AutocompleteSelectMultiple(IdsOnly, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocomplete:
    """A ModelAdmin mixin: its choices of other records refuse a malformed id as a form
    error, and its autocomplete fields use the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
            )
        return check_ids(super().formfield_for_foreignkey(db_field, request, **kwargs))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget",
                AutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using")),
            )
        return check_ids(super().formfield_for_manytomany(db_field, request, **kwargs))


def check_ids(field):
    """``field`` made to refuse a malformed id, if it is a choice of records; for fields a
    form declares itself, which the mixin above never sees."""
    if isinstance(field, forms.ModelChoiceField):
        field.__class__ = _checked_class(type(field))
    return field
