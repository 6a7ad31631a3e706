"""Addresses named by one slug, remembered.

A list of releases links every term it shows: about 80 ``reverse()`` calls a page, a third
of its cards' render, for the same ~200 terms on every page. The answer depends on the
slug, the URLconf, the script prefix and the language (for translated addresses), so
those are the key; a renamed term has a new slug, hence a new entry.
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, override


def slug_url(viewname, slug, language=None):
    """The address in ``language`` (a release's own), by default the page's."""
    urlconf = get_urlconf(settings.ROOT_URLCONF)
    return _reverse(viewname, slug, urlconf, get_script_prefix(), language or get_language())


@lru_cache(maxsize=8192)
def _reverse(viewname, slug, urlconf, _prefix, language):
    with override(language):  # only when not remembered: the address's prefix
        return reverse(viewname, urlconf=urlconf, args=[slug])
