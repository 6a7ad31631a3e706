"""The history of reference data and reverts: each change listed with its user; a
reverted rename or tree move restores the name, the addresses, the tree and the menu."""

import pytest
from reversion.models import Version

from taxonomy.models import Country, FieldOfWork
from tests.helpers.admin_forms import admin_url, change_url, form_data, shown_form_data
from tests.helpers.factories import field
from tests.helpers.menu import menu_parent, public_menu
from tests.helpers.trees import assert_valid_tree, move_node, tree_columns
from tests.helpers.users import SITE_ADMINS, client_for, make_user

pytestmark = pytest.mark.django_db


def test_the_history_page_lists_each_change_with_its_user(client):
    keeper = make_user("keeper", SITE_ADMINS)
    site_admin = client_for(keeper)
    austria = Country.objects.get(slug="austria")
    data = shown_form_data(austria)
    data["description"] = "A participating State since 1973."
    assert site_admin.post(change_url(austria), data).status_code == 302
    youth = field("youth")
    assert move_node(site_admin, youth, field("education"), "last-child").content == b"OK, moved."

    for obj, action in [
        (austria, "Changed Description."),
        (youth, "Moved under “Education”."),
    ]:
        history = site_admin.get(admin_url(type(obj), "history", obj.pk))
        assert history.status_code == 200
        [entry] = history.context["action_list"]
        assert entry["revision"].user == keeper
        assert entry["revision"].comment == action
        html = history.content.decode()
        assert "keeper" in html
        assert action in html
        assert entry["url"] in html


def revert(client, obj, version):
    """Open the revision page from History and post its form as shown: a revert."""
    url = admin_url(type(obj), "revision", obj.pk, version.pk)
    return client.post(url, form_data(client.get(url)))


def rename_turkiye(client):
    """An unchanged save first (a revision to go back to), then the rename."""
    turkiye = Country.objects.get(slug="turkiye")
    assert client.post(change_url(turkiye), shown_form_data(turkiye)).status_code == 302
    data = shown_form_data(turkiye)
    data.update(name="Turkey", slug="turkey")
    assert client.post(change_url(turkiye), data).status_code == 302
    return turkiye


def test_reverting_a_rename_restores_the_name(admin_client, client):
    turkiye = rename_turkiye(admin_client)
    first, renaming = Version.objects.get_for_object(turkiye).order_by("pk")
    assert renaming.field_dict["name"] == "Turkey"

    response = revert(admin_client, turkiye, first)

    assert response.status_code == 302
    turkiye.refresh_from_db()
    assert (turkiye.name, turkiye.slug) == ("Türkiye", "turkiye")
    assert client.get("/countries/turkiye/").status_code == 200
    assert menu_parent(public_menu(client), "Türkiye")[0] == "Participating States"
    assert menu_parent(public_menu(client), "Turkey") is None
    latest = Version.objects.get_for_object(turkiye).order_by("-pk").first()
    assert latest.revision.comment.startswith("Reverted to previous version")


def test_reverting_a_rename_keeps_the_address_it_had_in_between(admin_client, client):
    turkiye = rename_turkiye(admin_client)
    first = Version.objects.get_for_object(turkiye).order_by("pk").first()
    assert revert(admin_client, turkiye, first).status_code == 302

    response = client.get("/countries/turkey/?q=water")

    assert response.status_code == 301
    assert response["Location"] == "/countries/turkiye/?q=water"


def drag_youth_under_human_rights(client):
    """An unchanged save first (a revision to go back to), then the drag."""
    youth = field("youth")
    assert client.post(change_url(youth), shown_form_data(youth)).status_code == 302
    assert move_node(client, youth, field("human-rights"), "last-child").content == b"OK, moved."
    return youth


def test_reverting_the_move_of_a_subtree_leaves_a_valid_tree(admin_client):
    """The revert writes the old tree columns of the parent only; its child must follow."""
    youth = drag_youth_under_human_rights(admin_client)
    human_rights = field("human-rights")
    assert (
        admin_client.post(change_url(human_rights), shown_form_data(human_rights)).status_code
        == 302
    )
    assert move_node(
        admin_client, human_rights, field("democratization"), "last-child"
    ).content == (b"OK, moved.")
    at_the_top = Version.objects.get_for_object(human_rights).order_by("pk").first()

    assert revert(admin_client, human_rights, at_the_top).status_code == 302

    assert_valid_tree(FieldOfWork)
    human_rights.refresh_from_db()
    youth.refresh_from_db()
    assert human_rights.parent is None
    assert youth.parent == human_rights
    assert list(human_rights.get_descendants()) == [youth]
    assert field("democratization").get_descendant_count() == 0


def test_reverting_a_tree_move_leaves_a_valid_tree(admin_client, make_release):
    release = make_release(fields=("youth",))
    before = [(pk, parent) for pk, parent, *_ in tree_columns(FieldOfWork)]
    youth = drag_youth_under_human_rights(admin_client)
    first, moved = Version.objects.get_for_object(youth).order_by("pk")
    assert moved.field_dict["parent_id"] == field("human-rights").pk

    response = revert(admin_client, youth, first)

    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.parent is None
    assert field("human-rights").get_children().count() == 0
    assert_valid_tree(FieldOfWork)
    assert [(pk, parent) for pk, parent, *_ in tree_columns(FieldOfWork)] == before
    assert list(release.fields_of_work.all()) == [youth]


def test_reverting_a_tree_move_moves_the_menu_entry_back(admin_client, client):
    youth = drag_youth_under_human_rights(admin_client)
    assert menu_parent(public_menu(client), "Youth")[0] == "Human rights"
    first = Version.objects.get_for_object(youth).order_by("pk").first()
    assert revert(admin_client, youth, first).status_code == 302

    assert menu_parent(public_menu(client), "Youth")[0] == "Fields of work"
