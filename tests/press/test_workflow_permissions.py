"""Who may do what in the newsroom: every role against every editorial action, through the
admin as a browser would post it; editorial scopes; and the staff preview of drafts.
"""

import pytest
from django.urls import reverse

from institutions.models import Structure
from press.models import Release
from taxonomy.models import Country, FieldOfWork, Place
from tests.helpers import users
from tests.helpers.admin_forms import (
    change_url,
    form_data,
    form_errors,
    new_release_data,
    post_change,
    shown_form_data,
)
from tests.helpers.pages import page
from tests.helpers.users import (
    KEEPING_REFERENCE_DATA,
    MOLDOVA,
    PUBLISHING,
    SECRETARIAT,
    WRITING,
    client_for,
    sent_to_login,
    user_for,
)

pytestmark = pytest.mark.django_db

# The role matrix's fixtures: ``role`` runs each test once per role, ``actor`` is its client.
role = users.role
actor = users.actor


@pytest.fixture
def moldova_release(make_release):
    """A release of the Mission to Moldova, so a scoped writer is in scope."""

    def build(status, **values):
        return make_release(
            title=values.pop("title", f"Moldova release, {status}"),
            sources=(MOLDOVA,),
            status=status,
            **values,
        )

    return build


# ---------------------------------------------------------------------------------------
# The matrix: each role against each action


def test_release_changelist(role, actor, moldova_release):
    release = moldova_release(Release.Status.DRAFT)
    response = actor.get(reverse("admin:press_release_changelist"))
    if role == "anonymous":
        assert sent_to_login(response)
    else:
        assert response.status_code == 200
        assert release.title in response.content.decode()


def test_add_a_draft(role, actor):
    before = Release.objects.count()
    response = actor.post(reverse("admin:press_release_add"), new_release_data())
    if role in WRITING:
        assert response.status_code == 302, form_errors(response)
        release = Release.objects.get(slug="talks-on-the-dniester-bridge")
        assert release.status == Release.Status.DRAFT
        assert release.created_by_id == int(actor.session["_auth_user_id"])
        assert release.version == 1
    else:
        assert sent_to_login(response) if role == "anonymous" else response.status_code == 403
        assert Release.objects.count() == before


def test_submit_for_review(role, actor, moldova_release):
    release = moldova_release(Release.Status.DRAFT)
    response = post_change(actor, release, status=Release.Status.REVIEW)
    release.refresh_from_db()
    if role in WRITING:
        assert response.status_code == 302, form_errors(response)
        assert release.status == Release.Status.REVIEW
    else:
        assert sent_to_login(response) if role == "anonymous" else response.status_code == 403
        assert release.status == Release.Status.DRAFT


def test_publish(role, actor, moldova_release):
    release = moldova_release(Release.Status.REVIEW)
    response = post_change(actor, release, status=Release.Status.PUBLISHED)
    release.refresh_from_db()
    if role in PUBLISHING:
        assert response.status_code == 302, form_errors(response)
        assert release.status == Release.Status.PUBLISHED
        return
    if role in WRITING:
        # Writers are offered no "Published"; a forged post is a form error, not a save.
        assert response.status_code == 200
        assert form_errors(response)
        assert "status" in response.context["adminform"].form.errors
    elif role == "anonymous":
        assert sent_to_login(response)
    else:
        assert response.status_code == 403
    assert release.status == Release.Status.REVIEW


@pytest.mark.parametrize("role", sorted(WRITING))
def test_only_publishers_are_offered_publishing_states(role, actor, moldova_release):
    release = moldova_release(Release.Status.DRAFT)
    form = actor.get(change_url(release)).context["adminform"].form
    offered = {value for value, _ in form.fields["status"].choices}
    if role in PUBLISHING:
        assert offered == set(Release.Status.values)
    else:
        assert offered == {Release.Status.DRAFT, Release.Status.REVIEW}


def test_unpublish(role, actor, moldova_release):
    release = moldova_release(Release.Status.PUBLISHED)
    response = post_change(actor, release, status=Release.Status.UNPUBLISHED)
    release.refresh_from_db()
    if role in PUBLISHING:
        assert response.status_code == 302, form_errors(response)
        assert release.status == Release.Status.UNPUBLISHED
        return
    if role in WRITING:
        assert response.status_code == 200
        assert "Only a publisher can publish or unpublish" in form_errors(response)
    elif role == "anonymous":
        assert sent_to_login(response)
    else:
        assert response.status_code == 403
    assert release.status == Release.Status.PUBLISHED


def test_writers_cannot_take_a_published_release_back_to_draft(moldova_release):
    release = moldova_release(Release.Status.PUBLISHED)
    writer = client_for(user_for("writer"))
    response = post_change(writer, release, status=Release.Status.DRAFT)
    assert response.status_code == 200
    assert "Only a publisher can publish or unpublish" in form_errors(response)
    release.refresh_from_db()
    assert release.status == Release.Status.PUBLISHED


