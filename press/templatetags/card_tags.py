"""A release's card (the finder's results, the home page's latest), written in Python.

A finder page shows twenty cards. As an included template each cost about 0.35 ms (some
45 variable look-ups through the page's context, two date filters, the include itself):
a third of an uncached page's render. Here a card is one f-string with its texts escaped
(safe HTML, such as the search's excerpt with its matches in ``<mark>``, as it is); the
markup is the one the template had: keep it together here.
"""

import html

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from osce_site.languages import language_name

register = template.Library()


def escape(value):
    """Django's ``conditional_escape`` (safe HTML as it is, anything else escaped) without
    its check for lazy strings, which cost more than the escaping: a card escapes a dozen."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _links(terms):
    return ", ".join(
        f'<a href="{escape(term.get_absolute_url())}">{escape(term.local_name)}</a>'
        for term in terms
    )


def _picture(image):
    small = image.smallest
    return (
        '<picture class="card__image">'
        f'<source type="image/webp" srcset="{escape(small.webp_url)}">'
        f'<img src="{escape(small.jpeg_url)}" width="{small.width}" height="{small.height}" '
        f'alt="{escape(image.alt)}" loading="lazy" decoding="async"></picture>'
    )


def _also_in(versions):
    if not versions:
        return ""
    links = ", ".join(
        f'<a href="{escape(url)}" lang="{code}" hreflang="{code}">{escape(language_name(code))}</a>'
        for code, url in versions
    )
    also = gettext("Also in %(languages)s") % {"languages": links}
    return f'<p class="card__also">{also}</p>'


@register.simple_tag
def release_card(release):
    """``release`` as a card: type, date, place, title, the search's excerpt or the lead,
    its sources and fields of work as links, its lead image's smallest rendition."""
    image = release.image
    published = timezone.localtime(release.published_at)
    place = f" · {escape(release.place.local_name)}" if release.place else ""
    text = release.snippet or release.lead
    sources, fields = release.terms["sources"], release.terms["fields_of_work"]
    terms = (
        f'<p class="card__terms">{_links(sources)}{" · " if sources and fields else ""}'
        f"{_links(fields)}</p>"
        if sources or fields
        else ""
    )
    return mark_safe(
        f'<article class="card{" card--with-image" if image else ""}">'
        f'<p class="card__meta"><span class="tag">{escape(release.get_type_display())}</span> '
        f'<time datetime="{published.isoformat()}">{date_format(published)}</time>'
        f"{place}</p>"
        f'<h3 class="card__title"><a href="{escape(release.get_absolute_url())}">'
        f"{escape(release.title)}</a></h3>"
        + (f'<p class="card__snippet">{escape(text)}</p>' if text else "")
        + terms
        + _also_in(release.also_in)
        + (_picture(image) if image else "")
        + "</article>"
    )
