"""The finder's timeline: releases per year (per month within one year) for the current
filters, as bars and as a table whose links narrow the dates.

The counts are held to what SQL gives for the finder's own rules (``Finder.filtered``)
grouped by the year or month in the site's time zone, and spelled out for a few cases.
The archive has an empty year (2020) and an empty month (April 2022) between others,
releases in the last and first half hour of a year and of a month in Vienna (the other
side of midnight in UTC), and a draft and a scheduled release that must never count.
"""

import datetime as dt
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import QueryDict
from django.utils import timezone

from press.finder import Finder
from press.models import Release
from press.timeline import timeline
from tests.helpers import factories
from tests.helpers.pages import main

pytestmark = pytest.mark.django_db

VIENNA = ZoneInfo("Europe/Vienna")


def at(year, month, day, hour=10, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=VIENNA)


# (when, fields, place, related countries, type, a word in the body)
RELEASES = [
    (at(2019, 3, 10), ("human-rights",), "chisinau", (), "press-release", "water"),
    (at(2019, 7, 1), ("youth",), "vienna", (), "news", ""),
    # 23:30 in Vienna on 31 December is 22:30 UTC: 2019 either way.
    (at(2019, 12, 31, 23, 30), ("gender-equality",), "vienna", (), "statement", "water"),
    # 00:30 in Vienna on 1 January 2021 is still 2020 in UTC: 2021 here.
    (at(2021, 1, 1, 0, 30), ("human-rights",), "kyiv", (), "news", "water"),
    (at(2021, 5, 5), ("youth",), "vienna", ("moldova",), "press-release", ""),
    (at(2022, 2, 10), ("human-rights",), "vienna", ("moldova",), "statement", "water"),
    # 00:30 in Vienna on 1 March is 28 February in UTC: March here.
    (at(2022, 3, 1, 0, 30), ("youth",), "vienna", (), "press-release", ""),
    (at(2022, 3, 20), ("human-rights",), "chisinau", (), "news", ""),
    (at(2022, 5, 2), ("youth",), "vienna", ("ukraine",), "press-release", ""),
    (at(2022, 5, 31, 23, 30), ("elections",), "vienna", (), "press-release", "water"),
]
YEARS = [("2019", 3), ("2020", 0), ("2021", 2), ("2022", 5)]


@pytest.fixture(scope="module")
def archive(module_db, django_db_blocker):
    """The releases above, a draft in the empty year, and one scheduled for next month."""
    with django_db_blocker.unblock():
        for number, (when, fields, place, countries, kind, word) in enumerate(RELEASES):
            factories.make_release(
                title=f"Timeline release {number}",
                fields=fields,
                place_slug=place,
                countries=countries,
                type=kind,
                published_at=when,
                body=f"<p>VIENNA – Release {number} {word}.</p>",
            )
        factories.make_release(
            title="Draft in the empty year",
            fields=("human-rights",),
            published_at=at(2020, 6, 1),
            status=Release.Status.DRAFT,
        )
        factories.make_release(
            title="Scheduled for next month",
            fields=("human-rights",),
            published_at=timezone.now() + dt.timedelta(days=30),
        )


def rows(response):
    """(period, count, link or None) for each row of the timeline's table."""
    table = main(response).find("table", cls="timeline__table")
    found = []
    for row in table.find("tbody").find_all("tr"):
        links = row.find_all("a")
        count = int(row.find("td").text.replace(",", ""))
        found.append((row.find("th").text, count, links[0].attrs["href"] if links else None))
    return found


def counts(response):
    return [(period, count) for period, count, _link in rows(response)]


def bars(response):
    """(tooltip, link) for each bar of the chart."""
    chart = main(response).find("svg", cls="timeline__chart")
    return [(link.find("title").text, link.attrs["href"]) for link in chart.find_all("a")]


def has_timeline(response):
    return bool(main(response).find_all(cls="timeline"))


def shown(response):
    """The number of releases the page says match."""
    return int(main(response).find("p", cls="count").find("strong").text)


def sql_counts(query, unit):
    """What SQL counts per year (or per month) in the site's time zone for ``query``, from
    the first period with a release to the last, the empty ones between as zeros."""
    finder = Finder(QueryDict(query), Release.objects.published())
    matching = Release.objects.filter(pk__in=finder.filtered().values("pk"))
    extract = ExtractYear if unit == "year" else ExtractMonth
    grouped = dict(
        matching.annotate(period=extract("published_at"))
        .values_list("period")
        .annotate(count=Count("pk"))
        .order_by("period")
    )
    periods = range(min(grouped), max(grouped) + 1)
    if unit == "year":
        return [(str(year), grouped.get(year, 0)) for year in periods]
    return [(month, grouped.get(month, 0)) for month in periods]