def test_delete(role, actor, moldova_release):
    release = moldova_release(Release.Status.DRAFT)
    url = reverse("admin:press_release_delete", args=[release.pk])
    page = actor.get(url)
    response = actor.post(url, {"post": "yes"})
    if role in PUBLISHING:
        assert page.status_code == 200
        assert response.status_code == 302
        assert not Release.objects.filter(pk=release.pk).exists()
        return
    if role == "anonymous":
        assert sent_to_login(page)
        assert sent_to_login(response)
    else:
        assert page.status_code == 403
        assert response.status_code == 403
    assert Release.objects.filter(pk=release.pk).exists()


def offered_actions(client):
    response = client.get(reverse("admin:press_release_changelist"))
    if response.status_code != 200 or response.context.get("action_form") is None:
        return set()
    return {name for name, _ in response.context["action_form"].fields["action"].choices}


def test_bulk_publish(role, actor, moldova_release):
    releases = [moldova_release(Release.Status.REVIEW, title=f"In review {n}") for n in (1, 2)]
    offered = offered_actions(actor)
    response = actor.post(
        reverse("admin:press_release_changelist"),
        {"action": "publish_selected", "_selected_action": [str(r.pk) for r in releases]},
    )
    statuses = {r.status for r in Release.objects.filter(pk__in=[r.pk for r in releases])}
    if role in PUBLISHING:
        assert "publish_selected" in offered
        assert "unpublish_selected" in offered
        assert response.status_code == 302
        assert statuses == {Release.Status.PUBLISHED}
        return
    assert "publish_selected" not in offered
    assert "unpublish_selected" not in offered
    assert "delete_selected" not in offered
    if role == "anonymous":
        assert sent_to_login(response)
    assert statuses == {Release.Status.REVIEW}


def test_bulk_submit_for_review(role, actor, moldova_release):
    draft = moldova_release(Release.Status.DRAFT)
    response = actor.post(
        reverse("admin:press_release_changelist"),
        {"action": "submit_for_review", "_selected_action": [str(draft.pk)]},
    )
    draft.refresh_from_db()
    if role in WRITING:
        assert response.status_code == 302
        assert draft.status == Release.Status.REVIEW
    else:
        assert draft.status == Release.Status.DRAFT


REFERENCE_EDITS = {
    "country": (lambda: Country.objects.get(slug="austria"), "name", "Austria (renamed)"),
    "field of work": (lambda: FieldOfWork.objects.get(slug="youth"), "name", "Youth (renamed)"),
}


@pytest.mark.parametrize("kind", REFERENCE_EDITS)
def test_change_reference_data(role, actor, kind):
    get, attribute, new_value = REFERENCE_EDITS[kind]
    term = get()
    old_value = getattr(term, attribute)
    data = shown_form_data(term)
    data[attribute] = new_value

    page = actor.get(change_url(term))
    response = actor.post(change_url(term), data)
    term.refresh_from_db()

    if role == "anonymous":
        assert sent_to_login(page)
        assert sent_to_login(response)
    elif role in KEEPING_REFERENCE_DATA:
        assert page.status_code == 200
        assert 'name="_save"' in page.content.decode()
        assert response.status_code == 302, form_errors(response)
        assert getattr(term, attribute) == new_value
        return
    else:
        # Writers and publishers read reference data (to pick terms), never change it.
        assert page.status_code in (200, 403)
        if page.status_code == 200:
            assert 'name="_save"' not in page.content.decode()
            assert page.context["has_change_permission"] is False
        assert response.status_code == 403
    assert getattr(term, attribute) == old_value


@pytest.mark.parametrize("model", [Country, FieldOfWork, Structure, Place], ids=str)
def test_view_reference_data_changelists(role, actor, model):
    opts = model._meta
    response = actor.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    if role == "anonymous":
        assert sent_to_login(response)
    else:
        assert response.status_code == 200


def test_site_admins_only_view_releases(moldova_release):
    release = moldova_release(Release.Status.DRAFT)
    site_admin = client_for(user_for("site admin"))
    page = site_admin.get(change_url(release))
    assert page.status_code == 200
    assert release.title in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert site_admin.get(reverse("admin:press_release_add")).status_code == 403


# ---------------------------------------------------------------------------------------
# Editorial scopes


@pytest.fixture
def scoped_writer():
    return client_for(user_for("scoped writer"))


def test_a_scoped_writer_lists_only_releases_of_the_scope(scoped_writer, make_release):
    ours = make_release(title="Moldova ceasefire talks", sources=(MOLDOVA,), status="draft")
    theirs = make_release(title="Secretariat budget news", sources=(SECRETARIAT,))

    response = scoped_writer.get(reverse("admin:press_release_changelist"))

    assert response.status_code == 200
    listed = list(response.context["cl"].result_list)
    assert listed == [ours]
    assert ours.title in response.content.decode()
    assert theirs.title not in response.content.decode()


