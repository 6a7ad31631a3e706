"""Whole public pages cached for visitors, and never stale.

A visitor's page (no session cookie: staff with one see previews and always get a fresh
page) is cached under its path, its query string, the year, and two versions: the menu's
(any change to a term, a chairpersonship or a menu entry) and the content's (any save,
publish, unpublish or delete of a release or its attachments, any change to places). A
change bumps a version, so the next request renders afresh, on every process sharing the
cache. A release scheduled for later is published by the clock, not by a write: the
content version carries the time the next one falls due and is bumped when it passes.

Every cached page carries an ETag and a Last-Modified date, and answers a matching
conditional GET with 304 and no body. HTTP dates have whole seconds, so a page served
within the second of the last change carries no Last-Modified: a second change in that
same second would otherwise leave the date as it was and a client's If-Modified-Since would
keep the old page. Any page that carries a date was rendered after all of that second's
changes, and any later change gives a later date.
"""

import hashlib
import math
import time
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from osce_site.resilience import DATABASE_DOWN
from taxonomy import menu

CONTENT_KEY = "content:version"
PAGE_TIMEOUT = 60 * 60 * 24
LOCK_TIMEOUT = 30  # seconds a render may hold its lock; a crashed process's lock expires
LOCK_WAIT = 5  # seconds a request waits for another's render before rendering itself
LOCK_POLL = 0.02
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")
# With the database unreachable, the seconds until it is asked again when the next scheduled
# release falls due; meanwhile the pages already cached are served.
DUE_RETRY = 5


def _next_due():
    """When the next scheduled release goes public (a timestamp), or None."""
    from .models import Release

    due = (
        Release.objects.filter(status=Release.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return due.timestamp() if due else None


def _new_version(due):
    state = {"version": uuid4().hex, "at": time.time(), "due": due}
    cache.set(CONTENT_KEY, state, None)
    return state


def bump(**kwargs):
    """Make every cached page stale: call after any change a public page may show."""
    try:
        due = _next_due()
    except DATABASE_DOWN:  # no page can be rendered now anyway: ask again shortly
        due = time.time() + DUE_RETRY
    return _new_version(due)


def _fall_due(state):
    """The content state once its due time has passed: a new version, since a scheduled
    release has gone public. With the database down the version stays, so the cached pages
    keep being served (a release shown a little late beats an error page), and the
    question is asked again in ``DUE_RETRY`` seconds."""
    try:
        due = _next_due()
    except DATABASE_DOWN:
        state = {**state, "due": time.time() + DUE_RETRY}
        cache.set(CONTENT_KEY, state, None)
        return state
    return _new_version(due)


def _changed(using=None, **kwargs):
    menu.now_and_on_commit(bump, using)


def versions(*also):
    """The content state, the menu version and the last change's time, in one round trip
    to the cache, with the values at the keys ``also`` (a dict) when asked for."""
    found = cache.get_many([CONTENT_KEY, menu.VERSION_KEY, menu.CHANGED_KEY, *also])
    state = found.get(CONTENT_KEY)
    if state is None:
        state = bump()
    elif state["due"] is not None and time.time() >= state["due"]:
        state = _fall_due(state)
    if menu.VERSION_KEY in found and menu.CHANGED_KEY in found:
        menu_version, menu_at = found[menu.VERSION_KEY], found[menu.CHANGED_KEY]
    else:
        menu_version, menu_at = menu.state()
    changed_at = max(state["at"], menu_at)
    if also:
        return state, menu_version, changed_at, {key: found.get(key) for key in also}
    return state, menu_version, changed_at


def _last_modified(changed_at):
    """The Last-Modified date for a page, or None within the second of the last change."""
    date = math.floor(changed_at) + 1
    return date if time.time() >= date else None


def _key(request):
    """The page's place in the cache: one per address, whatever the versions, so a page is
    fetched with the versions in one round trip and a new render replaces the old."""
    query = sorted(request.GET.lists())
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query!r}|{timezone.localdate().year}"
    return f"page:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def _is_visitor(request):
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def _entry(response):
    """What the cache keeps of a rendered page, or None when it may not be cached."""
    if hasattr(response, "render") and callable(response.render):
        response = response.render()
    if not _cacheable(response):
        return None
    return {
        "content": response.content,
        "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
        "etag": f'"{hashlib.sha256(response.content).hexdigest()[:32]}"',
    }


def cached_once(key, compute, timeout, *, found=None, stamp=None):
    """The value cached at ``key``, else ``compute()``'s (stored unless None), computed by
    one process at a time among all sharing the cache.

    ``found`` is the value already read from ``key``, if any. With a ``stamp``, a value
    counts only if it carries the same one (``value["stamp"]``): an older render left at
    the key is replaced.

    After a publish every page and every facet count is missing at once; without this,
    each request arriving for a busy page during its first render (most of a second for a
    finder page at 100,000 releases) would render it again. The others wait for the value
    instead, and compute it themselves only if the first gives up (its value was not for
    the cache, or ``LOCK_WAIT`` seconds passed).
    """

    def usable(value):
        return value is not None and (stamp is None or value.get("stamp") == stamp)

    value = found if found is not None else cache.get(key)
    if usable(value):
        return value
    lock = f"{key}:{stamp}:computing" if stamp else f"{key}:computing"
    if not cache.add(lock, 1, LOCK_TIMEOUT):
        deadline = time.monotonic() + LOCK_WAIT
        while time.monotonic() < deadline:
            time.sleep(LOCK_POLL)
            value = cache.get(key)
            if usable(value):
                return value
            if cache.get(lock) is None:
                break
        lock = None
    try:
        value = compute()
        if value is not None:
            cache.set(key, value, timeout)
        return value
    finally:
        if lock:
            cache.delete(lock)


def visitor_cache(view):
    """Serve ``view``'s pages to visitors from the cache; see the module's docstring."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not _is_visitor(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        state, menu_version, changed_at, found = versions(key)
        stamp = f"{state['version']}:{menu_version}"
        rendered = {}

        def render():
            rendered["response"] = response = view(request, *args, **kwargs)
            entry = _entry(response)
            if entry is not None:
                entry["stamp"] = stamp
            return entry

        timeout = PAGE_TIMEOUT
        if state["due"] is not None:  # the page changes when that release goes public
            timeout = max(1, min(timeout, int(state["due"] - time.time()) + 1))
        entry = cached_once(key, render, timeout, found=found[key], stamp=stamp)
        if entry is None:
            return rendered["response"]  # not for the cache (an error, a redirect): as is
        modified = _last_modified(changed_at)
        not_modified = get_conditional_response(request, etag=entry["etag"], last_modified=modified)
        response = not_modified or HttpResponse(entry["content"])
        for name, value in entry["headers"].items():
            response[name] = value
        response["ETag"] = entry["etag"]
        if modified is not None:
            response["Last-Modified"] = http_date(modified)
        # Browsers and proxies may keep the page but must ask again each time (cheap: 304).
        response["Cache-Control"] = "public, no-cache"
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


def watch(*models):
    """Bump the content version whenever a row of ``models`` (or its links) changes."""
    for model in models:
        uid = f"page-cache-{model._meta.label}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _changed, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
            )
