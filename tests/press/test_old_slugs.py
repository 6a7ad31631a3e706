"""A term's old slug in a finder or feed parameter leads (301) to the same query with the
current slug: bookmarks, saved searches and feed subscriptions outlive a rename or a merge.

Terms are renamed as a site admin does it, through the admin's change form; every page
that reads the parameters (the finder, its feed, a term page of each kind and its feed) is
asked with each parameter's old slug. The lookup of old slugs costs nothing while every
slug is current, and one query when some are not.
"""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from institutions.models import Structure
from taxonomy import usage
from taxonomy.models import Country, FieldOfWork, OldAddress
from tests.helpers.admin_forms import change_url, form_errors, shown_form_data

pytestmark = pytest.mark.django_db

# parameter: (model, old slug, new slug)
RENAMES = {
    "country": (Country, "turkiye", "republic-of-turkiye"),
    "field": (FieldOfWork, "human-rights", "fundamental-rights"),
    "source": (Structure, "secretariat", "the-secretariat"),
}
# Every page that reads the finder's parameters: the finder, term pages of each kind, and
# their feeds.
PAGES = [
    "/press-releases/",
    "/press-releases/feed/",
    "/countries/austria/",
    "/countries/austria/feed/",
    "/fields-of-work/policing/",
    "/fields-of-work/policing/feed/",
    "/structures/mission-to-moldova/",
    "/structures/mission-to-moldova/feed/",
    "/meetings/summit-meetings/",
    "/meetings/summit-meetings/feed/",
]


def rename_in_admin(client, model, slug, new_slug):
    """Change a term's slug through its admin change form, as a site admin does."""
    term = model.objects.get(slug=slug)
    data = shown_form_data(term)
    data["slug"] = new_slug
    response = client.post(change_url(term), data)
    assert response.status_code == 302, form_errors(response)
    return model.objects.get(slug=new_slug)


def old_address_queries(queries):
    return [query for query in queries if "taxonomy_oldaddress" in query["sql"]]


@pytest.fixture(scope="module")
def renamed(module_db, django_db_blocker):
    """The three terms renamed once for the module's tests (each rolls back to this)."""
    with django_db_blocker.unblock():
        site_admin = Client()
        site_admin.force_login(User.objects.create_superuser("renamer", "renamer@example.org"))
        for model, old, new in RENAMES.values():
            rename_in_admin(site_admin, model, old, new)


# First, the tests that rename terms themselves, on the reference data as loaded; the
# others share one set of renames (``renamed``), made for the module when the first of
# them runs, and every test after it runs on top of those renames.


def test_a_slug_renamed_twice_leads_to_the_latest(admin_client, client):
    rename_in_admin(admin_client, Country, "turkiye", "turkey")
    rename_in_admin(admin_client, Country, "turkey", "turkiye-today")
    for old in ("turkiye", "turkey"):
        response = client.get(f"/press-releases/?country={old}")
        assert response["Location"] == "/press-releases/?country=turkiye-today"


@pytest.mark.parametrize(
    ("model", "source_slug", "target_slug", "parameter"),
    [
        (FieldOfWork, "youth", "human-rights", "field"),
        (Country, "mongolia", "austria", "country"),
    ],
)
def test_a_merged_term_s_slugs_lead_to_the_term_it_was_merged_into(
    admin_client, client, model, source_slug, target_slug, parameter
):
    # The merged term had been renamed before: its older address follows it too.
    rename_in_admin(admin_client, model, source_slug, f"{source_slug}-renamed")
    usage.merge(
        model.objects.get(slug=f"{source_slug}-renamed"), model.objects.get(slug=target_slug)
    )
    for old in (source_slug, f"{source_slug}-renamed"):
        for path in ("/press-releases/", "/press-releases/feed/"):
            response = client.get(f"{path}?{parameter}={old}")
            assert response.status_code == 301
            assert response["Location"] == f"{path}?{parameter}={target_slug}"


# The tests on the renamed terms.


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("parameter", list(RENAMES))
def test_an_old_slug_in_each_parameter_of_each_page_leads_to_the_current_one(
    client, renamed, path, parameter
):
    _model, old, new = RENAMES[parameter]
    response = client.get(f"{path}?q=water&{parameter}={old}&sort=oldest")
    assert response.status_code == 301
    assert response["Location"] == f"{path}?q=water&{parameter}={new}&sort=oldest"
    assert client.get(response["Location"]).status_code == 200  # and there it stops


