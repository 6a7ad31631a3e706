"""Every response carries the security headers; public pages run nothing inline.

The Content Security Policy is strict on the public pages (no inline script or style, no
plugins, no <base>, no framing) and relaxed in the admin only for inline styles. The page
cache rebuilds responses from stored content, so a cached page is checked to carry the
same policy as a fresh one.
"""

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings
from django.urls import set_script_prefix

from osce_site.security import client_address
from tests.helpers.csp import PUBLIC_DIRECTIVES, policy
from tests.helpers.queries import CACHED_PAGE_QUERIES

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PERMISSIONS_DENIED = [
    "camera",
    "microphone",
    "geolocation",
    "payment",
    "usb",
    "browsing-topics",
    "display-capture",
]


class InlineCode(HTMLParser):
    """Collects what a strict CSP would refuse: inline scripts, styles and handlers."""

    def __init__(self):
        super().__init__()
        self.found, self.import_maps, self._in_script = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")
        if tag == "style":
            self.found.append("<style>")
        if tag == "script" and "src" not in attrs:
            self._in_script = attrs.get("type") or "text/javascript"
            self._body = ""

    def handle_data(self, data):
        if self._in_script:
            self._body += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script:
            if self._in_script == "importmap":
                self.import_maps.append(self._body)
            elif self._in_script not in ("application/json", "application/ld+json"):  # data
                self.found.append(f"<script> {self._body[:60]!r}")
            self._in_script = None


def inline_code(response):
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser


@pytest.fixture
def public_urls(make_release):
    release = make_release(
        title="Chair visits Vienna", fields=("conflict-prevention-and-resolution",)
    )
    return [
        "/",
        "/press-releases/",
        "/press-releases/?q=vienna&sort=relevance",
        release.get_absolute_url(),
        "/fields-of-work/",
        "/fields-of-work/conflict-prevention-and-resolution/",
        "/countries/",
        "/structures/secretariat/",
    ]


def test_public_pages_carry_the_strict_policy(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == PUBLIC_DIRECTIVES, url


def test_public_pages_hold_nothing_the_policy_would_block(client, public_urls):
    """Nothing inline to run or style: the strict policy breaks nothing on these pages."""
    for url in [*public_urls, "/press-releases/?date_from=2021-13-45", "/no-such-page/"]:
        response = client.get(url)
        found = inline_code(response)
        assert found.found == [], url
        assert found.import_maps == [], url
        for tag in re.findall(rb"<script[^>]*>|<link[^>]*stylesheet[^>]*>", response.content):
            assert b"http" not in tag, tag  # every script and stylesheet is the site's own


def test_templates_hold_no_inline_script_style_or_handler():
    """The same, read from the templates, for pages no test renders."""
    offending = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", re.I)
    for template in (ROOT / "templates").rglob("*.html"):
        if "admin" in template.parts or "email" in template.parts:
            continue  # the admin's own; emails, which mail programs show with inline styles
        text = template.read_text(encoding="utf-8")
        assert not offending.search(text), f"{template}: {offending.search(text)[0]}"


def test_error_pages_carry_the_strict_policy(client):
    for url, status in [("/no-such-page/", 404), ("/press-releases/?page=abc", 400)]:
        response = client.get(url)
        assert response.status_code == status
        assert policy(response) == PUBLIC_DIRECTIVES


def test_a_cached_page_carries_the_same_policy_as_a_fresh_one(
    client, public_urls, django_assert_num_queries
):
    """The page cache keeps the content and a few headers: the policy is added each time."""
    for url in public_urls:
        fresh = client.get(url)
        with django_assert_num_queries(CACHED_PAGE_QUERIES):  # from the cache, no rendering
            cached = client.get(url)
        assert cached.content == fresh.content
        assert cached["Content-Security-Policy"] == fresh["Content-Security-Policy"]
        assert cached["Permissions-Policy"] == fresh["Permissions-Policy"]
        revalidated = client.get(url, HTTP_IF_NONE_MATCH=cached["ETag"])
        assert revalidated.status_code == 304
        assert revalidated["Content-Security-Policy"] == fresh["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/press/release/",
        "/admin/press/release/add/",
        "/admin/taxonomy/fieldofwork/",
        "/admin/institutions/structure/",
        "/admin/axes/accessattempt/",
    ],
)
def test_admin_runs_no_inline_script_beyond_its_import_maps(admin_client, url):
    """Scripts stay 'self' in the admin: only the editor's import map is inline, by hash."""
    response = admin_client.get(url)
    assert response.status_code == 200
    directives = policy(response)
    found = inline_code(response)
    assert not [item for item in found.found if item.startswith("<script")]
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in found.import_maps
    ]
    assert directives["script-src"].split() == ["'self'", *hashes]
    assert directives["style-src"] == "'self' 'unsafe-inline'"
    others = {**directives, "script-src": "'self'", "style-src": "'self'"}
    assert others == PUBLIC_DIRECTIVES  # the rest as strict as the public pages


