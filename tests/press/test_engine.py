"""The finder's bitmap index agrees with the finder's rules in SQL, for any filters.

The FilterSet's querysets (``Finder.filtered``) are the rules written in SQL; the index
(``press.engine``) must give the same releases, in the same order, and the same facet
counts, for filter sets Hypothesis makes up over an archive holding every status: drafts,
releases in review, unpublished ones, and releases scheduled for later.
"""

import datetime as dt
import random

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from institutions.models import Structure
from press import engine
from press.finder import Finder
from press.models import LISTED_TERMS, Release, load_terms
from taxonomy.models import Country, FieldOfWork, MenuItem, Place
from tests.helpers import images as pictures
from tests.helpers.pages import page
from tests.helpers.queries import INDEX_BUILD

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STATUSES = [Release.Status.PUBLISHED] * 6 + [
    Release.Status.DRAFT,
    Release.Status.REVIEW,
    Release.Status.UNPUBLISHED,
]
WORDS = ["election", "border", "media", "water", "gender", "youth"]


@pytest.fixture(scope="module")
def archive(module_db, django_db_blocker):
    """Sixty releases of every status over the reference data, some scheduled for later:
    made once for the module's tests."""
    with django_db_blocker.unblock():
        return _make_archive()


def _make_archive():
    chooser = random.Random(15)
    fields = list(FieldOfWork.objects.all())
    sources = list(Structure.objects.all())
    countries = list(Country.objects.all())
    places = [*Place.objects.all(), None]
    now = timezone.now()
    releases = []
    for number in range(60):
        # Some share a publication time, so ties are broken by id as the lists do.
        when = now - dt.timedelta(days=chooser.choice([-3, -1, 1, 2, 2, 30, 400, 800]))
        word = chooser.choice(WORDS)
        release = Release.objects.create(
            title=f"Release {number} on {word}",
            body=f"<p>About {chooser.choice(WORDS)} and co-operation.</p>",
            status=chooser.choice(STATUSES),
            type=chooser.choice(Release.Type.values),
            published_at=when,
            place=chooser.choice(places),
        )
        release.sources.set(chooser.sample(sources, chooser.randint(1, 2)))
        release.fields_of_work.set(chooser.sample(fields, chooser.randint(0, 3)))
        release.countries.set(chooser.sample(countries, chooser.randint(0, 3)))
        releases.append(release)
    return releases


def slugs(model):
    return list(model.objects.order_by("pk").values_list("slug", flat=True))


@st.composite
def queries(draw, fields, sources, countries):
    """A query string's pairs: any mix of the finder's filters, repeated values included."""
    pairs = []
    for name, choices in (("field", fields), ("source", sources), ("country", countries)):
        for value in draw(st.lists(st.sampled_from(choices), max_size=2)):
            pairs.append((name, value))
    for value in draw(st.lists(st.sampled_from(Release.Type.values), max_size=2)):
        pairs.append(("type", value))
    today = timezone.localdate()
    days = st.integers(min_value=-900, max_value=10)
    for name in draw(st.lists(st.sampled_from(["date_from", "date_to"]), max_size=2, unique=True)):
        pairs.append((name, (today + dt.timedelta(days=draw(days))).isoformat()))
    sorts = ["newest", "oldest"]
    if draw(st.booleans()):
        pairs.append(("q", draw(st.sampled_from(WORDS))))
        sorts.append("relevance")
    pairs.append(("sort", draw(st.sampled_from(sorts))))
    return pairs


def finder_for(pairs, within=None):
    request = RequestFactory().get("/press-releases/", pairs)
    base = Release.objects.published()
    if within:
        base = getattr(base, {"field": "in_fields", "source": "from_sources"}[within[0]])(
            [within[1]]
        )
    return Finder(request.GET, base, within=within)


