from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .sitemaps import sitemaps

app_name = "press"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("press-releases/", views.ReleaseListView.as_view(), name="list"),
    path("press-releases/<slug:slug>/", views.ReleaseDetailView.as_view(), name="detail"),
    path("fields-of-work/", views.FieldOfWorkIndexView.as_view(), name="fields-of-work"),
    path("fields-of-work/<slug:slug>/", views.field_of_work_view, name="field-of-work"),
    path("countries/", views.CountryListView.as_view(), name="countries"),
    path("countries/<slug:slug>/", views.country_view, name="country"),
    path("structures/<slug:slug>/", views.structure_view, name="structure"),
    path("meetings/<slug:slug>/", views.meeting_view, name="meeting"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
]
