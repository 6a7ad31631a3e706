"""RSS 2.0 feeds of the finder: any search or filter, and any term page, can be followed."""

from django.contrib.syndication.views import Feed
from django.core.exceptions import BadRequest
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy

from .finder import Finder
from .models import Release
from .moved import Moved, moved_location, moved_permanently
from .views import TERM_KINDS

FEED_SIZE = 20


class ReleaseFeed(Feed):
    """The finder's results as RSS, honouring the same query parameters.

    One instance serves every request, so everything a request needs travels on the
    object ``get_object`` returns, never on ``self``.
    """

    feed_type = Rss201rev2Feed
    description = gettext_lazy("Press releases, news and statements of the OSCE.")

    def __call__(self, request, *args, **kwargs):
        try:
            return super().__call__(request, *args, **kwargs)
        except Moved as moved:
            # A term's old slug in a parameter (a subscription made before a rename): the
            # same feed with the current slug, for good, as the finder does.
            return HttpResponsePermanentRedirect(moved.location)

    def get_object(self, request, *args, **kwargs):
        # A feed is read for what is new: a search's items newest first unless asked.
        finder = Finder(request.GET, Release.objects.published(), search_order="newest")
        finder.heading, finder.page_link = gettext("OSCE press releases"), reverse("press:list")
        return self.checked(request, finder)

    @staticmethod
    def checked(request, finder):
        """``finder`` when its form accepted every value; else a redirect when a refused
        slug is an old one (:class:`press.moved.Moved`), or a 400 with the form's errors."""
        location = moved_location(request, finder.errors) if finder.errors else None
        if location is not None:
            raise Moved(location)
        if finder.errors:
            raise BadRequest("; ".join(finder.problems()))
        return finder

    def title(self, finder):
        described = finder.describe()
        return f"{finder.heading} · {described}" if described else finder.heading

    def link(self, finder):
        query = finder.query_string()
        return finder.page_link + (f"?{query}" if query else "")

    def items(self, finder):
        return finder.results(FEED_SIZE)

    def item_title(self, release):
        return release.title

    def item_description(self, release):
        # Feed readers treat a description as HTML: the plain-text summary is escaped.
        return (
            escape(release.lead) if release.lead else Truncator(strip_tags(release.body)).words(60)
        )

    def item_pubdate(self, release):
        return release.published_at

    def item_updateddate(self, release):
        return release.updated_at

    def item_author_name(self, release):
        return ", ".join(source.local_name for source in release.terms["sources"]) or None

    def item_categories(self, release):
        return [field.name for field in release.terms["fields_of_work"]]

    def item_enclosures(self, release):
        """The lead image's largest JPEG, which feed readers show with the item (read with
        the release: no query)."""
        image = release.image
        if image is None or not image.sizes:
            return []
        largest = image.largest
        return [Enclosure(largest.jpeg_url, str(largest.jpeg_bytes), "image/jpeg")]

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # A reader fetches an enclosure on its own: its address must be absolute, and the
        # storage's may be a path on this site (a bucket's is absolute already).
        for item in feed.items:
            item["enclosures"] = [
                Enclosure(request.build_absolute_uri(found.url), found.length, found.mime_type)
                for found in item["enclosures"]
            ]
        return feed


class TermFeed(ReleaseFeed):
    """A term page's feed: the term's subtree, and any filter on top of it."""

    def __call__(self, request, *args, **kwargs):
        kind, slug = kwargs["kind"], kwargs["slug"]
        if kind not in TERM_KINDS:
            raise Http404("No such kind of term.")
        term, moved = TERM_KINDS[kind].find(slug)
        if moved:
            return moved_permanently(request, reverse("press:term-feed", args=[kind, term.slug]))
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, kind, slug):
        term_kind = TERM_KINDS[kind]
        term = get_object_or_404(term_kind.model, slug=slug)
        finder = Finder(
            request.GET,
            term_kind.published_releases(term),
            within=(term_kind.facet, term),
            search_order="newest",
        )
        finder.heading = gettext("OSCE press releases: %(name)s") % {"name": term.local_name}
        finder.page_link = term.get_absolute_url()
        return self.checked(request, finder)
