"""No markup that an editor types reaches a visitor's page as markup.

A corpus of classic cross-site scripting payloads goes through every field that a public
page shows, each entered where editors enter it (the admin's forms, so the sanitiser runs
on save as in real use): a release's title, lead, body and attachments, the place, source,
field of work, meeting, country and country group it is filed under (names and
descriptions), the year's chairpersonship (its marker follows the country's name in the
menu), and a menu entry's label and address. Then every public page that shows them is
parsed: no script but the site's own, no event handler, no ``javascript:`` address, no
frame or plugin, and the text still there as text. Feeds are XML: their descriptions are
HTML for the reader to render, so they are parsed and checked the same way.
"""

import itertools
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from institutions.models import Structure
from press.models import Attachment, Release
from taxonomy.models import (
    Chairpersonship,
    Country,
    CountryGroup,
    FieldOfWork,
    Meeting,
    MenuItem,
    Place,
)
from tests.helpers.admin_forms import form_data, form_errors, new_release_data
from tests.helpers.files import TINY_PNG
from tests.helpers.xss import AS_TEXT, XSS_PAYLOADS

pytestmark = pytest.mark.django_db

# For the title: whatever an editor types there shows as typed.
TITLE_PAYLOADS = {
    name: XSS_PAYLOADS[name]
    for name in [
        "short script tag",
        "img onerror unquoted",
        "svg onload alone",
        "svg with script",
        "attribute breakout into a script",
        "single-quoted attribute breakout",
        "double-quoted attribute breakout",
        "title breakout",
    ]
}
# Markup that runs no script, which is what this module's checker looks for: comments and a
# stylesheet. (The sanitiser drops them all the same: tests/press/test_sanitise.py.)
SCRIPTLESS = {"comment", "conditional comment", "link stylesheet"}
# Elements that run code or load another document: none may come from content.
ACTIVE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base",
          "svg", "math", "style", "noscript", "template"}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc",
                  "background", "poster", "content"}  # fmt: skip
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data:text/html)", re.IGNORECASE)


class Elements(HTMLParser):
    """Every start tag of a page, with its attributes, as a browser's tokenizer sees it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.scripts = []
        self._in_script = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = (dict(attrs), [])
            self.scripts.append(self._in_script)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._in_script[1].append(data)


def problems_in(html, own_scripts=frozenset()):
    """Every way ``html`` could run a script that the site did not write, as text."""
    parser = Elements()
    parser.feed(html)
    parser.close()
    found = []
    for attrs, content in parser.scripts:
        if is_data_block(attrs, "".join(content)):
            continue
        if attrs.get("src") not in own_scripts or "".join(content).strip():
            found.append(f"script {attrs} {''.join(content)[:80]!r}")
    for tag, attrs in parser.tags:
        if tag in ACTIVE - {"script"}:
            found.append(f"<{tag}>")
        if tag == "meta" and attrs.get("http-equiv"):
            found.append(f"<meta http-equiv={attrs['http-equiv']!r}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}=…>")
            if name == "style":
                found.append(f"<{tag} style=…>")
            # A browser drops tabs, newlines and leading spaces in a scheme: so do we.
            plain = re.sub(r"[\x00-\x20]", "", value or "")
            # A meta's content is text (a description) unless http-equiv, caught above.
            if name in URL_ATTRIBUTES and BAD_SCHEME.match(plain) and tag != "meta":
                found.append(f"<{tag} {name}={value!r}>")
    return found


def is_data_block(attrs, content):
    """A JSON-LD block the site writes: a browser never runs it; it is JSON, and has no
    "<" to end the element early (json_ld escapes it), so nothing in it is markup."""
    if set(attrs) != {"type"} or attrs["type"] != "application/ld+json" or "<" in content:
        return False
    try:
        json.loads(content)
    except ValueError:
        return False
    return True


# The scripts the templates load (grep templates/ for <script): fixed here, not read from a
# page, where an injected <script src=...> would count as the site's own.
OWN_SCRIPTS = frozenset({static("js/finder.js"), static("js/menu.js")})


def feed_problems(xml):
    """The feed is XML; each item's description is HTML that a reader renders."""
    root = ET.fromstring(xml)
    found = []
    for description in root.iter("description"):
        found += problems_in(description.text or "")
    return found


# The checker must see what a browser would run: it is tested on the raw payloads, all but
# the text-only ones (the NUL one among them) and the markup that runs no script.
RAW_MARKUP = {
    name: payload
    for name, payload in XSS_PAYLOADS.items()
    if name not in AS_TEXT and name not in SCRIPTLESS
}


@pytest.mark.parametrize("payload", RAW_MARKUP.values(), ids=RAW_MARKUP.keys())
def test_the_checker_finds_each_payload_as_raw_markup(payload):
    assert problems_in(f"<p>{payload}</p>")


