"""Security by default: the headers every response carries, sessions that end when
unused, and how django-axes sees a login (its address behind the proxy, its username).

The public pages run under a strict Content Security Policy (settings'
``CONTENT_SECURITY_POLICY``): nothing inline, nothing from elsewhere. The admin is Django's
and its widgets', and needs two exceptions, both kept as narrow as they go:

- Styles may be inline (``ADMIN_CONTENT_SECURITY_POLICY``): the tree admins indent each
  row of a tree with a ``style`` attribute, the rich-text editor (Tiptap) injects its base
  stylesheet as a ``<style>`` element and writes marks such as text colour as ``style``
  attributes. A style cannot run code.
- Scripts stay ``'self'``, plus the SHA-256 of each import map the page carries: the
  editor's modules are found through an inline ``<script type="importmap">``, which a
  browser treats as an inline script. An import map is JSON, not code: it only names
  module URLs, which must themselves pass ``'self'``; so hashing whatever import map the
  page holds lets no code run that the policy would otherwise refuse.
"""

import base64
import hashlib
import ipaddress
import re
import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.urls import reverse

from .resilience import DATABASE_DOWN

RENEWED_KEY = "_renewed_at"
USERNAME_LENGTH = 255  # django-axes' column
IMPORT_MAP = re.compile(rb"<script\s+type=\"importmap\"[^>]*>(.*?)</script>", re.DOTALL)


def count_hit(key, seconds):
    """Count one more request under ``key`` in the shared cache, kept ``seconds``; the
    count so far. One round trip but for a key's first request (a rate limit's counter)."""
    try:
        return cache.incr(key)
    except ValueError:  # a new key, or one just expired
        return 1 if cache.add(key, 1, seconds) else cache.incr(key)


def client_address(request):
    """The address the nearest trusted proxy saw, for django-axes.

    Each of ``TRUSTED_PROXIES`` proxies appends the address it was reached from to
    X-Forwarded-For, so the client's is that many entries from the right; anything left of
    it came from the client and may be forged. A request that did not pass all of them
    (too few entries, or one that is not an address) counts by its own peer address.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    hops = settings.TRUSTED_PROXIES
    if hops <= 0:
        return remote
    chain = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    chain = [part for part in chain if part]
    if len(chain) < hops:
        return remote
    try:
        return str(ipaddress.ip_address(chain[-hops]))
    except ValueError:
        return remote


def login_username(request, credentials=None):
    """The username a login attempt is counted under, for django-axes.

    As django-axes reads it, cut to the length its table keeps: Django's login form lets a
    longer one through to ``authenticate()``, and PostgreSQL refuses to store it.
    """
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return username[:USERNAME_LENGTH] if isinstance(username, str) else username


class SessionRenewalMiddleware:
    """Keep a session alive while it is used, so that it ends after ``SESSION_COOKIE_AGE``
    without a request rather than that long after the login.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` would do it with a write on every staff
    request; renewing at most every ``SESSION_RENEW_EVERY`` seconds moves the end by no
    more than that. Requests without a session cookie (visitors) are never touched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not request.session.is_empty():
            now = int(time.time())
            try:
                renewed = request.session.get(RENEWED_KEY, 0)  # may be the first read
            except DATABASE_DOWN:  # the response is the 503 page already: renew next time
                return response
            if now - renewed >= settings.SESSION_RENEW_EVERY:
                request.session[RENEWED_KEY] = now  # saved, with a new expiry, on the way out
        return response


class PermissionsPolicyMiddleware:
    """Deny the browser features the site never uses (camera, location, payment…) to it
    and to anything it might embed; ``PERMISSIONS_POLICY`` lists them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's policy under the admin's prefix."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        # request.path and reverse() both carry the script prefix of a site served under
        # a sub-path (SCRIPT_NAME); path_info does not.
        if report_only or not request.path.startswith(reverse("admin:index")):
            return parts
        parts.replace = {**settings.ADMIN_CONTENT_SECURITY_POLICY, **(parts.replace or {})}
        hashes = import_map_hashes(response)
        if hashes:
            parts.update = {**(parts.update or {})}
            parts.update["script-src"] = [*parts.update.get("script-src", []), *hashes]
        return parts


def import_map_hashes(response):
    """The CSP hash sources of the inline import maps in an HTML ``response``."""
    if response.streaming or "html" not in response.get("Content-Type", ""):
        return []
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body).digest()).decode()}'"
        for body in IMPORT_MAP.findall(response.content)
    ]


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: a page that says for how long."""
    from axes.helpers import get_client_username, get_cool_off

    cool_off = get_cool_off(request)
    context = {
        "username": get_client_username(request, credentials) or "",
        "minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
    }
    return render(request, "axes/lockout.html", context, status=429)
