"""The site's URLs: the public site from ``press``, the admin, the usual files, and the
uploads when they live on this machine's disk (no ``S3_BUCKET``).

The public site is in every language of ``LANGUAGES``: English at today's addresses (no
prefix), the others under their code (``/ru/press-releases/``); the admin is English.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from .media import media
from .view_on_site import view_on_site

urlpatterns = [
    # Before the admin's own, for every address it would take: its shortcut checks no
    # permission on the object.
    path("admin/r/<path:content_type_id>/<path:object_id>/", view_on_site),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    *i18n_patterns(
        path("", include("press.urls")),
        path("", include("alerts.urls")),
        prefix_default_language=False,
    ),
]
if settings.STORAGES["default"]["BACKEND"].endswith(".FileSystemStorage"):
    urlpatterns.insert(1, re_path(r"^media/(?P<path>.*)$", media, name="media"))
