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
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connections, models
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


def current(query, using, version, generation=0):
    """The postings of ``query`` (in the page's search configuration), up to date for the
    content version ``version``: from this call's cache, else read whole, then caught up
    with the rows written since they were read (one query, none within one version)."""
    horizon, writing, table = _horizon(using)
    digest = hashlib.sha256(f"{search_config()}:{query}".encode()).hexdigest()[:32]
    key = f"engine:postings:{POSTINGS_FORMAT}:{using}:{table}:{generation}:{digest}"
    if writing:  # not for the cache: this transaction's writes may be rolled back
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


def _horizon(using):
    """The oldest transaction running now, whether this one has written, and the release
    table's object id: a table made again (a restore copies rows in with the transaction
    ids of the database they came from, before any trigger exists) starts new postings."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint,"
            " pg_current_xact_id_if_assigned() IS NOT NULL,"
            f" '{Release._meta.db_table}'::regclass::oid"
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
