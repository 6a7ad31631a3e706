"""Every public page costs a fixed number of SQL queries, however many releases there are.

Each page is measured twice, over 3 and over 25 releases (each with 2 sources, 2 fields of
work and 2 related countries), with the menu cache warm: the budget must hold both times
and the two counts must be equal, so no query runs per release shown.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

SOURCES = ("conflict-prevention-centre", "transnational-threats-department")
FIELDS = ("human-rights", "gender-equality")
COUNTRIES = ("moldova", "ukraine")

# The budgets are the counts measured (the same on SQLite and PostgreSQL); the menu costs
# nothing once cached, and a root term's ancestors and a leaf's children cost nothing either.
# A finder page adds 5 queries for its facets (field, source, country, type, and the
# countries in menu order); a release page adds its related releases, previous and next.
BUDGETS = {
    "list": 9,  # paginator count, releases with places, sources, fields of work; facets
    "home": 3,  # releases with places, sources, fields of work
    "release": 9,  # release; sources, fields, countries, meetings, attachments; related, ±1
    "structure": 11,  # term, count, children (the departments), releases, sources, fields
    "field-of-work": 10,  # term, count, releases, sources, fields (a leaf: no children)
    "country": 11,  # term, count, chairpersonships, releases, sources, fields of work
}


def add_releases(make_release, count, start=1):
    return [
        make_release(
            title=f"Budget release {n:02d}",
            sources=SOURCES,
            fields=FIELDS,
            countries=COUNTRIES,
            place_slug="chisinau",
            days_ago=n,
        )
        for n in range(start, start + count)
    ]


def url_for(page, release):
    return {
        "list": "/press-releases/",
        "home": "/",
        "release": release.get_absolute_url(),
        "structure": "/structures/secretariat/",
        "field-of-work": "/fields-of-work/human-rights/",
        "country": "/countries/moldova/",
    }[page]


def measure(client, url, budget, django_assert_max_num_queries):
    client.get(url)  # warms the menu cache: the menu is rendered once, then reused
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response


@pytest.mark.parametrize("page", list(BUDGETS))
def test_page_uses_a_constant_number_of_queries(
    client, make_release, django_assert_max_num_queries, page
):
    budget = BUDGETS[page]
    first = add_releases(make_release, 3)[0]
    few, response = measure(client, url_for(page, first), budget, django_assert_max_num_queries)
    assert "Budget release 01" in response.content.decode()

    add_releases(make_release, 22, start=4)
    many, response = measure(client, url_for(page, first), budget, django_assert_max_num_queries)
    assert "Budget release 01" in response.content.decode()

    assert few == many, f"{page}: {few} queries over 3 releases, {many} over 25"


def test_the_list_issues_no_query_per_release(client, make_release):
    """3 releases on the page, then a full page of 20: the same number of queries."""
    add_releases(make_release, 3)
    client.get("/press-releases/")
    with CaptureQueriesContext(connection) as three:
        client.get("/press-releases/")

    add_releases(make_release, 22, start=4)
    with CaptureQueriesContext(connection) as twenty_five:
        response = client.get("/press-releases/")

    assert response.context["page_obj"].paginator.count == 25
    assert len(response.context["releases"]) == 20
    assert len(three) == len(twenty_five), [q["sql"] for q in twenty_five]


def test_the_menu_is_read_once_then_served_from_the_cache(client):
    with CaptureQueriesContext(connection) as cold:
        client.get("/press-releases/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/press-releases/")

    assert len(warm) < len(cold)
    # The menu's own read selects from the menu table (the country facet only looks up a
    # menu position in a subquery).
    assert not any(query["sql"].startswith('SELECT "taxonomy_menuitem"') for query in warm)
    assert any(query["sql"].startswith('SELECT "taxonomy_menuitem"') for query in cold)
