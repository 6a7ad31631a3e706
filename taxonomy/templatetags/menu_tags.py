"""``{% site_menu %}``: the cached menu, so no page renders the tree itself."""

from django import template
from django.utils.safestring import mark_safe

from taxonomy.menu import render_menu

register = template.Library()


@register.simple_tag
def site_menu():
    # render_menu's HTML comes from our own template with autoescaping on.
    return mark_safe(render_menu())
