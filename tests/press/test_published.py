"""The one visibility rule, ``Release.objects.published()``, its twin ``is_published()``, and
how a release gets its slug."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from press.models import Release

pytestmark = pytest.mark.django_db

DRAFT = Release.Status.DRAFT
PUBLISHED = Release.Status.PUBLISHED


def published_pks():
    return set(Release.objects.published().values_list("pk", flat=True))


def test_published_includes_a_published_release_whose_time_has_come(make_release):
    release = make_release(days_ago=2)

    assert release.pk in published_pks()


def test_published_excludes_drafts(make_release):
    draft = make_release(status=DRAFT, days_ago=2)
    public = make_release(days_ago=2)

    assert published_pks() == {public.pk}
    assert draft.pk not in published_pks()


def test_published_excludes_a_release_scheduled_for_later_until_its_time_comes(make_release):
    publish_at = timezone.now() + dt.timedelta(hours=5)
    scheduled = make_release(published_at=publish_at)

    assert scheduled.pk not in published_pks()

    with time_machine.travel(publish_at - dt.timedelta(seconds=1), tick=False):
        assert scheduled.pk not in published_pks()
    with time_machine.travel(publish_at, tick=False):
        assert scheduled.pk in published_pks()  # its very minute counts
    with time_machine.travel(publish_at + dt.timedelta(minutes=1), tick=False):
        assert scheduled.pk in published_pks()


def test_a_scheduled_draft_stays_hidden_after_its_time(make_release):
    publish_at = timezone.now() + dt.timedelta(days=1)
    draft = make_release(status=DRAFT, published_at=publish_at)

    with time_machine.travel(publish_at + dt.timedelta(days=1), tick=False):
        assert draft.pk not in published_pks()


CASES = {
    # name: (status, publication time relative to now, what the public may see)
    "draft": (DRAFT, dt.timedelta(days=-1), False),
    "past-dated draft": (DRAFT, dt.timedelta(days=-400), False),
    "future draft": (DRAFT, dt.timedelta(days=3), False),
    "scheduled": (PUBLISHED, dt.timedelta(hours=2), False),
    "scheduled next year": (PUBLISHED, dt.timedelta(days=365), False),
    "published": (PUBLISHED, dt.timedelta(days=-1), True),
    "published long ago": (PUBLISHED, dt.timedelta(days=-3650), True),
    "published a second ago": (PUBLISHED, dt.timedelta(seconds=-1), True),
}


def test_is_published_agrees_with_published_for_every_case(make_release):
    """The model method and the queryset method are one rule: they never disagree."""
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        releases = {
            name: make_release(status=status, published_at=now + offset)
            for name, (status, offset, _) in CASES.items()
        }
        public = published_pks()
        for name, release in releases.items():
            expected = CASES[name][2]
            fresh = Release.objects.get(pk=release.pk)
            assert fresh.is_published() is expected, name
            assert (release.pk in public) is expected, name
            assert fresh.is_published() == (release.pk in public), name


def test_is_published_agrees_with_published_at_the_exact_publication_time(make_release):
    publish_at = timezone.now() + dt.timedelta(hours=1)
    release = make_release(published_at=publish_at)

    for moment in (publish_at - dt.timedelta(microseconds=1), publish_at):
        with time_machine.travel(moment, tick=False):
            fresh = Release.objects.get(pk=release.pk)
            assert fresh.is_published() == (release.pk in published_pks())
    with time_machine.travel(publish_at, tick=False):
        assert Release.objects.get(pk=release.pk).is_published() is True


def test_a_new_title_becomes_the_slug(make_release):
    release = make_release(title="Mission to Moldova trains judges on hate crime")

    assert release.slug == "mission-to-moldova-trains-judges-on-hate-crime"


def test_a_repeated_title_gets_the_date_then_a_number(make_release):
    # 23:30 UTC is already the next day in Vienna, the organisation's seat: the date in
    # the slug is the date the release shows.
    when = dt.datetime(2024, 3, 10, 23, 30, tzinfo=dt.UTC)
    first = make_release(title="OSCE Chair statement", published_at=when)
    second = make_release(title="OSCE Chair statement", published_at=when)
    third = make_release(title="OSCE Chair statement", published_at=when)
    fourth = make_release(title="OSCE Chair statement", published_at=when)

    assert first.slug == "osce-chair-statement"
    assert second.slug == "osce-chair-statement-2024-03-11"
    assert third.slug == "osce-chair-statement-2024-03-11-2"
    assert fourth.slug == "osce-chair-statement-2024-03-11-3"


def test_a_slug_that_merely_starts_like_the_title_does_not_count_as_taken(make_release):
    make_release(title="Statement on Ukraine by the Chair")

    release = make_release(title="Statement on Ukraine")

    assert release.slug == "statement-on-ukraine"


def test_saving_again_keeps_the_slug(make_release):
    release = make_release(title="Annual Security Review Conference opens")
    release.title = "Annual Security Review Conference opens in Vienna"
    release.save()
    release.refresh_from_db()

    assert release.slug == "annual-security-review-conference-opens"
