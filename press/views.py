"""The public site: the home page, the release list and pages, term pages, and the usual files.

Every release a visitor can reach starts from ``Release.objects.published()``.
"""

from django.core.paginator import InvalidPage
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView
from mptt.utils import get_cached_trees

from institutions.models import Structure
from taxonomy.models import Chairpersonship, Country, FieldOfWork, Meeting

from .models import Release


class ReleasePageMixin:
    """Newest first, 20 a page; a page number that is not a page is a 400, not a crash."""

    paginate_by = 20
    page_error = ""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        raw = self.request.GET.get("page", "1")
        try:
            page = paginator.page(int(raw))
        except (ValueError, InvalidPage):
            self.page_error = (
                f"There is no page “{raw[:20]}”: pages run from 1 to {paginator.num_pages}. "
                "Showing the first page."
            )
            page = paginator.page(1)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_error"] = self.page_error
        return context

    def render_to_response(self, context, **kwargs):
        if self.page_error:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


class HomeView(TemplateView):
    template_name = "press/home.html"
    latest_count = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest"] = (
            Release.objects.published().for_listing().newest_first()[: self.latest_count]
        )
        return context


class ReleaseListView(ReleasePageMixin, ListView):
    template_name = "press/release_list.html"
    context_object_name = "releases"

    def get_queryset(self):
        return Release.objects.published().for_listing().newest_first()


class ReleaseDetailView(DetailView):
    template_name = "press/release_detail.html"
    context_object_name = "release"
    extra_context = {
        "breadcrumbs": [{"label": "Press releases", "url": reverse_lazy("press:list")}]
    }

    def get_queryset(self):
        return (
            Release.objects.published()
            .select_related("place__country")
            .prefetch_related("sources", "fields_of_work", "countries", "meetings")
        )


class TermDetailView(ReleasePageMixin, ListView):
    """A term's page: its description, its children and the releases of its whole subtree.

    One view serves every kind of term; ``filter_releases`` names the queryset method that
    narrows releases to the term.
    """

    template_name = "press/term_detail.html"
    context_object_name = "releases"
    term_model = None
    filter_releases = ""
    kind_label = ""
    index = None  # (label, URL name) of the page that lists every term of this kind

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.term = get_object_or_404(self.term_model, slug=kwargs["slug"])

    def get_queryset(self):
        releases = Release.objects.published()
        releases = getattr(releases, self.filter_releases)([self.term])
        return releases.for_listing().newest_first()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        is_tree = hasattr(self.term, "get_children")
        crumbs = [{"label": self.index[0], "url": reverse(self.index[1])}] if self.index else []
        if is_tree:
            crumbs += [
                {"label": node.name, "url": node.get_absolute_url()}
                for node in self.term.get_ancestors()
            ]
        context.update(
            term=self.term,
            kind_label=self.kind_label or self.term_model._meta.verbose_name.capitalize(),
            breadcrumbs=crumbs,
            children=self.term.get_children() if is_tree else [],
        )
        if isinstance(self.term, Country):
            context["chair_years"] = [c.year for c in self.term.chairpersonships.all()]
        return context


class CountryListView(TemplateView):
    template_name = "press/country_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        groups = {}
        for country in Country.objects.in_menu_order():
            groups.setdefault(country.group, []).append(country)
        context["groups"] = groups.items()
        context["chair"] = Chairpersonship.objects.for_year()
        return context


class FieldOfWorkIndexView(TemplateView):
    template_name = "press/field_of_work_index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roots"] = get_cached_trees(FieldOfWork.objects.all())
        return context


field_of_work_view = TermDetailView.as_view(
    term_model=FieldOfWork,
    filter_releases="in_fields",
    index=("Fields of work", "press:fields-of-work"),
)
country_view = TermDetailView.as_view(
    term_model=Country, filter_releases="about_countries", index=("Countries", "press:countries")
)
structure_view = TermDetailView.as_view(term_model=Structure, filter_releases="from_sources")
meeting_view = TermDetailView.as_view(term_model=Meeting, filter_releases="at_meetings")


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
def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    lines = ["User-agent: *", "Disallow: /admin/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain")