def sql_order(finder):
    queryset = finder.filtered()
    if finder.sort == "relevance":  # a search's score, then newest
        return list(queryset.order_by("-rank", "-published_at", "-pk").values_list("pk", flat=True))
    if finder.sort == "oldest":
        return list(queryset.order_by("published_at", "pk").values_list("pk", flat=True))
    return list(queryset.newest_first().values_list("pk", flat=True))


# Before the tests on the archive, which is made once for them (module_db).
def test_a_snapshot_is_built_in_a_fixed_number_of_queries(make_release, django_assert_num_queries):
    """Whatever the archive's size: each relation is read whole, grouped, once."""
    for count in (3, 25):
        for _ in range(count):
            make_release(fields=("human-rights",), countries=("moldova",))
        with django_assert_num_queries(INDEX_BUILD):
            engine.build()


def test_a_list_shows_a_place_s_new_name_and_a_new_lead_image_at_the_next_request(
    make_release, client, settings, tmp_path
):
    """Places and who has a picture come from the index: a write to either is a new
    content version, so the next finder page shows it (no old name, no missing image)."""
    settings.MEDIA_ROOT = tmp_path
    release = make_release(place_slug="vienna")
    assert "· Vienna</p>" in client.get("/press-releases/").content.decode()
    Place.objects.filter(name="Vienna").update(name="Wien")
    listed = client.get("/press-releases/").content.decode()
    assert "· Wien</p>" in listed
    assert "· Vienna</p>" not in listed
    pictures.add_lead_image(release)
    cards = page(client.get("/press-releases/")).find_all("article", cls="card--with-image")
    assert len(cards) == 1


