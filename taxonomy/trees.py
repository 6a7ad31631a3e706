"""The one seam between the site and its tree library (django-mptt today).

Fields of work, meetings, structures and the menu are trees. django-mptt keeps them as
nested sets: every node stores ``tree_id`` (which tree), ``lft`` and ``rght`` (its range,
holding every descendant's) and ``level`` (its depth). django-mptt is in maintenance mode;
this module is the only one that imports it or names those columns, so moving to another
tree library (or to plain recursive queries) is a change to this file alone.

What it offers, in four groups:

- building blocks for models and admins: :class:`TreeModel`, :class:`TreeForeignKey`,
  :class:`TreeManager`, :class:`TreeQuerySet`, :class:`TreeAdmin`,
  :class:`TreeMultipleChoiceField`, the :data:`node_moved` signal, :func:`is_tree`,
  :func:`cached_trees`, :func:`move` and :func:`rebuild`;
- subtrees: :func:`subtree_q`, :func:`subtree_of`, :func:`descendants_q`;
- tree order: one key, :func:`order_key`, with the depth as :func:`depth`, and the menu's
  order of any term it lists, :func:`menu_position`;
- whole trees read in one query, for the finder's in-memory index:
  :func:`subtree_members` and :func:`nodes_in_tree_order`.
"""

import contextlib

from django.apps import apps
from django.contrib import messages
from django.db import models
from django.db.models.functions import Cast
from mptt.admin import DraggableMPTTAdmin
from mptt.fields import TreeForeignKey
from mptt.forms import TreeNodeMultipleChoiceField
from mptt.managers import TreeManager
from mptt.models import MPTTModel
from mptt.querysets import TreeQuerySet
from mptt.signals import node_moved
from mptt.utils import get_cached_trees

__all__ = [
    "ORDER_SPAN",
    "TreeAdmin",
    "TreeForeignKey",
    "TreeManager",
    "TreeModel",
    "TreeMultipleChoiceField",
    "TreeQuerySet",
    "cached_trees",
    "depth",
    "descendants_q",
    "is_tree",
    "menu_position",
    "move",
    "node_moved",
    "nodes_in_tree_order",
    "order_key",
    "rebuild",
    "subtree_members",
    "subtree_of",
    "subtree_q",
]

# The tree order is (tree, left edge); one integer holds both while a tree has fewer than
# ORDER_SPAN / 2 nodes (a left edge is at most twice the node count). Ours have hundreds.
ORDER_SPAN = 1_000_000

# TreeForeignKey, TreeManager and TreeQuerySet are the library's own classes, not
# subclasses: the migrations name the field's import path, and a subclass would change it.


class TreeModel(MPTTModel):
    """The base of every tree model: a ``parent`` of :class:`TreeForeignKey` makes the tree;
    nodes have ``get_children()``, ``get_ancestors()`` and ``get_descendants()``."""

    class Meta(MPTTModel.Meta):
        abstract = True


class TreeMultipleChoiceField(TreeNodeMultipleChoiceField):
    """Pick any nodes of a tree: the choices come in tree order, indented by depth, so an
    editor sees where a term sits."""


class TreeAdmin(DraggableMPTTAdmin):
    """A change list shown as the indented tree, which editors reorder by drag and drop.

    Subclasses hook in through :meth:`refuse_bulk_delete`, :meth:`moving` and
    :meth:`moved` rather than through the library's own methods.
    """

    list_display = ["tree_actions", "indented_title"]
    list_display_links = ["indented_title"]
    mptt_level_indent = 24

    def refuse_bulk_delete(self, request, queryset):
        """Why a confirmed bulk delete of ``queryset`` must not happen: messages for the
        editor, or an empty list to let it go ahead."""
        return []

    def moving(self, request):
        """A context manager around a drag and drop (a revision, say); by default none."""
        return contextlib.nullcontext()

    def moved(self, request, node):
        """``node`` has been dragged to its new place; called inside :meth:`moving`."""

    def delete_selected_tree(self, modeladmin, request, queryset):
        """The library's bulk delete skips the confirmation's checks once confirmed: ask
        :meth:`refuse_bulk_delete` again before anything is deleted."""
        if request.POST.get("post"):
            reasons = self.refuse_bulk_delete(request, queryset)
            if reasons:
                for reason in reasons:
                    self.message_user(request, reason, messages.ERROR)
                return None
        return super().delete_selected_tree(modeladmin, request, queryset)

    def _move_node(self, request):
        # The library's drag-and-drop endpoint has no public hook: this override is the one
        # place that knows it, and offers moving() and moved() instead.
        with self.moving(request):
            response = super()._move_node(request)
            if response.content.startswith(b"OK"):  # so the id is a valid one
                self.moved(request, self.model._default_manager.get(pk=request.POST["cut_item"]))
        return response


