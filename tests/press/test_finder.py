"""The finder at ``/press-releases/`` and on term pages: filters, sort, facets, chips, counts.

Most tests read one hand-made archive of ten public releases (plus a draft and a scheduled
release that must never count), built once for the module inside a transaction that is
rolled back at the end. Expected results are written out; the facet counts are checked
against a brute-force count computed here in Python from the releases' own terms.
"""

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from institutions.models import Structure
from press.models import Release
from taxonomy.models import Country, FieldOfWork, Place
from tests.helpers import factories
from tests.helpers.pages import assert_menu, card_titles, chips, main, page

pytestmark = pytest.mark.django_db

VIENNA = ZoneInfo("Europe/Vienna")
CHILD_FIELD = "freedom-of-peaceful-assembly"


def at(year, month, day, hour=10, minute=0):
    """A moment in the organisation's local time (Vienna)."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIENNA)


@dataclass
class Spec:
    title: str
    type: str
    sources: tuple
    fields: tuple
    place: str | None
    countries: tuple
    when: dt.datetime
    body: str = ""
    status: str = Release.Status.PUBLISHED

    @property
    def public(self):
        return self.status == Release.Status.PUBLISHED and self.when <= timezone.now()


ODIHR = "office-for-democratic-institutions-and-human-rights"
ODIHR_MEETS = "ODIHR meets human rights defenders"
ASSEMBLY = "Moldova mission trains assembly monitors"
YOUTH = "CPC hosts youth forum"
GENDER = "Secretariat statement on gender equality"
JOURNALISTS = "Serbia mission backs young journalists"
JOINT = "Joint statement on policing and rights"
KYIV = "High Commissioner visits Kyiv"
CEASEFIRE = "Chair welcomes ceasefire talks"
BORDER = "Dushanbe border management course"
POLICE = "Moldova mission and CPC train police"

SPECS = [
    Spec(ODIHR_MEETS, "press-release", (ODIHR,), ("human-rights",), "warsaw", (), at(2024, 3, 1)),
    Spec(ASSEMBLY, "news", ("mission-to-moldova",), (CHILD_FIELD,), "chisinau", (), at(2024, 3, 4)),
    # 00:30 in Vienna on 5 March is still 4 March in UTC: the first moment of 5 March.
    Spec(
        YOUTH,
        "press-release",
        ("conflict-prevention-centre",),
        ("youth",),
        "vienna",
        ("moldova",),
        at(2024, 3, 5, 0, 30),
    ),
    # 23:30 in Vienna on 7 March: the last half hour of that day.
    Spec(
        GENDER,
        "statement",
        ("secretariat",),
        ("gender-equality",),
        "vienna",
        (),
        at(2024, 3, 7, 23, 30),
    ),
    # 00:30 in Vienna on 8 March is 7 March 23:30 in UTC: already 8 March here.
    Spec(
        JOURNALISTS,
        "news",
        ("mission-to-serbia",),
        ("media-freedom-and-development", "youth"),
        "belgrade",
        (),
        at(2024, 3, 8, 0, 30),
    ),
    Spec(
        JOINT,
        "statement",
        ("transnational-threats-department", ODIHR),
        ("human-rights", "policing"),
        None,
        ("ukraine", "moldova"),
        at(2024, 2, 20),
    ),
    Spec(
        KYIV,
        "press-release",
        ("high-commissioner-on-national-minorities",),
        ("national-minority-issues",),
        "kyiv",
        (),
        at(2024, 1, 15),
    ),
    Spec(
        CEASEFIRE,
        "statement",
        ("chairpersonship",),
        ("elections",),
        "vienna",
        ("moldova",),
        at(2024, 4, 2),
        body="<p>The Chair spoke in Vienna.</p>",
    ),
    Spec(
        BORDER,
        "news",
        ("programme-office-in-dushanbe",),
        ("border-management",),
        "dushanbe",
        (),
        at(2024, 4, 10),
        body="<p>Officers studied ceasefire observation.</p>",
    ),
    Spec(
        POLICE,
        "press-release",
        ("mission-to-moldova", "conflict-prevention-centre"),
        ("policing",),
        "chisinau",
        (),
        at(2024, 2, 1),
    ),
    # Never shown, never counted.
    Spec(
        "Draft on human rights in Moldova",
        "statement",
        ("secretariat", "mission-to-moldova"),
        ("human-rights", "youth"),
        "chisinau",
        ("moldova",),
        at(2024, 3, 6),
        status=Release.Status.DRAFT,
    ),
    Spec(
        "Scheduled statement on youth",
        "news",
        ("conflict-prevention-centre",),
        ("youth", CHILD_FIELD),
        "chisinau",
        ("moldova",),
        timezone.now() + dt.timedelta(days=30),
    ),
]

ALL_NEWEST_FIRST = [
    BORDER,
    CEASEFIRE,
    JOURNALISTS,
    GENDER,
    YOUTH,
    ASSEMBLY,
    ODIHR_MEETS,
    JOINT,
    POLICE,
    KYIV,
]


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    """The module's releases (and a child field under human rights), rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        FieldOfWork.objects.create(
            name="Freedom of peaceful assembly",
            slug=CHILD_FIELD,
            parent=FieldOfWork.objects.get(slug="human-rights"),
        )
        for spec in SPECS:
            factories.make_release(
                title=spec.title,
                type=spec.type,
                sources=spec.sources,
                fields=spec.fields,
                place_slug=spec.place,
                countries=spec.countries,
                published_at=spec.when,
                status=spec.status,
                body=spec.body or f"<p>VIENNA – {spec.title}.</p>",
            )
        yield SPECS
        transaction.set_rollback(True)


