"""The versions (taxonomy.freshness) move with every write a page may show, whoever makes
it, and with nothing else; on SQLite and on PostgreSQL alike."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from institutions.models import Structure
from press.models import Release
from taxonomy import freshness
from taxonomy.models import Country, Freshness, MenuItem, Place

pytestmark = pytest.mark.django_db


def moved_by(write):
    """Which versions ``write()`` moved: a set of "content" and "menu"."""
    before = freshness.current()
    write()
    after = freshness.current()
    return {kind for kind in ("content", "menu") if getattr(before, kind) != getattr(after, kind)}


@pytest.mark.parametrize(
    ("label", "write", "kinds"),
    [
        (
            "a takedown by a bulk update",
            lambda: Release.objects.update(status=Release.Status.UNPUBLISHED),
            {"content"},
        ),
        (
            "releases inserted in bulk",
            lambda: Release.objects.bulk_create(
                [Release(title=f"Bulk {n}", slug=f"bulk-{n}") for n in range(3)]
            ),
            {"content"},
        ),
        ("a place renamed", lambda: Place.objects.update(name="Elsewhere"), {"content"}),
        ("a country renamed", lambda: Country.objects.update(name="Renamed"), {"menu"}),
        ("a structure renamed", lambda: Structure.objects.update(name="Renamed"), {"menu"}),
        ("a menu entry deleted", lambda: MenuItem.objects.all()[:1].get().delete(), {"menu"}),
        ("a read", lambda: list(Release.objects.all()), set()),
    ],
)
def test_each_write_moves_its_own_version_and_a_read_none(make_release, label, write, kinds):
    make_release(title="Already there")
    assert moved_by(write) == kinds, label


def test_a_link_added_to_a_release_moves_the_content_version(make_release):
    release = make_release(title="Linked")
    moldova = Country.objects.get(slug="moldova")
    assert moved_by(lambda: release.countries.add(moldova)) == {"content"}


def test_a_rolled_back_write_leaves_the_versions_as_they_were(make_release):
    make_release(title="Before")
    before = freshness.current()
    inside = []

    def write_then_fail():
        with transaction.atomic():
            Release.objects.update(title="Never")
            inside.append(freshness.current())
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert inside[0].content != before.content  # seen inside the transaction
    assert freshness.current() == before


def test_a_flushed_table_starts_again_under_new_tokens(make_release):
    make_release(title="Before")
    before = freshness.current()
    Freshness.objects.all().delete()
    after = freshness.current()
    assert Freshness.objects.count() == 2
    assert after.content != before.content
    assert after.menu != before.menu


def test_the_next_scheduled_release_is_due_at_its_second(make_release):
    now = timezone.now()
    assert freshness.current().due is None
    due = now.replace(microsecond=0) + dt.timedelta(hours=3)
    make_release(title="Later", published_at=due)
    make_release(title="Much later", published_at=due + dt.timedelta(days=1))
    make_release(title="A later draft", published_at=now, status=Release.Status.DRAFT)
    assert freshness.current().due == due.timestamp()


def test_pinned_versions_are_answered_without_a_query(django_assert_num_queries):
    versions = freshness.current()
    with freshness.pinned(versions), django_assert_num_queries(0):
        assert freshness.current() is versions
    with django_assert_num_queries(1):
        freshness.current()
