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


@register.simple_tag
def facet_options(facet, options):
    """``options`` of ``facet`` (its visible ones) as a list, one checkbox each."""
    name = escape(facet.name)
    items = []
    for option in options:
        value, label = escape(option.value), escape(option.label)
        checked = " checked" if option.selected else ""
        items.append(
            f'<li class="facet__option depth-{int(option.depth)}">'
            f'<input type="checkbox" name="{name}" value="{value}" id="{name}-{value}"{checked}>'
            f'<label for="{name}-{value}">{label} '
            f'<span class="facet__count">({localize(option.count)})</span></label></li>'
        )
    return mark_safe('<ul class="facet__options">' + "\n".join(items) + "</ul>")
