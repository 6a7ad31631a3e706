"""Mail for the alerts: written into :class:`Message` rows, sent by workers one at a time.

Why an outbox: a message is decided (which releases, for whom) in the same transaction
that marks those releases delivered, and sent after; a worker claims one message for a
lease, sends it, and marks it sent at once. Killed mid-batch, a worker loses at most the
message it held, which the next worker takes when the lease ends; a mail server that is
down or says "try later" puts the message back with a growing delay, and nothing is
dropped until it refuses an address for good (5xx), which suppresses the address.
"""

import contextlib
import datetime as dt
import functools
import logging
import smtplib
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from press.models import Release

from . import links
from .describe import describe
from .models import Alert, Delivery, Message, Subscriber

logger = logging.getLogger("alerts")

# An alert's words, per run of write_alerts: digests for thousands of alerts share a few
# thousand searches, each read through the finder once (a term renamed since is read anew
# at the next run).
described = functools.lru_cache(maxsize=10_000)(describe)

LEASE = dt.timedelta(minutes=5)  # how long a claimed message is a worker's own
RETRY_FIRST = dt.timedelta(seconds=30)  # the first retry's delay, doubled each time
RETRY_MOST = dt.timedelta(hours=1)
GIVE_UP_AFTER = 40  # attempts: about a day and a half of a mail server gone
DIGEST_HOUR = 7  # digests leave at seven in the morning, the organisation's time
RELEASES_IN_ONE_MAIL = 50  # an alert's mail lists at most this many, then links the rest
UNSUBSCRIBABLE = ("alert", "digest")  # the kinds of mail that carry one-click unsubscribe


def setting(name, default):
    """The alerts' timings, from settings where a test or a site changes them."""
    return getattr(settings, f"ALERTS_{name}", default)


# Writing -----------------------------------------------------------------------------


def write(kind, subscriber, *, alert=None, releases=(), **context):
    """A :class:`Message` for ``subscriber``, in its language, written now."""
    # In the language the alert was made in (that of its releases), else the address's.
    with translation.override(alert.language if alert is not None else subscriber.language):
        context = {
            "subscriber": subscriber,
            "alert": alert,
            "releases": releases,
            "manage_url": links.manage_url(subscriber),
            "site_url": settings.SITE_URL,
            **context,
        }
        if alert is not None:
            context["what"] = described(alert.query, alert.language)
            context["unsubscribe_url"] = links.unsubscribe_url(alert)
            context["finder_url"] = links.finder_url(alert)
        subject = render_to_string(f"alerts/email/{kind}_subject.txt", context)
        return Message.objects.create(
            kind=kind,
            subscriber=subscriber,
            alert=alert,
            subject=" ".join(subject.split())[:300],
            text=render_to_string(f"alerts/email/{kind}.txt", context),
            html=render_to_string(f"alerts/email/{kind}.html", context),
            # One-click unsubscribing is for the alerts' own mail, not for the answers
            # to a request (a confirmation has nothing to stop yet).
            unsubscribe_url=context.get("unsubscribe_url", "") if kind in UNSUBSCRIBABLE else "",
        )


def next_digest(after, frequency):
    """When the next digest after ``after`` leaves: 07:00 the next day, or next Monday."""
    zone = ZoneInfo(settings.TIME_ZONE)
    local = after.astimezone(zone)
    moment = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if moment <= local:
        moment += dt.timedelta(days=1)
    if frequency == Alert.Frequency.WEEKLY:
        moment += dt.timedelta(days=(7 - moment.weekday()) % 7)
    return moment


def due_alerts(now):
    """Alerts with releases waiting, due to be written now."""
    waiting = Delivery.objects.filter(message__isnull=True).values("alert")
    for alert in Alert.objects.active().filter(pk__in=waiting).select_related("subscriber"):
        if (
            alert.frequency == Alert.Frequency.IMMEDIATELY
            or next_digest(alert.last_sent_at or alert.confirmed_at, alert.frequency) <= now
        ):
            yield alert


def write_alerts(now=None):
    """Write a message per alert with releases waiting and due (immediate alerts at once,
    daily and weekly ones at their hour). Returns how many it wrote."""
    now = now or timezone.now()
    described.cache_clear()
    written = 0
    for alert in due_alerts(now):
        with transaction.atomic():
            waiting = Delivery.objects.filter(alert=alert, message__isnull=True)
            rows = list(waiting.select_for_update(skip_locked=True).values_list("pk", "release_id"))
            if not rows:
                continue  # another worker took them
            ids = [pk for pk, _release in rows]
            releases = list(
                Release.objects.filter(pk__in=[release for _pk, release in rows])
                .select_related("place")
                .order_by("-published_at", "-pk")[:RELEASES_IN_ONE_MAIL]
            )
            kind = "alert" if alert.frequency == Alert.Frequency.IMMEDIATELY else "digest"
            message = write(kind, alert.subscriber, alert=alert, releases=releases, total=len(ids))
            # Only rows still waiting: a second worker writing the same alert gets none,
            # and its transaction (and message) is undone.
            if Delivery.objects.filter(pk__in=ids, message__isnull=True).update(
                message=message
            ) != len(ids):
                transaction.set_rollback(True)
                continue
            Alert.objects.filter(pk=alert.pk).update(last_sent_at=now)
            written += 1
    return written


