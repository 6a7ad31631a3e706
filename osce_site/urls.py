"""The site's URLs: the public site from ``press``, the admin, and the usual files."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("press.urls")),
]
