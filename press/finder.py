"""The finder: filters, search, sort and facet counts over published releases.

One implementation serves ``/press-releases/``, its feed, and every term page (which is the
finder over the term's subtree). Request data only ever reaches the database through the
filter form's cleaned values: a slug becomes a term through a form field, a date through a
date field, and nothing from the query string is passed to ``filter()`` as a keyword.
"""

import datetime as dt
from dataclasses import dataclass, field

import django_filters as filters
from django import forms
from django.db import models
from django.http import QueryDict
from django.utils import timezone

from institutions.models import Structure
from taxonomy.models import Country, FieldOfWork

from .models import Release
from .search import search

MAX_VALUES = 20  # of one repeatable parameter: more is a form error, not a slow query
FIRST_YEAR, LAST_YEAR = 1970, 2100


class SlugsField(filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        if value and len(value) > MAX_VALUES:
            raise forms.ValidationError(f"Choose at most {MAX_VALUES}.", code="too_many")
        return super().clean(value)


class TermFilter(filters.ModelMultipleChoiceFilter):
    """Terms chosen by slug, any of them (repeat the parameter for several)."""

    field_class = SlugsField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"


class FinderForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
                self.add_error(name, f"Choose a date between {FIRST_YEAR} and {LAST_YEAR}.")
                cleaned.pop(name, None)
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
            cleaned.pop("date_to", None)
        return cleaned


def _local_midnight(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class ReleaseFilter(filters.FilterSet):
    SORTS = [("newest", "Newest first"), ("oldest", "Oldest first"), ("relevance", "Relevance")]

    q = filters.CharFilter(label="Search", max_length=200, method="filter_search")
    field = TermFilter(
        label="Field of work", queryset=FieldOfWork.objects.all(), method="filter_field"
    )
    country = TermFilter(label="Country", queryset=Country.objects.all(), method="filter_country")
    source = TermFilter(label="Source", queryset=Structure.objects.all(), method="filter_source")
    type = filters.MultipleChoiceFilter(
        label="Type", choices=Release.Type.choices, method="filter_type"
    )
    date_from = filters.DateFilter(label="From", method="filter_from", widget=DateInput)
    date_to = filters.DateFilter(label="To", method="filter_to", widget=DateInput)
    sort = filters.ChoiceFilter(
        label="Sort by", choices=SORTS, method="keep", empty_label=None, null_label=None
    )

    class Meta:
        model = Release
        fields = []
        form = FinderForm

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

    def keep(self, queryset, name, value):
        return queryset  # sorting is applied after filtering, see Finder.results


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


class _CountRows(models.Subquery):
    """``(SELECT COUNT(DISTINCT column) FROM (subquery))``, correlated like a Subquery."""

    template = "(SELECT COUNT(DISTINCT _rows.row_id) FROM (%(subquery)s) _rows)"
    output_field = models.IntegerField()

    def __init__(self, queryset, column):
        super().__init__(queryset.values(row_id=models.F(column)))


class Finder:
    """Reads the query string through :class:`ReleaseFilter` and answers for the page.

    Invalid values are reported in ``errors`` and left out; the valid ones still apply,
    so a bad parameter never takes the rest of the page down with it.
    """

    FACETS = ("field", "source", "country", "type")

    def __init__(self, data, queryset):
        self.data = data
        self.base = queryset
        self.filterset = ReleaseFilter(data, queryset=queryset)
        self.is_valid = self.filterset.is_valid()
        self.cleaned = self.filterset.form.cleaned_data

    @property
    def form(self):
        return self.filterset.form

    @property
    def errors(self):
        return self.filterset.form.errors

    @property
    def query(self):
        return self.cleaned.get("q") or ""

    @property
    def sort(self):
        sort = self.cleaned.get("sort") or "newest"
        return "newest" if sort == "relevance" and not self.query else sort

    def filtered(self, *, without=None):
        """The base queryset narrowed by every valid filter, except the one named."""
        queryset = self.base
        for name, value in self.cleaned.items():
            # An empty choice of terms is an empty (unevaluated) queryset: skip it, as
            # django-filter's own EMPTY_VALUES check does not recognise it.
            if name != without and name in self.filterset.filters and value:
                queryset = self.filterset.filters[name].filter(queryset, value)
        return queryset

    def results(self):
        queryset = self.filtered().for_listing()
        if self.sort == "oldest":
            return queryset.order_by("published_at", "pk")
        if self.sort == "relevance":
            return queryset.order_by("-rank", "-published_at", "-pk")
        return queryset.newest_first()

    def facets(self):
        """Each facet's options with the count it would give, the other filters applied."""
        return [
            self._tree_facet("field", FieldOfWork, "fields_of_work"),
            self._tree_facet("source", Structure, "sources"),
            self._country_facet(),
            self._type_facet(),
        ]

    def _selected(self, name):
        return {getattr(value, "slug", value) for value in self.cleaned.get(name) or ()}

    def _release_ids(self, without):
        return self.filtered(without=without).order_by().values("pk")

    def _tree_facet(self, name, model, relation):
        through_field = Release._meta.get_field(relation)
        target = through_field.m2m_reverse_field_name()
        rows = through_field.remote_field.through.objects.filter(
            release__in=self._release_ids(name),
            **{
                f"{target}__tree_id": models.OuterRef("tree_id"),
                f"{target}__lft__gte": models.OuterRef("lft"),
                f"{target}__lft__lte": models.OuterRef("rght"),
            },
        )
        nodes = model.objects.annotate(n=_CountRows(rows, "release_id")).order_by("tree_id", "lft")
        selected = self._selected(name)
        options = [
            Option(slug, label, n, slug in selected, level)
            for slug, label, n, level in nodes.values_list("slug", "name", "n", "level")
        ]
        return Facet(name, self.filterset.filters[name].label, options)

    def _country_facet(self):
        releases = self.filtered(without="country").order_by()
        related = Release.countries.through.objects.filter(
            release=models.OuterRef("pk"), country=models.OuterRef(models.OuterRef("pk"))
        )
        matching = releases.filter(
            models.Q(place__country=models.OuterRef("pk")) | models.Exists(related)
        )
        countries = Country.objects.in_menu_order().annotate(n=_CountRows(matching, "pk"))
        selected = self._selected("country")
        options = [
            Option(slug, name, n, slug in selected)
            for slug, name, n in countries.values_list("slug", "name", "n")
        ]
        return Facet("country", "Country", options)

    def _type_facet(self):
        counts = dict(
            self.filtered(without="type")
            .order_by()
            .values_list("type")
            .annotate(n=models.Count("pk"))
        )
        selected = self._selected("type")
        options = [
            Option(value, label, counts.get(value, 0), value in selected)
            for value, label in Release.Type.choices
        ]
        return Facet("type", "Type", options)

    def chips(self):
        """The active filters, each with the query string that removes it."""
        chips = []
        labels = dict(Release.Type.choices)
        for name in ("q", "field", "source", "country", "type", "date_from", "date_to"):
            value = self.cleaned.get(name)
            if not value:
                continue
            if name == "q":
                chips.append(Chip(f"“{value}”", self.query_string(remove=(name, None))))
            elif name in ("date_from", "date_to"):
                prefix = "From" if name == "date_from" else "To"
                text = f"{prefix} {value.day} {value:%B %Y}"
                chips.append(Chip(text, self.query_string(remove=(name, None))))
            else:
                for item in value:
                    slug = getattr(item, "slug", item)
                    label = getattr(item, "name", None) or labels.get(item, item)
                    chips.append(Chip(label, self.query_string(remove=(name, slug))))
        return chips

    def query_string(self, *, remove=None, page=None):
        """The current valid query, less one value (or one parameter), for links."""
        query = QueryDict(mutable=True)
        for name, value in self.cleaned.items():
            if not value or (name == "sort" and value == "newest"):
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
