"""The sitemaps: every published release and every term page.

``/sitemap.xml`` is an index of the sections (``/sitemap-releases.xml`` and its pages
``?p=2``…, ``/sitemap-countries.xml``…), so that the whole archive is listed however
large: a single sitemap stops at 50,000 addresses, and a page of 5,000 is quick to build.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from institutions.models import Structure
from osce_site.languages import public_codes
from taxonomy.models import Country, FieldOfWork, Meeting

from .models import Release, load_translations


class ReleaseSitemap(Sitemap):
    """Every published release in a language the site offers, each with its published
    translations as alternates (``hreflang``): one query more a page, whatever its size."""

    changefreq = "monthly"
    limit = 5000

    def items(self):
        return (
            Release.objects.published()
            .filter(language__in=public_codes())
            .only("slug", "updated_at", "language", "translation_of")
            .order_by("-published_at", "-pk")
        )

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        load_translations([url["item"] for url in urls], list(public_codes()))
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        for url in urls:
            release = url["item"]
            if release.also_in:
                versions = [(release.language, release.get_absolute_url()), *release.also_in]
                versions.sort(key=lambda version: version[0])
                url["alternates"] = [
                    {"lang_code": code, "location": origin + path} for code, path in versions
                ]
        return urls

    def lastmod(self, release):
        return release.updated_at

    def get_latest_lastmod(self):
        """For the index, in one query: Django's default reads every release."""
        return Release.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class TermSitemap(Sitemap):
    """A term's page in every language the site offers, each naming the others and the
    default (``hreflang``, ``x-default``)."""

    changefreq = "weekly"
    priority = 0.6
    i18n = True
    alternates = True
    x_default = True

    def __init__(self, model):
        self.model = model

    @property
    def languages(self):
        return list(public_codes())

    def items(self):
        return self.model._default_manager.only("slug").order_by("pk")


sitemaps = {
    "releases": ReleaseSitemap,
    "fields-of-work": TermSitemap(FieldOfWork),
    "countries": TermSitemap(Country),
    "structures": TermSitemap(Structure),
    "meetings": TermSitemap(Meeting),
}
