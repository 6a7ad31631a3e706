"""sitemap.xml: every published release and every term page."""

from django.contrib.sitemaps import Sitemap

from institutions.models import Structure
from taxonomy.models import Country, FieldOfWork

from .models import Release


class ReleaseSitemap(Sitemap):
    changefreq = "monthly"
    limit = 5000

    def items(self):
        return Release.objects.published().only("slug", "updated_at").order_by("-published_at")

    def lastmod(self, release):
        return release.updated_at


class TermSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model._default_manager.only("slug").order_by("pk")


sitemaps = {
    "releases": ReleaseSitemap,
    "fields-of-work": TermSitemap(FieldOfWork),
    "countries": TermSitemap(Country),
    "structures": TermSitemap(Structure),
}
