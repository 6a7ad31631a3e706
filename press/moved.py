"""Old slugs in query parameters: the same query, with each term's current slug.

After a site admin renames or merges a term, bookmarks, saved searches and feed
subscriptions still name it by its old slug (``?country=turkiye``). The finder, the term
pages and their feeds answer such a query with a 301 to the same query (every other
parameter kept, in its order, repeated values too) naming the current slugs, so the old
links keep working and search engines learn the new ones. A slug that is neither current
nor old stays the form's error (400).

The lookup costs nothing while every slug is current: it runs only for the parameters the
finder's form refused, since a current slug is never refused, and then it is one query
for all of them (:meth:`taxonomy.models.OldAddress.current_slugs`). The API reuses it.
"""

from urllib.parse import parse_qsl, urlencode

from django.core.validators import slug_re
from django.http import HttpResponsePermanentRedirect

from taxonomy.models import OldAddress

from .finder import TERM_PARAMETERS

# More distinct values than this in one parameter are not looked up: the form refuses
# far fewer, so a query string repeated thousands of times costs no long IN list.
MAX_LOOKUP = 100


def is_slug(value):
    """Whether ``value`` could be a term's slug, current or old."""
    return len(value) <= OldAddress._meta.get_field("old_slug").max_length and bool(
        slug_re.match(value)
    )


class Moved(Exception):
    """Raised where a response cannot be returned (a feed's ``get_object``): the request
    names terms by old slugs, and ``location`` is the same request with current ones."""

    def __init__(self, location):
        super().__init__(location)
        self.location = location


def current_query(query_string, names=tuple(TERM_PARAMETERS)):
    """``query_string`` with every old slug in the parameters ``names`` replaced by its
    term's current slug, every other parameter and value kept as it was, in its place;
    None when no value was an old slug. One query at most, none without such values."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    # Only what could be a slug is looked up: a NUL or a 10,000-character value names
    # nothing, and PostgreSQL would refuse the first in a query.
    values = {
        name: {value for key, value in pairs if key == name and is_slug(value)} for name in names
    }
    wanted = {
        TERM_PARAMETERS[name]: slugs
        for name, slugs in values.items()
        if 0 < len(slugs) <= MAX_LOOKUP
    }
    current = OldAddress.current_slugs(wanted) if wanted else {}
    if not current:
        return None
    slugs = {name: current.get(TERM_PARAMETERS[name], {}) for name in names}
    return urlencode([(key, slugs.get(key, {}).get(value, value)) for key, value in pairs])


def moved_location(request, errors):
    """Where a request whose term parameters the finder's form refused (``errors``, the
    form's errors by parameter) should go instead: the same path with the current slugs,
    or None when no refused value is an old slug (the form's error stands)."""
    refused = [name for name in TERM_PARAMETERS if name in errors]
    query = current_query(request.META.get("QUERY_STRING", ""), refused) if refused else None
    return None if query is None else f"{request.path}?{query}"


def moved_permanently(request, path):
    """301 to ``path`` (a term's current address) with the request's query, its old slugs
    mended on the way: one hop, however many of the address's parts have moved."""
    original = request.META.get("QUERY_STRING", "")
    query = current_query(original) or original
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)