def finder(client, query="", path="/press-releases/"):
    return client.get(f"{path}?{query}" if query else path)


def titles_for(client, query, path="/press-releases/"):
    response = finder(client, query, path)
    assert response.status_code == 200, response.content.decode()[:2000]
    return card_titles(response)


# Filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("", ALL_NEWEST_FIRST, id="no-filter"),
        pytest.param(
            "field=human-rights", [ASSEMBLY, ODIHR_MEETS, JOINT], id="field-with-its-subtree"
        ),
        pytest.param(f"field={CHILD_FIELD}", [ASSEMBLY], id="child-field-alone"),
        pytest.param(
            "field=human-rights&field=youth",
            [JOURNALISTS, YOUTH, ASSEMBLY, ODIHR_MEETS, JOINT],
            id="repeated-field-any-of",
        ),
        pytest.param(
            "source=secretariat", [GENDER, YOUTH, JOINT, POLICE], id="secretariat-and-departments"
        ),
        pytest.param(
            "source=field-operations", [BORDER, JOURNALISTS, ASSEMBLY, POLICE], id="missions"
        ),
        pytest.param(
            "source=conflict-prevention-centre", [YOUTH, POLICE], id="one-department-alone"
        ),
        pytest.param(
            "source=institutions&source=chairpersonship",
            [CEASEFIRE, ODIHR_MEETS, JOINT, KYIV],
            id="repeated-source-any-of",
        ),
        pytest.param("country=serbia", [JOURNALISTS], id="country-by-place-only"),
        pytest.param("country=ukraine", [JOINT, KYIV], id="country-by-place-or-related"),
        pytest.param(
            "country=moldova",
            [CEASEFIRE, YOUTH, ASSEMBLY, JOINT, POLICE],
            id="moldova-by-chisinau-or-related",
        ),
        pytest.param(
            "country=poland&country=tajikistan", [BORDER, ODIHR_MEETS], id="repeated-country"
        ),
        pytest.param("type=statement", [CEASEFIRE, GENDER, JOINT], id="type"),
        pytest.param(
            "type=statement&type=news",
            [BORDER, CEASEFIRE, JOURNALISTS, GENDER, ASSEMBLY, JOINT],
            id="repeated-type",
        ),
        pytest.param(
            "date_from=2024-03-05&date_to=2024-03-07",
            [GENDER, YOUTH],
            id="dates-inclusive-at-both-ends-in-vienna-time",
        ),
        pytest.param("date_from=2024-04-02", [BORDER, CEASEFIRE], id="date-from-alone"),
        pytest.param("date_to=2024-01-15", [KYIV], id="date-to-alone"),
        pytest.param("date_from=2024-03-07&date_to=2024-03-07", [GENDER], id="one-day"),
        pytest.param(
            "field=human-rights&country=moldova", [ASSEMBLY, JOINT], id="field-and-country"
        ),
        pytest.param(
            "field=human-rights&source=field-operations", [ASSEMBLY], id="field-and-source"
        ),
        pytest.param("type=statement&source=secretariat", [GENDER, JOINT], id="type-and-source"),
        pytest.param(
            "field=policing&country=moldova&type=press-release",
            [POLICE],
            id="field-country-and-type",
        ),
        pytest.param(
            "source=field-operations&date_from=2024-03-01&date_to=2024-03-31",
            [JOURNALISTS, ASSEMBLY],
            id="source-and-dates",
        ),
        pytest.param(
            "field=youth&field=human-rights&country=moldova&type=news",
            [ASSEMBLY],
            id="repeated-field-and-country-and-type",
        ),
        pytest.param("field=gender-equality&country=serbia", [], id="nothing-matches-both"),
    ],
)
def test_finder_filters_give_exactly_these_releases_newest_first(client, archive, query, expected):
    assert titles_for(client, query) == expected


