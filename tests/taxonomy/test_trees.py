"""taxonomy.trees, the one seam to the tree library: each function agrees with the library's
own answers over the reference data's trees, reads in the queries it promises, and no other
module names the library or its columns."""

import re
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from institutions.models import Structure
from press.models import Release
from taxonomy import trees
from taxonomy.models import Country, FieldOfWork, Meeting, MenuItem
from tests.helpers.factories import field

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent
TERM_TREES = [FieldOfWork, Meeting, Structure]
ALL_TREES = [*TERM_TREES, MenuItem]


@pytest.fixture(autouse=True)
def nested_fields():
    """The reference fields of work and meetings are one level deep: nest some, so every
    tree has depth (the fields, two levels)."""
    human_rights = field("human-rights")
    trees.move(field("youth"), human_rights, "last-child")
    trees.move(field("migration"), human_rights, "first-child")
    trees.move(field("education"), field("youth"), "last-child")
    first, second = Meeting.objects.order_by(trees.order_key())[:2]
    trees.move(second, first, "last-child")


def library_order(model):
    """Every node as the tree library walks it: each root, then its descendants."""
    return [
        node
        for root in model._tree_manager.root_nodes()
        for node in root.get_descendants(include_self=True)
    ]


def country_entries():
    return MenuItem.objects.filter(content_type=ContentType.objects.get_for_model(Country))


# Building blocks


@pytest.mark.parametrize("model", ALL_TREES)
def test_every_tree_model_is_a_tree(model):
    assert trees.is_tree(model)
    assert trees.is_tree(model._default_manager.first())


@pytest.mark.parametrize("model", [Country, Release, ContentType])
def test_other_models_are_not_trees(model):
    assert not trees.is_tree(model)


def test_cached_trees_reads_the_whole_tree_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        roots = trees.cached_trees(FieldOfWork.objects.all())
        walked = []

        def walk(nodes):
            for node in nodes:
                walked.append(node.pk)
                walk(node.get_children())

        walk(roots)
    assert walked == [node.pk for node in library_order(FieldOfWork)]
    assert len(roots) == FieldOfWork.objects.filter(parent=None).count()


def test_move_puts_the_node_where_asked_and_sends_node_moved():
    youth, human_rights = field("youth"), field("human-rights")
    heard = []

    def listen(sender, instance, **kwargs):
        heard.append((sender, instance.pk))

    trees.node_moved.connect(listen, sender=FieldOfWork)
    try:
        trees.move(youth, human_rights, "last-child")
    finally:
        trees.node_moved.disconnect(listen, sender=FieldOfWork)
    human_rights.refresh_from_db()
    assert list(human_rights.get_children())[-1].pk == youth.pk
    assert heard == [(FieldOfWork, youth.pk)]


def test_rebuild_restores_the_depths_and_keeps_the_order():
    before = trees.nodes_in_tree_order(FieldOfWork)
    FieldOfWork.objects.update(level=7)  # a write past the tree, as a restored revision is
    assert {depth for *_rest, depth in trees.nodes_in_tree_order(FieldOfWork)} == {7}
    trees.rebuild(FieldOfWork)
    assert trees.nodes_in_tree_order(FieldOfWork) == before


def test_the_node_picker_offers_the_tree_in_order_indented_by_depth():
    picker = trees.TreeMultipleChoiceField(queryset=FieldOfWork.objects.all())
    choices = [(choice.value, label) for choice, label in list(picker.choices)]
    nodes = library_order(FieldOfWork)
    assert [pk for pk, _label in choices] == [node.pk for node in nodes]
    for (_pk, label), node in zip(choices, nodes, strict=True):
        assert label == f"{'---' * node.get_level()} {node.name}"


@pytest.mark.parametrize("cut_item", ["not-a-number", "", "99999999"])
def test_a_drag_of_a_malformed_or_missing_node_is_refused_not_a_server_error(
    admin_client, cut_item
):
    before = trees.nodes_in_tree_order(FieldOfWork)
    response = admin_client.post(
        reverse("admin:taxonomy_fieldofwork_changelist"),
        {
            "cmd": "move_node",
            "cut_item": cut_item,
            "pasted_on": field("youth").pk,
            "position": "last-child",
        },
    )
    assert response.status_code == 200
    assert response.content.startswith(b"FAIL")
    assert trees.nodes_in_tree_order(FieldOfWork) == before


