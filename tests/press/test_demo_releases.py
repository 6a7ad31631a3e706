"""generate_demo_releases: N plausible releases over the reference data, the same ones for
the same seed, written in a number of queries that grows with the batches, not the releases.

The command runs through ``call_command``; the generator in :mod:`press.demo` is also
checked on its own, since it is pure.
"""

import datetime as dt
import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import dateformat, timezone
from django.utils.html import escape

from institutions.models import Structure
from press.management import demo_releases as demo
from press.management.commands import generate_demo_releases
from press.models import Release
from press.search import RANK_INDEX, ranks_by_index
from taxonomy.models import FieldOfWork

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2025, 6, 30)


def run(count, seed=1, batch_size=None, until=UNTIL):
    """Run the command; return its output."""
    out = io.StringIO()
    args = ["--count", str(count), "--seed", str(seed), "--until", until.isoformat()]
    if batch_size:
        args += ["--batch-size", str(batch_size)]
    call_command("generate_demo_releases", *args, stdout=out)
    return out.getvalue()


def queries(count, seed, batch_size):
    with CaptureQueriesContext(connection) as captured:
        run(count, seed=seed, batch_size=batch_size)
    return len(captured)


def snapshot():
    """Every release with its relations, by the terms' slugs, in the order they were made."""
    releases = Release.objects.order_by("pk").select_related("place")
    releases = releases.prefetch_related("sources", "fields_of_work", "countries")
    return [
        (
            r.title,
            r.slug,
            r.type,
            r.status,
            r.published_at,
            r.place.slug,
            r.body,
            [s.slug for s in r.sources.all()],
            sorted(f.slug for f in r.fields_of_work.all()),
            sorted(c.slug for c in r.countries.all()),
        )
        for r in releases
    ]


def generated(seed, count, until=UNTIL):
    """What the pure generator makes, without writing anything."""
    releases = demo.generate(demo.Catalogue.load(), seed, until)
    return [next(releases) for _ in range(count)]


def test_creates_exactly_count_releases_published_or_draft():
    out = run(120)

    assert Release.objects.count() == 120
    assert set(Release.objects.values_list("status", flat=True)) <= {"published", "draft"}
    assert Release.objects.filter(status="published").count() > 100
    assert "Added 120 demo releases" in out
    assert "releases/s" in out


def test_every_release_is_complete_and_plausible():
    run(200, seed=4)

    releases = list(
        Release.objects.select_related("place").prefetch_related(
            "sources", "fields_of_work", "countries"
        )
    )
    assert len(releases) == 200
    assert len({r.slug for r in releases}) == 200
    oldest = UNTIL - dt.timedelta(days=int(20 * 365.25))
    for release in releases:
        assert 1 <= len(release.fields_of_work.all()) <= 3
        assert 1 <= len(release.sources.all()) <= 3
        assert len(release.countries.all()) <= 2
        assert release.place is not None
        assert release.place.country_id not in {c.pk for c in release.countries.all()}
        assert release.import_key is None
        assert 0 < len(release.title) <= 300
        day = timezone.localdate(release.published_at)
        assert oldest <= day <= UNTIL
        dateline = f"<p>{escape(release.place.name.upper())}, {dateformat.format(day, 'j F Y')} – "
        assert release.body.startswith(dateline), release.body[:80]
        assert 3 <= release.body.count("<p>") <= 6


def test_the_same_seed_gives_the_same_releases_on_fresh_data():
    run(80, seed=5)
    first = snapshot()
    Release.objects.all().delete()

    run(80, seed=5)

    assert snapshot() == first


def test_the_generator_is_pure_and_deterministic():
    def summary(items):
        return [
            (
                i.release.title,
                i.release.slug,
                i.release.published_at,
                i.release.place_id,
                [t.pk for t in (*i.sources, *i.fields_of_work, *i.countries)],
            )
            for i in items
        ]

    with CaptureQueriesContext(connection) as captured:
        releases = demo.generate(demo.Catalogue.load(), 9, UNTIL)
        loaded = len(captured)
        items = [next(releases) for _ in range(300)]
    assert len(captured) == loaded, "building releases must not query the database"
    assert all(i.release.pk is None for i in items)
    assert summary(items) == summary(generated(9, 300))