def test_the_day_boundaries_are_vienna_days_not_utc_days(client, archive):
    """The release at 00:30 on 5 March is in 5 March; the one at 00:30 on 8 March is not
    in 7 March, although both are the evening before in UTC."""
    assert YOUTH not in titles_for(client, "date_to=2024-03-04")
    assert YOUTH in titles_for(client, "date_from=2024-03-05")
    assert JOURNALISTS not in titles_for(client, "date_to=2024-03-07")
    assert JOURNALISTS in titles_for(client, "date_from=2024-03-08")
    assert GENDER in titles_for(client, "date_to=2024-03-07")
    assert GENDER not in titles_for(client, "date_from=2024-03-08")


@pytest.mark.parametrize(
    ("written", "iso"),
    [
        ("date_from=2024&date_to=2024", "date_from=2024-01-01&date_to=2024-12-31"),
        ("date_from=3/2024&date_to=3/2024", "date_from=2024-03-01&date_to=2024-03-31"),
        ("date_from=2024-03&date_to=2024-03", "date_from=2024-03-01&date_to=2024-03-31"),
        ("date_from=5/3/2024&date_to=07.03.2024", "date_from=2024-03-05&date_to=2024-03-07"),
        ("date_to=2/2024", "date_to=2024-02-29"),
    ],
)
def test_a_date_may_be_written_as_people_write_it(client, archive, written, iso):
    """GOV.UK's finders take a year, a month or a day: a start is the period's first day,
    an end its last; the page's links say the day in ISO form."""
    assert titles_for(client, written) == titles_for(client, iso)
    canonical = page(client.get(f"/press-releases/?{written}")).find("link", rel="canonical")
    assert canonical.attrs["href"].endswith(f"/press-releases/?{iso}")


@pytest.mark.parametrize("written", ["31/2/2024", "13/2024", "2024-13", "March", "1/1/24"])
def test_a_date_that_names_no_day_is_refused_in_words(client, archive, written):
    response = client.get("/press-releases/", {"date_from": written})
    assert response.status_code == 400
    text = main(response).text
    assert "From date: Enter a real date. For example, 2015, 3/2015 or 21/11/2014." in text
    # What was typed stays in the box, to be corrected.
    assert page(response).find("input", id="id_date_from").attrs["value"] == written


# Sorting


def test_sort_oldest_reverses_the_order(client, archive):
    assert titles_for(client, "sort=oldest") == ALL_NEWEST_FIRST[::-1]
    assert titles_for(client, "sort=oldest&source=field-operations") == [
        POLICE,
        ASSEMBLY,
        JOURNALISTS,
        BORDER,
    ]


