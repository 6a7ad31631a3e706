"""The admin dashboard's review queue: what waits for a publisher, and what is scheduled."""

from django import template
from django.utils import timezone

from press.models import EditorialScope, Release

register = template.Library()


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
        "can_publish": user.has_perm("press.publish_release"),
    }
