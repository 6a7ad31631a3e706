"""Moves in the reference trees: a closed field operation goes under "Closed field
activities", a field of work dragged under or before another; the tree stays valid and
the menu and the term pages follow."""

import pytest
from reversion.models import Version

from institutions.models import Structure
from taxonomy.models import FieldOfWork
from tests.helpers.admin_forms import admin_url, change_url, messages_of, shown_form_data
from tests.helpers.factories import field
from tests.helpers.menu import menu_parent, public_menu
from tests.helpers.trees import assert_valid_tree, move_node

pytestmark = pytest.mark.django_db


def test_closing_a_field_operation_moves_it_under_closed_field_activities(
    admin_client, client, make_release
):
    release = make_release(title="Montenegro mission report", sources=("mission-to-montenegro",))
    montenegro = Structure.objects.get(slug="mission-to-montenegro")
    assert montenegro.parent.slug == "field-operations"
    data = shown_form_data(montenegro)
    data["closed_on"] = "2024-12-31"

    response = admin_client.post(change_url(montenegro), data, follow=True)

    assert response.redirect_chain == [(admin_url(Structure, "changelist"), 302)]
    assert messages_of(response)[0] == (
        "“Mission to Montenegro” is closed, so it now sits under “Closed field activities”; "
        "its page, address and releases stay."
    )
    montenegro.refresh_from_db()
    assert montenegro.parent.kind == Structure.Kind.CLOSED_GROUP
    assert montenegro.parent.name == "Closed field activities"
    assert montenegro.slug == "mission-to-montenegro"
    assert_valid_tree(Structure)

    page = client.get("/structures/mission-to-montenegro/")
    assert page.status_code == 200
    assert list(page.context["releases"]) == [release]
    assert "Closed on 31 December 2024." in page.content.decode()
    closed = client.get("/structures/closed-field-activities/")
    assert list(closed.context["releases"]) == [release]
    assert release.title in client.get("/structures/mission-to-montenegro/feed/").content.decode()
    assert menu_parent(public_menu(client), "Mission to Montenegro")[0] == (
        "Closed field activities"
    )


def test_dragging_a_field_of_work_under_another(admin_client, client, make_release):
    release = make_release(title="Young people and human rights", fields=("youth",))
    youth, human_rights = field("youth"), field("human-rights")
    assert menu_parent(public_menu(client), "Youth")[0] == "Fields of work"

    response = move_node(admin_client, youth, human_rights, "last-child")

    assert response.status_code == 200
    assert response.content == b"OK, moved."
    youth.refresh_from_db()
    assert youth.parent == human_rights
    assert_valid_tree(FieldOfWork)
    assert list(release.fields_of_work.all()) == [youth]
    assert list(client.get("/fields-of-work/youth/").context["releases"]) == [release]
    # The parent's page covers its subtree, so the release is listed there now too.
    assert list(client.get("/fields-of-work/human-rights/").context["releases"]) == [release]
    holder, siblings = menu_parent(public_menu(client), "Youth")
    assert (holder, siblings) == ("Human rights", ["Youth"])
    assert "Youth" not in menu_parent(public_menu(client), "Arms control")[1]

    [version] = Version.objects.get_for_object(youth)
    assert version.revision.comment == "Moved under “Human rights”."
    assert version.revision.user.username == "admin"
    assert version.field_dict["parent_id"] == human_rights.pk


def test_dragging_a_field_of_work_before_another_reorders_the_menu(admin_client, client):
    youth, arms_control = field("youth"), field("arms-control")

    response = move_node(admin_client, youth, arms_control, "left")

    assert response.content == b"OK, moved."
    assert list(FieldOfWork.objects.filter(parent=None).values_list("slug", flat=True)[:2]) == [
        "youth",
        "arms-control",
    ]
    assert_valid_tree(FieldOfWork)
    holder, siblings = menu_parent(public_menu(client), "Youth")
    assert holder == "Fields of work"
    assert siblings[:2] == ["Youth", "Arms control"]
