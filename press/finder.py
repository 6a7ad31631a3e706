"""The finder: filters, search, sort and facet counts over published releases.

One implementation serves ``/press-releases/``, its feed, and every term page (which is the
finder over the term's subtree). Request data only ever reaches the database through the
filter form's cleaned values: a slug becomes a term through a form field, a date through a
date field, and nothing from the query string is passed to ``filter()`` as a keyword.
Facet counts are grouped SQL over the filtered ids, where table and column names come from
the models and every value is a query parameter.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import django_filters as filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.validators import RegexValidator
from django.db import connections
from django.http import QueryDict
from django.utils import timezone

from institutions.models import Structure
from taxonomy.models import Country, CountryGroup, FieldOfWork, MenuItem

from .models import Release
from .pagecache import versions
from .search import search

MAX_VALUES = 20  # of one repeatable parameter: more is a form error, not a slow query
FIRST_YEAR, LAST_YEAR = 1970, 2100
FACET_TIMEOUT = 60 * 60 * 24  # a change makes them unreachable long before
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


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

    q = filters.CharFilter(
        label="Search",
        max_length=200,
        method="filter_search",
        validators=[
            RegexValidator(
                r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]",
                inverse_match=True,
                message="The search holds control characters; type words instead.",
            )
        ],
    )
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


class Finder:
    """Reads the query string through :class:`ReleaseFilter` and answers for the page.

    Invalid values are reported in ``errors`` and left out; the valid ones still apply,
    so a bad parameter never takes the rest of the page down with it.
    """

    FACETS = ("field", "source", "country", "type")

    def __init__(self, data, queryset, *, scope=None):
        """``scope`` names ``queryset`` (a page's path) so its facet counts can be cached."""
        self.data = data
        self.base = queryset
        self.scope = scope
        self.filterset = ReleaseFilter(data, queryset=queryset)
        self.filterset.is_valid()  # fills cleaned_data with the valid values, errors aside
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

    def seek(self, queryset, direction, position, size):
        """The ``size`` releases right ``after`` or ``before`` ``position`` in this sort.

        A keyset step: an index range scan from the position, as fast on page 5,000 as on
        page 2, and a reader paging on while releases are published sees none twice.
        """
        moment, pk = position
        older = (self.sort == "newest") == (direction == "after")
        step = queryset.older_than(moment, pk) if older else queryset.newer_than(moment, pk)
        if direction == "after":
            return list(step[:size])
        return list(step.reverse()[:size])[::-1]

    @cached_property
    def facet_list(self):
        """Each facet's options with the count it would give, the other filters applied.

        At most two queries whatever the filters: one for the two trees and the types (a
        UNION of grouped counts), one for the countries. With a ``scope`` each facet's
        counts are cached under the filters it is counted under, the others', until the
        next change any public page may show (the page cache's versions). So every page
        and sort of one search shares them, and the field facet of ``?field=a`` is the
        one of ``?field=b`` and of the plain list: a new single-filter search counts only
        the other facets.
        """
        rows = self._cached_rows()
        return [
            self._tree_facet("field", rows["field"]),
            self._tree_facet("source", rows["source"]),
            self._country_facet(rows["country"]),
            self._type_facet(rows["type"]),
        ]

    def _rows_for(self, names):
        """The counts of the facets ``names``, each a list of rows, computed together."""
        rows = {}
        trees = [name for name in names if name != "country"]
        if trees:
            rows.update(self._tree_and_type_rows(trees))
        if "country" in names:
            rows["country"] = self._country_rows()
        return rows

    def _cached_rows(self):
        if self.scope is None:
            return self._rows_for(self.FACETS)
        state, menu_version, _changed = versions()
        keys = {}
        for name in self.FACETS:
            # What the facet is counted under: every filter but its own (and no sort).
            others = self.query_string(remove=(name, None), keep_sort=False)
            digest = hashlib.sha256(f"{self.scope}?{others}".encode()).hexdigest()[:32]
            keys[name] = f"facet:{state['version']}:{menu_version}:{name}:{digest}"
        found = cache.get_many(keys.values())
        rows = {name: found[key] for name, key in keys.items() if key in found}
        missing = [name for name in self.FACETS if name not in rows]
        if missing:
            computed = self._rows_for(missing)
            cache.set_many({keys[name]: computed[name] for name in missing}, FACET_TIMEOUT)
            rows.update(computed)
        return rows

    def facets(self):
        return self.facet_list

    def total(self):
        """How many releases match: read from the type facet, so no COUNT of its own.

        Types do not overlap, and the type facet counts under every other filter, so the
        total is the sum over the chosen types (or all of them).
        """
        options = self.facet_list[-1].options
        chosen = [option for option in options if option.selected]
        return sum(option.count for option in chosen or options)

    def _selected(self, name):
        return {getattr(value, "slug", value) for value in self.cleaned.get(name) or ()}

    def _release_ids(self, without):
        """The SQL and parameters of the ids matching every filter but ``without``."""
        ids = self.filtered(without=without).order_by().values("pk").query
        return ids.get_compiler(self.base.db).as_sql()

    def _query(self, build):
        """Run the query ``build(ids)`` returns, where ``ids(without)`` is SQL for the ids
        matching every filter but ``without``.

        Each distinct set of ids is computed once, as a materialized common table
        expression, however often the query reads it: a facet's counts read their set
        twice (a node's own links, its subtree's), and the facets whose filter is not in
        use all read the same set. A filter the planner cannot serve from an index (a
        country: dated there, or related to it) is then evaluated once, not five times.
        """
        sets = {}

        def ids(without):
            sql, params = self._release_ids(without)
            name = sets.setdefault((sql, tuple(params)), f"ids_{len(sets)}")
            return f"SELECT pk FROM {name}"

        sql, params = build(ids)
        # Every published release is cheaper to read again through its index than to copy.
        everything = Release.objects.published().order_by().values("pk").query
        everything_sql = everything.get_compiler(self.base.db).as_sql()[0]
        expressions = ", ".join(
            f"{name} AS {'NOT ' if key[0] == everything_sql else ''}MATERIALIZED ({key[0]})"
            for key, name in sets.items()
        )
        set_params = [param for key in sets for param in key[1]]
        return self._rows(f"WITH {expressions} {sql}", [*set_params, *params])

    def _rows(self, sql, params):
        with connections[self.base.db].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _tree_sql(self, ids, name, model, relation):
        """Counts for every node of a tree, each over its whole subtree.

        One grouped join over the tree's lft/rght ranges: a release filed twice within a
        subtree counts once there (COUNT DISTINCT). A leaf's count is its own links; only a
        node with children needs the range join.
        """
        relation_field = Release._meta.get_field(relation)
        through = relation_field.remote_field.through._meta
        target = through.get_field(relation_field.m2m_reverse_field_name()).column
        tree = model._meta.db_table
        ids_sql = ids(name)
        sql = (
            f"SELECT %s AS facet, node.tree_id * 1000000 + node.lft AS position, node.slug, "
            "node.name, node.level, CASE WHEN node.rght = node.lft + 1 "
            "THEN COALESCE(direct.n, 0) ELSE COALESCE(subtree.n, 0) END AS n "
            f"FROM {tree} node LEFT JOIN ("
            f"SELECT link.{target} AS id, COUNT(*) AS n FROM {through.db_table} link "
            f"WHERE link.release_id IN ({ids_sql}) GROUP BY link.{target}"
            ") direct ON direct.id = node.id LEFT JOIN ("
            "SELECT id, COUNT(*) AS n FROM ("
            f"SELECT DISTINCT node.id, link.release_id FROM {tree} node "
            f"JOIN {tree} below ON below.tree_id = node.tree_id "
            "AND below.lft BETWEEN node.lft AND node.rght "
            f"JOIN {through.db_table} link ON link.{target} = below.id "
            f"WHERE node.rght > node.lft + 1 AND link.release_id IN ({ids_sql})"
            ") pairs GROUP BY id"
            ") subtree ON subtree.id = node.id"
        )
        return sql, [name]

    def _type_sql(self, ids):
        sql = (
            "SELECT 'type' AS facet, 0 AS position, release.type, '', 0, COUNT(*) "
            f"FROM {Release._meta.db_table} release "
            f"WHERE release.id IN ({ids('type')}) GROUP BY release.type"
        )
        return sql, []

    def _tree_and_type_rows(self, names=("field", "source", "type")):
        trees = {"field": (FieldOfWork, "fields_of_work"), "source": (Structure, "sources")}

        def build(ids):
            parts, params = [], []
            for name in names:
                if name in trees:
                    sql, part_params = self._tree_sql(ids, name, *trees[name])
                else:
                    sql, part_params = self._type_sql(ids)
                parts.append(sql)
                params += part_params
            return " UNION ALL ".join(parts) + " ORDER BY 1, 2", params

        rows = self._query(build)
        grouped = {name: [] for name in names}
        for facet, _position, *row in rows:
            grouped[facet].append(row)
        return grouped

    def _tree_facet(self, name, rows):
        selected = self._selected(name)
        options = [
            Option(slug, label, n, slug in selected, level) for slug, label, level, n in rows
        ]
        return Facet(name, self.filterset.filters[name].label, options)

    def _country_rows(self):
        return self._query(self._country_sql)

    def _country_sql(self, ids):
        """Per country, in the menu's order: releases dated there or related to it, each
        counted once; the countries and their counts in one query."""
        release = Release._meta.db_table
        place = Release._meta.get_field("place").related_model._meta.db_table
        related = Release.countries.through._meta.db_table
        country, group = Country._meta.db_table, CountryGroup._meta.db_table
        ids_sql = ids("country")
        sql = (
            "SELECT country.slug, country.name, COALESCE(counted.n, 0) "
            f"FROM {country} country JOIN {group} grp ON grp.id = country.group_id "
            f"LEFT JOIN (SELECT object_id, MIN(lft) AS lft FROM {MenuItem._meta.db_table} "
            "WHERE content_type_id = %s GROUP BY object_id) entry "
            "ON entry.object_id = country.id "
            "LEFT JOIN (SELECT country_id, COUNT(*) AS n FROM ("
            # Each (country, release) pair once, whether dated there, related, or both.
            f"SELECT place.country_id, release.id AS release_id FROM {release} release "
            f"JOIN {place} place ON place.id = release.place_id "
            f"WHERE place.country_id IS NOT NULL AND release.id IN ({ids_sql}) "
            f"UNION SELECT related.country_id, related.release_id FROM {related} related "
            f"WHERE related.release_id IN ({ids_sql})"
            ") pairs GROUP BY country_id) counted ON counted.country_id = country.id "
            "ORDER BY grp.position, CASE WHEN entry.lft IS NULL THEN 1 ELSE 0 END, "
            "entry.lft, country.sort_name"
        )
        return sql, [ContentType.objects.get_for_model(Country).pk]

    def _country_facet(self, rows):
        selected = self._selected("country")
        options = [Option(slug, name, n, slug in selected) for slug, name, n in rows]
        return Facet("country", "Country", options)

    def _type_facet(self, rows):
        counts = {value: n for value, _name, _level, n in rows}
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

    def query_string(self, *, remove=None, page=None, keep_sort=True):
        """The current valid query, less one value (or one parameter), for links."""
        query = QueryDict(mutable=True)
        for name, value in self.cleaned.items():
            if not value or (name == "sort" and (value == "newest" or not keep_sort)):
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
