"""The site menu: read in one query, rendered once, cached until a term or entry changes.

Menu entries point at terms of several apps. Each app registers the models its entries may
point at (:func:`register`), so this module can read every entry with its term's current
name and slug in one SQL statement without importing those apps.
"""

from dataclasses import dataclass, field
from uuid import uuid4

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import timezone
from mptt.signals import node_moved

from .models import Chairpersonship, Country, MenuItem

_VERSION_KEY = "menu:version"
_LINKABLE = []


def register(*term_models):
    """Let menu entries point at ``term_models``; any change to one refreshes the menu."""
    for model in term_models:
        if model not in _LINKABLE:
            _LINKABLE.append(model)
        watch(model)


def watch(*models_):
    """Refresh the menu whenever a row of ``models_`` is saved, moved or deleted."""
    for model in models_:
        uid = f"menu-refresh-{model._meta.label}"
        post_save.connect(_refresh, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_refresh, sender=model, dispatch_uid=f"{uid}-delete")
        node_moved.connect(_refresh, sender=model, dispatch_uid=f"{uid}-move")


def linkable_models():
    return list(_LINKABLE)


def _refresh(**kwargs):
    invalidate()


def invalidate():
    """Make the next request render the menu afresh (all processes sharing the cache).

    A random version rather than a timestamp: two changes within one clock tick must still
    give two versions.
    """
    cache.set(_VERSION_KEY, uuid4().hex, None)


@dataclass
class Entry:
    label: str
    url: str = ""
    is_chair: bool = False
    children: list = field(default_factory=list)


def _term_column(column):
    """One CASE over the registered models giving the linked term's ``column``."""
    whens = [
        models.When(
            content_type=ContentType.objects.get_for_model(model),
            then=models.Subquery(
                model._default_manager.filter(pk=models.OuterRef("object_id")).values(column)[:1]
            ),
        )
        for model in _LINKABLE
    ]
    return models.Case(*whens, default=models.Value(""), output_field=models.CharField())


def read_tree(year=None):
    """The whole menu as nested :class:`Entry` objects, read in one query.

    The chair marker is for ``year`` (this year by default): the entry of that year's
    chairing country gets it, so it is computed from data, never typed into a name.
    """
    year = year or timezone.localdate().year
    country_type = ContentType.objects.get_for_model(Country).pk
    chairs = Chairpersonship.objects.filter(year=year, country_id=models.OuterRef("object_id"))
    rows = MenuItem.objects.annotate(
        term_name=_term_column("name"),
        term_slug=_term_column("slug"),
        is_chair=models.Case(
            models.When(content_type=country_type, then=models.Exists(chairs)),
            default=models.Value(False),
        ),
    ).order_by("tree_id", "lft")
    models_by_type = {ContentType.objects.get_for_model(m).pk: m for m in _LINKABLE}
    marker = Chairpersonship(year=year).marker

    roots, by_pk = [], {}
    for row in rows:
        entry = Entry(label=row.label, url=row.url)
        model = models_by_type.get(row.content_type_id)
        if model is not None:
            if not row.term_slug:
                continue  # the term is gone; its entry goes with it on the next save
            term = model(pk=row.object_id, name=row.term_name, slug=row.term_slug)
            entry.label = row.label or row.term_name
            entry.url = term.get_absolute_url()
            if row.is_chair:
                entry.is_chair = True
                entry.label = f"{entry.label} – {marker}"
        by_pk[row.pk] = entry
        parent = by_pk.get(row.parent_id)
        if row.parent_id is None:
            roots.append(entry)
        elif parent is not None:
            parent.children.append(entry)
    return roots


def render_menu():
    """The menu's HTML, cached per menu version and year (the chair marker is yearly)."""
    year = timezone.localdate().year
    version = cache.get_or_set(_VERSION_KEY, lambda: uuid4().hex, None)
    key = f"menu:html:{version}:{year}"
    html = cache.get(key)
    if html is None:
        html = render_to_string("includes/menu.html", {"entries": read_tree(year)})
        cache.set(key, html, 60 * 60 * 24)
    return html


def flatten(entries):
    """The menu in the seed page's text form: a heading is "-" then its name, a leaf "- name".

    Lets a test compare the menu with the seed line by line.
    """
    lines = []

    def walk(items, top):
        for entry in items:
            if top or entry.children:
                lines.extend(["-", entry.label])
            else:
                lines.append(f"- {entry.label}")
            walk(entry.children, False)

    walk(entries, True)
    return lines
