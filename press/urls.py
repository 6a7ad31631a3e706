from django.contrib.sitemaps.views import index, sitemap
from django.urls import path

from . import feeds, views
from .finder import FILTERS, PARAMETERS
from .pagecache import visitor_cache as cached
from .sitemaps import sitemaps

app_name = "press"

urlpatterns = [
    path("", cached(views.HomeView.as_view()), name="home"),
    path("press-releases/", cached(views.ReleaseListView.as_view(), PARAMETERS), name="list"),
    path("press-releases/feed/", cached(feeds.ReleaseFeed(), FILTERS), name="feed"),
    path("press-releases/<slug:slug>/", cached(views.ReleaseDetailView.as_view()), name="detail"),
    path("fields-of-work/", cached(views.FieldOfWorkIndexView.as_view()), name="fields-of-work"),
    path("countries/", cached(views.CountryListView.as_view()), name="countries"),
    path("<kind>/<slug:slug>/feed/", cached(feeds.TermFeed(), FILTERS), name="term-feed"),
    *(
        path(
            f"{kind}/<slug:slug>/",
            cached(views.TermDetailView.as_view(kind=kind), PARAMETERS),
            name=name,
        )
        for kind, name in [
            ("fields-of-work", "field-of-work"),
            ("countries", "country"),
            ("structures", "structure"),
            ("meetings", "meeting"),
        ]
    ),
    path("embargo/<str:token>/", views.embargo_preview, name="embargo"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        cached(index),
        {"sitemaps": sitemaps, "sitemap_url_name": "press:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        cached(sitemap, ["p"]),
        {"sitemaps": sitemaps},
        name="sitemap-section",
    ),
]