def test_a_scoped_writer_cannot_open_or_change_another_sources_release(scoped_writer, make_release):
    theirs = make_release(title="Secretariat budget news", sources=(SECRETARIAT,))

    page = scoped_writer.get(change_url(theirs), follow=True)
    assert page.redirect_chain == [] or page.redirect_chain[-1][0] == reverse("admin:index")
    assert page.status_code in (200, 404)
    assert theirs.title not in page.content.decode()

    data = shown_form_data(theirs)
    data["title"] = "Taken over by Moldova"
    response = scoped_writer.post(change_url(theirs), data)
    assert response.status_code in (302, 403, 404)
    theirs.refresh_from_db()
    assert theirs.title == "Secretariat budget news"
    assert theirs.version == 1

    history = scoped_writer.get(reverse("admin:press_release_history", args=[theirs.pk]))
    assert theirs.title not in history.content.decode()


def test_a_scoped_writer_cannot_pick_a_source_outside_the_scope(scoped_writer):
    response = scoped_writer.post(
        reverse("admin:press_release_add"), new_release_data(sources=(SECRETARIAT,))
    )
    assert response.status_code == 200
    assert "sources" in response.context["adminform"].form.errors
    assert not Release.objects.filter(slug="talks-on-the-dniester-bridge").exists()


def test_a_scoped_writer_cannot_add_an_outside_source_to_a_release_in_scope(
    scoped_writer, make_release
):
    ours = make_release(sources=(MOLDOVA,), status="draft")
    secretariat = Structure.objects.get(slug=SECRETARIAT)
    data = form_data(scoped_writer.get(change_url(ours)))
    data["sources"] = [*data["sources"], str(secretariat.pk)]

    response = scoped_writer.post(change_url(ours), data)

    assert response.status_code == 200
    assert "sources" in response.context["adminform"].form.errors
    assert list(ours.sources.values_list("slug", flat=True)) == [MOLDOVA]


def test_a_joint_release_keeps_its_outside_source_when_a_scoped_writer_saves_it(
    scoped_writer, make_release
):
    joint = make_release(title="Joint statement", sources=(MOLDOVA, SECRETARIAT), status="draft")
    data = form_data(scoped_writer.get(change_url(joint)))
    data["title"] = "Joint statement, corrected"

    response = scoped_writer.post(change_url(joint), data)

    assert response.status_code == 302, form_errors(response)
    joint.refresh_from_db()
    assert joint.title == "Joint statement, corrected"
    assert sorted(joint.sources.values_list("slug", flat=True)) == [MOLDOVA, SECRETARIAT]


# ---------------------------------------------------------------------------------------
# The staff preview


def test_a_writer_previews_a_draft_at_its_public_url(make_release):
    draft = make_release(title="Draft on water", sources=(MOLDOVA,), status="draft")
    writer = client_for(user_for("writer"))

    response = writer.get(draft.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "notice--preview" in html
    assert "<strong>Draft</strong>" in html
    assert "preview" in html
    assert draft.title in html
    cache_control = response.headers.get("Cache-Control", "")
    assert "private" in cache_control
    assert "no-store" in cache_control


def test_a_published_release_has_no_preview_banner_for_staff(make_release):
    release = make_release(title="Out already", sources=(MOLDOVA,))
    response = client_for(user_for("writer")).get(release.get_absolute_url())
    assert response.status_code == 200
    assert "notice--preview" not in response.content.decode()
    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("status", ["draft", "review", "unpublished"])
def test_the_public_gets_404_for_a_release_not_published(client, make_release, status):
    release = make_release(title="Not for the public", sources=(MOLDOVA,), status=status)
    response = client.get(release.get_absolute_url())
    assert response.status_code == 404
    assert "Not for the public" not in response.content.decode()


def test_a_scoped_writer_cannot_preview_another_sources_draft(scoped_writer, make_release):
    theirs = make_release(title="Secretariat draft", sources=(SECRETARIAT,), status="draft")
    ours = make_release(title="Moldova draft", sources=(MOLDOVA,), status="draft")

    assert scoped_writer.get(theirs.get_absolute_url()).status_code == 404
    assert scoped_writer.get(ours.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("status", "offered"),
    [
        (Release.Status.DRAFT, ["Save draft", "Submit for review"]),
        (Release.Status.REVIEW, ["Save", "Back to draft"]),
        (Release.Status.PUBLISHED, ["Save changes"]),
        (Release.Status.UNPUBLISHED, ["Save"]),
    ],
)
def test_a_writer_is_offered_only_the_actions_a_writer_may_take(make_release, status, offered):
    release = make_release(title="A release", status=status)
    writer = client_for(user_for("writer"))
    url = reverse("admin:press_release_change", args=[release.pk])

    shown = page(writer.get(url))

    assert shown.find_all("select", name="status") == []  # people choose actions, not states
    assert shown.find("input", name="status").attrs["type"] == "hidden"
    buttons = shown.find_all("button", name="_action")
    assert [button.text for button in buttons] == offered
    # What is offered saves: the form as it stands, with each button (the one that changes
    # the state last).
    for button in buttons:
        saved = writer.post(url, {**form_data(writer.get(url)), "_action": button.attrs["value"]})
        assert saved.status_code == 302, form_errors(saved)