def test_sort_newest_is_the_default(client, archive):
    assert titles_for(client, "") == ALL_NEWEST_FIRST
    assert titles_for(client, "sort=newest") == ALL_NEWEST_FIRST
    assert titles_for(client, "sort=newest&type=statement") == [CEASEFIRE, GENDER, JOINT]


def test_sort_by_relevance_puts_a_title_match_above_a_body_only_match(client, archive):
    # The body-only match is the newer one, so relevance and date disagree.
    assert titles_for(client, "q=ceasefire&sort=relevance") == [CEASEFIRE, BORDER]
    assert titles_for(client, "q=ceasefire&sort=newest") == [BORDER, CEASEFIRE]


def test_a_search_sorts_by_relevance_unless_another_order_is_picked(client, archive):
    """Issue 17: a search shows the best match first; the page says so, and its links keep
    the order chosen (none in the address for the default)."""
    assert titles_for(client, "q=ceasefire") == [CEASEFIRE, BORDER]
    response = client.get("/press-releases/", {"q": "ceasefire"})
    options = page(response).find("select", id="id_sort").find_all("option")
    # Selected, and sent empty: the default, whatever the next search is.
    assert [(o.text, o.attrs["value"]) for o in options if "selected" in o.attrs] == [
        ("Relevance", "")
    ]
    # A search typed into the finder's form takes that default too: the form sends the
    # order as it was shown, newest, empty.
    plain = page(client.get("/press-releases/")).find("select", id="id_sort")
    assert [(o.text, o.attrs["value"]) for o in plain.find_all("option")][:2] == [
        ("Newest first", ""),
        ("Oldest first", "oldest"),
    ]
    canonical = page(response).find("link", rel="canonical").attrs["href"]
    assert canonical.endswith("/press-releases/?q=ceasefire")
    picked = client.get("/press-releases/", {"q": "ceasefire", "sort": "newest"})
    canonical = page(picked).find("link", rel="canonical").attrs["href"]
    assert canonical.endswith("/press-releases/?q=ceasefire&sort=newest")
    # A feed is read for what is new: a search's feed stays newest first.
    feed = client.get("/press-releases/feed/", {"q": "ceasefire"}).content.decode()
    assert feed.index(BORDER) < feed.index(CEASEFIRE)


def test_sort_by_relevance_without_a_query_falls_back_to_newest(client, archive):
    assert titles_for(client, "sort=relevance&type=statement") == [CEASEFIRE, GENDER, JOINT]


# Facet counts


def _parents(model):
    return dict(model.objects.values_list("slug", "parent__slug"))


def _with_ancestors(slug, parents):
    found = set()
    while slug:
        found.add(slug)
        slug = parents[slug]
    return found


def _country_of_place():
    return dict(Place.objects.values_list("slug", "country__slug"))


def _matches(spec, params, places, trees, without=None):
    """Whether a release passes every filter in ``params`` except ``without``, in Python."""
    for name, values in params.items():
        if name == without:
            continue
        if name in ("field", "source"):
            own = spec.fields if name == "field" else spec.sources
            reached = set().union(*(_with_ancestors(slug, trees[name]) for slug in own))
            if not reached & set(values):
                return False
        elif name == "country":
            countries = set(spec.countries) | ({places[spec.place]} if spec.place else set())
            if not countries & set(values):
                return False
        elif name == "type":
            if spec.type not in values:
                return False
        elif name == "q":
            if values[0].lower() not in f"{spec.title} {spec.body}".lower():
                return False
        elif name == "date_from":
            if spec.when.astimezone(VIENNA).date() < dt.date.fromisoformat(values[0]):
                return False
        elif name == "date_to" and spec.when.astimezone(VIENNA).date() > dt.date.fromisoformat(
            values[0]
        ):
            return False
    return True