def test_the_editor_page_has_its_import_map_hashed(admin_client):
    response = admin_client.get("/admin/press/release/add/")
    assert len(inline_code(response).import_maps) == 1
    assert "'sha256-" in policy(response)["script-src"]


def test_the_tree_admin_needs_its_inline_styles(admin_client):
    """Why the admin's style-src allows inline styles: the trees indent rows with them."""
    response = admin_client.get("/admin/taxonomy/fieldofwork/")
    assert 'style="text-indent:' in response.content.decode()


def test_every_response_denies_unused_browser_features(client, admin_client):
    responses = [
        client.get("/"),
        client.get("/no-such-page/"),
        client.get("/robots.txt"),
        client.get("/static/css/site.css"),
        admin_client.get("/admin/"),
    ]
    for response in responses:
        header = response["Permissions-Policy"]
        for feature in PERMISSIONS_DENIED:
            assert f"{feature}=()" in header.split(", ")
        # FLoC's feature, gone from browsers: Chromium logs an error for every page naming it.
        assert "interest-cohort" not in header


def test_the_admin_policy_follows_the_admin_under_a_sub_path(admin_client, client):
    """Served under a prefix (SCRIPT_NAME=/newsroom), the admin is still told apart from the
    public pages: reverse() and request.path both carry the prefix."""
    # What Django's WSGI handler does for each request (the test client does not).
    set_script_prefix("/newsroom/")
    try:
        admin = admin_client.get("/admin/", SCRIPT_NAME="/newsroom")
        public = client.get("/", SCRIPT_NAME="/newsroom")
    finally:
        set_script_prefix("/")
    assert admin.status_code == 200
    assert "/newsroom/admin/" in admin.content.decode()
    assert policy(admin)["style-src"] == "'self' 'unsafe-inline'"
    assert public.status_code == 200
    assert policy(public)["style-src"] == "'self'"


def test_referrer_and_sniffing_and_framing_headers(client):
    response = client.get("/")
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(TRUSTED_PROXIES=1)
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (None, "10.0.0.2"),  # not through the proxy: its peer
        ("81.16.0.1", "81.16.0.1"),
        ("6.6.6.6, 81.16.0.1", "81.16.0.1"),  # the left part is the client's, may be forged
        ("81.16.0.1 , ", "81.16.0.1"),
        ("2001:db8::1", "2001:db8::1"),
        ("not-an-address", "10.0.0.2"),
        ("x" * 5000, "10.0.0.2"),
    ],
)
def test_client_address_is_the_one_the_proxy_appended(forwarded, expected):
    meta = {"REMOTE_ADDR": "10.0.0.2"}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(RequestFactory().get("/", **meta)) == expected


@pytest.mark.parametrize(
    ("hops", "forwarded", "expected"),
    [
        (0, "81.16.0.1", "10.0.0.2"),  # the app faces clients: the header is theirs, ignored
        (2, "81.16.0.1, 10.1.1.1", "81.16.0.1"),
        (2, "10.1.1.1", "10.0.0.2"),  # passed one proxy of two
    ],
)
def test_client_address_counts_the_trusted_proxies(settings, hops, forwarded, expected):
    settings.TRUSTED_PROXIES = hops
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