def test_the_index_gives_the_releases_and_the_order_sql_gives(archive):
    fields, sources, countries = slugs(FieldOfWork), slugs(Structure), slugs(Country)

    @EXAMPLES
    @given(pairs=queries(fields, sources, countries))
    def check(pairs):
        finder = finder_for(pairs)
        expected = sql_order(finder)
        assert finder.total() == len(expected)
        assert finder.page_ids(1, 1000) == expected
        # Pages of 7 put together are the whole list, in order.
        pages = [finder.page_ids(number, 7) for number in range(1, len(expected) // 7 + 2)]
        assert [pk for page in pages for pk in page] == expected

    check()


def test_every_facet_count_is_the_count_sql_gives(archive):
    fields, sources, countries = slugs(FieldOfWork), slugs(Structure), slugs(Country)
    nodes = {
        "field": list(FieldOfWork.objects.all()),
        "source": list(Structure.objects.all()),
        "country": list(Country.objects.all()),
    }
    narrow = {"field": "in_fields", "source": "from_sources", "country": "about_countries"}

    @EXAMPLES
    @given(pairs=queries(fields, sources, countries), data=st.data())
    def check(pairs, data):
        finder = finder_for(pairs)
        shown = {
            facet.name: {option.value: option.count for option in facet.options}
            for facet in finder.facets()
        }
        for name, terms in nodes.items():
            others = finder.filtered(without=name)
            for term in data.draw(st.lists(st.sampled_from(terms), min_size=3, max_size=6)):
                expected = getattr(others, narrow[name])([term]).count()
                assert shown[name][term.slug] == expected, (name, term.slug)
        others = finder.filtered(without="type")
        for value in Release.Type.values:
            assert shown["type"][value] == others.filter(type=value).count()

    check()


@pytest.mark.parametrize("facet", ["field", "source"])
def test_a_term_page_counts_within_its_whole_subtree(archive, facet):
    model = {"field": FieldOfWork, "source": Structure}[facet]
    for term in model.objects.filter(parent=None):
        finder = finder_for([], within=(facet, term))
        assert finder.page_ids(1, 1000) == sql_order(finder)


def test_a_scheduled_release_counts_from_its_due_second_without_a_rebuild(archive):
    due = timezone.now().replace(microsecond=0) + dt.timedelta(hours=5)
    scheduled = Release.objects.create(
        title="Scheduled for later", status=Release.Status.PUBLISHED, published_at=due
    )
    scheduled.sources.set([Structure.objects.get(slug="secretariat")])
    before = finder_for([("source", "secretariat")])
    assert scheduled.pk not in before.page_ids(1, 1000)
    snapshot = before.answer.snapshot
    with time_machine.travel(due - dt.timedelta(microseconds=1), tick=False):
        assert scheduled.pk not in finder_for([("source", "secretariat")]).page_ids(1, 1000)
    with time_machine.travel(due, tick=False):
        after = finder_for([("source", "secretariat")])
        assert after.page_ids(1, 1) == [scheduled.pk]
        assert after.total() == before.total() + 1
        assert after.answer.snapshot is snapshot  # the clock, not a rebuild


def test_keyset_steps_walk_the_list_as_the_pages_do(archive):
    for sort in ("newest", "oldest"):
        finder = finder_for([("sort", sort)])
        everything = finder.page_ids(1, 1000)
        releases = {release.pk: release for release in Release.objects.all()}
        walked, edge = finder.page_ids(1, 6), None
        while True:
            edge = releases[walked[-1]]
            step = finder.step_ids("after", (edge.published_at, edge.pk), 6)
            if not step:
                break
            walked += step
        assert walked == everything
        # And back: "before" the sixth release is the five before it, in the page's order.
        sixth = releases[everything[5]]
        assert finder.step_ids("before", (sixth.published_at, sixth.pk), 5) == everything[:5]


def test_a_snapshot_holds_only_published_and_scheduled_releases(archive):
    snapshot = engine.build()
    held = set(snapshot.ids)
    assert held == set(
        Release.objects.filter(status=Release.Status.PUBLISHED).values_list("pk", flat=True)
    )
    assert list(snapshot.times) == sorted(snapshot.times)
    assert snapshot.memory() > 0


def test_the_country_facet_lists_countries_as_the_menu_does(archive):
    """Groups in their order, and within one the menu's order: read here from the menu's
    entries themselves, walked in tree order."""
    country_type = ContentType.objects.get_for_model(Country)
    in_menu = []
    for entry in MenuItem.objects.order_by("tree_id", "lft"):
        if entry.content_type_id == country_type.pk and entry.object_id not in in_menu:
            in_menu.append(entry.object_id)
    slug_of = dict(Country.objects.values_list("pk", "slug"))
    group_of = dict(Country.objects.values_list("slug", "group__position"))
    facet = next(facet for facet in finder_for([]).facets() if facet.name == "country")
    shown = [option.value for option in facet.options]
    assert sorted(shown) == sorted(slug_of.values())
    assert [group_of[slug] for slug in shown] == sorted(group_of[slug] for slug in shown)
    menu_slugs = [slug_of[pk] for pk in in_menu]
    assert [slug for slug in shown if slug in menu_slugs] == sorted(
        menu_slugs, key=lambda slug: (group_of[slug], menu_slugs.index(slug))
    )


def test_a_list_shows_the_terms_the_database_holds(archive, django_assert_num_queries):
    """A finder page reads its releases' sources and fields, places and (having none) lead
    images from the index, in one query for the rows: the same terms, in the same order, as
    load_terms reads from the links, and the places the database holds."""
    finder = finder_for([])
    ids = finder.page_ids(1, 60)
    with django_assert_num_queries(1):
        listed = finder.releases(ids)
        places = {release.pk: release.place and release.place.name for release in listed}
        assert not any(release.image for release in listed)
    assert [release.pk for release in listed] == ids
    held = Release.objects.filter(pk__in=ids).values_list("pk", "place__name")
    assert places == dict(held)
    assert any(places.values())
    for release in listed:
        from_sql = load_terms([Release.objects.get(pk=release.pk)], LISTED_TERMS)[0]
        for relation in LISTED_TERMS:
            shown = [(term.pk, term.name, term.slug) for term in release.terms[relation]]
            held = [(term.pk, term.name, term.slug) for term in from_sql.terms[relation]]
            assert shown == held, (release.pk, relation)
