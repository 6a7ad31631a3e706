"""A release that goes public now wakes the alerts' worker at once; one scheduled for later
is found by the worker's clock (alerts.tasks.tick) at its second."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from press.models import Release

from . import tasks


@receiver(post_save, sender=Release, dispatch_uid="alerts-wake-on-publish")
def wake_on_publish(sender, instance, raw=False, **kwargs):
    if raw or instance.status != Release.Status.PUBLISHED:
        return
    if instance.published_at and instance.published_at <= timezone.now():
        tasks.wake()
