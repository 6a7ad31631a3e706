"""A database outage answered with a friendly 503 page instead of a server error.

When the database cannot be reached (it is restarting, failing over, or the network is
down) a view raises ``OperationalError`` or ``InterfaceError``. That is no bug in the
site and no reason for a traceback: the visitor gets a page that says to come back
shortly, a ``Retry-After`` for crawlers and proxies, and the log one structured line.
Pages in the visitors' cache need no database and go on being served (press/pagecache.py);
the connection health checks (``conn_health_checks`` in the settings) reconnect by
themselves once the database is back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.log import log_response

logger = logging.getLogger(__name__)
RETRY_AFTER = 30  # seconds: what a restart or a failover usually takes
# What the database driver raises when the server cannot be reached.
DATABASE_DOWN = (OperationalError, InterfaceError)


def unavailable_response(request_id=None):
    """The 503 page, rendered without the request: no context processor, no menu, no query.
    It shows the request's id, for a visitor who reports the problem to quote."""
    response = HttpResponse(render_to_string("503.html", {"request_id": request_id}), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turn a view's lost or refused database connection into :func:`unavailable_response`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_DOWN):
            return None
        response = unavailable_response(getattr(request, "request_id", None))
        # Logged once, with the exception: Django's handler sees it logged and does not
        # log the 503 again without it.
        log_response(
            "Database unavailable: %s",
            request.path,
            response=response,
            request=request,
            logger=logger,
            exception=exception,
        )
        return response
