"""Full-text search over releases, with the same query syntax on both databases.

On PostgreSQL, the stored and GIN-indexed ``search_vector`` (title weighted above body,
kept by a trigger) is matched with ``websearch_to_tsquery``: words, "quoted phrases" and
-excluded words (a query of one hyphenated word is read as that word's lexeme: migration
0016), each match scored by ``ts_rank`` in the query that finds it (the finder's index
orders pages by that score: press.engine.Scores). SQLite gets a simpler fallback that reads
the same syntax, matches words and phrases anywhere in the title or body, and scores a
match in the title above one in the body alone.
Snippets are cut and highlighted here, in Python, from the page's twenty results only.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, models, transaction
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from osce_site.languages import current_language

# PostgreSQL's text-search configuration for each language a release may be written in (its
# stemming and stop words: "выборах" finds "выборы"); another language gets "simple".
SEARCH_CONFIGS = {
    "en": "english",
    "ru": "russian",
    "fr": "french",
    "de": "german",
    "it": "italian",
    "es": "spanish",
}


def search_config(language=None):
    """The configuration for ``language``, by default the page's."""
    return SEARCH_CONFIGS.get(language or current_language(), "simple")


TEXT_OUTPUT = models.TextField()
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')


@dataclass
class Terms:
    """A query as words and phrases to include and to exclude."""

    include: list = field(default_factory=list)
    exclude: list = field(default_factory=list)


def parse(query):
    """Read web-search syntax: words, "quoted phrases", -word and -"phrase"; OR is ignored."""
    terms = Terms()
    for match in _TOKEN.finditer(query):
        negated = match.group(1) or match.group(3)
        text = " ".join((match.group(2) if match.group(2) is not None else match.group(4)).split())
        text = text.strip("-")
        if not text or text.lower() == "or":
            continue
        (terms.exclude if negated else terms.include).append(text)
    return terms


# Work memory for reading a search's whole match set: enough for an exact bitmap of the
# release table's pages at 1,000,000 releases (PostgreSQL's default, 4 MB, is not).
MATCHES_WORK_MEM = "64MB"


@contextmanager
def every_match_plan(alias):
    """Plan the next queries to read every match of a search through the GIN index.

    Why: for a word found in most releases PostgreSQL's planner prefers reading the whole
    table, which unpacks every release's vector (1.8 s for a common word at 1,000,000
    releases, against 1.0 s through the index); and with 4 MB of work memory the index's
    bitmap turns lossy and the same unpacking happens page by page. The settings hold for
    these queries alone and are put back after.
    """
    connection = connections[alias]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('work_mem'), current_setting('enable_seqscan')")
        previous = cursor.fetchone()
        change = "SELECT set_config('work_mem', %s, true), set_config('enable_seqscan', %s, true)"
        cursor.execute(change, [MATCHES_WORK_MEM, "off"])
        try:
            yield
        finally:
            cursor.execute(change, previous)


class WebSearchQuery(SearchQuery):
    """``websearch_to_tsquery``, but a query of one hyphenated word ("co-operation") is
    read as the word's own lexeme rather than as the phrase of its parts: the same
    releases, found from the index alone (migration 0016)."""

    function = "press_search_query"

    def __init__(self, value, *, config):
        super().__init__(value, config=config, search_type="websearch")
        self.function = type(self).function


def search(queryset, query):
    """Narrow ``queryset`` to releases matching ``query``, annotated with a ``rank``."""
    if connections[queryset.db].vendor == "postgresql":
        ts_query = WebSearchQuery(query, config=search_config())
        return queryset.filter(search_vector=ts_query).annotate(
            rank=SearchRank(models.F("search_vector"), ts_query)
        )
    terms = parse(query)
    # Match the text as a reader sees it: without markup, whatever the case of any letter
    # (SQLite's LIKE folds ASCII only). The functions come from plain_text_on_sqlite.
    queryset = queryset.annotate(
        _title_text=models.Func("title", function="press_folded", output_field=TEXT_OUTPUT),
        _body_text=models.Func("body", function="press_plain_text", output_field=TEXT_OUTPUT),
    )

    def anywhere(text):
        text = text.casefold()
        return models.Q(_title_text__contains=text) | models.Q(_body_text__contains=text)

    for text in terms.include:
        queryset = queryset.filter(anywhere(text))
    for text in terms.exclude:
        queryset = queryset.exclude(anywhere(text))
    in_title = models.Q(pk__in=[])
    for text in terms.include:
        in_title |= models.Q(_title_text__contains=text.casefold())
    # A match in the title ranks above a match in the body only, as title outweighs body.
    return queryset.annotate(
        rank=models.Case(
            models.When(in_title, then=models.Value(1.0)),
            default=models.Value(0.5),
            output_field=models.FloatField(),
        )
    )


def _folded(text):
    return (text or "").casefold()


def _plain_text(html):
    return unescape(strip_tags(html or "")).casefold()


def plain_text_on_sqlite(sender, connection, **kwargs):
    """Give SQLite connections the functions the search fallback matches through."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("press_folded", 1, _folded, deterministic=True)
        connection.connection.create_function(
            "press_plain_text", 1, _plain_text, deterministic=True
        )


def snippet(html, query, words=32):
    """A short extract of ``html`` around the first match, with matches in ``<mark>``.

    Words match by their beginning, so "election" also marks "elections", roughly as the
    stemming search found them.
    """
    text = " ".join(unescape(strip_tags(html)).split())
    terms = [t for t in parse(query).include if t]
    if not text:
        return ""
    pattern = (
        re.compile("|".join(rf"\b{re.escape(t)}\w*" for t in terms), re.IGNORECASE)
        if terms
        else None
    )
    tokens = text.split(" ")
    start = 0
    if pattern:
        match = pattern.search(text)
        if match:
            start = max(0, len(text[: match.start()].split(" ")) - 1 - words // 4)
    extract = " ".join(tokens[start : start + words])
    prefix = "… " if start else ""
    suffix = " …" if start + words < len(tokens) else ""
    pieces, last = [], 0
    for match in pattern.finditer(extract) if pattern else ():
        pieces += [escape(extract[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
        last = match.end()
    pieces.append(escape(extract[last:]))
    return mark_safe(prefix + "".join(pieces) + suffix)  # every piece is escaped above
