"""The open-data API (``/api/v1/``): the releases as the finder answers them, and the
reference data, read-only.

One filter definition: the release list reads its parameters through the finder's own
:class:`press.finder.ReleaseFilter` and answers through :class:`press.finder.Finder`
(the index), so it gives exactly the finder's releases and facet counts. Where the HTML
finder leaves a bad value out and says so on the page, the API refuses the request: a 400
whose JSON names each parameter and the reason. Old slugs answer 301 to the current ones.
"""

import base64
import binascii
import csv
import json

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, StreamingHttpResponse
from django.utils import translation
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from institutions.models import Structure
from osce_site.languages import public_codes
from press.finder import Finder, ReleaseFilter, TermFilter, cursor, parse_cursor
from press.models import TERM_RELATIONS, Release, load_terms, load_translations
from press.moved import Moved, moved_location
from taxonomy import trees
from taxonomy.models import Country, CountryGroup, FieldOfWork, Meeting
from taxonomy.transfer import spreadsheet_cell

from . import serializers as api

# The finder's term filters take slugs: said where the schema is made, not in press.
extend_schema_field(OpenApiTypes.STR)(TermFilter)

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
EXPORT_CHUNK = 500
LANG = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    description="The language of the releases and of the names (default en).",
    enum=list(settings.PUBLIC_LANGUAGES),
)


def answers(serializer):
    """What a GET documents: ``serializer``'s answer, or a 400 naming refused parameters."""
    return {200: serializer, 400: api.ErrorSerializer}


def language_of(request):
    """The ``lang`` parameter, one of the public languages, or a 400."""
    code = request.GET.get("lang") or settings.LANGUAGE_CODE
    if code not in public_codes():
        raise ValidationError(
            {"lang": [f"“{code}” is not offered: choose {', '.join(public_codes())}."]}
        )
    return code


