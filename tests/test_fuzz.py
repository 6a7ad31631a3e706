"""Property tests: whatever a visitor or an editor sends, never a server error.

tests/press/test_finder_bad_input.py throws random query strings at the finder; here each
public parameter of the contract, and the finder's ``after``/``before`` page positions, is
fuzzed with values built for it (near-valid dates, positions that overflow, real slugs
next to broken ones) on the finder, its feed and a term page and term feed. The admin's
add and change forms for releases and for countries are posted by a superuser with fuzzed
values: each answer is a save (a redirect) or the form with its errors, and a refused form
wrote nothing. The Django test client raises any exception a view lets through, so a
server error fails the test with its traceback.
"""

import datetime as dt
import itertools
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reversion.models import Version

from institutions.models import Structure
from press.finder import cursor
from press.models import Attachment, Release, SlugRedirect
from taxonomy.models import (
    Chairpersonship,
    Country,
    CountryGroup,
    FieldOfWork,
    Meeting,
    MenuItem,
    OldAddress,
    Place,
)
from tests.helpers import factories
from tests.helpers.admin_forms import form_data, new_release_data

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ODD_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "\ud7ff\ue000\ufffd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "१२",
    "x" * 10_000,
    "9" * 400,
]
TEXT = st.one_of(
    st.sampled_from(ODD_TEXT),
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=150, max_size=300),
)
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-0", "+1", "1e3", "0x10", "١", "1.5", "NaN", "inf", " 2 "]),
)


# Public query parameters


SLUGS = {
    "field": ["human-rights", "youth", "policing", "gender-equality"],
    "country": ["moldova", "austria", "ukraine", "kosovo"],
    "source": ["secretariat", "mission-to-moldova", "conflict-prevention-centre"],
    "type": ["press-release", "news", "statement", "rumour"],
    "sort": ["newest", "oldest", "relevance", "loudest"],
}


def iso_dates():
    near = st.dates(min_value=dt.date(1960, 1, 1), max_value=dt.date(2110, 12, 31))
    return st.one_of(
        near.map(dt.date.isoformat),
        st.dates().map(dt.date.isoformat),
        st.tuples(st.integers(0, 99999), st.integers(-1, 13), st.integers(-1, 32)).map(
            lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"
        ),
        st.sampled_from(["2024-02-30", "2024/03/01", "01.03.2024", "today", "2024-3-1"]),
        TEXT,
    )


def positions(known):
    """``after``/``before``: real positions, positions of no release, broken ones."""
    return st.one_of(
        st.sampled_from(known),
        st.tuples(st.integers(-(2**64), 2**64), st.integers(-(2**64), 2**64)).map(
            lambda t: f"{t[0]}-{t[1]}"
        ),
        st.sampled_from(["", "-", "1-", "-1", "1--2", "1-2-3", "١٢-٣", "9" * 19 + "-1"]),
        TEXT,
    )


def queries(known_positions):
    values = {
        "q": st.one_of(st.sampled_from(["peace", '"border monitoring"', "-youth", "or"]), TEXT),
        "date_from": iso_dates(),
        "date_to": iso_dates(),
        "page": NUMBERS,
        "after": positions(known_positions),
        "before": positions(known_positions),
        **{name: st.one_of(st.sampled_from(slugs), TEXT) for name, slugs in SLUGS.items()},
    }
    pair = st.sampled_from(sorted(values)).flatmap(
        lambda name: st.tuples(st.just(name), values[name])
    )
    return st.lists(pair, max_size=8)


@pytest.fixture
def listed(make_release):
    """45 releases (three pages), and the positions of some of them."""
    releases = [
        make_release(
            fields=("youth",) if n % 2 else ("policing",),
            sources=("mission-to-moldova",) if n % 3 else ("secretariat",),
            countries=("moldova",) if n % 5 else (),
            days_ago=n + 1,
        )
        for n in range(45)
    ]
    return [cursor(release) for release in releases[::7]]


PUBLIC_PATHS = [
    "/press-releases/",
    "/press-releases/feed/",
    "/structures/secretariat/",
    "/fields-of-work/youth/feed/",
]


