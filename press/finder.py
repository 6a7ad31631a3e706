"""The finder: filters, search, sort and facet counts over published releases.

One implementation serves ``/press-releases/``, its feed, and every term page (which is the
finder over the term's subtree). Request data only ever reaches the database through the
filter form's cleaned values: a slug becomes a term through a form field, a date through a
date field, and nothing from the query string is passed to ``filter()`` as a keyword.
The answer itself (which releases, how many, the facet counts) comes from the bitmap index
in :mod:`press.engine`; the FilterSet's querysets state the same rules in SQL.
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property

import django_filters as filters
from django import forms
from django.core.validators import RegexValidator
from django.http import QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from institutions.models import Structure
from osce_site.languages import current_language
from taxonomy import freshness
from taxonomy.models import Country, FieldOfWork

from . import engine
from .engine import EPOCH, MICROSECOND
from .models import Release
from .pagecache import versions
from .search import search

MAX_VALUES = 20  # of one repeatable parameter: more is a form error, not a slow query
FIRST_YEAR, LAST_YEAR = 1970, 2100


def cursor(release):
    """Where ``release`` sits in the lists' order, as a link parameter: ``<µs>-<id>``."""
    return f"{(release.published_at - EPOCH) // MICROSECOND}-{release.pk}"


def parse_cursor(text):
    """The (moment, id) of a :func:`cursor`, or None when it is not one."""
    micros, _, pk = (text or "").partition("-")
    if not (micros.isascii() and micros.isdigit() and pk.isascii() and pk.isdigit()):
        return None
    if len(micros) > 18 or len(pk) > 18:
        return None
    try:
        return EPOCH + int(micros) * MICROSECOND, int(pk)
    except OverflowError:
        return None


# Per process: (model, database) -> (menu version, {slug: term} in the kind's order).
_directories = {}


def terms_by_slug(queryset):
    """Every term of ``queryset`` by slug, in its order: read once a menu version, in
    each process. A finder address names terms by slug, and looking them up was a query
    a parameter on every page nobody had asked for before."""
    key = (queryset.model, queryset.db)
    menu = freshness.current(queryset.db).menu  # pinned for a request: no query
    known = _directories.get(key)
    if known is None or known[0] != menu:
        known = _directories[key] = (menu, {term.slug: term for term in queryset})
    return known[1]


class SlugsField(filters.fields.ModelMultipleChoiceField):
    """Terms by slug, answered from :func:`terms_by_slug` with the errors Django's own
    field gives; the chosen terms come as a list in the kind's order."""

    def clean(self, value):
        if value and len(value) > MAX_VALUES:
            raise forms.ValidationError(
                gettext("Choose at most %(count)s.") % {"count": MAX_VALUES}, code="too_many"
            )
        if not value:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        known = terms_by_slug(self.queryset)
        for slug in value:
            if str(slug) not in known:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": slug},
                )
        chosen = {str(slug) for slug in value}
        terms = [term for slug, term in known.items() if slug in chosen]
        self.run_validators(terms)
        return terms


class TermFilter(filters.ModelMultipleChoiceFilter):
    """Terms chosen by slug, any of them (repeat the parameter for several)."""

    field_class = SlugsField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


# How a date may be written in the finder (GOV.UK's finders ask the same): a year, a month
# and year, or a day. A start reads as the period's first day, an end as its last.
DATE_FORMATS = [
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), ("year", "month", "day")),
    (re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})"), ("day", "month", "year")),
    (re.compile(r"(\d{4})-(\d{1,2})"), ("year", "month")),
    (re.compile(r"(\d{1,2})[/.](\d{4})"), ("month", "year")),
    (re.compile(r"(\d{4})"), ("year",)),
]
DATE_HINT = gettext_lazy("For example, 2015, 3/2015 or 21/11/2014")


def read_date(text, *, end=False):
    """The day ``text`` names, or None when it names none: "2015" is 1 January (31
    December as an end), "3/2015" the month's first (last) day, "21/11/2014" that day."""
    text = text.strip()
    for pattern, parts in DATE_FORMATS:
        found = pattern.fullmatch(text)
        if not found:
            continue
        values = dict(zip(parts, map(int, found.groups()), strict=True))
        year, month = values["year"], values.get("month", 12 if end else 1)
        if not 1 <= month <= 12 or year < 1:
            return None
        last = calendar.monthrange(year, month)[1]
        day = values.get("day", last if end else 1)
        return dt.date(year, month, day) if 1 <= day <= last else None
    return None


