"""Cross-site scripting: the payloads every way in is tried with, and a check for what in
an HTML fragment could run script, load another document or restyle the page."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

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