def test_a_drag_calls_the_moved_hook_inside_the_moving_one(admin_client):
    """The reference admins' hooks: the drag leaves one revision saying where it went."""
    youth, human_rights = field("youth"), field("human-rights")
    trees.move(youth, FieldOfWork.objects.get(slug="arms-control"), "right")
    response = admin_client.post(
        reverse("admin:taxonomy_fieldofwork_changelist"),
        {
            "cmd": "move_node",
            "cut_item": youth.pk,
            "pasted_on": human_rights.pk,
            "position": "last-child",
        },
    )
    assert response.content.startswith(b"OK")
    youth.refresh_from_db()
    assert youth.parent_id == human_rights.pk
    comments = Version.objects.get_for_object(youth).values_list("revision__comment", flat=True)
    assert list(comments) == ["Moved under “Human rights”."]


# Subtrees


@pytest.mark.parametrize("model", TERM_TREES)
def test_subtree_of_is_the_node_and_all_below_it(model):
    for node in model.objects.all():
        expected = {below.pk for below in node.get_descendants(include_self=True)}
        subtree = trees.subtree_of(model.objects.all(), [node])
        below = model.objects.filter(trees.descendants_q(node))
        assert set(subtree.values_list("pk", flat=True)) == expected
        assert set(below.values_list("pk", flat=True)) == expected - {node.pk}


def test_subtree_of_several_nodes_is_their_union_and_of_none_is_empty():
    human_rights, education = field("human-rights"), field("education")
    expected = {
        node.pk
        for top in (human_rights, education)
        for node in top.get_descendants(include_self=True)
    }
    found = trees.subtree_of(FieldOfWork.objects.all(), [human_rights, education])
    assert set(found.values_list("pk", flat=True)) == expected
    assert not trees.subtree_of(FieldOfWork.objects.all(), []).exists()
    assert FieldOfWork.objects.subtree_of(human_rights, education).count() == len(expected)


def test_subtree_q_follows_a_relation(make_release):
    human_rights = field("human-rights")
    below = human_rights.get_children()[0]
    inside = make_release(fields=[below.slug])
    outside = make_release(fields=["arms-control"])
    found = Release.objects.filter(trees.subtree_q([human_rights], prefix="fields_of_work"))
    assert inside in found
    assert outside not in found


@pytest.mark.parametrize("model", ALL_TREES)
def test_subtree_members_are_each_node_and_its_descendants(model, django_assert_num_queries):
    with django_assert_num_queries(1):
        members = trees.subtree_members(model)
    nodes = library_order(model)
    assert list(members) == [node.pk for node in nodes]
    for node in nodes:
        assert members[node.pk] == [
            below.pk for below in node.get_descendants(include_self=True)
        ], node


# Tree order and depth