def expected_facets(params):
    """{facet: {option: count}} by brute force over the public releases of the archive."""
    places = _country_of_place()
    trees = {"field": _parents(FieldOfWork), "source": _parents(Structure)}
    public = [spec for spec in SPECS if spec.public]

    def among(without):
        return [s for s in public if _matches(s, params, places, trees, without=without)]

    facets = {}
    for name, own in [("field", lambda s: s.fields), ("source", lambda s: s.sources)]:
        releases = among(name)
        facets[name] = {
            node: sum(
                1
                for s in releases
                if any(node in _with_ancestors(slug, trees[name]) for slug in own(s))
            )
            for node in trees[name]
        }
    releases = among("country")
    facets["country"] = {
        country: sum(
            1
            for s in releases
            if country in s.countries or (s.place and places[s.place] == country)
        )
        for country in Country.objects.values_list("slug", flat=True)
    }
    releases = among("type")
    facets["type"] = {
        value: sum(1 for s in releases if s.type == value) for value in Release.Type.values
    }
    return facets


def facets_in_html(response):
    """{facet: {option: (count, checked)}} as the page shows them."""
    shown = {}
    for fieldset in main(response).find_all("fieldset", cls="facet"):
        for item in fieldset.find_all("li", cls="facet__option"):
            box = item.find("input")
            count = item.find("span", cls="facet__count").text
            assert re.fullmatch(r"\(\d+\)", count), count
            shown.setdefault(box.attrs["name"], {})[box.attrs["value"]] = (
                int(count[1:-1]),
                "checked" in box.attrs,
            )
    return shown


FACET_CASES = {
    "no-filter": {},
    "field": {"field": ["human-rights"]},
    "field-and-country": {"field": ["human-rights"], "country": ["moldova"]},
    "sources-and-types": {
        "source": ["secretariat", "field-operations"],
        "type": ["news", "statement"],
    },
    "countries-and-dates": {
        "country": ["moldova", "ukraine"],
        "date_from": ["2024-02-01"],
        "date_to": ["2024-03-07"],
    },
    "search-and-type": {"q": ["ceasefire"], "type": ["statement"]},
    "everything": {
        "field": ["youth", "human-rights"],
        "source": ["secretariat", "field-operations"],
        "country": ["moldova"],
        "type": ["news", "press-release"],
        "date_from": ["2024-03-01"],
        "date_to": ["2024-03-31"],
    },
}


@pytest.mark.parametrize("case", list(FACET_CASES))
def test_every_facet_count_equals_a_brute_force_count(client, archive, case):
    params = FACET_CASES[case]
    query = urlencode([(name, value) for name, values in params.items() for value in values])

    response = finder(client, query)

    assert response.status_code == 200
    expected = expected_facets(params)
    # Sanity: the brute force is not trivially empty.
    assert sum(expected["type"].values()) > 0
    in_context = {
        facet.name: {option.value: option.count for option in facet.options}
        for facet in response.context["facets"]
    }
    assert in_context == expected
    shown = facets_in_html(response)
    for name, counts in expected.items():
        selected = set(params.get(name, ()))
        assert shown.get(name, {}) == {
            option: (count, option in selected)
            for option, count in counts.items()
            if count or option in selected
        }, name


def test_facet_counts_spelled_out_for_one_combination(client, archive):
    """The same check as above with the numbers written by hand, for field=human-rights."""
    shown = facets_in_html(finder(client, "field=human-rights"))

    assert shown["field"] == {
        "border-management": (1, False),
        "elections": (1, False),
        "gender-equality": (1, False),
        "human-rights": (3, True),
        CHILD_FIELD: (1, False),
        "media-freedom-and-development": (1, False),
        "national-minority-issues": (1, False),
        "policing": (2, False),
        "youth": (2, False),
    }
    assert shown["type"] == {
        "press-release": (1, False),
        "news": (1, False),
        "statement": (1, False),
    }
    assert shown["country"] == {"moldova": (2, False), "poland": (1, False), "ukraine": (1, False)}
    assert shown["source"] == {
        "secretariat": (1, False),
        "transnational-threats-department": (1, False),
        "institutions": (2, False),
        ODIHR: (2, False),
        "field-operations": (1, False),
        "mission-to-moldova": (1, False),
    }