@pytest.mark.parametrize("path", ["/press-releases/", "/press-releases/feed/"])
def test_every_old_slug_is_mended_at_once_order_and_repeats_kept(client, renamed, path):
    query = (
        "source=secretariat&country=moldova&country=turkiye&type=news"
        "&country=turkiye&field=policing&field=human-rights&page=1"
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{path}?{query}")
    assert response.status_code == 301
    assert response["Location"] == (
        f"{path}?source=the-secretariat&country=moldova&country=republic-of-turkiye"
        "&type=news&country=republic-of-turkiye&field=policing&field=fundamental-rights&page=1"
    )
    assert len(old_address_queries(queries)) == 1  # one lookup for the three kinds


@pytest.mark.parametrize("path", ["/countries/turkiye/", "/countries/turkiye/feed/"])
def test_a_moved_term_page_with_old_slugs_in_its_parameters_moves_in_one_hop(client, renamed, path):
    response = client.get(f"{path}?field=human-rights&q=water")
    assert response.status_code == 301
    moved_path = path.replace("turkiye", "republic-of-turkiye")
    assert response["Location"] == f"{moved_path}?field=fundamental-rights&q=water"
    assert client.get(response["Location"]).status_code == 200


def test_a_slug_that_never_was_is_still_a_400_with_the_form_s_error(client, renamed):
    page = client.get("/press-releases/?country=atlantis")
    assert page.status_code == 400
    assert "atlantis" in page.content.decode()  # the form says which value it refused
    assert client.get("/press-releases/feed/?field=nothing-of-the-kind").status_code == 400
    assert client.get("/countries/austria/feed/?source=nowhere").status_code == 400


def test_old_and_unknown_slugs_together_mend_the_old_and_refuse_the_unknown(client, renamed):
    mixed = client.get("/press-releases/?country=atlantis&country=turkiye&country=moldova")
    assert mixed.status_code == 301
    assert mixed["Location"] == (
        "/press-releases/?country=atlantis&country=republic-of-turkiye&country=moldova"
    )
    assert client.get(mixed["Location"]).status_code == 400  # no loop: refused, not moved


def test_a_current_slug_wins_over_another_term_s_old_one(client, renamed):
    """Moldova's slug was once Austria's too (say): it means Moldova, as its page does."""
    OldAddress.objects.create(term=Country.objects.get(slug="austria"), old_slug="moldova")
    # atlantis has the form refuse the parameter, so its values are looked up.
    response = client.get("/press-releases/?country=moldova&country=atlantis&country=turkiye")
    assert response["Location"] == (
        "/press-releases/?country=moldova&country=atlantis&country=republic-of-turkiye"
    )
    assert client.get("/press-releases/?country=moldova&country=atlantis").status_code == 400


def test_an_old_slug_of_another_kind_is_not_taken_for_this_one(client, renamed):
    """``turkiye`` was a country's slug, not a field of work's: the field stays refused."""
    assert client.get("/press-releases/?field=turkiye").status_code == 400


@pytest.mark.parametrize("path", ["/press-releases/", "/press-releases/feed/", PAGES[2]])
def test_current_slugs_cost_no_lookup_of_old_ones(client, renamed, path):
    query = "country=moldova&field=fundamental-rights&source=the-secretariat"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{path}?{query}").status_code == 200
    assert old_address_queries(queries) == []


def test_a_parameter_repeated_thousands_of_times_is_refused_without_a_lookup(client, renamed):
    query = "&".join(f"country=c{number}" for number in range(5000))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/press-releases/?{query}").status_code == 400
    assert old_address_queries(queries) == []


@pytest.mark.parametrize("value", ["tur\x00kiye", "x" * 10_000, "türkiye", "a b", "../turkiye"])
@pytest.mark.parametrize("path", ["/press-releases/", "/press-releases/feed/", PAGES[2]])
def test_a_value_that_cannot_be_a_slug_is_never_looked_up(client, renamed, path, value):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, {"country": value}).status_code == 400
    assert old_address_queries(queries) == []
    # Beside an old slug, it is kept as it was while the old slug is mended.
    response = client.get(path, {"country": [value, "turkiye"]})
    assert response.status_code == 301
    assert response["Location"] == f"{path}?" + urlencode(
        [("country", value), ("country", "republic-of-turkiye")]
    )
    assert client.get(response["Location"]).status_code == 400
