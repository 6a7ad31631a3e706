"""A release's body is sanitised when it is saved: nothing that runs script survives, into the
database or onto the public page, while the markup a release needs does."""

import re
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from press.models import Release

pytestmark = pytest.mark.django_db

SAFE_SCHEMES = {"", "http", "https", "mailto"}
# Tags that can run script, load other documents or restyle the page: never in a page.
DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "base", "form", "input", "button", "textarea", "select", "meta", "link",
    "noscript", "template", "xml", "marquee", "video", "audio", "source",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}

XSS_PAYLOADS = {
    "script tag": "<script>alert('xss')</script>",
    "script tag with source": '<script src="https://evil.example/x.js"></script>',
    "script in capitals": "<SCRIPT>alert('xss')</SCRIPT>",
    "nested script": "<<script>alert('xss');//<</script>",
    "img onerror": "<img src=x onerror=alert('xss')>",
    "img onerror quoted": '<img src="x" onerror="alert(document.cookie)">',
    "img javascript src": '<img src="javascript:alert(1)">',
    "javascript link": "<a href=\"javascript:alert('xss')\">click</a>",
    "mixed-case javascript link": '<a href="jAvAsCrIpT:alert(1)">click</a>',
    "javascript link with spaces": '<a href="  javascript:alert(1)">click</a>',
    "javascript link with tab": '<a href="java\tscript:alert(1)">click</a>',
    "javascript link with entities": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'
    ),
    "vbscript link": '<a href="vbscript:msgbox(1)">click</a>',
    "data link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "data link in capitals": '<a href="DATA:text/html,<script>alert(1)</script>">x</a>',
    "svg onload": "<svg onload=alert('xss')><circle r=10></circle></svg>",
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "body onload": "<body onload=alert('xss')>",
    "style attribute": '<p style="background:url(javascript:alert(1))">styled</p>',
    "style attribute with expression": '<p style="width: expression(alert(1))">styled</p>',
    "style attribute on a link": '<a href="https://www.osce.org/" style="position:fixed">x</a>',
    "style attribute on an image": '<img src="https://www.osce.org/x.png" style="width:100%">',
    "style attribute on a cell": '<table><tr><td style="color:red">cell</td></tr></table>',
    "style element": "<style>body { background: url(javascript:alert(1)) }</style>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "iframe javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe srcdoc": "<iframe srcdoc=\"<script>alert('xss')</script>\"></iframe>",
    "object": '<object data="https://evil.example/x.swf"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "form": '<form action="javascript:alert(1)"><button>go</button></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "base href": '<base href="https://evil.example/">',
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "comment": "<!-- <script>alert('xss')</script> -->",
    "conditional comment": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "event handler on allowed tag": "<p onclick=\"alert('xss')\">click me</p>",
    "event handler on link": '<a href="https://www.osce.org/" onmouseover="alert(1)">OSCE</a>',
    "math": '<math><mtext><table><mglyph><style><img src=x onerror=alert("xss")>',
    "noscript mutation": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "encoded tab in image source": "<img src=\"jav&#x09;ascript:alert('xss')\">",
}


