"""generate_demo_releases: N plausible releases over the reference data, a share of them
with translations, the same ones for the same seed, written in a number of queries that grows
with the batches, not the releases.

The command runs through ``call_command``; the generators in
:mod:`press.management.demo_releases` and :mod:`press.management.demo_translations` are also
checked on their own, since they are pure.
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
from press.management import demo_translations
from press.management.commands import generate_demo_releases
from press.models import Release
from taxonomy.models import Country, FieldOfWork, Place
from tests.helpers.pages import card_titles

pytestmark = pytest.mark.django_db

UNTIL = dt.date(2025, 6, 30)


def run(count, seed=1, batch_size=None, until=UNTIL, options=()):
    """Run the command; return its output."""
    out = io.StringIO()
    args = ["--count", str(count), "--seed", str(seed), "--until", until.isoformat(), *options]
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
    releases = Release.objects.order_by("pk").select_related("place", "translation_of")
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
            r.language,
            r.translation_of.slug if r.translation_of else None,
            r.needs_update,
        )
        for r in releases
    ]


def generated(seed, count, until=UNTIL):
    """What the pure generator makes (English only), without writing anything."""
    releases = demo.generate(demo.Catalogue.load(), seed, until)
    return [next(releases) for _ in range(count)]


def translated(seed, count, until=UNTIL, **shares):
    """What the command makes: the releases with their translations, nothing written."""
    catalogue = demo.Catalogue.load()
    releases = demo.generate(catalogue, seed, until)
    items = demo_translations.translated(releases, catalogue, seed, **shares)
    return [next(items) for _ in range(count)]


def in_order_written(items):
    """One batch's releases in the order the command writes them: the originals, then their
    translations."""
    return [*items, *(copy for item in items for copy in item.translations)]


def originals():
    return Release.objects.filter(translation_of=None)


def test_creates_exactly_count_releases_published_or_draft():
    out = run(120)

    assert originals().count() == 120
    assert set(Release.objects.values_list("status", flat=True)) <= {"published", "draft"}
    assert originals().filter(status="published").count() > 100
    assert "Added 120 demo releases" in out
    copies = Release.objects.exclude(translation_of=None).count()
    assert f"and {copies} translations of them" in out
    assert "releases/s" in out


def test_every_release_is_complete_and_plausible():
    run(200, seed=4)

    releases = list(
        originals()
        .select_related("place")
        .prefetch_related("sources", "fields_of_work", "countries")
    )
    assert len(releases) == 200
    assert {r.language for r in releases} == {"en"}
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
    made = in_order_written(translated(11, 60))
    assert len(made) > 70  # translations among them

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
            item.release.language,
            item.release.translation_of.slug if item.release.translation_of else None,
            item.release.needs_update,
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
    assert titles == [i.release.title for i in in_order_written(translated(seed, 30))]


def test_different_seeds_give_different_releases():
    one = [i.release.title for i in generated(1, 50)]
    two = [i.release.title for i in generated(2, 50)]

    assert one != two


def test_running_twice_adds_as_many_again_without_slug_clashes():
    run(60, seed=3)
    first = set(Release.objects.values_list("slug", flat=True))

    run(60, seed=3)

    slugs = list(Release.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs)) == 2 * len(first)
    assert originals().count() == 120
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


def test_the_public_list_answers_after_a_run_in_each_language(client, russian_open):
    run(100, seed=8)
    for prefix, language in [("", "en"), ("/ru", "ru")]:
        newest = Release.objects.published().in_language(language).newest_first().first()

        response = client.get(f"{prefix}/press-releases/")

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


def test_the_russian_text_names_every_term_of_the_reference_data_and_no_other():
    """Every country, place and issuing structure has its Russian name, so no Russian
    release says "Vienna"; every field of work its topics."""
    ru = demo_translations
    groups = [Structure.Kind.GROUP, Structure.Kind.CLOSED_GROUP]
    structures = set(Structure.objects.exclude(kind__in=groups).values_list("slug", flat=True))
    fields = set(FieldOfWork.objects.values_list("slug", flat=True))

    assert set(ru.RU_SOURCES) == structures
    assert set(ru.RU_FULL_NAMES) | set(ru.RU_REGIONS) <= structures
    assert set(ru.RU_COUNTRIES) == set(Country.objects.values_list("name", flat=True))
    assert set(ru.RU_PLACES) == set(Place.objects.values_list("name", flat=True))
    assert set(ru.RU_TOPICS) == set(ru.RU_AUDIENCES) == fields
    assert set(ru.RU_PARTNERS) <= fields
    for text in ru.OTHER_TEXT.values():
        assert set(text["topics"]) <= fields


def test_about_a_third_have_a_russian_translation_and_a_few_another_language():
    items = translated(13, 3000)
    languages = Counter(copy.release.language for i in items for copy in i.translations)

    assert 0.30 < languages["ru"] / 3000 < 0.36
    others = sum(languages[code] for code in ("fr", "de", "es", "it"))
    assert 0.015 < others / 3000 < 0.04
    assert set(languages) == {"ru", "fr", "de", "es", "it"}
    assert all(
        len({c.release.language for c in i.translations}) == len(i.translations) for i in items
    )


def test_the_shares_of_translations_leave_the_english_releases_as_they_were():
    """The translations are drawn apart from the releases: the same seed gives the same
    English releases, with a third translated, all, or none."""

    def english(items):
        return [(i.release.title, i.release.slug, i.release.body) for i in items]

    plain = generated(5, 200)
    for shares in [{}, {"russian": 1, "others": 0}, {"russian": 0, "others": 0}]:
        items = translated(5, 200, **shares)
        assert english(items) == english(plain)
    assert not any(i.translations for i in translated(5, 200, russian=0, others=0))
    assert all(
        [c.release.language for c in i.translations] == ["ru"]
        for i in translated(5, 200, russian=1, others=0)
    )
    assert english(translated(5, 200)) == english(plain)
    one = [c.release.body for i in translated(5, 200) for c in i.translations]
    two = [c.release.body for i in translated(5, 200) for c in i.translations]
    assert one == two


def test_the_russian_text_is_russian_in_the_organisation_s_words():
    russian = [c.release for i in translated(21, 3000) for c in i.translations]
    russian = [r for r in russian if r.language == "ru"]
    text = "\n".join(f"{r.title}\n{r.body}" for r in russian)

    for release in russian:
        assert re.search("[а-яА-Я]", release.title), release.title
        assert not re.search("[a-zA-Z]", release.title), release.title
        assert "ОБСЕ" in f"{release.title}{release.body}"
        assert re.fullmatch(r"[a-z0-9-]+", release.slug), release.slug
        assert release.lead == ""  # as its original's
    # A word in several of its forms, for Russian stemming to join.
    for form in ["выборы", "выборов", "выборах", "наблюдателей", "наблюдатели"]:
        assert re.search(rf"\b{form}\b", text, re.IGNORECASE), form
    assert "Бюро ОБСЕ по демократическим институтам и правам человека" in text


def test_a_translation_shares_its_group_s_date_type_place_and_terms():
    run(150, seed=2)

    def terms(release):
        return (
            {s.pk for s in release.sources.all()},
            {f.pk for f in release.fields_of_work.all()},
            {c.pk for c in release.countries.all()},
        )

    copies = list(Release.objects.exclude(translation_of=None).select_related("translation_of"))
    assert 40 < sum(c.language == "ru" for c in copies) < 65
    for copy in copies:
        original = copy.translation_of
        assert original.translation_of_id is None
        assert original.language == "en"
        assert copy.language in {"ru", "fr", "de", "es", "it"}
        assert (copy.published_at, copy.type, copy.place_id) == (
            original.published_at,
            original.type,
            original.place_id,
        )
        assert terms(copy) == terms(original)
        assert copy.title != original.title
        assert copy.slug != original.slug
        if original.status == Release.Status.DRAFT:
            assert copy.status == Release.Status.DRAFT
    assert Release.objects.published().filter(language="ru").exists()


@pytest.mark.parametrize(
    ("options", "languages"),
    [
        (["--translated", "0", "--other-languages", "0"], set()),
        (["--translated", "1", "--other-languages", "0"], {"ru"}),
    ],
)
def test_the_shares_of_translations_are_options(options, languages):
    out = run(40, seed=3, options=options)

    copies = Release.objects.exclude(translation_of=None)
    assert set(copies.values_list("language", flat=True)) == languages
    assert copies.count() == (40 if languages else 0)
    assert originals().count() == 40
    assert f"and {copies.count()} translations" in out


@pytest.mark.parametrize("share", ["1.5", "-0.1", "a third"])
def test_a_share_that_is_not_between_0_and_1_is_refused(share):
    with pytest.raises(CommandError, match="translated"):
        run(10, options=["--translated", share])


@pytest.mark.postgres
def test_a_russian_search_finds_a_generated_translation_by_another_form_of_its_words(
    client, russian_open
):
    """On /ru/, "выборах" finds a generated Russian release that says only "выборы" or
    "выборов": its vector was built with Russian stemming, through COPY as through a save."""
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL's")
    run(200, seed=6)
    candidates = [
        r
        for r in Release.objects.published().filter(language="ru")
        if "выбор" in (r.title + r.body).lower() and "выборах" not in (r.title + r.body).lower()
    ]
    assert candidates
    release = candidates[0]
    day = timezone.localdate(release.published_at).isoformat()
    asked = {"q": "выборах", "date_from": day, "date_to": day}

    assert release.title in card_titles(client.get("/ru/press-releases/", asked))
    assert release.title not in card_titles(client.get("/press-releases/", asked))
    english = release.translation_of
    if english.is_published():  # the English page lists the original, not its translation
        assert english.title in card_titles(
            client.get("/press-releases/", {"date_from": day, "date_to": day})
        )


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
            " AND indexdef LIKE '%%USING gin%%'"
        )
        return dict(cursor.fetchall())


def test_a_large_run_builds_the_search_indexes_again_at_its_end(monkeypatch):
    """The GIN index is set aside for a large run and is there again afterwards, as it
    was, and every release written has its search vector."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's indexes")
    before = search_indexes()
    assert "release_search" in before
    monkeypatch.setattr(generate_demo_releases, "REBUILD_SEARCH_INDEXES_FROM", 10)
    out = run(12)

    assert "building the search indexes again" in out
    assert search_indexes() == before
    assert not Release.objects.filter(search_vector=None).exists()
    assert originals().count() == 12
