from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, views
from .sitemaps import sitemaps

app_name = "press"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("press-releases/", views.ReleaseListView.as_view(), name="list"),
    path("press-releases/feed/", feeds.ReleaseFeed(), name="feed"),
    path("press-releases/<slug:slug>/", views.ReleaseDetailView.as_view(), name="detail"),
    path("fields-of-work/", views.FieldOfWorkIndexView.as_view(), name="fields-of-work"),
    path("countries/", views.CountryListView.as_view(), name="countries"),
    path("<kind>/<slug:slug>/feed/", feeds.TermFeed(), name="term-feed"),
    *(
        path(f"{kind}/<slug:slug>/", views.TermDetailView.as_view(kind=kind), name=name)
        for kind, name in [
            ("fields-of-work", "field-of-work"),
            ("countries", "country"),
            ("structures", "structure"),
            ("meetings", "meeting"),
        ]
    ),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
]
