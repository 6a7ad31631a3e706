"""Email alerts: who follows which search, what reached them, and the mail to send.

An alert is a finder query (the parameters a visitor had on screen) in one language, at a
frequency. It is active once its address is confirmed (double opt-in). Matching works the
other way round from a search: each release that goes public is matched once against the
alerts' terms (:mod:`alerts.matching`), giving one :class:`Delivery` per subscriber and
release (a unique pair: nothing reaches anyone twice, however many workers run). Mail goes
through :class:`Message`, an outbox that workers claim one message at a time, so a worker
killed mid-batch leaves the rest to the next and a mail server that is down delays mail
without losing any.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SubscriberQuerySet(models.QuerySet):
    def for_address(self, address):
        return self.filter(email=normalise(address))


def normalise(address):
    """One spelling per address: mail systems treat the domain without case, and people
    type their own address in any case, so one subscriber per address whatever the case."""
    return address.strip().lower()


class Subscriber(models.Model):
    """An address that asked for alerts. No account: it manages its alerts through signed
    links sent to it."""

    class Suppression(models.TextChoices):
        BOUNCE = "bounce", "The mail server refused it for good"
        COMPLAINT = "complaint", "Marked as spam"
        MANUAL = "manual", "Stopped by a site admin"

    email = models.EmailField(unique=True)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    created_at = models.DateTimeField(default=timezone.now)
    suppressed_at = models.DateTimeField(null=True, blank=True)
    suppressed_because = models.CharField(max_length=20, choices=Suppression.choices, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["email"]
        permissions = [("view_addresses", "Can see subscribers' addresses")]

    def __str__(self):
        return self.email

    @property
    def suppressed(self):
        return self.suppressed_at is not None


class AlertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(confirmed_at__isnull=False, subscriber__suppressed_at__isnull=True)


class Alert(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", "As soon as a release is published"
        DAILY = "daily", "Once a day"
        WEEKLY = "weekly", "Once a week"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="alerts")
    query = models.CharField(
        max_length=2000, help_text="The finder's parameters, as its own links write them."
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    # How many facets the query narrows (fields, sources, countries, types): a release
    # matches when it meets each of them (alerts.matching).
    facets = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "query", "language"], name="alert_once_per_search"
            )
        ]
        indexes = [models.Index(fields=["facets"], name="alert_facets")]

    def __str__(self):
        return f"{self.query or '(every release)'} [{self.language}, {self.frequency}]"


class AlertKey(models.Model):
    """One value an alert's query narrows by: the inverted index matching reads."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="keys")
    facet = models.CharField(max_length=10)  # field, source, country, type
    key = models.CharField(max_length=40)  # a term's pk, or a type's value

    class Meta:
        indexes = [models.Index(fields=["facet", "key"], name="alert_key_lookup")]

    def __str__(self):
        return f"{self.facet}={self.key}"


class Matched(models.Model):
    """A release matched against the alerts: once, by whichever worker got there first."""

    release = models.OneToOneField(
        "press.Release", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    matched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "matched releases"

    def __str__(self):
        return f"release {self.release_id}"


class Message(models.Model):
    """One email, written when it is decided and sent by a worker: the outbox."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", "Confirmation"
        ALREADY = "already", "Already subscribed"
        ALERT = "alert", "Alert"
        DIGEST = "digest", "Digest"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed for good"
        DROPPED = "dropped", "Not sent: the address was suppressed or left"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="messages")
    alert = models.ForeignKey(
        Alert, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    subject = models.CharField(max_length=300)
    text = models.TextField()
    html = models.TextField()
    unsubscribe_url = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(default=timezone.now)  # not before (back-off)
    claimed_until = models.DateTimeField(null=True, blank=True)  # a worker is sending it
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "due_at"], name="message_due")]

    def __str__(self):
        return self.subject


class Delivery(models.Model):
    """A release that reached (or is on its way to) a subscriber: never twice."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    release = models.ForeignKey("press.Release", on_delete=models.CASCADE, related_name="+")
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "release"], name="delivery_once_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["alert", "message"], name="delivery_waiting")]

    def __str__(self):
        return f"release {self.release_id} to subscriber {self.subscriber_id}"