def encode(value):
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def decode(text):
    """A cursor's contents, or a 400 naming the parameter."""
    try:
        padded = text + "=" * (-len(text) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        value = None
    if not isinstance(value, dict):
        raise ValidationError({"cursor": ["This cursor is not one the API gave."]})
    return value


class FinderSchema(AutoSchema):
    """The finder's parameters documented on views that answer one object (the list with
    its facets) or a file: drf-spectacular documents filters on lists alone."""

    def get_filter_backends(self):
        return getattr(self.view, "filter_backends", [])


class FinderMixin:
    """The finder for the request's parameters, or a 400 (or 301 for old slugs)."""

    filter_backends = [DjangoFilterBackend]  # the finder's filters: documented, and checked
    filterset_class = ReleaseFilter
    schema = FinderSchema()

    def finder(self, request, more=None):
        """The finder, once every parameter is valid: else a 400 naming each refused one
        (``more``: the view's own parameters' errors), or a 301 for old slugs. The
        finder's own form judges them, as on the HTML finder."""
        finder = Finder(request.GET, Release.objects.published())
        errors = dict(finder.errors)
        location = moved_location(request, errors) if errors else None
        if location:
            raise Moved(location)
        errors.update(more or {})
        if errors:
            raise ValidationError({name: list(messages) for name, messages in errors.items()})
        return finder


class MovedHandling:
    def handle_exception(self, exc):
        if isinstance(exc, Moved):
            return HttpResponsePermanentRedirect(exc.location)
        return super().handle_exception(exc)


class ReleaseList(MovedHandling, FinderMixin, generics.GenericAPIView):
    """Published releases for the finder's parameters, with the facets' counts."""

    serializer_class = api.ReleaseSerializer
    queryset = Release.objects.none()

    @extend_schema(
        parameters=[
            LANG,
            OpenApiParameter("cursor", OpenApiTypes.STR, description="From a response's next."),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=f"1 to {MAX_PAGE_SIZE}."),
        ],
        responses={200: api.ReleaseListSerializer, 400: api.ErrorSerializer},
        operation_id="releases_list",
    )
    def get(self, request):
        language = language_of(request)
        with translation.override(language):
            size, problems = self.page_size(request)
            finder = self.finder(request, problems)
            position = decode(request.GET["cursor"]) if request.GET.get("cursor") else {}
            ids, offset = self.page(finder, position, size)
            releases = load_translations(finder.releases(ids), list(public_codes()))
            facets = finder.facets()
            body = {
                "count": finder.total(),
                "next": self.link(request, finder, releases, offset, size, forward=True),
                "previous": self.link(request, finder, releases, offset, size, forward=False),
                "language": language,
                "facets": {
                    facet.name: [
                        {
                            "value": option.value,
                            "name": str(option.label),
                            "count": option.count,
                            "depth": int(option.depth),
                            "selected": option.selected,
                        }
                        for option in facet.visible_options
                    ]
                    for facet in facets
                },
                "results": api.ReleaseSerializer(
                    releases, many=True, context={"request": request}
                ).data,
            }
        return Response(body)

    def page_size(self, request):
        """The page size asked, and its error if it is not one."""
        text = request.GET.get("page_size", str(PAGE_SIZE))
        if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE_SIZE:
            return PAGE_SIZE, {"page_size": [f"A whole number from 1 to {MAX_PAGE_SIZE}."]}
        return int(text), {}

    def page(self, finder, position, size):
        """The ids of the page the cursor names, and its offset where it has one: a keyset
        step in date order (nothing seen twice while releases are published), an offset
        in relevance order (a ranking has no key to step from)."""
        if not position:
            return finder.ids_from(0, size), 0
        if finder.sort == "relevance":
            offset = position.get("offset")
            if not isinstance(offset, int) or offset < 0:
                raise ValidationError({"cursor": ["This cursor is not one the API gave."]})
            return finder.ids_from(offset, size), offset
        direction = "after" if "after" in position else "before"
        step = parse_cursor(str(position.get(direction, "")))
        if step is None:
            raise ValidationError({"cursor": ["This cursor is not one the API gave."]})
        return finder.step_ids(direction, step, size), None

    def link(self, request, finder, releases, offset, size, *, forward):
        """The next or previous page's address, or None where there is none."""
        if finder.sort == "relevance":
            target = offset + size if forward else offset - size
            if (forward and target >= finder.total()) or (not forward and offset == 0):
                return None
            position = {"offset": max(target, 0)}
        else:
            if not releases or (forward and len(releases) < size) or (not forward and offset == 0):
                return None
            if forward and offset == 0 and finder.total() <= size:
                return None
            edge = releases[-1] if forward else releases[0]
            position = {"after" if forward else "before": cursor(edge)}
        query = request.GET.copy()
        query["cursor"] = encode(position)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class ReleaseDetail(generics.GenericAPIView):
    """One published release, with its text and all its terms."""

    serializer_class = api.ReleaseDetailSerializer
    queryset = Release.objects.none()

    @extend_schema(
        parameters=[LANG], responses=answers(api.ReleaseDetailSerializer), operation_id="release"
    )
    def get(self, request, slug):
        language = language_of(request)
        release = (
            Release.objects.published()
            .filter(slug=slug, language__in=public_codes())
            .select_related("place")
            .first()
        )
        if release is None:
            raise NotFound("No published release has this address.")
        with translation.override(language):
            load_terms([release], TERM_RELATIONS)
            load_translations([release], list(public_codes()))
            return Response(self.get_serializer(release).data)


def _tree(model, request, extra=None):
    """A tree's nodes nested, named in the request's language: one query."""
    nodes = trees.cached_trees(model._default_manager.all())

    def node(term):
        value = {
            "slug": term.slug,
            "name": term.local_name,
            "description": term.local_description,
            "url": request.build_absolute_uri(term.get_absolute_url()),
            **(extra(term) if extra else {}),
            "children": [node(child) for child in term.get_children()],
        }
        return value

    return [node(root) for root in nodes]


class TreeView(generics.GenericAPIView):
    model = None
    serializer_class = api.TreeNodeSerializer
    queryset = Release.objects.none()

    def extra(self, term):
        return {}

    @extend_schema(parameters=[LANG], responses=answers(api.TreeNodeSerializer(many=True)))
    def get(self, request):
        with translation.override(language_of(request)):
            return Response(_tree(self.model, request, self.extra))


class FieldOfWorkTree(TreeView):
    """Fields of work, as a tree."""

    model = FieldOfWork


class MeetingTree(TreeView):
    """Meetings and conferences, as a tree."""

    model = Meeting


class StructureTree(TreeView):
    """Structures and institutions (the Secretariat, institutions, field operations), as
    a tree."""

    model = Structure
    serializer_class = api.StructureNodeSerializer

    @extend_schema(parameters=[LANG], responses=answers(api.StructureNodeSerializer(many=True)))
    def get(self, request):
        self.countries = dict(Country.objects.values_list("pk", "slug"))
        return super().get(request)

    def extra(self, term):
        return {
            "kind": term.kind,
            "host_country": self.countries.get(term.host_country_id),
            "opened_on": term.opened_on,
            "closed_on": term.closed_on,
        }


