"""The reference trees (nested sets): their columns, a check that they hold, and a
node dragged in the admin's changelist."""

from tests.helpers.admin_forms import admin_url


def move_node(client, node, target, position):
    """The post the changelist's drag and drop sends."""
    return client.post(
        admin_url(type(node), "changelist"),
        {"cmd": "move_node", "cut_item": node.pk, "pasted_on": target.pk, "position": position},
    )


def tree_columns(model):
    return list(
        model.objects.order_by("tree_id", "lft").values_list(
            "pk", "parent_id", "tree_id", "lft", "rght", "level"
        )
    )


def assert_valid_tree(model):
    """Nested sets hold: each node's range inside its parent's, ranges of siblings apart."""
    nodes = {pk: row for pk, *row in tree_columns(model)}
    for pk, (parent_id, tree_id, lft, rght, level) in nodes.items():
        assert lft < rght, pk
        assert (rght - lft - 1) % 2 == 0, pk
        descendants = [n for n in nodes.values() if n[1] == tree_id and lft < n[2] < rght]
        assert rght - lft - 1 == 2 * len(descendants), pk
        if parent_id is None:
            assert (lft, level) == (1, 0), pk
        else:
            _, p_tree, p_lft, p_rght, p_level = nodes[parent_id]
            assert p_tree == tree_id, pk
            assert p_lft < lft, pk
            assert rght < p_rght, pk
            assert level == p_level + 1, pk
    # Renumbering from the parents changes no parent, order or range (tree ids may close
    # gaps left by deleted roots, which is no change of order).
    before = tree_order(model)
    model.objects.rebuild()
    assert tree_order(model) == before


def tree_order(model):
    """Each node in tree order with its parent and place, but not its tree's number."""
    return [
        (pk, parent, lft, rght, level) for pk, parent, _, lft, rght, level in tree_columns(model)
    ]