def get(client, query="", path="/press-releases/"):
    return client.get(f"{path}?{query}" if query else path)


# Counts


def test_releases_per_year_with_the_empty_year_shown_as_zero(client, archive):
    response = get(client)

    assert response.status_code == 200
    assert counts(response) == YEARS
    assert main(response).find("table", cls="timeline__table").find("caption").text == (
        "Releases per year, 2019 to 2022"
    )
    empty = rows(response)[1]
    assert empty == ("2020", 0, None), "an empty year has no link and no bar"
    assert [title for title, _link in bars(response)] == [
        "2019: 3 releases",
        "2021: 2 releases",
        "2022: 5 releases",
    ]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("", id="everything"),
        pytest.param("field=human-rights", id="field"),
        pytest.param("field=youth&type=press-release", id="field-and-type"),
        pytest.param("country=moldova", id="country-by-place-or-related"),
        pytest.param("country=ukraine", id="country"),
        pytest.param("q=water", id="search"),
        pytest.param("q=water&sort=oldest", id="search-oldest-first"),
        pytest.param("type=news", id="type"),
        pytest.param("date_from=2019-06-01&date_to=2021-03-31", id="date-range"),
        pytest.param("date_from=2021-01-01", id="from-the-first-moment-of-2021"),
        pytest.param("date_to=2021-12-31&field=human-rights", id="until-and-field"),
    ],
)
def test_counts_per_year_are_what_sql_gives(client, archive, query):
    response = get(client, query)

    assert response.status_code == 200
    assert counts(response) == sql_counts(query, "year")
    assert sum(count for _period, count in counts(response)) == shown(response)


def test_the_year_boundary_is_vienna_midnight(client, archive):
    """The release at 00:30 on 1 January 2021 in Vienna (2020 in UTC) is in 2021."""
    assert counts(get(client, "field=human-rights")) == [
        ("2019", 1),
        ("2020", 0),
        ("2021", 1),
        ("2022", 2),
    ]


def test_within_one_year_the_bars_are_months_the_empty_one_a_zero(client, archive):
    query = "date_from=2022-01-01&date_to=2022-12-31"
    response = get(client, query)

    # No empty months at the ends (January, June to December); April between is zero.
    assert counts(response) == [
        ("February 2022", 1),
        ("March 2022", 2),
        ("April 2022", 0),
        ("May 2022", 2),
    ]
    assert [count for _period, count in counts(response)] == [
        count for _month, count in sql_counts(query, "month")
    ]
    assert main(response).find("table", cls="timeline__table").find("caption").text == (
        "Releases per month in 2022"
    )
    assert main(response).find("th", scope="col").text == "Month"


def test_matches_inside_one_year_give_months_without_a_date_filter(client, archive):
    """Human rights in Moldova: February and March 2022 only."""
    response = get(client, "field=human-rights&country=moldova&date_from=2020-01-01")

    assert counts(response) == [("February 2022", 1), ("March 2022", 1)]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("field=elections", id="one-release"),
        pytest.param("date_from=2022-03-01&date_to=2022-03-31", id="one-month"),
        pytest.param("field=gender-equality&country=serbia", id="no-release"),
        pytest.param("q=nowhere-to-be-found", id="a-search-finding-nothing"),
    ],
)
def test_no_timeline_for_no_results_or_a_single_period(client, archive, query):
    response = get(client, query)

    assert response.status_code == 200
    assert not has_timeline(response)


# Links


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("", id="everything"),
        pytest.param("field=youth&sort=oldest", id="field-and-sort"),
        pytest.param("q=water&type=statement&type=news", id="search-and-types"),
        pytest.param("date_from=2019-06-01&date_to=2021-03-31", id="inside-a-date-range"),
        pytest.param("date_from=2022-02-15&date_to=2022-05-10", id="months-of-a-range"),
    ],
)
def test_each_link_narrows_the_dates_keeps_the_filters_and_gives_the_bars_releases(
    client, archive, query
):
    response = get(client, query)
    before = parse_qs(query)

    assert rows(response)
    for period, count, link in rows(response):
        if not count:
            continue
        after = parse_qs(urlsplit(link).query)
        assert "page" not in after
        assert {name: values for name, values in after.items() if not name.startswith("date_")} == {
            name: values for name, values in before.items() if not name.startswith("date_")
        }, f"{period}: the other filters and the sort are kept"
        narrowed = get(client, urlsplit(link).query)
        assert narrowed.status_code == 200
        assert shown(narrowed) == count, f"{period}: {link}"


