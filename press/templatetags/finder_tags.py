"""The finder's facet options, written in Python.

A finder page lists about 250 options. As a template loop they were most of an uncached
page's render (~1,400 variable look-ups); here each option is one f-string with its three
texts escaped. The markup is the one the template had: keep them together here.
"""

from django import template
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()
CHILDREN = '<ul class="facet__children">'


@register.simple_tag
def facet_options(facet, options):
    """``options`` of ``facet`` (its visible ones, in tree order with their depths) as
    nested lists: a term's children in a list inside its item, one checkbox each.

    Without JavaScript every level is shown; static/js/finder.js folds the levels that hold
    nothing chosen behind a button on their parent.
    """
    name = escape(facet.name)
    top = min((int(option.depth) for option in options), default=0)
    parts, depths = ['<ul class="facet__options">'], [0]
    for index, option in enumerate(options):
        # One level deeper at most: a chosen term whose parent has no results still sits
        # in a list of its own, never in a list inside a list.
        depth = min(int(option.depth) - top, depths[-1] + 1)
        if depth > depths[-1]:  # a child: its list opens inside the parent's item
            parts.append(CHILDREN)
            depths.append(depth)
        while depth < depths[-1]:
            parts.append("</li></ul>")
            depths.pop()
        if index and parts[-1] != CHILDREN:
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
