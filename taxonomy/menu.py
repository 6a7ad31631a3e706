"""The site menu: read in one query, rendered once, cached until a term or entry changes.

Menu entries point at terms of several apps. Each app registers the models its entries may
point at (:func:`register`), so this module can read every entry with its term's current
name and slug in one SQL statement without importing those apps.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from osce_site.languages import current_language, localized

from . import freshness, trees
from .models import Chairpersonship, Country, MenuItem
from .translated import alphabetical, column

_LINKABLE = []


def register(*term_models):
    """Let menu entries point at ``term_models``. Any write to one moves the menu's version
    (a database trigger, see taxonomy.freshness), so the menu is rendered afresh."""
    for model in term_models:
        if model not in _LINKABLE:
            _LINKABLE.append(model)


def follow(model, parent_field):
    """Keep the menu entries of ``model``'s terms beside their siblings' as terms change.

    ``parent_field`` names what groups the terms (a tree's ``parent``, a country's
    ``group``). A new term gets an entry where its siblings have theirs, in their order; a
    term that moves (dragged in its tree, or put in another group) takes its entry along,
    under its new siblings' entries or else under its new parent's entry. Where neither is
    in the menu, the menu is the editors' and is left alone.
    """
    _FOLLOWED[model] = parent_field
    uid = f"menu-follow-{model._meta.label}"
    pre_save.connect(_remember_parent, sender=model, dispatch_uid=f"{uid}-pre")
    post_save.connect(_follow_saved, sender=model, dispatch_uid=f"{uid}-save")
    if trees.is_tree(model):
        trees.node_moved.connect(_follow_moved, sender=model, dispatch_uid=f"{uid}-move")


_FOLLOWED = {}


def followed_models():
    return list(_FOLLOWED)


def _remember_parent(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or trees.is_tree(instance):
        return
    column = f"{_FOLLOWED[sender]}_id"
    instance._menu_parent_before = (
        sender._base_manager.filter(pk=instance.pk).values_list(column, flat=True).first()
    )


def _follow_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        place_entry(instance, create=True)
    elif not trees.is_tree(instance):  # trees report moves by node_moved
        before = getattr(instance, "_menu_parent_before", None)
        if before != getattr(instance, f"{_FOLLOWED[sender]}_id"):
            # A country put in another group joins its new siblings in the menu, or leaves
            # the menu if they are not in it (the partner groups list no countries there).
            place_entry(instance, create=True, alone="drop")


def _follow_moved(sender, instance, **kwargs):
    place_entry(instance)


def place_entry(term, create=False, alone="parent"):
    """Put ``term``'s menu entry where its siblings' entries are, in their order.

    Where no sibling is in the menu, ``alone`` says what happens to an existing entry:
    "parent" moves it under its parent's entry (a tree term dragged under another), "drop"
    deletes it.
    """
    model = type(term)
    content_type = ContentType.objects.get_for_model(model)
    entries = MenuItem.objects.filter(content_type=content_type)
    entry = entries.filter(object_id=term.pk).order_by(trees.order_key()).first()
    if entry is None and not create:
        return
    parent_field = _FOLLOWED[model]
    parent_id = getattr(term, f"{parent_field}_id")
    siblings = list(
        model._default_manager.filter(**{f"{parent_field}_id": parent_id}).values_list(
            "pk", flat=True
        )
    )
    if term.pk not in siblings:
        siblings.append(term.pk)
    beside = {
        item.object_id: item
        for item in entries.filter(object_id__in=siblings).exclude(object_id=term.pk)
    }
    containers = [item.parent_id for item in beside.values()]
    if containers:
        container_id = max(set(containers), key=containers.count)
    elif entry is not None and alone == "drop":
        entries.filter(object_id=term.pk).delete()
        return
    elif entry is not None and parent_id is not None:
        parent_model = model._meta.get_field(parent_field).related_model
        parent_type = ContentType.objects.get_for_model(parent_model)
        container = MenuItem.objects.filter(content_type=parent_type, object_id=parent_id).first()
        if container is None:
            return
        container_id = container.pk
    else:
        return
    if entry is None:
        entry = MenuItem.objects.create(
            parent_id=container_id, content_type=content_type, object_id=term.pk
        )
    index = siblings.index(term.pk)
    after = [beside[pk] for pk in siblings[index + 1 :] if pk in beside]
    before = [beside[pk] for pk in reversed(siblings[:index]) if pk in beside]
    after = [item for item in after if item.parent_id == container_id]
    before = [item for item in before if item.parent_id == container_id]
    if after:
        trees.move(entry, MenuItem.objects.get(pk=after[0].pk), "left")
    elif before:
        trees.move(entry, MenuItem.objects.get(pk=before[0].pk), "right")
    else:
        trees.move(entry, MenuItem.objects.get(pk=container_id), "last-child")


def linkable_models():
    return list(_LINKABLE)


def is_link(url):
    """Whether the menu links to ``url``: a path on this site or an http(s) address. An
    address is free text in the admin (whose form refuses anything else), so one saved
    before that check or by code (``javascript:``, ``//elsewhere``) shows as plain text."""
    if url.startswith("/"):
        return not url.startswith(("//", "/\\"))
    return url.startswith(("http://", "https://"))


@dataclass
class Entry:
    label: str
    url: str = ""
    is_chair: bool = False
    children: list = field(default_factory=list)
    kind: type | None = None  # the model of the term it links to
    lang: str = ""  # the language of its label where not the page's (no translation yet)


def _in_language_order(entries):
    """Each run of entries linking to terms listed alphabetically (countries, fields of
    work) in the page language's order; headings, links and other terms stay in place."""
    ordered, run = [], []
    for entry in [*entries, None]:
        if entry is not None and getattr(entry.kind, "alphabetical", False):
            if run and run[0].kind is not entry.kind:
                ordered.extend(alphabetical(run, name=lambda item: item.label))
                run = []
            run.append(entry)
            continue
        ordered.extend(alphabetical(run, name=lambda item: item.label))
        run = []
        if entry is not None:
            ordered.append(entry)
    return ordered


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
    code = current_language()
    name_column = column("name", code)
    country_type = ContentType.objects.get_for_model(Country).pk
    chairs = Chairpersonship.objects.filter(year=year, country_id=models.OuterRef("object_id"))
    iso_code = Country.objects.filter(pk=models.OuterRef("object_id")).values("iso_code")[:1]
    rows = MenuItem.objects.annotate(
        term_name=_term_column("name"),
        term_local_name=_term_column(name_column),
        term_slug=_term_column("slug"),
        term_iso_code=models.Case(
            models.When(content_type=country_type, then=models.Subquery(iso_code)),
            default=models.Value(""),
        ),
        is_chair=models.Case(
            models.When(content_type=country_type, then=models.Exists(chairs)),
            default=models.Value(False),
        ),
    ).order_by(trees.order_key())
    models_by_type = {ContentType.objects.get_for_model(m).pk: m for m in _LINKABLE}
    marker = Chairpersonship(year=year).marker

    roots, by_pk = [], {}
    for row in rows:
        label = getattr(row, column("label", code)) or row.label
        entry = Entry(label=label, url=localized(row.url) if is_link(row.url) else "")
        if label and label == row.label and code != settings.LANGUAGE_CODE:
            entry.lang = settings.LANGUAGE_CODE
        model = models_by_type.get(row.content_type_id)
        if model is not None:
            if not row.term_slug:
                continue  # the term is gone; its entry goes with it on the next save
            term = model(pk=row.object_id, name=row.term_name, slug=row.term_slug)
            term.__dict__[name_column] = row.term_local_name
            if model is Country:
                term.iso_code = row.term_iso_code
            entry.label = label or term.name_in(code)
            if not label and code != settings.LANGUAGE_CODE and entry.label == term.name:
                entry.lang = settings.LANGUAGE_CODE
            entry.kind = model
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
    if code != settings.LANGUAGE_CODE:
        for entry in by_pk.values():
            entry.children = _in_language_order(entry.children)
    return roots


def render_menu():
    """The menu's HTML, cached per menu version, year (the chair marker is yearly) and
    language (its addresses carry the language's prefix)."""
    year = timezone.localdate().year
    version = freshness.current().menu
    key = f"menu:html:{version}:{year}:{get_language()}"
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