def test_empty_options_are_hidden_unless_selected(client, archive):
    response = finder(client, "field=human-rights&country=serbia")

    assert response.status_code == 200
    assert card_titles(response) == []
    shown = facets_in_html(response)
    # Serbia has no human-rights release, but it is chosen: it stays, with its zero.
    assert shown["country"]["serbia"] == (0, True)
    assert shown["field"]["human-rights"] == (0, True)
    # Options with nothing behind them and not chosen are not on the page at all.
    assert "arms-control" not in shown["field"]
    assert "gender-equality" not in shown["field"]
    assert "austria" not in shown["country"]
    html = response.content.decode()
    assert 'value="arms-control"' not in html
    assert 'value="austria"' not in html
    assert 'id="country-serbia" checked' in html


# Chips, the count, the empty state


def _pairs(href):
    return sorted(parse_qsl(urlsplit(href).query, keep_blank_values=True))


def test_each_active_filter_is_a_chip_that_removes_only_its_value(client, archive):
    pairs = [
        ("q", "ceasefire"),
        ("field", "human-rights"),
        ("field", "youth"),
        ("source", "secretariat"),
        ("country", "moldova"),
        ("type", "news"),
        ("type", "statement"),
        ("date_from", "2024-02-01"),
        ("date_to", "2024-04-30"),
    ]
    response = finder(client, urlencode(pairs))

    assert response.status_code == 200
    links = dict(chips(response))
    expected_labels = {
        "“ceasefire”": ("q", "ceasefire"),
        "Human rights": ("field", "human-rights"),
        "Youth": ("field", "youth"),
        "Secretariat": ("source", "secretariat"),
        "Moldova": ("country", "moldova"),
        "News item": ("type", "news"),
        "Statement": ("type", "statement"),
        "From 1 February 2024": ("date_from", "2024-02-01"),
        "To 30 April 2024": ("date_to", "2024-04-30"),
    }
    assert set(links) == set(expected_labels)
    for label, removed in expected_labels.items():
        href = links[label]
        assert urlsplit(href).path == "/press-releases/", label
        assert _pairs(href) == sorted(pair for pair in pairs if pair != removed), label
    assert len(chips(response)) == len(expected_labels)
    clear = main(response).find("ul", cls="chips").find("a", cls="chips__clear")
    assert (clear.text, clear.attrs["href"]) == ("Clear all", "/press-releases/")
    form_links = main(response).find("div", cls="filters__actions").links()
    assert form_links == [("Clear all", "/press-releases/")]


def test_removing_the_last_chip_links_to_the_bare_list(client, archive):
    response = finder(client, "type=statement")

    assert chips(response) == [("Statement", "/press-releases/")]


def test_no_chips_without_filters(client, archive):
    response = finder(client)

    assert main(response).find_all("ul", cls="chips") == []


@pytest.mark.parametrize(
    ("query", "text"),
    [
        ("", "10 releases"),
        ("type=statement", "3 releases"),
        ("country=serbia", "1 release"),
        ("country=serbia&type=statement", "0 releases"),
    ],
)
def test_the_count_says_how_many_releases_match(client, archive, query, text):
    assert main(finder(client, query)).find("p", cls="count").text == text


def test_nothing_matching_says_so_and_offers_to_start_again(client, archive):
    response = finder(client, "country=serbia&type=statement")

    assert response.status_code == 200
    empty = main(response).find("div", cls="empty")
    assert empty.find("strong").text == "No releases match these filters."
    assert ("start again", "/press-releases/") in empty.links()
    assert card_titles(response) == []
    assert_menu(response)


# Term pages run the same finder


