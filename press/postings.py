"""A search's matches by release id, grouped by score, kept from one content version to
the next and brought up to date by reading only the rows written since (PostgreSQL).

Why: the finder's index is built again for every content version (press.engine), and a
search's matches used to be read again after each: a common word at 1,000,000 releases
costs one to two seconds of heap pages, paid again for every word after every publish.
Postings name releases by id, so they outlive a snapshot's positions. Every release row
carries the transaction that last wrote it (``changed_in``, set by a trigger on any insert
or update, whoever writes: migration 0014), and a reading records its *horizon*: the oldest
transaction still running when it began (``pg_snapshot_xmin``). Every transaction below the
horizon had ended by then, so its writes were seen; a row written by any other has
``changed_in`` at or above the horizon, and is read again on the next catch-up. A deleted
release needs no reading: it has no position in the next snapshot.

Postings are shared through the cache, except by a transaction that has written (a test's,
or a command's before it commits): what it sees may yet be rolled back.
"""

import hashlib
import pickle
import sys
import time
from array import array
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections, models, transaction
from django.db.models.expressions import RawSQL
from pyroaring import BitMap

from .models import Release
from .pagecache import cached_once
from .search import every_match_plan, search, search_config

POSTINGS_FORMAT = 1  # part of the cache key: a new shape is never read as the old
POSTINGS_TIMEOUT = 60 * 60 * 24 * 7  # a search not asked for a week is read whole again


def kept_here(using):
    """Whether postings are kept on the database ``using``: where rows say who wrote them."""
    return connections[using].vendor == "postgresql"


@dataclass
class Postings:
    """A search's published or scheduled matches, as of ``horizon``."""

    horizon: int  # every transaction below it had ended when these were read
    tiers: dict = field(default_factory=dict)  # score -> BitMap of release ids
    version: str = ""  # the content version they were last brought up to date for


@dataclass
class Reading:
    """Where a search stands at this moment: what a reading of it would see, and where its
    postings are kept."""

    query: str
    using: str
    horizon: int  # the oldest transaction running now
    writing: bool  # whether this transaction has written: nothing of it is shared then
    table: int  # the release table's object id
    normal: str  # the query as PostgreSQL reads it in the page's configuration

    @classmethod
    def now(cls, query, using):
        return cls(query, using, *_horizon(using, query))

    def key(self, generation=0):
        return _key(self.using, self.table, generation, self.normal)


def current(reading, version, generation=0):
    """The postings of ``reading``'s query, up to date for the content version
    ``version``: from the shared cache, else read whole, then caught up with the rows
    written since they were read (one query, none within one version)."""
    query, using, horizon = reading.query, reading.using, reading.horizon
    key = reading.key(generation)
    if reading.writing:  # not for the cache: this transaction's writes may be rolled back
        packed = cache.get(key)
        if packed is None:
            return read(query, using, horizon, version)
        postings = pickle.loads(packed)
        _catch_up(postings, query, using, horizon)
        return postings
    packed = cached_once(
        key, lambda: _packed(read(query, using, horizon, version)), POSTINGS_TIMEOUT
    )
    postings = pickle.loads(packed)  # our own cache's bytes
    if postings.version != version and _catch_up(postings, query, using, horizon):
        postings.version = version
        cache.set(key, _packed(postings), POSTINGS_TIMEOUT)
    return postings


def _packed(postings):
    return pickle.dumps(postings, protocol=pickle.HIGHEST_PROTOCOL)


def _key(using, table, generation, normal):
    """Where the postings of the query ``normal`` (PostgreSQL's own text of it) are kept:
    "security", "Security" and "securities" share the postings of 'secur'."""
    digest = hashlib.sha256(normal.encode()).hexdigest()[:32]
    return f"engine:postings:{POSTINGS_FORMAT}:{using}:{table}:{generation}:{digest}"


