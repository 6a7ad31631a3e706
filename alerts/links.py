"""The signed links in alert emails: no account, no password; the address proves itself
by receiving them.

Each link carries what it acts on, signed with the site's secret and a salt of its own
(a confirmation link cannot serve as a management link). Confirming and managing expire
(:data:`CONFIRM_DAYS`, :data:`MANAGE_DAYS`): a forwarded old email does not give its
reader the address's alerts for ever. The one-click unsubscribe link does not expire
(RFC 8058: a mail program's button must work on any email still in the box).
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

CONFIRM_DAYS = 7
MANAGE_DAYS = 30
SALTS = {"confirm": "alerts.confirm", "manage": "alerts.manage", "unsubscribe": "alerts.stop"}


def token(kind, value):
    return signing.dumps(value, salt=SALTS[kind], compress=True)


def read(kind, text):
    """The value signed in ``text`` for ``kind``, or None if it is not ours or expired."""
    max_age = {"confirm": CONFIRM_DAYS, "manage": MANAGE_DAYS}.get(kind)
    try:
        return signing.loads(
            text,
            salt=SALTS[kind],
            max_age=dt.timedelta(days=max_age) if max_age else None,
        )
    except signing.BadSignature:  # SignatureExpired included
        return None


def absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _in(language, name, value):
    with translation.override(language):
        return absolute(reverse(f"alerts:{name}", args=[value]))


def confirm_url(alert):
    return _in(alert.language, "confirm", token("confirm", alert.pk))


def manage_url(subscriber):
    return _in(subscriber.language, "manage", token("manage", subscriber.email))


def unsubscribe_url(alert):
    return _in(alert.language, "unsubscribe", token("unsubscribe", alert.pk))


def finder_url(alert):
    with translation.override(alert.language):
        path = reverse("press:list")
    return absolute(path + (f"?{alert.query}" if alert.query else ""))


def new_alert_path(query):
    """The subscription form for the finder query ``query``, in the page's language."""
    return reverse("alerts:new") + (f"?{urlencode(query, doseq=True)}" if query else "")