# Sending -----------------------------------------------------------------------------


class Outcome:
    SENT, RETRY, REFUSED, DROPPED = "sent", "retry", "refused", "dropped"


def claim(now=None):
    """The next message due, claimed for :data:`LEASE` by a conditional update (atomic on
    every database: two workers never hold one message), or None."""
    now = now or timezone.now()
    due = Message.objects.filter(status=Message.Status.PENDING, due_at__lte=now).filter(
        models.Q(claimed_until__isnull=True) | models.Q(claimed_until__lt=now)
    )
    for pk in due.order_by("due_at", "pk").values_list("pk", flat=True)[:20]:
        lease = now + setting("LEASE", LEASE)
        if due.filter(pk=pk).update(claimed_until=lease):
            return Message.objects.select_related("subscriber").get(pk=pk)
    return None


def email_of(message):
    headers = {}
    if message.unsubscribe_url:
        # RFC 8058: mail programs offer their own unsubscribe button, which POSTs here.
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    headers["Auto-Submitted"] = "auto-generated"
    email = EmailMultiAlternatives(
        message.subject,
        message.text,
        settings.ALERTS_FROM_EMAIL,
        [message.subscriber.email],
        headers=headers,
    )
    email.attach_alternative(message.html, "text/html")
    return email


def permanent(error):
    """Whether the mail server refused for good (a 5xx reply), not for now."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def send(message, connection=None):
    """Send one claimed message; record what happened. Returns an :class:`Outcome`."""
    now = timezone.now()
    subscriber = message.subscriber
    if subscriber.suppressed:
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.DROPPED, claimed_until=None
        )
        return Outcome.DROPPED
    try:
        email_of(message).send() if connection is None else connection.send_messages(
            [email_of(message)]
        )
    except (smtplib.SMTPException, OSError) as error:
        attempts = message.attempts + 1
        if permanent(error):
            Message.objects.filter(pk=message.pk).update(
                status=Message.Status.FAILED,
                attempts=attempts,
                claimed_until=None,
                last_error=str(error)[:2000],
            )
            suppress(subscriber, Subscriber.Suppression.BOUNCE)
            logger.warning("alert mail refused for good", extra={"message_id": message.pk})
            return Outcome.REFUSED
        delay = min(
            setting("RETRY_FIRST", RETRY_FIRST) * 2 ** (attempts - 1),
            setting("RETRY_MOST", RETRY_MOST),
        )
        given_up = attempts >= setting("GIVE_UP_AFTER", GIVE_UP_AFTER)
        Message.objects.filter(pk=message.pk).update(
            status=Message.Status.FAILED if given_up else Message.Status.PENDING,
            attempts=attempts,
            due_at=now + delay,
            claimed_until=None,
            last_error=str(error)[:2000] or type(error).__name__,
        )
        logger.warning(
            "alert mail not sent, will retry", extra={"message_id": message.pk, "attempt": attempts}
        )
        return Outcome.RETRY
    Message.objects.filter(pk=message.pk).update(
        status=Message.Status.SENT,
        attempts=message.attempts + 1,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
    )
    return Outcome.SENT


def send_due(limit=None):
    """Send messages due, one claim at a time, until none is left, ``limit`` are sent, or
    the mail server fails (no point trying the rest now: each waits its turn again).
    Returns {outcome: count}."""
    counts = {}
    connection = get_connection()
    try:
        while limit is None or sum(counts.values()) < limit:
            message = claim()
            if message is None:
                break
            outcome = send(message, connection)
            counts[outcome] = counts.get(outcome, 0) + 1
            if outcome == Outcome.RETRY:
                break
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()  # a server gone mid-batch: nothing to close politely
    return counts


def suppress(subscriber, reason):
    Subscriber.objects.filter(pk=subscriber.pk, suppressed_at__isnull=True).update(
        suppressed_at=timezone.now(), suppressed_because=reason
    )


def forget_unconfirmed(now=None):
    """Remove alerts never confirmed within 7 days, and addresses left with nothing."""
    now = now or timezone.now()
    cutoff = now - setting("UNCONFIRMED_KEPT", dt.timedelta(days=7))
    removed, _ = Alert.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    Subscriber.objects.filter(
        alerts__isnull=True, created_at__lt=cutoff, suppressed_at__isnull=True
    ).delete()
    return removed
