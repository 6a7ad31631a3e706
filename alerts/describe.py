"""An alert in words, as the finder's chips say its filters: "Poland · “elections”"."""

from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext

from press.finder import Finder
from press.models import Release


def describe(query, language):
    """The alert's filters in ``language``'s words, or "every release" for none."""
    with translation.override(language):
        return _words(Finder(QueryDict(query), Release.objects.none()))


def _words(finder):
    return finder.describe() or gettext("every new release")


def canonical(data, language):
    """The finder's own spelling of the query in ``data`` (its valid filters, in its
    order, without paging or sorting): one alert per search, however the address was
    written. Returns (query string, its words, errors): one reading of the address."""
    with translation.override(language):
        finder = Finder(data, Release.objects.none())
        return finder.query_string(keep_sort=False), _words(finder), finder.problems()
