"""The admin dashboard's first module: what waits for review, what is scheduled (with its
time zone named), and what went out last."""

from django import template
from django.utils import timezone

from press.models import EditorialScope, Release
from press.workflow import can_publish

register = template.Library()


RECENT = 5  # recently published releases on the dashboard


@register.inclusion_tag("admin/press/review_queue.html", takes_context=True)
def review_queue(context, limit=10):
    user = context["request"].user
    if not user.has_perm("press.view_release"):
        return {"visible": False}
    releases = Release.objects.select_related("updated_by").order_by("-updated_at")
    allowed = EditorialScope.sources_for(user)
    if allowed is not None:
        releases = releases.from_sources(allowed)
    return {
        "visible": True,
        "in_review": releases.filter(status=Release.Status.REVIEW)[:limit],
        "scheduled": releases.filter(
            status=Release.Status.PUBLISHED, published_at__gt=timezone.now()
        ).order_by("published_at")[:limit],
        "recent": releases.filter(
            status=Release.Status.PUBLISHED, published_at__lte=timezone.now()
        ).order_by("-published_at")[:RECENT],
        "can_publish": can_publish(user),
        "time_zone": timezone.get_current_timezone_name(),
    }
