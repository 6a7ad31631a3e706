"""Whatever the query string holds, the finder answers 200 or 400, never a server error.

A value that does not parse or names nothing is reported on the page (400) and left out;
the valid filters still apply, and the menu and the form are still there. The same holds
for the finder's feed (400 without a page) and for term pages. A property test throws
random query strings at all three.
"""

import ast
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from press.models import Release
from tests.helpers.pages import assert_menu, card_titles, chips, main

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
YOUTH = "Youth news from the Secretariat"
OTHER = "Policing statement from Moldova"


@pytest.fixture
def releases(make_release):
    """One news item on youth from the Secretariat; one statement on policing from a mission.

    ``type=news`` (or ``field=youth``) narrows the list to the first: the valid filter each
    bad case below travels with.
    """
    make_release(
        title=YOUTH,
        type="news",
        fields=("youth",),
        sources=("conflict-prevention-centre",),
        place_slug="vienna",
        days_ago=2,
    )
    make_release(
        title=OTHER,
        type="statement",
        fields=("policing",),
        sources=("mission-to-moldova",),
        place_slug="chisinau",
        days_ago=1,
    )
    make_release(title="Unfinished draft", type="news", status=Release.Status.DRAFT)


# (query, the message the page shows, a valid filter of another parameter that must still
# apply). Every case answers 400.
CASES = {
    "unknown-field": (
        "field=nowhere",
        "Field of work: There is no field of work “nowhere”.",
        "type=news",
    ),
    "unknown-country": (
        "country=nowhere",
        "Country: There is no country “nowhere”.",
        "type=news",
    ),
    "unknown-source": (
        "source=nowhere",
        "Source: There is no source “nowhere”.",
        "type=news",
    ),
    "one-good-one-unknown-field": (
        "field=policing&field=nowhere",
        "Field of work: There is no field of work “nowhere”.",
        "type=news",
    ),
    "impossible-date": (
        "date_from=2021-13-45",
        "From date: Enter a real date. For example, 2015, 3/2015 or 21/11/2014.",
        "type=news",
    ),
    "not-a-date": (
        "date_to=yesterday",
        "To date: Enter a real date. For example, 2015, 3/2015 or 21/11/2014.",
        "type=news",
    ),
    "end-before-start": (
        "date_from=2024-03-02&date_to=2024-03-01",
        "To date: The end date is before the start date.",
        "type=news",
    ),
    "year-0001": (
        "date_from=0001-01-01",
        "From date: Choose a date between 1970 and 2100.",
        "type=news",
    ),
    "year-9999": (
        "date_to=9999-12-31",
        "To date: Choose a date between 1970 and 2100.",
        "type=news",
    ),
    "page-0": ("page=0", "There is no page “0”", "type=news"),
    "page-99999": ("page=99999", "There is no page “99999”", "type=news"),
    "page-abc": ("page=abc", "There is no page “abc”", "type=news"),
    "page-minus-1": ("page=-1", "There is no page “-1”", "type=news"),
    "q-of-10000-characters": (
        "q=" + "x" * 10_000,
        "Search: Ensure this value has at most 200 characters (it has 10000).",
        "type=news",
    ),
    "nul-in-q": ("q=youth%00news", "Search: Null characters are not allowed.", "type=news"),
    "nul-as-a-slug": ("field=%00", "Field of work:", "type=news"),
    "nul-inside-a-slug": ("country=austria%00", "Country:", "type=news"),
    "unknown-sort": (
        "sort=loudest",
        "Sort by: There is no order “loudest”: choose newest first, oldest first or relevance.",
        "type=news",
    ),
    "unknown-type": (
        "type=rumour",
        "Type: There is no type “rumour”: choose press release, news item or statement.",
        "field=youth",
    ),
    # 1,000 parameters is Django's limit for a query string: this one is just within it.
    "field-repeated-1000-times": ("&".join(["field=human-rights"] * 1000), "Field of work:", None),
    "too-many-fields": (
        urlencode([("field", "youth"), ("field", "policing")] * 11),
        "Field of work: Choose at most 20.",
        "type=news",
    ),
}
PAGE_CASES = {name for name in CASES if name.startswith("page-")}
FILTER_CASES = [name for name in CASES if name not in PAGE_CASES]


