"""What uses a term, refusing to delete a term in use, and merging one term into another.

A release links to its fields of work, sources, countries and meetings through
many-to-many tables, and Django deletes those links silently with the term: the archive
would lose its filing without a word. So a term in use is never deleted; it is merged into
another, which takes its releases, its children, its names and its old addresses.

Relations are found from the models' metadata, so a new model pointing at terms is
counted and carried over without changing this module.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.db.models.signals import pre_delete

from . import trees
from .models import MenuItem, OldAddress


def _relations(model):
    """Every relation pointing at ``model`` from another row: (relation, is its tree parent)."""
    for relation in model._meta.related_objects:
        if relation.one_to_many or relation.one_to_one or relation.many_to_many:
            is_parent = relation.related_model is model and relation.field.name == "parent"
            yield relation, is_parent


def _links(relation, term):
    """The rows that tie ``term`` to the other side of ``relation``, and their column."""
    if relation.many_to_many:
        column = relation.field.m2m_reverse_field_name()
        return relation.through._base_manager.filter(**{column: term}), column
    column = relation.field.name
    return relation.related_model._base_manager.filter(**{column: term}), column


def uses(term):
    """What points at ``term``: a list of (count, what), e.g. (12, "releases"), non-zero only."""
    found = []
    for relation, is_parent in _relations(type(term)):
        count = _links(relation, term)[0].count()
        if count:
            if is_parent:
                label = "term below it" if count == 1 else "terms below it"
            else:
                meta = relation.related_model._meta
                label = meta.verbose_name if count == 1 else meta.verbose_name_plural
            found.append((count, str(label)))
    return found


def describe_uses(term):
    """“Security” is used by 12 releases and 1 editorial scope — or "" when it is unused."""
    found = uses(term)
    if not found:
        return ""
    parts = [f"{count} {label}" for count, label in found]
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"“{term}” is used by {listed}; merge it into another term instead of deleting it."


def refuse_delete_in_use(sender, instance, **kwargs):
    """The last line of defence, for deletes that do not come through the admin.

    Only many-to-many links are checked here: foreign keys to terms are PROTECT already.
    """
    if any(
        _links(relation, instance)[0].exists()
        for relation, _ in _relations(sender)
        if relation.many_to_many
    ):
        raise ProtectedError(describe_uses(instance), set())


def guard(*term_models):
    for model in term_models:
        pre_delete.connect(
            refuse_delete_in_use, sender=model, dispatch_uid=f"in-use-{model._meta.label}"
        )


def merge_candidates(term):
    """The terms ``term`` may be merged into: the same kind, not itself nor below it."""
    others = type(term)._default_manager.exclude(pk=term.pk)
    if trees.is_tree(term):
        others = others.exclude(trees.descendants_q(term))
    return others


@transaction.atomic
def merge(source, target):
    """Move everything from ``source`` to ``target``, then delete ``source``. All or nothing.

    Releases linked to both keep one link; children move under ``target``; ``source``'s
    name and aliases become ``target``'s aliases (the importer keeps recognising them) and
    its address answers 301 to ``target``'s. Returns what moved, as :func:`uses` does.
    """
    model = type(source)
    if type(target) is not model or target.pk == source.pk:
        raise ValueError("A term merges into another term of the same kind.")
    if not merge_candidates(source).filter(pk=target.pk).exists():
        raise ValueError(f"“{source}” cannot be merged into “{target}”, which lies below it.")
    moved = uses(source)

    for relation, is_parent in _relations(model):
        if is_parent:
            continue
        rows, column = _links(relation, source)
        if relation.many_to_many:
            owner = relation.field.m2m_field_name()
            already = relation.through._base_manager.filter(**{column: target}).values(owner)
            rows.exclude(**{f"{owner}__in": already}).update(**{column: target})
            rows.delete()  # links to releases that already had the target
        else:
            rows.update(**{column: target})
    if trees.is_tree(source):
        for child in list(source.get_children()):
            target.refresh_from_db()
            child.refresh_from_db()
            trees.move(child, target, "last-child")
        source.refresh_from_db()
        target.refresh_from_db()

    if target.add_aliases(source.name, *source.alias_list()):
        target.save(update_fields=["aliases", "updated_at"])

    content_type = ContentType.objects.get_for_model(model)
    OldAddress.objects.filter(content_type=content_type, object_id=source.pk).update(
        object_id=target.pk
    )
    old_slug = source.slug
    target_in_menu = MenuItem.objects.filter(content_type=content_type, object_id=target.pk)
    if not target_in_menu.exists():
        # The menu keeps its place for the merged term, now showing the target.
        MenuItem.objects.filter(content_type=content_type, object_id=source.pk).update(
            object_id=target.pk
        )
    source.delete()
    OldAddress.remember(target, old_slug)
    return moved
