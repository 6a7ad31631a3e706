"""The site's URLs: the public site from ``press``, the admin, the usual files, and the
uploads when they live on this machine's disk (no ``S3_BUCKET``)."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from .media import media
from .view_on_site import view_on_site

urlpatterns = [
    # Before the admin's own, for every address it would take: its shortcut checks no
    # permission on the object.
    path("admin/r/<path:content_type_id>/<path:object_id>/", view_on_site),
    path("admin/", admin.site.urls),
    path("", include("press.urls")),
]
if settings.STORAGES["default"]["BACKEND"].endswith(".FileSystemStorage"):
    urlpatterns.insert(1, re_path(r"^media/(?P<path>.*)$", media, name="media"))