def is_tree(model):
    """Whether ``model`` (a model class or one of its rows) is a tree."""
    model = model if isinstance(model, type) else type(model)
    return issubclass(model, MPTTModel)


def cached_trees(queryset):
    """The root nodes of ``queryset`` with every node's children filled from it, so a
    template can walk the whole tree with ``get_children`` in the queryset's one query."""
    return get_cached_trees(queryset)


def move(node, target, position="last-child"):
    """Move ``node`` (with its subtree) to ``position`` relative to ``target``: one of
    "first-child", "last-child", "left" or "right". Sends :data:`node_moved`."""
    node.move_to(target, position)


def rebuild(model):
    """Renumber ``model``'s trees from the parents (siblings keep their order): for after a
    write that bypassed the tree, such as a revision restored as it was."""
    model._tree_manager.rebuild()


def _path(prefix, name):
    return f"{prefix}__{name}" if prefix else name


def subtree_q(nodes, prefix=""):
    """A Q for ``nodes`` and everything below them: one range test per node.

    ``prefix`` is the relation path to the tree model (e.g. ``"sources"`` from a release);
    empty for the tree model itself. No nodes match nothing.
    """
    condition = models.Q(**{_path(prefix, "pk__in"): []})
    for node in nodes:
        condition |= models.Q(
            **{
                _path(prefix, "tree_id"): node.tree_id,
                _path(prefix, "lft__gte"): node.lft,
                _path(prefix, "rght__lte"): node.rght,
            }
        )
    return condition


def subtree_of(queryset, nodes):
    """``queryset`` narrowed to ``nodes`` and everything below them."""
    return queryset.filter(subtree_q(nodes))


def descendants_q(node, prefix=""):
    """A Q for everything below ``node``, not ``node`` itself (e.g. what it may not be
    merged into)."""
    return models.Q(
        **{
            _path(prefix, "tree_id"): node.tree_id,
            _path(prefix, "lft__gt"): node.lft,
            _path(prefix, "rght__lt"): node.rght,
        }
    )


def order_key(prefix=""):
    """Tree order as one integer expression (a parent before its children, siblings in
    their order, trees one after another), for ``order_by``, ``annotate`` or ``values``.

    ``prefix`` is the relation path to the tree model, as in :func:`subtree_q`. The tree
    number is widened before it is multiplied: PostgreSQL's integer would overflow.
    """
    tree = Cast(_path(prefix, "tree_id"), models.BigIntegerField())
    return models.ExpressionWrapper(
        tree * ORDER_SPAN + models.F(_path(prefix, "lft")), output_field=models.BigIntegerField()
    )


def depth(prefix=""):
    """A node's depth as an expression: 0 for a root, 1 for its children, and so on."""
    return models.F(_path(prefix, "level"))


def subtree_members(model, using="default"):
    """Every node's pk mapped to the pks of itself and all below it, in tree order.

    One query for the whole table, then each node is added to its ancestors' lists by
    walking up the parents: what the finder needs to fold a subtree's releases into a node
    without asking the database once per node.
    """
    rows = list(
        model._default_manager.using(using).order_by(order_key()).values_list("pk", "parent_id")
    )
    parent_of = dict(rows)
    members = {pk: [] for pk, _parent in rows}
    for pk, _parent in rows:
        ancestor, seen = pk, set()
        while ancestor is not None and ancestor not in seen:  # a broken cycle cannot hang
            seen.add(ancestor)
            members[ancestor].append(pk)
            ancestor = parent_of.get(ancestor)
    return members


def nodes_in_tree_order(model, using="default"):
    """(pk, slug, name, depth) of every node of ``model``, in tree order, in one query."""
    return list(
        model._default_manager.using(using)
        .order_by(order_key())
        .values_list("pk", "slug", "name", depth())
    )


def _menu_entries(model):
    """The menu entries pointing at rows of ``model`` (matched by its content type's name,
    so no separate content type query is needed)."""
    menu_item = apps.get_model("taxonomy", "MenuItem")
    meta = model._meta.concrete_model._meta
    return menu_item._default_manager.filter(
        content_type__app_label=meta.app_label, content_type__model=meta.model_name
    )


def menu_position(model):
    """An expression for a queryset of ``model``: the tree-order key of the row's first
    menu entry, or None where the menu does not list it. Orders terms as the menu does."""
    first = (
        _menu_entries(model)
        .filter(object_id=models.OuterRef("pk"))
        .annotate(position=order_key())
        .order_by("position")
        .values("position")[:1]
    )
    return models.Subquery(first, output_field=models.BigIntegerField())
