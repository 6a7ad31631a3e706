"""A term's old slug in a finder or feed parameter leads (301) to the same query with the
current slug: bookmarks, saved searches and feed subscriptions outlive a rename or a merge.
"""

import pytest
from django.core.cache import cache

from institutions.models import Structure
from taxonomy import usage
from taxonomy.models import Country, FieldOfWork, OldAddress

pytestmark = pytest.mark.django_db


def rename(model, slug, new_slug):
    """As the admin does it: the new slug saved, the old one remembered."""
    term = model.objects.get(slug=slug)
    term.slug = new_slug
    term.save()
    OldAddress.remember(term, slug)
    return term


@pytest.fixture
def renamed():
    rename(Country, "turkiye", "republic-of-turkiye")
    rename(FieldOfWork, "human-rights", "fundamental-rights")
    rename(Structure, "secretariat", "the-secretariat")


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/press-releases/", "country=turkiye", "country=republic-of-turkiye"),
        (
            "/press-releases/",
            "q=water&field=human-rights&type=news&page=1",
            "q=water&field=fundamental-rights&type=news&page=1",
        ),
        (
            "/press-releases/",
            "source=secretariat&country=moldova&country=turkiye&sort=oldest",
            "source=the-secretariat&country=moldova&country=republic-of-turkiye&sort=oldest",
        ),
        ("/press-releases/feed/", "field=human-rights", "field=fundamental-rights"),
        ("/countries/moldova/", "field=human-rights", "field=fundamental-rights"),
        ("/countries/moldova/feed/", "source=secretariat", "source=the-secretariat"),
    ],
)
def test_an_old_slug_in_a_parameter_leads_to_the_current_one(
    client, renamed, path, query, expected
):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 301
    assert response.url == f"{path}?{expected}"
    assert client.get(response.url).status_code == 200  # and there it stops: no loop


def test_a_merged_term_s_slug_leads_to_the_term_it_was_merged_into(client):
    source = FieldOfWork.objects.create(name="Water governance", slug="water-governance")
    target = FieldOfWork.objects.get(slug="environmental-activities")
    usage.merge(source, target)
    response = client.get("/press-releases/?field=water-governance")
    assert response.status_code == 301
    assert response.url == "/press-releases/?field=environmental-activities"


def test_a_slug_that_never_was_is_still_a_400(client, renamed):
    assert client.get("/press-releases/?country=atlantis").status_code == 400
    # The old slug is mended, the unknown one still refused there.
    mixed = client.get("/press-releases/?country=atlantis&country=turkiye")
    assert mixed.url == "/press-releases/?country=atlantis&country=republic-of-turkiye"
    assert client.get(mixed.url).status_code == 400
    assert client.get("/press-releases/feed/?field=nothing-of-the-kind").status_code == 400


def test_a_current_slug_costs_no_lookup_of_old_ones(client, django_assert_max_num_queries):
    client.get("/press-releases/?country=moldova")  # the index built
    cache.clear()
    with django_assert_max_num_queries(5):  # versions, menu, the slug, releases, terms
        assert client.get("/press-releases/?country=moldova").status_code == 200