def test_what_is_stored_is_what_the_generator_made():
    """Every column and link arrives as made (on PostgreSQL through COPY, whose text format
    escapes the body's line breaks)."""
    run(60, seed=11)
    made = generated(11, 60)

    stored = snapshot()
    assert [row[:7] for row in stored] == [
        (r.title, r.slug, r.type, r.status, r.published_at, r.place.slug, r.body)
        for r in (item.release for item in made)
    ]
    assert [(sorted(row[7]), *row[8:]) for row in stored] == [
        (
            sorted(s.slug for s in item.sources),
            sorted(f.slug for f in item.fields_of_work),
            sorted(c.slug for c in item.countries),
        )
        for item in made
    ]
    assert all("\n" in row[6] for row in stored)


def test_copy_keeps_every_character_and_null():
    if connection.vendor != "postgresql":
        pytest.skip("COPY is PostgreSQL's")
    release = Release(
        title="Tab\there, back\\slash, \\N and a\r\nbreak",
        slug="copy-check",
        body="<p>line\none</p>\t\\.",
        place=None,  # written as NULL
    )
    generate_demo_releases.reserve_ids(Release, [release])
    fields = Release._meta.concrete_fields
    values = [generate_demo_releases.saved_values(release, fields)]
    generate_demo_releases.copy_rows(Release, fields, values)

    stored = Release.objects.get(slug="copy-check")
    assert (stored.pk, stored.title, stored.body) == (release.pk, release.title, release.body)
    assert stored.place_id is None
    assert stored.import_key is None
    assert stored.created_at is not None
    assert stored.version == 1
    assert stored.search_vector  # the trigger ran


def test_without_a_seed_one_is_drawn_and_printed_so_the_run_can_be_repeated():
    out = io.StringIO()
    call_command(
        "generate_demo_releases", "--count", "30", "--until", UNTIL.isoformat(), stdout=out
    )

    seed = int(re.search(r"with seed (\d+)", out.getvalue())[1])
    titles = list(Release.objects.order_by("pk").values_list("title", flat=True))
    assert titles == [i.release.title for i in generated(seed, 30)]


def test_different_seeds_give_different_releases():
    one = [i.release.title for i in generated(1, 50)]
    two = [i.release.title for i in generated(2, 50)]

    assert one != two


