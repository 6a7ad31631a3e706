"""Every admin save of a release is a revision: history, what a save changed, revert,
recovery of a deleted release, and the refusal of a save over someone else's newer one."""

import pytest
from django.urls import reverse
from reversion.models import Version

from press.models import Release
from tests.helpers.admin_forms import change_url, form_data, form_errors, new_release_data
from tests.helpers.users import MOLDOVA, PUBLISHERS, SECRETARIAT, WRITERS, client_for, make_user

pytestmark = pytest.mark.django_db

FIRST_TITLE = "Mission welcomes the ceasefire"
FIRST_BODY = "<p>CHISINAU – The Mission welcomed the ceasefire agreed today.</p>"
SECOND_TITLE = "Mission welcomes the lasting ceasefire"
SECOND_BODY = "<p>CHISINAU – The Mission welcomed the lasting ceasefire agreed on Monday.</p>"
CONFLICT_MESSAGE = "Someone else saved this release"


@pytest.fixture
def publisher():
    return client_for(make_user("publisher", PUBLISHERS))


@pytest.fixture
def writer():
    return client_for(make_user("writer", WRITERS))


def add_release(client, **changes):
    data = new_release_data(
        title=changes.pop("title", FIRST_TITLE),
        slug=changes.pop("slug", "ceasefire"),
        body=changes.pop("body", FIRST_BODY),
        **changes,
    )
    response = client.post(reverse("admin:press_release_add"), data)
    assert response.status_code == 302, form_errors(response)
    return Release.objects.get(slug=data["slug"])


def edit(client, release, **changes):
    """Open the change page, change what is given, save; the response to the save."""
    data = form_data(client.get(change_url(release)))
    data.update(changes)
    return client.post(change_url(release), data)


def saved(client, release, **changes):
    response = edit(client, release, **changes)
    assert response.status_code == 302, form_errors(response)
    release.refresh_from_db()
    return release


def versions_of(release):
    """Newest first, as reversion orders them."""
    return list(Version.objects.get_for_object(release))


@pytest.fixture
def edited_release(publisher):
    """A release saved twice through the admin: first and second title and body."""
    release = add_release(publisher)
    return saved(publisher, release, title=SECOND_TITLE, body=SECOND_BODY)


# ---------------------------------------------------------------------------------------
# Versions and history


def test_every_admin_save_is_a_version_and_counts_one_up(publisher):
    release = add_release(publisher)
    assert release.version == 1
    assert len(versions_of(release)) == 1

    for number, title in enumerate(["Second title", "Third title"], start=2):
        saved(publisher, release, title=title)
        assert release.version == number
        assert len(versions_of(release)) == number

    newest = versions_of(release)[0]
    assert newest.field_dict["title"] == "Third title"
    assert newest.revision.user.username == "publisher"


def test_a_writers_save_is_a_version_too(publisher, writer):
    release = add_release(publisher)
    saved(writer, release, status=Release.Status.REVIEW)
    assert release.version == 2
    newest = versions_of(release)[0]
    assert newest.field_dict["status"] == Release.Status.REVIEW
    assert newest.revision.user.username == "writer"


