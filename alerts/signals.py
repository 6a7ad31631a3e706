"""A release that goes public now wakes the alerts' worker at once; one scheduled for later
is found by the worker's clock (alerts.tasks.tick) at its second."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from press.models import Release

from . import matching, tasks


@receiver(post_save, sender=Release, dispatch_uid="alerts-wake-on-publish")
def wake_on_publish(sender, instance, raw=False, **kwargs):
    if raw or instance.status != Release.Status.PUBLISHED or not instance.published_at:
        return
    now = timezone.now()
    # Only news wakes anyone: an archive page imported with its old date reaches no one,
    # and an import of thousands of them asks the queue nothing.
    if now - matching.NEWS_WINDOW < instance.published_at <= now:
        tasks.wake()