def test_a_link_stays_inside_the_dates_already_chosen(client, archive):
    response = get(client, "date_from=2019-06-01&date_to=2021-03-31&type=news")

    links = {period: link for period, _count, link in rows(response)}
    assert parse_qs(urlsplit(links["2019"]).query) == {
        "type": ["news"],
        "date_from": ["2019-06-01"],
        "date_to": ["2019-12-31"],
    }
    assert parse_qs(urlsplit(links["2021"]).query)["date_to"] == ["2021-03-31"]
    assert links["2020"] is None


def test_a_month_links_to_its_first_and_last_day(client, archive):
    response = get(client, "date_from=2022-01-01&date_to=2022-12-31&type=press-release&page=1")

    links = {period: link for period, _count, link in rows(response)}
    assert links["March 2022"] == "?type=press-release&date_from=2022-03-01&date_to=2022-03-31"
    assert links["May 2022"] == "?type=press-release&date_from=2022-05-01&date_to=2022-05-31"


def test_the_table_has_the_bars_numbers_and_links(client, archive):
    response = get(client, "q=water")

    expected = [
        (f"{period}: {count} release{'s' if count != 1 else ''}", link)
        for period, count, link in rows(response)
        if count
    ]
    assert bars(response) == expected
    assert len(expected) == 3


def test_the_chart_is_hidden_from_screen_readers_and_out_of_the_tab_order(client, archive):
    """The table's links are the keyboard's one way through; the bars are for the mouse."""
    response = get(client)
    chart = main(response).find("svg", cls="timeline__chart")
    table = main(response).find("table", cls="timeline__table")

    assert chart.attrs["aria-hidden"] == "true"
    assert {link.attrs.get("tabindex") for link in chart.find_all("a")} == {"-1"}
    assert table.find_all("a")
    assert all("tabindex" not in link.attrs for link in table.find_all("a"))
    assert "style=" not in response.content.decode()


# Term pages and bad input


def test_a_term_page_has_the_timeline_of_its_subtree(client, archive):
    response = get(client, path="/countries/moldova/")

    assert counts(response) == sql_counts("country=moldova", "year")
    assert counts(response) == [("2019", 1), ("2020", 0), ("2021", 1), ("2022", 2)]
    link = rows(response)[0][2]
    assert link == "?date_from=2019-01-01&date_to=2019-12-31"
    assert shown(get(client, link[1:], path="/countries/moldova/")) == 1


def test_a_field_page_narrowed_further_has_its_timeline(client, archive):
    response = get(client, "type=news", path="/fields-of-work/human-rights/")

    assert counts(response) == [("2021", 1), ("2022", 1)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("field=human-rights&date_from=2019-02-30", "field=human-rights", id="no-day"),
        pytest.param("field=youth&date_to=not-a-date", "field=youth", id="not-a-date"),
        pytest.param("date_from=1800-01-01&type=news", "type=news", id="out-of-range"),
        pytest.param(
            "date_from=2022-05-01&date_to=2019-01-01",
            "date_from=2022-05-01",
            id="end-before-start",
        ),
        pytest.param("field=nowhere&q=water", "q=water", id="unknown-field"),
    ],
)
def test_a_bad_value_gives_the_timeline_of_the_valid_filters(client, archive, query, expected):
    response = get(client, query)

    assert response.status_code == 400
    valid = get(client, expected)
    if has_timeline(valid):
        assert counts(response) == counts(valid)
    else:
        assert not has_timeline(response)


def test_the_timeline_costs_no_query_once_the_finder_has_its_answer(
    archive, django_assert_num_queries
):
    finder = Finder(QueryDict("field=human-rights&q=water"), Release.objects.published())
    assert len(finder.answer) == 3

    with django_assert_num_queries(0):
        drawn = timeline(finder)
    assert [(bar.label, bar.count) for bar in drawn.bars] == [
        ("2019", 1),
        ("2020", 0),
        ("2021", 1),
        ("2022", 1),
    ]


def test_markup_in_the_search_reaches_the_links_encoded(client, archive):
    response = get(client, "q=water+-%22%3Cb%3Enever%3C%2Fb%3E%22")

    assert counts(response) == sql_counts('q=water -"<b>never</b>"', "year")
    assert "<b>never" not in response.content.decode()
    for _period, _count, link in rows(response):
        assert link is None or "q=water+-%22%3Cb%3Enever%3C%2Fb%3E%22" in link
