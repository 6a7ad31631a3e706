"""The finder's facet options, written in Python.

A finder page lists about 250 options. As a template loop they were most of an uncached
page's render (~1,400 variable look-ups); here each option is one f-string with its three
texts escaped. The markup is the one the template had: keep them together here.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, ngettext

register = template.Library()
CHILDREN = '<ul class="facet__children"'
# What static/js/finder.js labels the box that narrows a long list with, per facet.
NARROW = {
    "field": gettext_lazy("Narrow the list of fields of work"),
    "source": gettext_lazy("Narrow the list of sources"),
    "country": gettext_lazy("Narrow the list of countries"),
}


def _children(label, count):
    """A term's list of children, with the labels of the button that folds it (written
    here in the page's language, read by static/js/finder.js)."""
    values = {"count": count, "name": label}
    show = ngettext("Show the %(count)s under %(name)s", "Show the %(count)s under %(name)s", count)
    hide = ngettext("Hide the %(count)s under %(name)s", "Hide the %(count)s under %(name)s", count)
    return (
        f'{CHILDREN} data-show-label="{escape(show % values)}" '
        f'data-hide-label="{escape(hide % values)}">'
    )


def _child_counts(depths):
    """How many direct children each option has, from the options' depths in tree order."""
    counts, open_ = [0] * len(depths), []
    for index, depth in enumerate(depths):
        while open_ and depths[open_[-1]] >= depth:
            open_.pop()
        if open_:
            counts[open_[-1]] += 1
        open_.append(index)
    return counts


@register.simple_tag
def facet_options(facet, options):
    """``options`` of ``facet`` (its visible ones, in tree order with their depths) as
    nested lists: a term's children in a list inside its item, one checkbox each.

    Without JavaScript every level is shown; static/js/finder.js folds the levels that hold
    nothing chosen behind a button on their parent.
    """
    name = escape(facet.name)
    top = min((int(option.depth) for option in options), default=0)
    narrow = NARROW.get(facet.name)
    narrow = f' data-narrow-label="{escape(narrow)}"' if narrow else ""
    parts, depths = [f'<ul class="facet__options"{narrow}>'], [0]
    # One level deeper at most: a chosen term whose parent has no results still sits in a
    # list of its own, never in a list inside a list.
    levels, level = [], 0
    for option in options:
        level = min(int(option.depth) - top, level + 1) if levels else 0
        levels.append(level)
    children = _child_counts(levels)
    for index, (option, depth) in enumerate(zip(options, levels, strict=True)):
        opened = depth > depths[-1]
        if opened:  # a child: its list opens inside the parent's item
            parent = options[index - 1]
            parts.append(_children(parent.label, children[index - 1]))
            depths.append(depth)
        while depth < depths[-1]:
            parts.append("</li></ul>")
            depths.pop()
        if index and not opened:
            parts.append("</li>")
        value, label = escape(option.value), escape(option.label)
        checked = " checked" if option.selected else ""
        parts.append(
            f'<li class="facet__option">'
            f'<input type="checkbox" name="{name}" value="{value}" id="{name}-{value}"{checked}>'
            f'<label for="{name}-{value}">{label} '
            f'<span class="facet__count">({localize(option.count)})</span></label>'
        )
    if options:
        parts.append("</li>")
    parts.append("</ul>" + "</li></ul>" * (len(depths) - 1))
    return mark_safe("".join(parts))