def test_the_checker_lets_the_site_pages_through(client):
    assert problems_in(client.get("/").content.decode(), OWN_SCRIPTS) == []
    finder = client.get("/press-releases/").content.decode()
    assert problems_in(finder, OWN_SCRIPTS) == []
    parser = Elements()
    parser.feed(finder)
    assert {attrs.get("src") for attrs, _ in parser.scripts} == OWN_SCRIPTS  # not stale


# Entering the corpus through the admin


_add_forms = {}  # an add form's fields as shown, the same for every payload: read once


def admin_post(client, model, obj=None, **values):
    """GET the add or change form, change ``values`` in it, POST it: the response."""
    opts = model._meta
    if obj is None:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        if url not in _add_forms:
            _add_forms[url] = form_data(client.get(url))
        data = dict(_add_forms[url])
    else:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        data = form_data(client.get(url))
    data.update(values)
    return client.post(url, data)


def all_errors(response):
    """The errors of the admin form sent back and of its inlines, as text."""
    errors = [form_errors(response)]
    for inline in response.context["inline_admin_formsets"]:
        errors += [str(error) for form in inline.formset.errors for error in form.values()]
        errors += [str(error) for error in inline.formset.non_form_errors()]
    return " ".join(error for error in errors if error)


def saved(response):
    assert response.status_code in (200, 302), response.status_code
    if response.status_code == 200:
        assert all_errors(response), "a refused form says why"
    return response.status_code == 302


_numbers = itertools.count(1)


@pytest.fixture
def filed(admin_client, settings, tmp_path):
    """Enter ``payload`` everywhere it can go: (release, the terms it is filed under, menu
    entries, what the admin refused)."""
    settings.MEDIA_ROOT = tmp_path
    # The year's chair becomes the country entered below (one chair a year).
    Chairpersonship.objects.filter(year=timezone.localdate().year).delete()

    def enter(payload):
        n = next(_numbers)
        refused = []

        def add(model, **values):
            before = model.objects.count()
            response = admin_post(admin_client, model, **values)
            if saved(response):
                return model.objects.order_by("-pk").first()
            assert model.objects.count() == before
            refused.append((model.__name__, all_errors(response)))
            return None

        name = f"{payload} {n}"  # unique, since names are
        # A group is shown with its countries: rename one that has them.
        response = admin_post(
            admin_client,
            CountryGroup,
            CountryGroup.objects.get(slug="asian-partners-for-co-operation"),
            name=name,
            description=payload,
        )
        if not saved(response):
            refused.append(("CountryGroup", all_errors(response)))
        country = add(
            Country,
            name=name,
            slug=f"xss-country-{n}",
            group=str(CountryGroup.objects.get(slug="participating-states").pk),
            description=payload,
            sort_name=payload,
            **{
                "chairpersonships-TOTAL_FORMS": "1",
                "chairpersonships-0-year": str(timezone.localdate().year),
            },
        )
        place = add(Place, name=name, slug=f"xss-place-{n}", description=payload,
                    country=str(country.pk) if country else "")  # fmt: skip
        field = add(FieldOfWork, name=name, slug=f"xss-field-{n}", description=payload)
        meeting = add(Meeting, name=name, slug=f"xss-meeting-{n}", description=payload)
        source = add(Structure, name=name, slug=f"xss-source-{n}", description=payload)
        heading = MenuItem.objects.filter(parent=None).first()
        # The admin takes only paths and http(s) addresses for an entry
        # (tests/test_admin_bad_ids.py); the label takes anything.
        add(MenuItem, parent=str(heading.pk), label=payload, url=f"/xss-{n}/", target="")
        # An address saved before that check, or by code, is shown as text, not a link.
        MenuItem.objects.create(parent=heading, label=f"Link {n}", url="javascript:alert(1)")

        data = new_release_data(
            title=payload[:200],
            slug=f"xss-release-{n}",
            status=Release.Status.PUBLISHED,
            published_at_0=f"{timezone.localdate():%Y-%m-%d}",
            published_at_1="00:00:01",
            lead=payload,
            body=f"<p>Peace talks {payload} went on.</p>{payload}",
            place=str(place.pk) if place else "",
            sources=[s.slug for s in (source,) if s] + ["secretariat"],  # slugs
            countries=[str(country.pk)] if country else [],
            fields_of_work=[str(field.pk)] if field else [],
            meetings=[str(meeting.pk)] if meeting else [],
            **{
                "attachments-TOTAL_FORMS": "1",
                "attachments-0-title": payload[:200],
                # Browsers send a double quote in a file name as %22: the test client cannot.
                "attachments-0-file": SimpleUploadedFile(
                    f"{payload}.png".replace('"', "%22"), TINY_PNG
                ),
            },
        )
        response = admin_client.post(reverse("admin:press_release_add"), data)
        if not saved(response):
            assert not Release.objects.filter(slug=f"xss-release-{n}").exists()
            refused.append(("Release", all_errors(response)))
            return None, [], refused
        release = Release.objects.get(slug=f"xss-release-{n}")
        terms = [t for t in (country, place, field, meeting, source) if t]
        return release, terms, refused

    return enter