def assert_form(response):
    """The finder's form is on the page, with its search box and its facets."""
    form = main(response).find("form", cls="filters")
    assert form.find("input", id="id_q")
    assert form.find("select", id="id_sort")
    assert form.find_all("fieldset", cls="facet")


def query_for(case):
    bad, _, valid = CASES[case]
    return f"{valid}&{bad}" if valid else bad


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_value_answers_400_with_its_message_the_menu_and_the_form(client, releases, case):
    _, message, _ = CASES[case]

    response = client.get(f"/press-releases/?{query_for(case)}")

    assert response.status_code == 400
    alert = main(response).find(role="alert")
    assert message in alert.text
    assert_menu(response)
    assert_form(response)


@pytest.mark.parametrize("case", [name for name in CASES if CASES[name][2]])
def test_a_bad_value_does_not_remove_the_valid_filters(client, releases, case):
    response = client.get(f"/press-releases/?{query_for(case)}")

    assert response.status_code == 400
    assert card_titles(response) == [YOUTH]
    assert main(response).find("p", cls="count").text == "1 release"


def test_an_unknown_field_next_to_an_unknown_country_still_narrows_to_youth(client, releases):
    response = client.get("/press-releases/?field=youth&country=nowhere")

    assert response.status_code == 400
    assert card_titles(response) == [YOUTH]
    assert "Country:" in main(response).find(role="alert").text
    # The valid choice stays ticked; the chip of the good value is there, not the bad one.
    assert main(response).find("input", id="field-youth").attrs.get("checked") == ""
    assert chips(response) == [("Youth", "/press-releases/")]


def test_the_field_repeated_1000_times_is_refused_and_the_list_is_whole(client, releases):
    response = client.get("/press-releases/?" + "&".join(["field=human-rights"] * 1000))

    assert response.status_code == 400
    assert "Field of work: Choose at most 20." in main(response).find(role="alert").text
    assert card_titles(response) == [OTHER, YOUTH]


def test_markup_in_a_bad_value_is_shown_as_text(client, releases):
    response = client.get("/press-releases/", {"field": "<script>alert(1)</script>"})

    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "<script>alert(1)</script>" in main(response).find(role="alert").text


@pytest.mark.parametrize(
    "query",
    [
        "utm_source=newsletter&utm_medium=email",
        "format=json",
        "status=draft",
        "published_at__lte=2100-01-01",
        "title__icontains=draft",
        "_connector=OR",
        "_negated=1",
        "q[]=x&field[]=youth",
    ],
)
def test_unknown_parameters_are_ignored(client, releases, query):
    response = client.get(f"/press-releases/?{query}")

    assert response.status_code == 200
    assert card_titles(response) == [OTHER, YOUTH]
    assert main(response).find_all(role="alert") == []
    assert chips(response) == []


def test_unknown_parameters_do_not_widen_a_filter(client, releases):
    response = client.get("/press-releases/?type=news&_connector=OR&status=draft")

    assert response.status_code == 200
    assert card_titles(response) == [YOUTH]


# The feed and the term pages


@pytest.mark.parametrize("case", FILTER_CASES)
def test_a_bad_value_on_the_feed_answers_400(client, releases, case):
    response = client.get(f"/press-releases/feed/?{query_for(case)}")

    assert response.status_code == 400
    assert YOUTH not in response.content.decode()


@pytest.mark.parametrize("case", sorted(PAGE_CASES))
def test_the_feed_has_no_pages_so_a_page_number_is_never_an_error(client, releases, case):
    response = client.get(f"/press-releases/feed/?{query_for(case)}")

    assert response.status_code == 200
    assert YOUTH in response.content.decode()


@pytest.mark.parametrize("case", list(CASES))
def test_a_bad_value_on_a_term_page_answers_400_with_the_menu_and_the_form(client, releases, case):
    _, message, _ = CASES[case]

    response = client.get(f"/structures/secretariat/?{query_for(case)}")

    assert response.status_code == 400
    assert message in main(response).find(role="alert").text
    assert main(response).find("h1").text == "Secretariat"
    assert_menu(response)
    assert_form(response)
    if CASES[case][2]:
        assert card_titles(response) == [YOUTH]


@pytest.mark.parametrize("case", FILTER_CASES)
def test_a_bad_value_on_a_term_feed_answers_400(client, releases, case):
    response = client.get(f"/structures/secretariat/feed/?{query_for(case)}")

    assert response.status_code == 400


# Random query strings

