"""Whole public pages cached for visitors, and never stale.

A visitor's page (anyone without a live session: staff logged in see previews and always
get a fresh, private page) is cached under its path, the query parameters the page reads,
and the year, stamped with the versions it was rendered under (:mod:`taxonomy.freshness`:
the content's, the menu's, and when the next scheduled release falls due). The versions
live in the database and move with every committed write, whichever process made it, so
the next request anywhere renders afresh; a scheduled release going public changes the
due moment, which renews the pages too.

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

from django.conf import settings
from django.contrib.auth import get_user
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from osce_site.resilience import DATABASE_DOWN
from taxonomy import freshness

PAGE_TIMEOUT = 60 * 60 * 24
LOCK_TIMEOUT = 30  # seconds a render may hold its lock; a crashed process's lock expires
LOCK_WAIT = 5  # seconds a request waits for another's render before rendering itself
LOCK_POLL = 0.02
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")
FIRST_SEEN_KEPT = 64
_last_seen = {}  # the versions this process read last, for when the database is down
_first_seen = {}  # when this process first saw each stamp: the pages' Last-Modified


def stamp(versions):
    """What a page is rendered under: both versions, the next scheduled publication, and
    the languages the site offers (opening one changes every page's alternates and
    switcher, with no write to the database)."""
    return f"{versions.key}:{versions.due}:{','.join(settings.PUBLIC_LANGUAGES)}"


def changed_at(page_stamp):
    """When the data behind ``page_stamp`` changed, as this process's clock can tell: the
    moment it first saw the stamp.

    Any process sees a new version only after its commit, and every page dated under an
    older version was served before that commit; so a date given here is never earlier
    than a date another process gave the old data. A restart dates the current versions
    anew: later than they are, which costs a full answer, never a wrong 304.
    """
    if page_stamp not in _first_seen:
        _first_seen[page_stamp] = time.time()
        while len(_first_seen) > FIRST_SEEN_KEPT:
            _first_seen.pop(next(iter(_first_seen)))
    return _first_seen[page_stamp]


def versions(using="default"):
    """The versions now; with the database unreachable, the last ones this process read
    (so the pages already cached go on being served), else the error."""
    try:
        found = _last_seen[using] = freshness.current(using)
    except DATABASE_DOWN:
        if using not in _last_seen:
            raise
        return _last_seen[using], False
    changed_at(stamp(found))  # from now on this process dates pages under it
    return found, True


def _last_modified(changed_at):
    """The Last-Modified date for a page, or None within the second of the last change."""
    date = math.floor(changed_at) + 1
    return date if time.time() >= date else None


def _key(request, params):
    """The page's place in the cache: one per address as the page reads it (the parameters
    it uses, in any order; any other parameter makes no new entry), whatever the versions,
    so a new render replaces the old."""
    query = sorted((name, values) for name, values in request.GET.lists() if name in params)
    year = timezone.localdate().year
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query!r}|{year}"
    return f"page:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


def _is_visitor(request):
    """Anyone not logged in, whatever cookies they carry (analytics, a stale session):
    only a live session is read, and only when a session cookie comes at all."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not get_user(request).is_authenticated


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


def visitor_cache(view, params=()):
    """Serve ``view``'s pages to visitors from the cache; see the module's docstring.

    ``params`` names the query parameters the page reads: only they make pages differ.
    """
    params = frozenset(params)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if not _is_visitor(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        key = _key(request, params)
        now, answered = versions()
        page_stamp = stamp(now)
        found = cache.get(key)
        if not answered and found is not None:
            page_stamp = found["stamp"]  # the database is down: what the cache holds will do
        rendered = {}

        def render():
            with freshness.pinned(now):
                rendered["response"] = response = view(request, *args, **kwargs)
                entry = _entry(response)
            if entry is not None:
                entry["stamp"] = page_stamp
            return entry

        entry = cached_once(key, render, PAGE_TIMEOUT, found=found, stamp=page_stamp)
        if entry is None:
            return rendered["response"]  # not for the cache (an error, a redirect): as is
        modified = _last_modified(changed_at(page_stamp))
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