@pytest.mark.parametrize("model", TERM_TREES)
def test_nodes_in_tree_order_are_the_library_order_with_depths(model, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = trees.nodes_in_tree_order(model)
    assert rows == [
        (node.pk, node.slug, node.name, node.get_level()) for node in library_order(model)
    ]
    assert {depth for *_rest, depth in rows} >= {0, 1}


@pytest.mark.parametrize("model", ALL_TREES)
def test_the_order_key_sorts_as_the_library_does(model):
    ordered = model.objects.order_by(trees.order_key()).values_list("pk", flat=True)
    assert list(ordered) == [node.pk for node in library_order(model)]


def test_the_order_key_follows_a_relation(make_release):
    slugs = ["youth", "human-rights", "arms-control", "education"]
    release = make_release(fields=slugs)
    through_release = (
        Release.objects.filter(pk=release.pk)
        .order_by(trees.order_key("fields_of_work"))
        .values_list("fields_of_work__slug", flat=True)
    )
    in_tree = [node.slug for node in library_order(FieldOfWork) if node.slug in slugs]
    assert list(through_release) == in_tree


def test_a_release_lists_its_fields_in_tree_order(make_release):
    slugs = ["youth", "human-rights", "arms-control", "education"]
    release = make_release(fields=slugs)
    loaded = Release.objects.get(pk=release.pk)
    in_tree = [node.slug for node in library_order(FieldOfWork) if node.slug in slugs]
    assert [term.slug for term in loaded.terms["fields_of_work"]] == in_tree


# The menu's order of countries


def menu_positions():
    """Each country the menu lists, by pk: its ``menu_position``, as the countries'
    menu order (``Country.objects.in_menu_order``, which the finder's index reads) has it."""
    return {
        country.pk: country.menu_position
        for country in Country.objects.in_menu_order()
        if country.menu_position is not None
    }


def test_menu_positions_order_the_countries_as_the_menu_lists_them(django_assert_num_queries):
    with django_assert_num_queries(1):
        positions = menu_positions()
    country_type = ContentType.objects.get_for_model(Country).pk
    first_seen = []
    for entry in library_order(MenuItem):
        if entry.content_type_id == country_type and entry.object_id not in first_seen:
            first_seen.append(entry.object_id)
    assert len(first_seen) > 50
    assert sorted(positions, key=positions.get) == first_seen


def test_a_country_listed_twice_takes_its_first_entry(django_assert_num_queries):
    austria = Country.objects.get(slug="austria")
    later = country_entries().get(object_id=austria.pk)
    top = library_order(MenuItem)[0]
    earlier = MenuItem.objects.create(
        parent=top, content_type=ContentType.objects.get_for_model(Country), object_id=austria.pk
    )
    trees.move(earlier, top, "first-child")
    positions = menu_positions()
    assert positions[austria.pk] == min(positions.values())
    later_position = (
        MenuItem.objects.filter(pk=later.pk).values_list(trees.order_key(), flat=True).get()
    )
    assert positions[austria.pk] < later_position


def test_a_country_out_of_the_menu_has_no_position_and_comes_last_in_its_group():
    austria = Country.objects.get(slug="austria")
    country_entries().filter(object_id=austria.pk).delete()
    assert austria.pk not in menu_positions()
    in_group = [
        country.pk for country in Country.objects.in_menu_order() if country.group == austria.group
    ]
    assert in_group[-1] == austria.pk


def test_the_countries_page_order_follows_menu_positions():
    positions = menu_positions()
    listed = [
        (country.group.position, positions[country.pk])
        for country in Country.objects.in_menu_order()
        if country.pk in positions
    ]
    assert listed == sorted(listed)
    assert len(listed) == len(positions)


def test_entries_of_another_kind_with_the_same_id_do_not_count():
    austria = Country.objects.get(slug="austria")
    country_entries().filter(object_id=austria.pk).delete()
    top = library_order(MenuItem)[0]
    field_type = ContentType.objects.get_for_model(FieldOfWork)
    MenuItem.objects.create(parent=top, content_type=field_type, object_id=austria.pk)
    assert austria.pk not in menu_positions()


# The seam holds

TREE_WORDS = re.compile(r"\b(lft|rght|tree_id)\b|mptt", re.IGNORECASE)
SCANNED = ["press", "taxonomy", "institutions", "osce_site", "templates"]
ALLOWED_FILES = {
    "taxonomy/trees.py",  # the seam itself
}
INSTALLED_APP_LINE = '"mptt",'  # configuration: the app is installed in settings


def tree_mentions():
    """(file, line number, line) of every mention of the tree library outside the seam."""
    found = []
    for folder in SCANNED:
        for path in sorted((ROOT / folder).rglob("*")):
            relative = path.relative_to(ROOT).as_posix()
            if (
                path.suffix not in {".py", ".html"}
                or "migrations" in path.parts
                or relative in ALLOWED_FILES
            ):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if relative == "osce_site/settings.py" and line.strip() == INSTALLED_APP_LINE:
                    continue
                if TREE_WORDS.search(line):
                    found.append((relative, number, line.strip()))
    return found


def test_only_the_trees_module_names_the_tree_library_or_its_columns():
    assert tree_mentions() == []


def test_the_scan_sees_the_tree_library_where_it_is(settings):
    """The scan would catch a mention: it finds the seam's own, and the installed app."""
    seam = (ROOT / "taxonomy" / "trees.py").read_text(encoding="utf-8")
    assert len(TREE_WORDS.findall(seam)) > 10
    assert "mptt" in settings.INSTALLED_APPS
    assert INSTALLED_APP_LINE in (ROOT / "osce_site" / "settings.py").read_text(encoding="utf-8")
