"""A release's body is sanitised when it is saved: nothing that runs script survives, into the
database or onto the public page, while the markup a release needs does."""

import re
from collections import Counter

import pytest

from press.models import Release
from tests.helpers.xss import AS_TEXT, XSS_PAYLOADS, Markup, unsafe_markup

pytestmark = pytest.mark.django_db


def assert_harmless(html):
    problems = unsafe_markup(html)
    assert not problems, f"unsafe markup survived: {problems} in {html[:2000]!r}"


def test_the_checker_would_catch_every_payload_left_as_it_is():
    """Otherwise a payload below would prove nothing about the sanitiser. (Those that are
    text, not markup, test the pages' escaping: the checker rightly finds nothing in them.)"""
    missed = []
    for name, payload in XSS_PAYLOADS.items():
        if name in AS_TEXT:
            assert not unsafe_markup(payload), name
            continue
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