class LooseDateField(forms.DateField):
    """A date as people write it (:data:`DATE_FORMATS`), the period's last day for an end."""

    def __init__(self, *args, end=False, **kwargs):
        self.end = end
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        day = read_date(str(value)[:40], end=self.end)
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day


class LooseDateFilter(filters.DateFilter):
    field_class = LooseDateField


class FinderForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(
                    name,
                    gettext("Choose a date between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
                cleaned.pop(name, None)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", gettext("The end date is before the start date."))
            cleaned.pop("date_to", None)
        return cleaned


def _local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def in_words(items):
    """ "a, b or c": choices as a sentence says them."""
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return gettext("%(some)s or %(last)s") % {"some": ", ".join(items[:-1]), "last": items[-1]}


def _choose_among(message, labels):
    """A refused choice's ``message`` in the page's language, its ``{choices}`` the
    ``labels()`` in words and its ``%(value)s`` left for the form to fill."""

    def text():
        choices = in_words(str(label).lower() for label in labels())
        return gettext(message).format(choices=choices)

    return lazy(text, str)()


REAL_DATE = {"invalid": format_lazy("{} {}.", gettext_lazy("Enter a real date."), DATE_HINT)}


class ReleaseFilter(filters.FilterSet):
    SORTS = [
        ("newest", gettext_lazy("Newest first")),
        ("oldest", gettext_lazy("Oldest first")),
        ("relevance", gettext_lazy("Relevance")),
    ]

    q = filters.CharFilter(
        label=gettext_lazy("Search"),
        max_length=200,
        method="filter_search",
        validators=[
            RegexValidator(
                r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]",
                inverse_match=True,
                message=gettext_lazy("The search holds control characters; type words instead."),
            )
        ],
    )
    field = TermFilter(
        label=gettext_lazy("Field of work"),
        queryset=FieldOfWork.objects.all(),
        method="filter_field",
        error_messages={"invalid_choice": gettext_lazy("There is no field of work “%(value)s”.")},
    )
    country = TermFilter(
        label=gettext_lazy("Country"),
        queryset=Country.objects.all(),
        method="filter_country",
        error_messages={"invalid_choice": gettext_lazy("There is no country “%(value)s”.")},
    )
    source = TermFilter(
        label=gettext_lazy("Source"),
        queryset=Structure.objects.all(),
        method="filter_source",
        error_messages={"invalid_choice": gettext_lazy("There is no source “%(value)s”.")},
    )
    type = filters.MultipleChoiceFilter(
        label=gettext_lazy("Type"),
        choices=Release.Type.choices,
        method="filter_type",
        error_messages={
            "invalid_choice": _choose_among(
                gettext_noop("There is no type “%(value)s”: choose {choices}."),
                lambda: Release.type_labels().values(),
            )
        },
    )
    date_from = LooseDateFilter(
        label=gettext_lazy("From date"), method="filter_from", error_messages=REAL_DATE
    )
    date_to = LooseDateFilter(
        label=gettext_lazy("To date"), method="filter_to", error_messages=REAL_DATE, end=True
    )
    sort = filters.ChoiceFilter(
        label=gettext_lazy("Sort by"),
        choices=SORTS,
        method="sort_in_index",
        empty_label=None,
        null_label=None,
        error_messages={
            "invalid_choice": _choose_among(
                gettext_noop("There is no order “%(value)s”: choose {choices}."),
                lambda: (label for _value, label in ReleaseFilter.SORTS),
            )
        },
    )

    class Meta:
        model = Release
        fields = []
        form = FinderForm

    def get_form_class(self):
        """The form's class, made once: django-filter makes a new one for each FilterSet (a
        third of a millisecond on every finder page), and nothing in it depends on the
        request (each form still copies its fields)."""
        made = type(self).__dict__.get("_form_class")
        if made is None:
            made = type(self)._form_class = super().get_form_class()
        return made

    def filter_search(self, queryset, name, value):
        return search(queryset, value)

    def filter_field(self, queryset, name, value):
        return queryset.in_fields(value)

    def filter_country(self, queryset, name, value):
        return queryset.about_countries(value)

    def filter_source(self, queryset, name, value):
        return queryset.from_sources(value)

    def filter_type(self, queryset, name, value):
        return queryset.filter(type__in=value)

    def filter_from(self, queryset, name, value):
        return queryset.filter(published_at__gte=_local_midnight(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(published_at__lt=_local_midnight(value + dt.timedelta(days=1)))

    def sort_in_index(self, queryset, name, value):
        """Leave the queryset as it is: the index sorts (:meth:`Finder.page_ids`), and the
        SQL reference needs no order."""
        return queryset


# What a feed reads from its address: the filters; a finder page reads its page and the
# Newer and Older links' positions too. Nothing else makes a page differ (press.pagecache
# keys on these alone, so ``?page=2`` on a feed or ``?utm_source=…`` anywhere is no new entry).
FILTERS = tuple(ReleaseFilter.base_filters)
PARAMETERS = (*FILTERS, "page", "after", "before")

# The parameters that name terms by slug, and the kind of term each names (an old slug in
# one of them leads to the current one: press.moved).
TERM_PARAMETERS = {
    name: filter_.queryset.model
    for name, filter_ in ReleaseFilter.base_filters.items()
    if isinstance(filter_, TermFilter)
}


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool
    depth: int = 0


@dataclass
class Facet:
    name: str
    label: str
    options: list = field(default_factory=list)

    @property
    def visible_options(self):
        """Options worth showing: those with results, and whatever is chosen."""
        return [option for option in self.options if option.count or option.selected]


@dataclass
class Chip:
    label: str
    remove_query: str


class Finder:
    """Reads the query string through :class:`ReleaseFilter` and answers for the page.

    Invalid values are reported in ``errors`` and left out; the valid ones still apply,
    so a bad parameter never takes the rest of the page down with it. The answer (the
    matching releases, their number, the facet counts) comes from the bitmap index
    (:mod:`press.engine`); the FilterSet's own querysets say the same in SQL, which the
    tests hold the index to.
    """

    def __init__(self, data, queryset, *, within=None, using="default", search_order="relevance"):
        """``within`` is a term page's (facet, term): its whole subtree is the base.
        ``search_order`` is a search's order when none is asked (a feed's is newest)."""
        self.search_order = search_order
        self.data = data
        self.language = current_language()  # a finder lists the releases written in it
        self.base = queryset.in_language(self.language)
        self.within = within
        self.using = using
        self.filterset = ReleaseFilter(data, queryset=self.base)
        self.filterset.is_valid()  # fills cleaned_data with the valid values, errors aside
        self.cleaned = self.filterset.form.cleaned_data

    @property
    def form(self):
        return self.filterset.form

    @property
    def errors(self):
        return self.filterset.form.errors

    def problems(self):
        """Each refused value's error, named as the page names its control ("From date:
        Enter a real date…"), never by the parameter's name."""
        fields = self.form.fields
        return [
            f"{fields[name].label if name in fields else name}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]

    @property
    def query(self):
        return self.cleaned.get("q") or ""

    @property
    def default_sort(self):
        """The order when none is asked: the best match first for a search, else newest."""
        return self.search_order if self.query else "newest"

    @property
    def sort(self):
        sort = self.cleaned.get("sort") or self.default_sort
        return "newest" if sort == "relevance" and not self.query else sort

    def filtered(self, *, without=None):
        """The base queryset narrowed by every valid filter, except the one named: the
        finder's rules in SQL, which the index must agree with."""
        queryset = self.base
        for name, value in self.cleaned.items():
            if name != without and name in self.filterset.filters and value:
                queryset = self.filterset.filters[name].filter(queryset, value)
        return queryset

    @cached_property
    def answer(self):
        """The index's answer for the valid filters, at this moment."""
        now, _answered = versions(self.using)
        snapshot = engine.INDEX.snapshot(now.key, self.using)
        terms = {
            name: [getattr(value, "pk", value) for value in self.cleaned.get(name) or ()]
            for name in engine.FACETS
        }
        terms["language"] = [self.language]
        day_from, day_to = self.cleaned.get("date_from"), self.cleaned.get("date_to")
        matches = engine.INDEX.matches(snapshot, self.query, self.using) if self.query else None
        selection = engine.Selection(
            terms=terms,
            start=_local_midnight(day_from) if day_from else None,
            end=_local_midnight(day_to + dt.timedelta(days=1)) if day_to else None,
            now=timezone.now(),
            matches=matches,
            scope=(self.within[0], self.within[1].pk) if self.within else None,
        )
        return engine.Answer(snapshot, selection)

    def total(self):
        """How many releases match."""
        return len(self.answer)

    def page_ids(self, number, size):
        """The ids of page ``number`` (from 1) of ``size`` releases, in the chosen sort."""
        return self.ids_from((number - 1) * size, size)

    def ids_from(self, offset, size):
        """``size`` ids from ``offset`` on, in the chosen sort."""
        answer = self.answer
        if self.sort == "oldest":
            return answer.oldest(offset, size)
        if self.sort == "relevance":
            return engine.INDEX.ranked(answer, self.query, offset, size, self.using)
        return answer.newest(offset, size)

    def step_ids(self, direction, position, size):
        """The ``size`` releases right ``after`` or ``before`` ``position`` in this sort.

        A keyset step: a reader paging on while releases are published sees none twice.
        """
        moment, pk = position
        older = (self.sort == "newest") == (direction == "after")
        if older:
            ids = self.answer.older_than(moment, pk, size)
            return ids if self.sort == "newest" else ids[::-1]
        ids = self.answer.newer_than(moment, pk, size)
        return ids if self.sort == "oldest" else ids[::-1]

    def releases(self, ids):
        """The releases ``ids`` with what a list shows, in that order: one query (their
        terms come from the index)."""
        listing = self.base.model.objects.using(self.using).for_listing()
        return engine.fetch(ids, listing, self.answer.snapshot)

    def results(self, size):
        """The first ``size`` releases in the chosen sort (a feed's items)."""
        return self.releases(self.page_ids(1, size))

    def facets(self):
        """Each facet's options with the count it would give, the other filters applied:
        intersections of bitmaps, no query."""
        answer = self.answer
        options = answer.snapshot.options_in(self.language)
        return [
            self._facet("field", options["field"], answer.counts("field")),
            self._facet("source", options["source"], answer.counts("source")),
            self._facet("country", options["country"], answer.counts("country")),
            self._type_facet(answer.counts("type")),
        ]

    def _selected(self, name):
        return {getattr(value, "slug", value) for value in self.cleaned.get(name) or ()}

    def _facet(self, name, nodes, counts):
        selected = self._selected(name)
        options = [
            Option(slug, label, counts.get(pk, 0), slug in selected, depth)
            for pk, slug, label, depth in nodes
        ]
        return Facet(name, self.filterset.filters[name].label, options)

    def _type_facet(self, counts):
        selected = self._selected("type")
        options = [
            Option(value, label, counts.get(value, 0), value in selected)
            for value, label in Release.type_labels().items()
        ]
        return Facet("type", gettext("Type"), options)

    def chips(self):
        """The active filters, each with the query string that removes it."""
        chips = []
        labels = Release.type_labels()
        for name in ("q", "field", "source", "country", "type", "date_from", "date_to"):
            value = self.cleaned.get(name)
            if not value:
                continue
            if name == "q":
                words = gettext("“%(words)s”") % {"words": value}
                chips.append(Chip(words, self.query_string(remove=(name, None))))
            elif name in ("date_from", "date_to"):
                text = gettext("From %(date)s") if name == "date_from" else gettext("To %(date)s")
                text %= {"date": date_format(value)}
                chips.append(Chip(text, self.query_string(remove=(name, None))))
            else:
                for item in value:
                    slug = getattr(item, "slug", item)
                    label = getattr(item, "local_name", None) or labels.get(item, item)
                    chips.append(Chip(label, self.query_string(remove=(name, slug))))
        return chips

    def query_string(self, *, remove=None, page=None, keep_sort=True):
        """The current valid query, less one value (or one parameter), for links."""
        query = QueryDict(mutable=True)
        for name, value in self.cleaned.items():
            if not value or (name == "sort" and (value == self.default_sort or not keep_sort)):
                continue
            values = value if isinstance(value, list | tuple) else [value]
            for item in values:
                text = getattr(item, "slug", None) or (
                    item.isoformat() if isinstance(item, dt.date) else str(item)
                )
                if remove and remove[0] == name and remove[1] in (None, text):
                    continue
                query.appendlist(name, text)
        if page and page > 1:
            query["page"] = str(page)
        return query.urlencode()

    def describe(self):
        """The active filters in words, for feed and page titles."""
        return " · ".join(chip.label for chip in self.chips())