class Markup(HTMLParser):
    """Everything an HTML fragment would make a browser build: tags, attributes, comments."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags = []
        self.attributes = []  # (tag, name, value)
        self.comments = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend((tag, name, value or "") for name, value in attrs)

    handle_startendtag = handle_starttag

    def handle_comment(self, data):
        self.comments.append(data)


def url_scheme(value):
    """The scheme a browser would read: it ignores spaces and control characters in it."""
    cleaned = re.sub(r"[\x00-\x20]", "", value)
    return urlsplit(cleaned).scheme.lower()


def unsafe_markup(html):
    """What in ``html`` could run script, load another document or restyle the page."""
    markup = Markup(html)
    problems = [f"<{tag}>" for tag in markup.tags if tag in DANGEROUS_TAGS]
    problems += [f"{tag} {name}" for tag, name, _ in markup.attributes if name.startswith("on")]
    problems += [f"{tag} style" for tag, name, _ in markup.attributes if name == "style"]
    problems += [
        f"{tag} {name}={value!r}"
        for tag, name, value in markup.attributes
        if name in URL_ATTRIBUTES and url_scheme(value) not in SAFE_SCHEMES
    ]
    problems += [f"<!--{comment}-->" for comment in markup.comments]
    return problems


def assert_harmless(html):
    problems = unsafe_markup(html)
    assert not problems, f"unsafe markup survived: {problems} in {html[:2000]!r}"


def test_the_checker_would_catch_every_payload_left_as_it_is():
    """Otherwise a payload below would prove nothing about the sanitiser."""
    missed = []
    for name, payload in XSS_PAYLOADS.items():
        try:
            assert_harmless(payload)
        except AssertionError:
            continue
        missed.append(name)
    assert not missed


def release_body(response):
    content = response.content.decode()
    match = re.search(
        r'<div class="release__body">(.*?)</div>\s*(?:<nav class="release__sequence"|</article>)',
        content,
        re.S,
    )
    assert match, "no release body on the page"
    return match.group(1)


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_no_xss_payload_survives_into_the_stored_body_or_the_page(client, make_release, payload):
    release = make_release(body=f"<p>Before the payload.</p>{payload}<p>After the payload.</p>")
    control = make_release(body="<p>Before the payload.</p><p>After the payload.</p>")

    stored = Release.objects.get(pk=release.pk).body
    assert_harmless(stored)
    assert "Before the payload." in stored

    response = client.get(release.get_absolute_url())
    assert response.status_code == 200
    assert_harmless(release_body(response))
    # Whatever the layout itself holds (a data: favicon, say), the payload adds nothing.
    layout = Counter(unsafe_markup(client.get(control.get_absolute_url()).content.decode()))
    added = Counter(unsafe_markup(response.content.decode())) - layout
    assert not added, f"unsafe markup on the page: {sorted(added)}"


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert('xss')</script>",
        "<style>body { background: url(javascript:alert(1)) }</style>",
        "<!-- <script>alert('xss')</script> -->",
    ],
)
def test_script_style_and_comment_content_is_dropped_not_shown_as_text(make_release, payload):
    release = make_release(body=f"<p>Kept.</p>{payload}")

    assert Release.objects.get(pk=release.pk).body == "<p>Kept.</p>"


def test_the_body_is_sanitised_on_every_save_not_only_the_first(make_release):
    release = make_release(body="<p>Clean at first.</p>")

    release.body = "<p onclick=\"alert('xss')\">Edited.</p><script>alert('xss')</script>"
    release.save()

    stored = Release.objects.get(pk=release.pk).body
    assert stored == "<p>Edited.</p>"


def test_the_allowed_markup_of_a_release_survives(client, make_release):
    body = (
        "<p>VIENNA, 24 September 2021 – The <strong>Chair</strong> met the <em>Co-Chairs</em>."
        "</p>"
        "<h2>Background</h2>"
        "<ul><li>First point</li><li>Second point</li></ul>"
        '<p>Read <a href="https://www.osce.org/chairpersonship">the Chair’s page</a>.</p>'
        "<table><thead><tr><th>Year</th><th>Chair</th></tr></thead>"
        "<tbody><tr><td>2025</td><td>Finland</td></tr></tbody></table>"
    )
    release = make_release(body=body)

    stored = Release.objects.get(pk=release.pk).body
    markup = Markup(stored)
    assert markup.tags == [
        "p", "strong", "em", "h2", "ul", "li", "li", "p", "a",
        "table", "thead", "tr", "th", "th", "tbody", "tr", "td", "td",
    ]  # fmt: skip
    assert ("a", "href", "https://www.osce.org/chairpersonship") in markup.attributes
    for text in ["The ", "Chair", "Co-Chairs", "Background", "Second point", "Finland"]:
        assert text in stored
    assert "<strong>Chair</strong>" in stored
    assert "<em>Co-Chairs</em>" in stored
    assert "<h2>Background</h2>" in stored
    assert "<ul><li>First point</li><li>Second point</li></ul>" in stored
    assert "<td>2025</td><td>Finland</td>" in stored

    shown = release_body(client.get(release.get_absolute_url()))
    assert Markup(shown).tags == markup.tags
    assert '<a href="https://www.osce.org/chairpersonship"' in shown
    assert "<h2>Background</h2>" in shown


def test_links_keep_their_safe_addresses(make_release):
    body = (
        '<p><a href="https://www.osce.org/">https</a> <a href="http://example.org/">http</a> '
        '<a href="mailto:press@osce.org">mail</a> <a href="/press-releases/">relative</a></p>'
    )
    release = make_release(body=body)

    hrefs = [
        value
        for tag, name, value in Markup(Release.objects.get(pk=release.pk).body).attributes
        if name == "href"
    ]
    assert hrefs == [
        "https://www.osce.org/",
        "http://example.org/",
        "mailto:press@osce.org",
        "/press-releases/",
    ]


def test_allowed_tags_lose_only_their_unsafe_parts(make_release):
    release = make_release(
        body='<p onclick="alert(1)" style="color:red">Text <a href="javascript:alert(1)">'
        "link text</a> <strong onmouseover=alert(1)>bold</strong></p>"
    )

    stored = Release.objects.get(pk=release.pk).body
    assert_harmless(stored)
    assert Markup(stored).tags == ["p", "a", "strong"]
    assert "link text" in stored
    assert "<strong>bold</strong>" in stored