def test_a_term_page_narrows_its_own_releases_with_the_finder(client, archive):
    everything = titles_for(client, "", path="/structures/secretariat/")
    statements = finder(client, "type=statement", path="/structures/secretariat/")

    assert everything == [GENDER, YOUTH, JOINT, POLICE]
    assert statements.status_code == 200
    assert card_titles(statements) == [GENDER, JOINT]
    assert main(statements).find("p", cls="count").text == "2 releases"
    assert chips(statements) == [("Statement", "/structures/secretariat/")]
    # The type facet counts within the Secretariat's releases only.
    assert facets_in_html(statements)["type"] == {
        "press-release": (2, False),
        "statement": (2, True),
    }


def test_a_term_page_lists_its_children_and_links_its_feed(client, archive):
    response = finder(client, "type=statement", path="/structures/secretariat/")

    children = main(response).find("ul", cls="term__children").links()
    assert ("Conflict Prevention Centre", "/structures/conflict-prevention-centre/") in children
    assert (
        "Transnational Threats Department",
        "/structures/transnational-threats-department/",
    ) in (children)
    alternate = page(response).find("link", rel="alternate", type="application/rss+xml")
    assert alternate.attrs["href"] == "/structures/secretariat/feed/?type=statement"
    assert main(response).find("a", cls="feed-link").attrs["href"] == (
        "/structures/secretariat/feed/?type=statement"
    )


def test_a_field_page_includes_its_child_and_filters_further(client, archive):
    assert titles_for(client, "", path="/fields-of-work/human-rights/") == [
        ASSEMBLY,
        ODIHR_MEETS,
        JOINT,
    ]
    assert titles_for(client, "country=moldova", path="/fields-of-work/human-rights/") == [
        ASSEMBLY,
        JOINT,
    ]


# Queries


EVERY_PARAMETER = urlencode(
    [
        ("q", "quorum"),
        ("field", "human-rights"),
        ("field", "youth"),
        ("source", "secretariat"),
        ("source", "field-operations"),
        ("country", "moldova"),
        ("type", "news"),
        ("type", "statement"),
        ("date_from", "2023-01-01"),
        ("date_to", "2023-12-31"),
        ("sort", "relevance"),
        ("page", "1"),
    ]
)
# Measured on SQLite and PostgreSQL alike, the caches empty and the finder's index built: 7
# queries. The versions (1), the menu (1), the field, source and country slugs (3), the
# releases with their places, their terms (2); the total and the facets come from the index.
FINDER_QUERIES = 7


def _add_matching(make_release, count, start):
    for n in range(start, start + count):
        make_release(
            title=f"Quorum reached in meeting {n:02d}",
            type="news",
            sources=("conflict-prevention-centre", "mission-to-moldova"),
            fields=("human-rights", "youth"),
            countries=("moldova",),
            place_slug="chisinau",
            published_at=at(2023, 6, 1) + dt.timedelta(days=n),
        )


def test_the_finder_with_every_parameter_costs_the_same_queries_for_3_or_25_releases(
    client, make_release, django_assert_max_num_queries
):
    url = f"/press-releases/?{EVERY_PARAMETER}"
    _add_matching(make_release, 3, start=1)
    client.get(url)  # builds the index for these releases
    cache.clear()  # the page and the menu render afresh
    with django_assert_max_num_queries(FINDER_QUERIES), CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["paginator"].count == 3

    _add_matching(make_release, 22, start=4)
    client.get(url)
    cache.clear()
    with django_assert_max_num_queries(FINDER_QUERIES), CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["paginator"].count == 25
    assert len(card_titles(response)) == 20

    assert len(few) == len(many), [query["sql"] for query in many]


def test_empty_fields_from_a_form_without_javascript_are_dropped_by_a_redirect(client):
    """The plain form sends every field; the shareable address keeps only those set."""
    response = client.get("/press-releases/?q=&field=youth&date_from=&date_to=&sort=newest")
    assert response.status_code == 302
    assert response.url == "/press-releases/?field=youth&sort=newest"
    response = client.get("/structures/secretariat/?q=&type=news&type=")
    assert response.status_code == 302
    assert response.url == "/structures/secretariat/?type=news"
    assert client.get("/press-releases/?q=&date_from=").url == "/press-releases/"
