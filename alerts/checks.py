"""Alert emails link back to the site: in production its address must be set, in https."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def site_url_is_set(app_configs, **kwargs):
    if settings.SITE_URL.startswith("https://"):
        return []
    return [
        Error(
            "SITE_URL must be the site's https address (e.g. https://www.osce.org): alert "
            "emails link to it.",
            id="alerts.E001",
        )
    ]
