"""What a release page tells machines about itself: schema.org JSON-LD for search engines
(NewsArticle, BreadcrumbList) and Open Graph and Twitter tags for link previews.

Built from what the page has already loaded (``release.terms``, the view's breadcrumbs):
no query of its own, so the page's query budget holds.
"""

import json
from html import unescape

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_lazy

register = template.Library()

SITE_NAME = gettext_lazy("OSCE")
PUBLISHER_NAME = gettext_lazy("Organization for Security and Co-operation in Europe")
# The site's icon doubles as the publisher's logo: square, 180 px (Google asks 112 px at least).
LOGO_PATH, LOGO_SIZE = "img/apple-touch-icon.png", 180
SUMMARY_WORDS = 40
# Inside <script> a "</script>" or "<!--" in a string would end or derail the element: JSON's
# own \u escapes for <, > and & keep the text the same once parsed (as Django's json_script).
JSON_IN_HTML = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def release_summary(release):
    """The lead, else the body's first words as plain text: one description for the page's
    meta description, its previews and its structured data."""
    if release.lead:
        return release.lead
    text = unescape(strip_tags(release.body))  # plain text, escaped once where it is shown
    return Truncator(text).words(SUMMARY_WORDS, truncate=" …")


@register.simple_tag
def json_ld(data):
    """``data`` as a JSON-LD block: a data block browsers never run, so the CSP has nothing
    to allow, and escaped so that no string in it can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(JSON_IN_HTML))
    )


@register.simple_tag
def release_page_meta(release, request, breadcrumbs=()):
    """Everything the head of ``release``'s page says about it, as a dict: the preview tags'
    values, and the NewsArticle and BreadcrumbList for :func:`json_ld`. ``breadcrumbs`` is
    the visible trail between Home and the release, which the BreadcrumbList repeats."""

    def absolute(path):
        return request.build_absolute_uri(path)

    page_url = absolute(release.get_absolute_url())
    description = release_summary(release)
    published, modified = _dates(release)
    publisher = {
        "@type": "Organization",
        "name": PUBLISHER_NAME,
        "alternateName": SITE_NAME,
        "url": absolute(reverse("press:home")),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static(LOGO_PATH)),
            "width": LOGO_SIZE,
            "height": LOGO_SIZE,
        },
    }
    # The structures that issued it are its authors; Google wants an author, and the
    # organisation is one when a release has no source.
    authors = [_thing("Organization", s, absolute) for s in release.terms["sources"]]
    about = [
        _thing("Thing", term, absolute)
        for name in ("fields_of_work", "countries")
        for term in release.terms[name]
    ]
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": page_url,
        "url": page_url,
        "headline": release.title,
        "description": description,
        "inLanguage": release.language,
        "articleSection": release.get_type_display(),
        "datePublished": published,
        "dateModified": modified,
        "author": authors or [publisher],
        "publisher": publisher,
    }
    if about:
        article["about"] = about
    image = _lead_image(release, absolute)
    if image:
        article["image"] = image.pop("all")
    trail = [
        (gettext("Home"), reverse("press:home")),
        *((crumb["label"], crumb["url"]) for crumb in breadcrumbs),
        (release.title, release.get_absolute_url()),
    ]
    breadcrumb_list = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute(url)}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }
    return {
        "url": page_url,
        "title": release.title,
        "description": description,
        "site_name": SITE_NAME,
        "published_time": published,
        "modified_time": modified,
        "article": article,
        "breadcrumb_list": breadcrumb_list,
        "image": image,
    }


def _lead_image(release, absolute):
    """What previews show of the lead image, or None: its largest JPEG (the widest a
    preview asks for; JPEG, which every reader of Open Graph takes), and under ``all``
    every JPEG rendition's address, largest first, for the NewsArticle. Read with the
    release (``select_related``): no query."""
    image = release.image
    if image is None or not image.sizes:
        return None
    largest = image.largest
    return {
        "url": absolute(largest.jpeg_url),
        "width": largest.width,
        "height": largest.height,
        "alt": image.alt,
        "all": [absolute(size.jpeg_url) for size in reversed(image.sizes)],
    }


def _dates(release):
    """Publication and last change, ISO 8601 with the site's offset. A release scheduled
    ahead is saved before it goes out: that save changed nothing a reader saw, so the
    change is never dated before the publication."""
    modified = max(release.updated_at, release.published_at)
    return tuple(
        timezone.localtime(moment).isoformat(timespec="seconds")
        for moment in (release.published_at, modified)
    )


def _thing(kind, term, absolute):
    return {"@type": kind, "name": term.local_name, "url": absolute(term.get_absolute_url())}
