from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from press.finder import ReleaseFilter
from press.pagecache import visitor_cache

from . import views
from .http import limited, rendered

app_name = "api"

# The parameters an answer depends on: only they make answers differ in the cache.
LIST_PARAMETERS = [*ReleaseFilter.base_filters, "lang", "cursor", "page_size"]


def cached(view, params=("lang",)):
    """Served from the page cache under the content versions (never stale: any write, in
    any process, renews it), with ETag and Last-Modified for conditional GETs."""
    return limited(visitor_cache(rendered(view), params=params))


urlpatterns = [
    path("releases/", cached(views.ReleaseList.as_view(), LIST_PARAMETERS), name="releases"),
    path(
        "releases/export/",
        limited(views.ReleaseExport.as_view()),
        name="export",
    ),
    path("releases/<slug:slug>/", cached(views.ReleaseDetail.as_view()), name="release"),
    path("fields-of-work/", cached(views.FieldOfWorkTree.as_view()), name="fields-of-work"),
    path("meetings/", cached(views.MeetingTree.as_view()), name="meetings"),
    path("structures/", cached(views.StructureTree.as_view()), name="structures"),
    path("countries/", cached(views.CountryList.as_view()), name="countries"),
    path("country-groups/", cached(views.CountryGroupList.as_view()), name="country-groups"),
    path("schema/", limited(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