def test_running_twice_adds_as_many_again_without_slug_clashes():
    run(60, seed=3)
    first = set(Release.objects.values_list("slug", flat=True))

    run(60, seed=3)

    slugs = list(Release.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 120
    # The same seed makes the same slugs, which are taken: each gets a number instead.
    assert {f"{slug}-2" for slug in first} == set(slugs) - first


def test_a_slug_already_taken_is_numbered_in_bulk():
    items = generated(6, 3)
    items[1].release.slug = items[0].release.slug  # a clash inside the batch
    items[1].base_slug = items[0].base_slug
    asked = []

    def taken(slugs):
        asked.append(list(slugs))
        return {items[2].release.slug} if len(asked) == 1 else set()

    demo.settle_slugs(items, set(), taken)

    assert [i.release.slug for i in items] == [
        items[0].base_slug,
        f"{items[0].base_slug}-2",
        f"{items[2].base_slug}-2",
    ]
    assert len(asked) == 2  # one look-up per round, not per slug


def test_queries_do_not_grow_with_the_releases_in_a_batch():
    # 40 rows stay within SQLite's 999 parameters per INSERT, where Django would split.
    assert queries(10, seed=11, batch_size=10) == queries(40, seed=12, batch_size=40)


def test_queries_grow_only_with_the_number_of_batches():
    one_batch = queries(50, seed=21, batch_size=50)
    two_batches = queries(100, seed=22, batch_size=50)
    four_batches = queries(200, seed=23, batch_size=50)

    per_batch = two_batches - one_batch
    # Slugs checked, ids drawn (PostgreSQL, for COPY), releases, sources, fields of work,
    # countries.
    assert per_batch <= 6
    assert four_batches == one_batch + 3 * per_batch
    assert one_batch <= 13  # and the catalogue, the transaction, the page-cache bump


def test_the_public_list_answers_after_a_run(client):
    run(100, seed=8)
    newest = Release.objects.published().newest_first().first()

    response = client.get("/press-releases/")

    assert response.status_code == 200
    assert escape(newest.title) in response.content.decode()


def test_the_mix_looks_like_a_newsroom():
    items = generated(13, 3000)
    types = Counter(i.release.type for i in items)
    years = Counter(i.release.published_at.year for i in items)
    sources = Counter(i.sources[0].slug for i in items)
    field_operations = [i for i in items if i.sources[0].kind == Structure.Kind.FIELD_OPERATION]
    from_seat = [i for i in field_operations if i.release.place_id == i.sources[0].seat_id]

    assert 0.64 < types["press-release"] / 3000 < 0.76
    assert 0.15 < types["news"] / 3000 < 0.25
    assert 0.06 < types["statement"] / 3000 < 0.14
    assert sum(i.release.status == "draft" for i in items) / 3000 < 0.05
    assert sum(years[y] for y in range(2021, 2026)) > 1.5 * sum(years[y] for y in range(2006, 2011))
    assert {s for s, _ in sources.most_common(4)} >= {
        "chairpersonship",
        "office-for-democratic-institutions-and-human-rights",
        "secretariat",
    }
    assert len(from_seat) > 0.75 * len(field_operations)
    assert Counter(len(i.sources) for i in items)[3] > 0


def test_the_generator_names_only_terms_of_the_reference_data():
    structures = set(Structure.objects.values_list("slug", flat=True))
    fields = set(FieldOfWork.objects.values_list("slug", flat=True))

    for table in (demo.SOURCE_WEIGHTS, demo.SHORT_NAMES, demo.SPEAKERS, demo.SOURCE_FIELDS):
        assert set(table) <= structures
    assert set(demo.SOURCE_TITLES) <= structures
    assert set(demo.REGIONS) <= structures
    for table in (demo.TOPICS, demo.AUDIENCES, demo.FIELD_WEIGHTS, demo.PARTNERS):
        assert set(table) <= fields
    assert {slug for slugs in demo.SOURCE_FIELDS.values() for slug in slugs} <= fields


def test_without_reference_data_it_says_what_to_load():
    FieldOfWork.objects.all().delete()

    with pytest.raises(CommandError, match="load_reference_data"):
        run(10)
    assert not Release.objects.exists()


@pytest.mark.parametrize("count", ["0", "-5", "many"])
def test_a_count_that_is_not_a_positive_number_is_refused(count):
    with pytest.raises(CommandError, match="count"):
        call_command("generate_demo_releases", "--count", count, stdout=io.StringIO())


def search_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'press_release'"
            " AND (indexdef LIKE '%%USING gin%%' OR indexdef LIKE '%%USING rum%%')"
        )
        return dict(cursor.fetchall())


def test_a_large_run_builds_the_search_indexes_again_at_its_end(monkeypatch):
    """The GIN and RUM indexes are set aside for a large run and are there again
    afterwards, as they were, and every release written has its search vector."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's indexes")
    before = search_indexes()
    assert "release_search" in before
    assert (RANK_INDEX in before) == ranks_by_index(connection.alias)
    monkeypatch.setattr(generate_demo_releases, "REBUILD_SEARCH_INDEXES_FROM", 10)
    out = run(12)

    assert "building the search indexes again" in out
    assert search_indexes() == before
    assert not Release.objects.filter(search_vector=None).exists()
    assert Release.objects.count() == 12