def test_the_history_lists_every_version_with_a_changes_link(publisher, edited_release):
    response = publisher.get(reverse("admin:press_release_history", args=[edited_release.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="change-history"' in html
    for version in versions_of(edited_release):
        assert reverse("admin:press_compare", args=[edited_release.pk, version.pk]) in html
        assert reverse("admin:press_release_revision", args=[edited_release.pk, version.pk]) in html
    assert html.count(">Changes</a>") == 2


def test_the_changes_view_shows_what_a_save_changed(publisher, edited_release):
    newest, first = versions_of(edited_release)

    response = publisher.get(reverse("admin:press_compare", args=[edited_release.pk, newest.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    rows = {str(row["field"]) for row in response.context["rows"]}
    assert rows == {"title", "body"}
    assert "Mission welcomes the" in html
    assert "lasting" in html
    assert 'class="diff_add"' in html or 'class="diff_chg"' in html
    assert response.context["older"] == first

    # The first version is compared with nothing: everything it holds is new.
    response = publisher.get(reverse("admin:press_compare", args=[edited_release.pk, first.pk]))
    assert response.status_code == 200
    assert "The first version." in response.content.decode()


def test_the_changes_view_refuses_a_version_of_another_release(publisher, edited_release):
    other = add_release(publisher, title="Another release", slug="another")
    version = versions_of(other)[0]
    url = reverse("admin:press_compare", args=[edited_release.pk, version.pk])
    assert publisher.get(url).status_code == 403


# ---------------------------------------------------------------------------------------
# Revert and recover


def test_reverting_to_the_first_version_restores_its_title_and_body(publisher, edited_release):
    first = versions_of(edited_release)[-1]
    url = reverse("admin:press_release_revision", args=[edited_release.pk, first.pk])

    page = publisher.get(url)
    assert page.status_code == 200
    assert page.context["adminform"].form["title"].value() == FIRST_TITLE
    # Looking at an old version changes nothing.
    edited_release.refresh_from_db()
    assert edited_release.title == SECOND_TITLE

    response = publisher.post(url, form_data(page))

    assert response.status_code == 302, form_errors(response)
    edited_release.refresh_from_db()
    assert edited_release.title == FIRST_TITLE
    assert edited_release.body == FIRST_BODY
    assert len(versions_of(edited_release)) == 3
    assert versions_of(edited_release)[0].field_dict["title"] == FIRST_TITLE


def test_a_revert_is_a_save_like_any_other_and_counts_one_up(publisher, writer, edited_release):
    """The version number never goes back: otherwise a form loaded before the revert would
    match the number again and overwrite the revert without a word."""
    assert edited_release.version == 2
    stale_form = form_data(writer.get(change_url(edited_release)))
    first = versions_of(edited_release)[-1]
    url = reverse("admin:press_release_revision", args=[edited_release.pk, first.pk])

    response = publisher.post(url, form_data(publisher.get(url)))

    assert response.status_code == 302, form_errors(response)
    edited_release.refresh_from_db()
    assert edited_release.title == FIRST_TITLE
    assert edited_release.version == 3

    stale_form["body"] = "<p>The writer's edit of the second version.</p>"
    response = writer.post(change_url(edited_release), stale_form)
    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.content.decode()
    edited_release.refresh_from_db()
    assert edited_release.title == FIRST_TITLE
    assert edited_release.body == FIRST_BODY


def test_a_writer_cannot_unpublish_by_reverting_to_a_draft_version(publisher, writer):
    release = add_release(publisher)  # a draft
    saved(publisher, release, status=Release.Status.PUBLISHED)
    draft_version = versions_of(release)[-1]
    assert draft_version.field_dict["status"] == Release.Status.DRAFT
    url = reverse("admin:press_release_revision", args=[release.pk, draft_version.pk])

    page = writer.get(url)
    response = writer.post(url, form_data(page) if page.status_code == 200 else {})

    assert response.status_code in (200, 302, 403)
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_a_scoped_writer_cannot_revert_another_sources_release(publisher):
    release = add_release(publisher, sources=(SECRETARIAT,))
    saved(publisher, release, title=SECOND_TITLE)
    first = versions_of(release)[-1]
    scoped = make_user("moldova-writer", WRITERS, scope=[MOLDOVA])
    url = reverse("admin:press_release_revision", args=[release.pk, first.pk])
    data = form_data(publisher.get(url))

    page = client_for(scoped).get(url, follow=True)
    assert SECOND_TITLE not in page.content.decode()
    client_for(scoped).post(url, data)

    release.refresh_from_db()
    assert release.title == SECOND_TITLE
    assert release.version == 2


def test_a_deleted_release_can_be_recovered_with_its_sources(publisher):
    release = add_release(publisher, sources=(MOLDOVA, SECRETARIAT))
    pk = release.pk
    response = publisher.post(reverse("admin:press_release_delete", args=[pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Release.objects.filter(pk=pk).exists()

    listing = publisher.get(reverse("admin:press_release_recoverlist"))
    assert listing.status_code == 200
    assert FIRST_TITLE in listing.content.decode()
    deleted = Version.objects.get_deleted(Release).get(object_id=str(pk))
    url = reverse("admin:press_release_recover", args=[deleted.pk])
    assert url in listing.content.decode()

    page = publisher.get(url)
    assert page.status_code == 200
    assert not Release.objects.filter(pk=pk).exists()  # looking recovers nothing
    response = publisher.post(url, form_data(page))

    assert response.status_code == 302, form_errors(response)
    recovered = Release.objects.get(pk=pk)
    assert recovered.title == FIRST_TITLE
    assert recovered.body == FIRST_BODY
    assert sorted(recovered.sources.values_list("slug", flat=True)) == [MOLDOVA, SECRETARIAT]
    assert recovered.get_absolute_url() == f"/press-releases/{recovered.slug}/"


# ---------------------------------------------------------------------------------------
# Two editors at once


def test_a_save_over_a_newer_version_is_refused_and_the_first_is_kept(publisher, writer):
    release = add_release(publisher)
    first_page = publisher.get(change_url(release))
    second_page = writer.get(change_url(release))
    first_form, second_form = form_data(first_page), form_data(second_page)
    assert first_form["seen_version"] == second_form["seen_version"] == "1"

    first_form.update(title="The publisher's title", body="<p>The publisher's text.</p>")
    response = publisher.post(change_url(release), first_form)
    assert response.status_code == 302, form_errors(response)

    second_form.update(title="The writer's title", body="<p>The writer's text.</p>")
    response = writer.post(change_url(release), second_form)

    assert response.status_code == 200
    assert CONFLICT_MESSAGE in response.content.decode()
    # The form comes back with the writer's text, so it can be copied.
    assert response.context["adminform"].form["title"].value() == "The writer's title"
    release.refresh_from_db()
    assert release.title == "The publisher's title"
    assert release.body == "<p>The publisher's text.</p>"
    assert release.version == 2
    assert len(versions_of(release)) == 2


def test_after_reloading_the_second_editor_can_save(publisher, writer):
    release = add_release(publisher)
    stale = form_data(writer.get(change_url(release)))
    saved(publisher, release, title="The publisher's title")
    stale["title"] = "The writer's title"
    assert writer.post(change_url(release), stale).status_code == 200

    saved(writer, release, lead="The writer's summary.")

    assert release.title == "The publisher's title"
    assert release.lead == "The writer's summary."
    assert release.version == 3


def test_publishing_from_the_list_leaves_a_version(admin_client, make_release):
    from reversion.models import Version

    release = make_release(title="Bulk published", status="review")
    response = admin_client.post(
        reverse("admin:press_release_changelist"),
        {"action": "publish_selected", "_selected_action": [release.pk]},
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == "published"
    versions = Version.objects.get_for_object(release)
    assert versions.count() == 1
    assert versions.first().field_dict["status"] == "published"