def test_public_parameters_never_give_a_server_error(client, listed):
    @FUZZ
    @given(pairs=queries(listed))
    def check(pairs):
        query = urlencode(pairs)
        for path in PUBLIC_PATHS:
            response = client.get(f"{path}?{query}")
            if response.status_code == 302:
                # Empty fields are dropped by one redirect to the same path.
                assert response.url.startswith(path), response.url
                response = client.get(response.url)
            assert response.status_code in (200, 400), (path, query[:300])
            if path.endswith("/feed/") and response.status_code == 200:
                assert response.content.startswith(b"<?xml")

    check()


def test_a_real_position_steps_and_a_broken_one_is_a_400_with_the_page(client, listed):
    """Not only "no 500": a position that parses is followed; one that does not is said."""
    good = client.get(f"/press-releases/?page=2&after={listed[0]}")
    broken = client.get("/press-releases/?page=2&after=12-x")
    huge = client.get(f"/press-releases/?page=2&before={'9' * 30}-1")

    assert good.status_code == 200
    assert broken.status_code == 400
    assert "damaged" in broken.content.decode()
    assert huge.status_code == 400


# The admin's forms


def ids(model, count=3):
    return [str(pk) for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:count]]


def references():
    """Ids of the reference data to choose among, and ids of nothing."""
    junk = ["", "0", "-1", "abc", "99999999999999999999", "1.5", "\x00"]
    return {
        model: st.one_of(st.sampled_from(ids(model)), st.sampled_from(junk))
        for model in (Place, Structure, Country, FieldOfWork, Meeting, CountryGroup)
    }


def many(values):
    return st.lists(values, max_size=4)


def release_values(refs):
    return st.fixed_dictionaries(
        {},
        optional={
            "title": TEXT,
            "slug": st.one_of(st.from_regex(r"[a-z0-9-]{1,60}", fullmatch=True), TEXT),
            "type": st.one_of(st.sampled_from(["press-release", "news", "statement"]), TEXT),
            "status": st.one_of(
                st.sampled_from(["draft", "review", "published", "unpublished"]), TEXT
            ),
            "published_at_0": iso_dates(),
            "published_at_1": st.one_of(st.times().map(str), TEXT),
            "place": refs[Place],
            "sources": many(refs[Structure]),
            "countries": many(refs[Country]),
            "fields_of_work": many(refs[FieldOfWork]),
            "meetings": many(refs[Meeting]),
            "lead": TEXT,
            "body": st.one_of(TEXT, st.text(alphabet="<>/=\"' apbscriptonerrorhref", max_size=200)),
            "seen_version": NUMBERS,
        },
    )


def country_values(refs):
    return st.fixed_dictionaries(
        {},
        optional={
            "name": TEXT,
            "slug": st.one_of(st.from_regex(r"[a-z0-9-]{1,40}", fullmatch=True), TEXT),
            "group": refs[CountryGroup],
            "sort_name": TEXT,
            "iso_code": st.one_of(st.from_regex(r"[A-Za-z]{2}", fullmatch=True), TEXT),
            "joined_on": iso_dates(),
            "description": TEXT,
            "aliases": TEXT,
            "chairpersonships-TOTAL_FORMS": st.sampled_from(["0", "1"]),
            "chairpersonships-0-year": NUMBERS,
        },
    )


WATCHED = [Release, Attachment, SlugRedirect, Version, Country, Chairpersonship, OldAddress,
           MenuItem, Place]  # fmt: skip


def counts():
    return {model.__name__: model.objects.count() for model in WATCHED}


def snapshot(obj):
    """The stored values of ``obj``, to compare before and after a refused form."""
    return list(type(obj).objects.filter(pk=obj.pk).values())


def assert_saved_or_refused(response, before, after, changed_list):
    """A redirect to the list (saved), or the form again with its errors and nothing new."""
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 302:
        assert response.url.startswith(changed_list), response.url
        return True
    errors = response.context["adminform"].form.errors
    inline_errors = [
        e for inline in response.context["inline_admin_formsets"] for e in inline.formset.errors
    ]
    assert errors or any(inline_errors), "a refused form says why"
    assert after == before, "a refused form wrote nothing"
    return False