def public_pages(release, terms):
    """Every public page that shows what was entered."""
    pages = ["/", "/press-releases/", "/countries/", "/fields-of-work/", release.get_absolute_url()]
    filters = {"q": "peace", "sort": "newest"}
    for term in terms:
        if not isinstance(term, Place):
            pages += [term.get_absolute_url()]
    for term in terms:
        kind = {Country: "country", FieldOfWork: "field", Structure: "source"}.get(type(term))
        if kind:
            filters[kind] = term.slug
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    pages.append(f"/press-releases/?{query}")
    feeds = ["/press-releases/feed/", f"/press-releases/feed/?{query}"]
    feeds += [f"{t.get_absolute_url()}feed/" for t in terms if not isinstance(t, Place)]
    return pages, feeds


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_no_payload_reaches_a_public_page_as_markup(client, filed, payload):
    release, terms, refused = filed(payload)
    if "\x00" in payload:
        # A NUL cannot be stored on PostgreSQL: every form refuses it, saying so.
        assert release is None
        assert len(refused) == 8  # the entries given the payload
        assert all("Null characters are not allowed." in errors for _, errors in refused)
        return
    assert refused == []  # else what was refused goes unchecked on the pages
    pages, feeds = public_pages(release, terms)

    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert problems_in(response.content.decode(), OWN_SCRIPTS) == [], path
    for path in feeds:
        response = client.get(path)
        assert response.status_code == 200, path
        assert feed_problems(response.content) == [], path
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    ET.fromstring(sitemap.content)  # well-formed: every value escaped


@pytest.mark.parametrize("payload", TITLE_PAYLOADS.values(), ids=TITLE_PAYLOADS.keys())
def test_the_text_stays_text_where_it_is_shown(client, filed, payload):
    """Escaped, not dropped: a visitor reads exactly what the editor typed in the title."""
    release, _, _ = filed(payload)

    page = client.get(release.get_absolute_url()).content.decode()
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.DOTALL).group(1)
    assert "<" not in h1
    assert ">" not in h1
    assert _text(h1) == payload.strip()
    title = re.search(r"<title>(.*?)</title>", page, re.DOTALL).group(1)
    assert "<" not in title
    assert _text(title).startswith(payload.strip())


def _text(fragment):
    return unescape(fragment).strip()


def test_the_sanitiser_ran_on_the_stored_body_and_attachment_name(filed):
    release, _, _ = filed(
        '<img src=x onerror=alert(1)><script>alert(2)</script><a href="javascript:x">y</a>'
    )

    assert "onerror" not in release.body
    assert "<script" not in release.body
    assert "javascript:" not in release.body
    attachment = Attachment.objects.get(release=release)
    assert re.fullmatch(r"releases/\d{4}/\d{2}/[a-z0-9-]+\.png", attachment.file.name)


def test_a_javascript_address_in_the_menu_is_not_a_link(client, filed):
    """The menu links only to web addresses and paths, so a ``javascript:`` address (the
    admin refuses one now; an old one, or one saved by code) shows as a label, unlinked."""
    filed("Plain")
    entry = MenuItem.objects.get(url="javascript:alert(1)")

    page = client.get("/").content.decode()

    assert entry.label in page
    assert problems_in(page, OWN_SCRIPTS) == []


@pytest.mark.parametrize("slug", ["<script>", "a b", "javascript:alert(1)", '"><x', "../x"])
def test_a_slug_takes_only_letters_digits_and_hyphens(admin_client, slug):
    before = Release.objects.count()
    response = admin_client.post(
        reverse("admin:press_release_add"), new_release_data(title="Slug test", slug=slug)
    )

    assert response.status_code == 200
    assert "slug" in response.context["adminform"].form.errors
    assert Release.objects.count() == before
    response = admin_post(admin_client, FieldOfWork, name="Slug test", slug=slug)
    assert response.status_code == 200
    assert not FieldOfWork.objects.filter(name="Slug test").exists()


def test_chairpersonship_marker_follows_an_escaped_name(client, filed):
    filed("<b>Chair</b>")
    chair = Chairpersonship.objects.for_year()

    page = client.get("/").content.decode()

    assert chair.country.name.startswith("<b>Chair</b>")
    assert "&lt;b&gt;Chair&lt;/b&gt;" in page
    assert f"– {chair.marker}" in page
    assert problems_in(page, OWN_SCRIPTS) == []