PARAMETERS = ["q", "field", "country", "source", "type", "date_from", "date_to", "sort", "page"]
JUNK_NAMES = [
    "utm_source",
    "status",
    "published_at__lte",
    "fields_of_work__slug",
    "_connector",
    "q[]",
    "",
    "page\x00",
    "фильтр",
]
GOOD_VALUES = [
    "human-rights",
    "youth",
    "policing",
    "moldova",
    "austria",
    "secretariat",
    "field-operations",
    "conflict-prevention-centre",
    "office-for-democratic-institutions-and-human-rights",
    "press-release",
    "news",
    "statement",
    "newest",
    "oldest",
    "relevance",
    "ceasefire",
    '"border monitoring"',
    "-youth",
    "1",
    "2",
]
ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "-",
    '"',
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "%00",
    "9" * 5000,
    "x" * 10_000,
    "0001-01-01",
    "9999-12-31",
    "2024-02-30",
    "१२",
]
VALUES = st.one_of(
    st.sampled_from(GOOD_VALUES),
    st.dates().map(lambda day: day.isoformat()),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=200, max_size=400),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(ODD_VALUES),
)
NAMES = st.one_of(st.sampled_from(PARAMETERS), st.sampled_from(JUNK_NAMES), st.text(max_size=12))
QUERIES = st.lists(st.tuples(NAMES, VALUES), max_size=10)


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=QUERIES)
def test_any_query_string_answers_200_or_400(client, releases, pairs):
    query = urlencode(pairs)
    for path in ["/press-releases/", "/press-releases/feed/", "/structures/secretariat/"]:
        response = client.get(f"{path}?{query}")
        if response.status_code == 302:
            # Empty fields are dropped by one redirect to the same path; then it answers.
            assert response.url.startswith(path), response.url
            response = client.get(response.url)
        assert response.status_code in (200, 400), (path, query[:500], response.status_code)


# No request data as keyword arguments


SOURCES = ["press/finder.py", "press/views.py", "press/feeds.py"]
FORBIDDEN = re.compile(
    r"\*\*\s*(?:self\.)?request\b"  # **request.GET, **self.request.GET.dict(), ...
    r"|\*\*\s*(?:self\.)?data\b"  # **self.data, **data
    r"|\*\*\s*(?:self\.)?(?:GET|params|query_params)\b"
    r"|\*\*\s*(?:self\.)?(?:filterset\.)?form\.data\b"
)
QUERY_METHODS = {"filter", "exclude", "get", "update", "create", "annotate", "alias", "Q"}


def keyword_expansions(source):
    """(called name, expanded expression) for every ``f(..., **expression)`` in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            found += [(name, kw.value) for kw in node.keywords if kw.arg is None]
    return found


@pytest.mark.parametrize("path", SOURCES)
def test_request_data_never_reaches_a_query_as_keyword_arguments(path):
    """CVE-2025-64459: ``filter(**request.GET)`` lets a visitor pass ``_connector``."""
    source = (ROOT / path).read_text(encoding="utf-8")

    assert FORBIDDEN.findall(source) == []
    for name, value in keyword_expansions(source):
        text = ast.unparse(value)
        assert not re.search(r"\brequest\b|\bdata\b|\bGET\b|\bcleaned", text), (name, text)
        if name in QUERY_METHODS:
            # Into a query, only a dict literal written here, with lookups named here.
            assert isinstance(value, ast.Dict), (name, text)


def test_the_source_scan_would_catch_the_pattern():
    assert FORBIDDEN.search("queryset.filter(**self.request.GET.dict())")
    assert FORBIDDEN.search("Release.objects.filter(**request.GET)")
    assert FORBIDDEN.search("qs.filter(** self.data)")
    assert FORBIDDEN.search("Q(**self.filterset.form.data)")
    assert keyword_expansions("qs.filter(a=1, **lookups)")[0][0] == "filter"
    assert isinstance(keyword_expansions('qs.filter(**{"slug": s})')[0][1], ast.Dict)


@pytest.mark.parametrize("path", ["/press-releases/", "/press-releases/feed/"])
def test_control_characters_in_a_search_are_a_form_error_not_a_broken_feed(client, path):
    """Found by the property test: XML 1.0 cannot carry them, so the feed must refuse them."""
    response = client.get(path, {"q": "peace\x1btalks"})
    assert response.status_code == 400
