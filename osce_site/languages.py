"""The languages the public site speaks, and the way from a page to the same page in another.

``settings.LANGUAGES`` holds the organisation's six official languages: releases can be
written in any of them, and each has its search configuration and its message catalogue.
``settings.PUBLIC_LANGUAGES`` holds those the public site offers: a language opens when
its catalogue is complete (README, "Adding a language"). Another language's prefix answers
404, so no half-translated page is served or indexed.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.urls import translate_url
from django.utils.translation import get_language, get_language_from_path


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str  # in its own language: "Русский"
    url: str  # this page in that language, or the section it belongs to
    same_page: bool  # the page itself exists there (hreflang), not only its section
    current: bool


def public_languages():
    return [(code, name) for code, name in settings.LANGUAGES if code in public_codes()]


def public_codes():
    return settings.PUBLIC_LANGUAGES


def language_name(code):
    """The language's name in itself ("Русский"), as ``LANGUAGES`` writes it."""
    return dict(settings.LANGUAGES)[code]


def multilingual():
    """Whether the public site offers more than one language: only then has a page others
    to name (alternates, a switcher, a release's other languages)."""
    return len(public_codes()) > 1


def current_language():
    """The page's language; the default where none is active (a command, a shell)."""
    return get_language() or settings.LANGUAGE_CODE


def alternates(request, pages=None, section=None, query=""):
    """This page in each public language; none for a page that is not the public site's
    (the admin's), nor on a site in one language. ``pages`` maps a language to this page's
    address in it where only some languages have it (a release's translations); a
    language without it leads to ``section`` there. Without ``pages`` every language has
    the page, at its path and ``query``: the parameters it reads, never the address as
    asked (a cached page must not carry one visitor's stray parameters to the next)."""
    match = request.resolver_match
    if match is None or "press" not in match.namespaces or not multilingual():
        return []  # not the public site's page, or a site in one language: nothing to name
    current = current_language()
    path = request.path + (f"?{query}" if query else "")
    found = []
    for code, name in public_languages():
        if pages is None:
            url, same = translate_url(path, code), True
        elif code in pages:
            url, same = pages[code], True
        else:
            url, same = translate_url(section or "/", code), False
        found.append(Alternate(code, name, url, same, code == current))
    return found


def localized(path):
    """A path of this site (``/countries/``) in the active language: with its prefix."""
    language = get_language()
    if language == settings.LANGUAGE_CODE or not path.startswith("/") or path.startswith("//"):
        return path
    return f"/{language}{path}"


class LanguageFromPathMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without ``Vary: Accept-Language``: the address alone says
    the language (no prefix is English, whatever the browser asks), so a shared cache
    must keep one copy of a page, not one per browser language."""

    def process_response(self, request, response):
        response.headers.setdefault("Content-Language", get_language())
        return response


class PublicLanguagesMiddleware:
    """A prefix of a language the site does not offer yet is no page (404)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = get_language_from_path(request.path_info)
        if language and language not in public_codes():
            raise Http404("The site is not offered in that language.")
        return self.get_response(request)
