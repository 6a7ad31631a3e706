"""What every API answer shares: open to any site for reading (CORS), limited per client
(a 429 that says when to come back), and errors as JSON naming what was wrong."""

import math
import time
from functools import wraps

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from rest_framework.exceptions import ValidationError
from rest_framework.views import exception_handler

from osce_site.security import client_address, count_hit

EXPOSED = "ETag, Last-Modified, Retry-After, Content-Disposition"


def open_to_all(response):
    """Any site's pages may read the API (GET only, no credentials: nothing private)."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED
    return response


def limited(view):
    """Count each client's requests a minute, cached answers included, and answer 429
    with ``Retry-After`` past ``API_REQUESTS_PER_MINUTE``; answer CORS preflights."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
            return open_to_all(response)
        if request.method not in ("GET", "HEAD"):
            response = JsonResponse({"detail": "The API only reads: use GET."}, status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
            return open_to_all(response)
        now = time.time()
        window = math.floor(now / 60)
        count = count_hit(f"api:rate:{client_address(request) or '-'}:{window}", 90)
        if count > settings.API_REQUESTS_PER_MINUTE:
            wait = max(1, math.ceil((window + 1) * 60 - now))
            response = JsonResponse(
                {
                    "detail": f"Too many requests: {settings.API_REQUESTS_PER_MINUTE} a "
                    f"minute for each client. Try again in {wait} s."
                },
                status=429,
            )
            response["Retry-After"] = str(wait)
            return open_to_all(response)
        response = view(request, *args, **kwargs)
        return open_to_all(response)

    return wrapped


def rendered(view):
    """DRF's answers rendered at once, so that the page cache can keep their bytes."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        return response

    return wrapped


def errors_as_json(exc, context):
    """A refused parameter as ``{"errors": {"parameter": ["reason"]}}``; other errors as
    DRF writes them (``{"detail": "…"}``)."""
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"parameters": exc.detail}
        response.data = {
            "errors": {name: [str(m) for m in messages] for name, messages in detail.items()}
        }
    return response