class CountryList(generics.GenericAPIView):
    """Participating States and Partners for Co-operation, with their group, when they
    joined and the years they chaired."""

    serializer_class = api.CountrySerializer
    queryset = Release.objects.none()

    @extend_schema(parameters=[LANG], responses=answers(api.CountrySerializer(many=True)))
    def get(self, request):
        with translation.override(language_of(request)):
            countries = Country.objects.in_menu_order().prefetch_related("chairpersonships")
            return Response(
                [
                    {
                        "slug": country.slug,
                        "name": country.local_name,
                        "iso_code": country.iso_code,
                        "group": country.group.slug,
                        "joined_on": country.joined_on,
                        "chairpersonships": sorted(c.year for c in country.chairpersonships.all()),
                        "url": request.build_absolute_uri(country.get_absolute_url()),
                    }
                    for country in countries
                ]
            )


class CountryGroupList(generics.GenericAPIView):
    """The groups of countries, each with its members' slugs."""

    serializer_class = api.CountryGroupSerializer
    queryset = Release.objects.none()

    @extend_schema(parameters=[LANG], responses=answers(api.CountryGroupSerializer(many=True)))
    def get(self, request):
        with translation.override(language_of(request)):
            members = {}
            for slug, group in Country.objects.in_menu_order().values_list("slug", "group_id"):
                members.setdefault(group, []).append(slug)
            return Response(
                [
                    {
                        "slug": group.slug,
                        "name": group.local_name,
                        "countries": members.get(group.pk, []),
                    }
                    for group in CountryGroup.objects.all()
                ]
            )


EXPORT_FIELDS = [
    *("slug", "url", "title", "lead", "type", "language", "published_at"),
    *("place", "sources", "fields_of_work", "countries"),
]


@extend_schema(
    parameters=[LANG, OpenApiParameter("format", OpenApiTypes.STR, enum=["jsonl", "csv"])],
    responses={
        (200, "application/jsonl"): OpenApiTypes.STR,
        (200, "text/csv"): OpenApiTypes.STR,
        400: api.ErrorSerializer,
    },
)
class ReleaseExport(MovedHandling, FinderMixin, generics.GenericAPIView):
    """Every release the finder's parameters give, newest first, streamed as JSON Lines
    (``format=jsonl``) or CSV (``format=csv``, cells that would start a spreadsheet
    formula behind an apostrophe): a research copy, never held in memory whole."""

    serializer_class = api.ReleaseSerializer
    queryset = Release.objects.none()

    def get(self, request):
        language = language_of(request)
        kind = request.GET.get("format", "jsonl")
        problems = {} if kind in ("jsonl", "csv") else {"format": ["Choose jsonl or csv."]}
        with translation.override(language):
            finder = self.finder(request, problems)
            ids = finder.answer.newest(0, finder.total())
        rows = self.rows(request, finder, ids, language)
        if kind == "csv":
            body = self.csv_lines(rows)
            content_type = "text/csv; charset=utf-8"
        else:
            body = (json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
            content_type = "application/jsonl; charset=utf-8"
        response = StreamingHttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="osce-releases.{kind}"'
        return response

    def rows(self, request, finder, ids, language):
        for start in range(0, len(ids), EXPORT_CHUNK):
            with translation.override(language):
                chunk = finder.releases(ids[start : start + EXPORT_CHUNK])
                load_terms(chunk, ("countries",))
                for release in chunk:
                    yield {
                        "slug": release.slug,
                        "url": request.build_absolute_uri(release.get_absolute_url()),
                        "title": release.title,
                        "lead": release.lead,
                        "type": release.type,
                        "language": release.language,
                        "published_at": release.published_at.isoformat(),
                        "place": release.place.slug if release.place else None,
                        "sources": [t.slug for t in release.terms["sources"]],
                        "fields_of_work": [t.slug for t in release.terms["fields_of_work"]],
                        "countries": [t.slug for t in release.terms["countries"]],
                    }

    def csv_lines(self, rows):
        class Line:
            def write(self, text):
                return text

        writer = csv.writer(Line())
        yield writer.writerow(EXPORT_FIELDS)
        for row in rows:
            values = []
            for name in EXPORT_FIELDS:
                value = row[name]
                if isinstance(value, list):
                    value = " ".join(value)
                values.append(spreadsheet_cell("" if value is None else str(value)))
            yield writer.writerow(values)
