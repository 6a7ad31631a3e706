"""The Content Security Policy: what the public pages send, and a response's policy read."""

PUBLIC_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy(response):
    """The response's CSP as a dict of directive to its sources (one string)."""
    header = response["Content-Security-Policy"]
    parts = (part.strip().partition(" ") for part in header.split(";") if part.strip())
    return {name: sources for name, _, sources in parts}
