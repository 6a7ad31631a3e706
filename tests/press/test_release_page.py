"""A release page links to related releases and to the releases before and after it."""

import pytest

pytestmark = pytest.mark.django_db


def test_related_releases_share_a_field_of_work_or_a_source(client, make_release):
    release = make_release(title="Main", sources=("mission-to-moldova",), fields=("youth",))
    by_field = make_release(title="Same field", sources=("secretariat",), fields=("youth",))
    by_source = make_release(
        title="Same source", sources=("mission-to-moldova",), fields=("elections",)
    )
    by_subtree_only = make_release(
        title="Sibling mission", sources=("mission-to-serbia",), fields=("elections",)
    )
    make_release(title="Draft on youth", fields=("youth",), status="draft")

    response = client.get(release.get_absolute_url())

    related = [item.title for item in response.context["related"]]
    assert sorted(related) == sorted([by_field.title, by_source.title])
    assert by_subtree_only.title not in related
    assert release.title not in related
    html = response.content.decode()
    assert 'aria-labelledby="related-heading"' in html
    assert f'href="{by_field.get_absolute_url()}"' in html


def test_previous_and_next_follow_publication_time_and_skip_drafts(client, make_release):
    oldest = make_release(title="Oldest", days_ago=30)
    make_release(title="Hidden draft", days_ago=20, status="draft")
    middle = make_release(title="Middle", days_ago=10)
    newest = make_release(title="Newest", days_ago=1)

    response = client.get(middle.get_absolute_url())
    assert response.context["older"] == oldest
    assert response.context["newer"] == newest
    html = response.content.decode()
    assert f'rel="prev" href="{oldest.get_absolute_url()}"' in html
    assert f'rel="next" href="{newest.get_absolute_url()}"' in html

    assert client.get(oldest.get_absolute_url()).context["older"] is None
    assert client.get(newest.get_absolute_url()).context["newer"] is None


def test_releases_at_the_same_moment_are_ordered_by_id(client, make_release):
    first = make_release(title="First at noon")
    second = make_release(title="Second at noon", published_at=first.published_at)

    assert client.get(first.get_absolute_url()).context["newer"] == second
    assert client.get(second.get_absolute_url()).context["older"] == first
