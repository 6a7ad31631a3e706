"""Request ids and structured logs, so that one request's lines can be found together.

Each request gets an id: the proxy's ``X-Request-ID`` when it sent a sane one (its access
log and ours then join up), else a new one. The id goes back on the response, where a
visitor reporting a problem or a monitor can quote it, and onto every log record made
while the request is handled. In production each record is one JSON object a line, which
log collectors read without parsing rules; under ``DEBUG`` a person reads plain lines.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

HEADER = "X-Request-ID"
# What proxies send (uuids, hex, base64url, "req-123"): anything else, a line break to
# forge log lines or a header of a thousand characters, is replaced with a fresh id.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")
_request = contextvars.ContextVar("request_context", default=None)


def request_id_from(value):
    """The proxy's id when it is sane, else a new uuid4 in hex."""
    if value and SANE_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex


def current_request_id():
    """The id of the request being handled, or None outside one."""
    context = _request.get()
    return context["request_id"] if context else None


class RequestIDMiddleware:
    """Give the request its id (``request.request_id``) for its logs and its response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request.headers.get(HEADER))
        token = _request.set(
            {"request_id": request.request_id, "method": request.method, "path": request.path}
        )
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        response[HEADER] = request.request_id
        return response


class RequestContextFilter(logging.Filter):
    """Add ``request_id``, ``method`` and ``path`` to every record (None outside a request).

    Django logs a 4xx or 5xx response after the middleware has returned, with the request
    attached to the record: the request's own id is taken from there.
    """

    def filter(self, record):
        context = _request.get()
        request = getattr(record, "request", None)
        if context is None and getattr(request, "request_id", None):
            context = {"request_id": request.request_id, "method": request.method}
            context["path"] = request.path
        context = context or {}
        for name in ("request_id", "method", "path"):
            if not hasattr(record, name):
                setattr(record, name, context.get(name))
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's fields, and for
    an error its exception's type and traceback as strings."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in ("method", "path"):
            if getattr(record, name, None) is not None:
                entry[name] = getattr(record, name)
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info and record.exc_info[0] is not None:
            kind = record.exc_info[0]
            entry["exception"] = f"{kind.__module__}.{kind.__qualname__}"
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