def _horizon(using, query):
    """The oldest transaction running now, whether this one has written, the release
    table's object id (a table made again, as a restore does, copies rows in with the
    transaction ids of the database they came from: it starts new postings), and the
    query as PostgreSQL reads it in the page's configuration."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
            " pg_current_xact_id_if_assigned() IS NOT NULL,"
            f" '{Release._meta.db_table}'::regclass::oid,"
            " press_search_query(%s::regconfig, %s)::text",
            [search_config(), query],
        )
        return cursor.fetchone()


def read(query, using, horizon, version=""):
    """Every match of ``query`` with its score: the search's whole reading, as of the
    content version ``version`` or later."""
    matches = search(Release.objects.using(using).published_or_scheduled(), query)
    tiers = {}
    with every_match_plan(using):
        for pk, score in matches.order_by().values_list("pk", "rank"):
            tiers.setdefault(score, []).append(pk)
    return Postings(horizon, {score: BitMap(ids) for score, ids in tiers.items()}, version)


def _catch_up(postings, query, using, horizon):
    """Read again the rows written at or after the postings' horizon (edited, published,
    taken down, new) and move the horizon to ``horizon``, read before this began. Whether
    any row was read."""
    written = RawSQL("changed_in >= %s", [postings.horizon], output_field=models.BooleanField())
    changed = Release.objects.using(using).filter(written).order_by()
    ids = BitMap(changed.values_list("pk", flat=True))
    scored = list(search(changed.published_or_scheduled(), query).values_list("pk", "rank"))
    postings.horizon = horizon
    if not ids and not scored:
        return False
    ids.update(pk for pk, _score in scored)  # written after the first of the two queries
    tiers = {score: found - ids for score, found in postings.tiers.items()}
    for pk, score in scored:
        tiers.setdefault(score, BitMap()).add(pk)
    postings.tiers = {score: found for score, found in tiers.items() if found}
    return True


# The words warmed: those in at least this many releases. A rarer word's reading visits as
# many rows as it has matches, a few milliseconds, and is left for its first search.
WARMED_FROM = 1000
# Each (word, weights) group's releases, for every word in WARMED_FROM releases or more, in
# one pass over the vectors: the ids as 4-byte big-endian integers, one string a group.
_EVERY_WORD = """
SELECT (quote_literal(lexeme)::tsquery)::text, pattern, ids FROM (
    SELECT word.lexeme, array_to_string(word.weights, '') AS pattern,
           string_agg(int4send(release.id::int), ''::bytea) AS ids,
           sum(count(*)) OVER (PARTITION BY word.lexeme) AS releases
    FROM press_release release, unnest(release.search_vector) word
    WHERE release.status = %s
    GROUP BY 1, 2
) grouped
WHERE releases >= %s
"""


@dataclass
class Warmed:
    words: int
    releases: int  # the (word, release) pairs read
    seconds: float


def warm(using="default", least=WARMED_FROM):
    """Read the postings of every single-word search in one pass over the vectors, for
    each word in ``least`` releases or more, into the cache.

    Why: the first search of a common word reads each match's row, one to two seconds at
    1,000,000 releases, and with a cache emptied (a first deploy, Redis flushed) every
    common word pays it once. One pass reads them all (about 30 s at 1,000,000 releases,
    in a process of its own: ``manage.py warm_search``, which ``make serve`` starts). A
    word's score depends only on the weights of its places in the vector, so each (word,
    weights) group is scored once, by ``ts_rank`` itself, on a vector made of those weights.
    The postings are caught up at their first search, as any are.
    """
    started = time.monotonic()
    horizon, _writing, table, _normal = _horizon(using, "")
    connection = connections[using]
    groups = []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', '512MB', true)")
        cursor.execute(_EVERY_WORD, [Release.Status.PUBLISHED, least])
        for normal, pattern, ids in cursor.fetchall():
            found = array("I")
            found.frombytes(bytes(ids))
            if sys.byteorder == "little":
                found.byteswap()
            groups.append((normal, pattern, BitMap(found)))
    scores = _scores_of(sorted({pattern for _normal, pattern, _ids in groups}), using)
    words = {}
    for normal, pattern, found in groups:
        tiers = words.setdefault(normal, {})
        score = scores[pattern]
        tiers[score] = tiers[score] | found if score in tiers else found
    for normal, tiers in words.items():
        key = _key(using, table, 0, normal)
        cache.set(key, _packed(Postings(horizon, tiers)), POSTINGS_TIMEOUT)
    warmed = Warmed(
        len(words), sum(len(found) for *_group, found in groups), time.monotonic() - started
    )
    cache.set(f"engine:postings:warmed:{using}:{table}", vars(warmed), POSTINGS_TIMEOUT)
    return warmed


def _scores_of(patterns, using):
    """{weights: ts_rank of a one-word query in a vector where the word has those weights,
    in that order}: what ``ts_rank`` gives every release with that pattern."""
    vectors = [
        "x:" + ",".join(f"{place}{weight}" for place, weight in enumerate(pattern, 1))
        for pattern in patterns
    ]
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT pattern, ts_rank(vector::tsvector, 'x'::tsquery)"
            " FROM unnest(%s::text[], %s::text[]) AS given(pattern, vector)",
            [patterns, vectors],
        )
        return dict(cursor.fetchall())