def fuzz_form(client, url, values, shown, changelist, *, added=None, changed=None):
    """Post the form (``shown()``, called for each example) with fuzzed ``values``: each
    answer a save or a refusal, and both happen, or the fuzzing missed one path.

    ``added``: the model a save adds one of. ``changed``: the object a refusal leaves
    as it was.
    """
    outcomes = set()

    @FUZZ
    @given(changes=values)
    def check(changes):
        data = shown()
        before = counts()
        stored = snapshot(changed) if changed is not None else None
        response = client.post(url, {**data, **changes})
        after = counts()
        saved = assert_saved_or_refused(response, before, after, changelist)
        outcomes.add(saved)
        if saved and added is not None:
            assert after[added.__name__] == before[added.__name__] + 1
        if not saved and changed is not None:
            assert snapshot(changed) == stored

    check()
    assert outcomes == {True, False}


def test_the_release_add_form_saves_or_refuses(admin_client):
    numbers = itertools.count(1)
    fuzz_form(
        admin_client,
        reverse("admin:press_release_add"),
        release_values(references()),
        # A complete form, some of its fields fuzzed: both saves and refusals happen.
        lambda: new_release_data(title="Fuzzed", slug=f"fuzzed-{next(numbers)}"),
        reverse("admin:press_release_changelist"),
        added=Release,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"sources": ["abc"]},
        {"sources": ["99999999999999999999"]},
        {"place": "99999999999999999999"},
        {"countries": ["1", "\u0661"]},
        {"fields_of_work": ["99999999999999999999"]},
        {"meetings": ["-1"]},
    ],
    ids=["letters", "past-64-bits", "place-past-64-bits", "arabic-digit", "field", "negative"],
)
def test_a_forged_id_is_a_form_error_not_a_server_error(admin_client, changes):
    """Found by the fuzzing: Django's autocomplete widget and its id lookups raised."""
    url = reverse("admin:press_release_add")
    before = counts()

    response = admin_client.post(url, {**new_release_data(), **changes})

    assert response.status_code == 200
    field = next(iter(changes))
    assert "Select a valid choice" in str(response.context["adminform"].form.errors[field])
    assert counts() == before


def test_the_release_change_form_saves_or_refuses(admin_client):
    release = factories.make_release(title="Fuzzed release", fields=("youth",))
    url = reverse("admin:press_release_change", args=[release.pk])
    shown = form_data(admin_client.get(url))  # read once: rendering it is the slow part

    def current():
        """The form as shown, with the version saved last: as if reloaded after each save
        (else the edit-conflict check refuses every example after the first save)."""
        release.refresh_from_db(fields=["version"])
        return {**shown, "seen_version": str(release.version)}

    fuzz_form(
        admin_client,
        url,
        release_values(references()),
        current,
        reverse("admin:press_release_changelist"),
        changed=release,
    )


def test_the_country_add_form_saves_or_refuses(admin_client):
    empty = form_data(admin_client.get(reverse("admin:taxonomy_country_add")))
    group = str(CountryGroup.objects.get(slug="participating-states").pk)
    numbers = itertools.count(1)

    def shown():
        n = next(numbers)
        return {**empty, "name": f"Fuzzland {n}", "slug": f"fuzzland-{n}", "group": group}

    fuzz_form(
        admin_client,
        reverse("admin:taxonomy_country_add"),
        country_values(references()),
        shown,
        reverse("admin:taxonomy_country_changelist"),
        added=Country,
    )


def test_the_country_change_form_saves_or_refuses(admin_client):
    country = Country.objects.get(slug="moldova")
    url = reverse("admin:taxonomy_country_change", args=[country.pk])
    shown = form_data(admin_client.get(url))

    fuzz_form(
        admin_client,
        url,
        country_values(references()),
        lambda: shown,
        reverse("admin:taxonomy_country_changelist"),
        changed=country,
    )
