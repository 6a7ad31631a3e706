"""``{% language_alternates %}``: this page in each language the site offers."""

from django import template

from osce_site.languages import alternates

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """A view that knows in which languages its page exists says so in the context
    (``language_pages``: language -> address, ``language_section``: where a language
    without it leads); any other page exists in every language, with the parameters its
    canonical address keeps (``canonical_query``: the finder's filters)."""
    request = context.get("request")
    if request is None:
        return []
    return alternates(
        request,
        context.get("language_pages"),
        context.get("language_section"),
        context.get("canonical_query") or "",
    )
