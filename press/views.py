"""The public site: the home page, the release list and pages, term pages, and the usual files.

Every release a visitor can reach starts from ``Release.objects.published()``.
"""

import logging
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import InvalidPage, Page, Paginator
from django.db import DatabaseError, connection, models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from institutions.models import Structure
from osce_site.languages import multilingual, public_codes
from osce_site.security import client_address
from taxonomy import trees
from taxonomy.models import Chairpersonship, Country, FieldOfWork, Meeting, OldAddress
from taxonomy.translated import alphabetical

from .finder import Finder, cursor, parse_cursor
from .models import (
    LISTED_TERMS,
    EditorialScope,
    EmbargoLink,
    EmbargoUse,
    Release,
    SlugRedirect,
    load_terms,
    load_translations,
)
from .moved import moved_location, moved_permanently
from .search import snippet
from .timeline import timeline


def also_in(releases):
    """Each listed release's other languages, where the site offers more than one."""
    if multilingual():
        load_translations(releases, public_codes())
    return releases


class CountedPaginator(Paginator):
    """A paginator told how many items there are: the finder's index knows, so no COUNT."""

    def __init__(self, object_list, per_page, *, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


class FinderView(ListView):
    """The finder over published releases: filters, search, facets, 20 a page.

    A value that does not parse, or a page that does not exist, answers 400 with the
    form's message, while the valid filters still apply and the page still works.
    """

    template_name = "press/release_list.html"
    context_object_name = "releases"
    paginate_by = 20
    feed_url_name = "press:feed"
    page_error = ""

    def base_queryset(self):
        return Release.objects.published()

    def dispatch(self, request, *args, **kwargs):
        # A form sent without JavaScript carries its empty fields ("q=&date_from="): send
        # the reader to the same search without them, so the address is clean to share.
        if any(value == "" for value in request.GET.values()):
            query = request.GET.copy()
            for name in [name for name, values in query.lists() if all(v == "" for v in values)]:
                del query[name]
            for name, values in query.lists():
                query.setlist(name, [value for value in values if value != ""])
            return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
        if request.method in ("GET", "HEAD"):
            self.finder = Finder(request.GET, self.base_queryset(), within=self.within())
            # A slug the form refuses may be a term's old one (a bookmark, a saved search):
            # the same query with the current slug, for good. The form's refusal is what
            # makes the lookup free while every slug is current.
            location = moved_location(request, self.finder.errors)
            if location is not None:
                return redirect(location, permanent=True)
        return super().dispatch(request, *args, **kwargs)

    def within(self):
        """A term page's (facet, term), whose subtree the finder starts from; else None."""
        return None

    def get_queryset(self):
        return self.base_queryset()  # not read: the page comes from the finder's index

    def paginate_queryset(self, queryset, page_size):
        """The page asked for: by a keyset step when the link carries a position (the
        Newer and Older links do), else by its number; either way two queries."""
        paginator = CountedPaginator([], page_size, count=self.finder.total())
        raw = self.request.GET.get("page", "1")
        try:
            number = paginator.validate_number(int(raw))
        except (ValueError, InvalidPage):
            self.page_error = gettext(
                "There is no page “%(page)s”: pages run from 1 to %(last)s. Showing the first page."
            ) % {"page": raw[:20], "last": paginator.num_pages}
            number = 1
        step = self.keyset_step()
        if step and number > 1 and not self.page_error:
            ids = self.finder.step_ids(*step, page_size)
        else:
            ids = self.finder.page_ids(number, page_size)
        page = Page(self.finder.releases(ids), number, paginator)
        return paginator, page, page.object_list, page.has_other_pages()

    def keyset_step(self):
        """("after" | "before", position) from the query string, or None; a position that
        does not parse is the page's error, and the page is then found by its number."""
        for direction in ("after", "before"):
            if direction in self.request.GET:
                position = parse_cursor(self.request.GET[direction])
                if position is None:
                    self.page_error = gettext(
                        "That link to a page of results is damaged: showing the page "
                        "by its number instead."
                    )
                    return None
                return None if self.finder.sort == "relevance" else (direction, position)
        return None

    def feed_url(self):
        return reverse(self.feed_url_name, kwargs=self.kwargs)

    def alerts_url(self, query):
        """The form for email alerts on what the page shows (its filters and search)."""
        return reverse("alerts:new") + (f"?{query}" if query else "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        finder, page = self.finder, context["page_obj"]
        also_in(context["releases"])
        if finder.query:
            for release in context["releases"]:
                release.snippet = snippet(release.body, finder.query)
        query = finder.query_string()
        context.update(
            finder=finder,
            facets=finder.facets(),
            timeline=timeline(finder),
            chips=finder.chips(),
            page_error=self.page_error,
            clear_url=self.request.path,
            canonical_query=finder.query_string(page=page.number),
            feed_href=self.feed_url() + (f"?{query}" if query else ""),
            alerts_href=self.alerts_url(self.finder.query_string(keep_sort=False)),
            prev_query=page.has_previous() and self.step_query(page, page.number - 1, "before"),
            next_query=page.has_next() and self.step_query(page, page.number + 1, "after"),
        )
        return context

    def step_query(self, page, number, direction):
        """The link to page ``number``, with the position it starts from where it can."""
        query = self.finder.query_string(page=number)
        rows = page.object_list
        if number == 1 or not rows or self.finder.sort == "relevance":
            return query
        edge = rows[-1] if direction == "after" else rows[0]
        return f"{query}&{direction}={cursor(edge)}"

    def render_to_response(self, context, **kwargs):
        if self.page_error or self.finder.errors:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


class HomeView(TemplateView):
    template_name = "press/home.html"
    latest_count = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        latest = Release.objects.published().in_language().for_listing().newest_first()
        context["latest"] = also_in(load_terms(list(latest[: self.latest_count]), LISTED_TERMS))
        return context


class ReleaseListView(FinderView):
    pass


class ReleaseDetailView(DetailView):
    """One release. Staff who may edit it also see it before it is public (a preview, with
    a banner); an address the release had before its slug changed redirects (301)."""

    template_name = "press/release_detail.html"
    context_object_name = "release"
    related_count = 5

    def get_queryset(self):
        user = self.request.user
        releases = Release.objects.all() if user.has_perm("press.view_release") else None
        if releases is None:
            releases = Release.objects.published()
        else:
            allowed = EditorialScope.sources_for(user)
            preview = releases.from_sources(allowed) if allowed is not None else releases
            releases = preview | Release.objects.published()
        return releases.select_related("place__country", "lead_image").prefetch_related(
            "attachments"
        )

    def get_object(self, queryset=None):
        """The release with all its terms, read in one query (load_terms)."""
        release = super().get_object(queryset)
        load_terms([release])
        return release

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.get_absolute_url() != request.path:
            # Asked under another language's prefix: its own address, for good.
            return redirect(self.object.get_absolute_url(), permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Http404:
            moved = SlugRedirect.objects.filter(old_slug=kwargs["slug"]).select_related("release")
            moved = moved.first()
            # The new address is told only to those who may see the release there.
            if moved is None or not (
                moved.release.is_published() or request.user.has_perm("press.view_release")
            ):
                raise
            return redirect(moved.release.get_absolute_url(), permanent=True)

    def translations(self, release):
        """Its address in each language it is published in, itself included (a preview
        too): one query, where the site offers more than one language (also_in)."""
        also_in([release])
        return {release.language: release.get_absolute_url(), **dict(release.also_in)}

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["preview"]:
            patch_cache_control(response, private=True, no_store=True)
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        release = self.object
        published = (
            Release.objects.published()
            .in_language(release.language)
            .only("title", "slug", "published_at", "type", "language")
        )
        newer, older = published.neighbours(release)
        context.update(
            breadcrumbs=[{"label": gettext("Press releases"), "url": reverse("press:list")}],
            language_pages=self.translations(release),
            language_section=reverse("press:list"),
            preview=not release.is_published(),
            related=published.related_to(release)[: self.related_count],
            newer=newer,
            older=older,
        )
        return context


@dataclass(frozen=True)
class TermKind:
    model: type
    filter_releases: str  # the ReleaseQuerySet method that narrows releases to a term
    facet: str  # the finder index's name for the kind
    label: str  # what the term's page says it is
    index: tuple = ()  # (label, URL name) of the page that lists every term of the kind

    def find(self, slug):
        """The term at ``slug`` and whether it has moved from there (renamed), or 404."""
        term = self.model._default_manager.filter(slug=slug).first()
        if term is not None:
            return term, False
        term = OldAddress.find(self.model, slug)
        if term is None:
            raise Http404(f"No {self.model._meta.verbose_name} at this address.")
        return term, True

    def published_releases(self, term):
        """What the public may see of ``term``'s whole subtree: the page's and feed's base."""
        return getattr(Release.objects.published(), self.filter_releases)([term])


TERM_KINDS = {
    "fields-of-work": TermKind(
        FieldOfWork,
        "in_fields",
        "field",
        gettext_lazy("Field of work"),
        (gettext_lazy("Fields of work"), "press:fields-of-work"),
    ),
    "countries": TermKind(
        Country,
        "about_countries",
        "country",
        gettext_lazy("Country"),
        (gettext_lazy("Countries"), "press:countries"),
    ),
    "structures": TermKind(Structure, "from_sources", "source", gettext_lazy("Structure")),
    "meetings": TermKind(Meeting, "at_meetings", "meeting", gettext_lazy("Meeting or conference")),
}


class TermDetailView(FinderView):
    """A term's page: its description, its children, and the finder over its subtree.

    One view serves every kind of term (``kind``, a key of ``TERM_KINDS``).
    """

    template_name = "press/term_detail.html"
    kind = ""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.term_kind = TERM_KINDS[self.kind]
        self.term, self.moved = self.term_kind.find(kwargs["slug"])

    def dispatch(self, request, *args, **kwargs):
        if self.moved:
            return moved_permanently(request, self.term.get_absolute_url())
        return super().dispatch(request, *args, **kwargs)

    def base_queryset(self):
        return self.term_kind.published_releases(self.term)

    def within(self):
        return (self.term_kind.facet, self.term)

    def feed_url(self):
        return reverse("press:term-feed", args=[self.kind, self.term.slug])

    def alerts_url(self, query):
        """The term's own filter and the page's: the finder's words for the same releases.
        A meeting is no finder filter: its page offers its feed only."""
        facet = self.term_kind.facet
        if facet == "meeting":
            return None
        return super().alerts_url("&".join(filter(None, [f"{facet}={self.term.slug}", query])))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        is_tree = trees.is_tree(self.term)
        index = self.term_kind.index
        crumbs = [{"label": index[0], "url": reverse(index[1])}] if index else []
        if is_tree:
            crumbs += [
                {"label": node.local_name, "url": node.get_absolute_url()}
                for node in self.term.get_ancestors()
            ]
        context.update(
            term=self.term,
            kind_label=self.term_kind.label,
            breadcrumbs=crumbs,
            children=self.term.get_children() if is_tree else [],
        )
        if isinstance(self.term, Country):
            context["chair_years"] = [c.year for c in self.term.chairpersonships.all()]
            operations = self.term.hosted_structures.filter(kind=Structure.Kind.FIELD_OPERATION)
            # Open ones first, then the closed, most recently closed first.
            context["field_operations"] = operations.order_by(
                models.F("closed_on").desc(nulls_first=True), "name"
            )
        return context


class CountryListView(TemplateView):
    template_name = "press/country_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = {}
        for country in Country.objects.in_menu_order():
            groups.setdefault(country.group, []).append(country)
        context["groups"] = [(group, alphabetical(members)) for group, members in groups.items()]
        context["chair"] = Chairpersonship.objects.for_year()
        return context


class FieldOfWorkIndexView(TemplateView):
    template_name = "press/field_of_work_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roots"] = trees.cached_trees(FieldOfWork.objects.all())
        return context


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_GET
@require_GET
def favicon(request):
    """Browsers and feed readers ask ``/favicon.ico`` whatever the page links: the icon."""
    return redirect(static("img/favicon-32.png"), permanent=True)


def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /embargo/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")


embargo_log = logging.getLogger("press.embargo")


@never_cache
@require_GET
def embargo_preview(request, token):
    """A release not yet public, shown through an embargo link: no login, not indexed,
    stored by no cache, every opening logged. Once the release is public the link leads
    to its page; withdrawn or expired, it shows only that (410)."""
    link = EmbargoLink.from_token(token)
    if link is None:
        raise Http404("No such link.")
    release = link.release
    if release.is_published():
        outcome = "published"
    elif link.revoked_at is not None:
        outcome = "withdrawn"
    elif not link.is_live():
        outcome = "expired"
    else:
        outcome = "shown"
    EmbargoUse.objects.create(
        link=link,
        address=client_address(request),
        user_agent=request.headers.get("User-Agent", "")[:300],
        outcome=outcome,
    )
    embargo_log.info(
        "embargo link %s (%s) for release %s: %s", link.pk, link.recipient, release.pk, outcome
    )
    if outcome == "published":
        return redirect(release.get_absolute_url())
    if outcome == "shown":
        load_terms([release])
        context = {"release": release, "embargo": link, "breadcrumbs": [], "related": []}
        response = render(request, "press/release_embargo.html", context)
    else:
        response = render(request, "press/embargo_gone.html", {"outcome": outcome}, status=410)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the link's address leaves with no click
    return response
