"""Structured logs with the request id: one JSON line an error, the id the response carried.

The views under test are added to the site's URLs in this module's URLconf
(``pytest.mark.urls``), behind the
site's real middleware and logging configuration (the test settings are production's,
DEBUG off, so the JSON formatter is the one in use).
"""

import logging
import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from osce_site import urls as site_urls
from osce_site.observability import request_id_from


class Boom(RuntimeError):
    pass


def broken(request):
    raise Boom("the view fell over")


def chatty(request):
    logging.getLogger("press.test").warning("about to answer %s", "ok")
    return HttpResponse("ok")


# The site's own URLs stay (its middleware reverses the admin's), two test views beside them.
urlpatterns = [path("broken/", broken), path("chatty/", chatty), *site_urls.urlpatterns]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_an_error_in_a_view_is_one_json_line_with_the_responses_request_id(client, log_lines):
    response = client.get("/broken/")

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", request_id)
    lines = log_lines()
    assert len(lines) == 1, lines
    [line] = lines
    assert line["level"] == "ERROR"
    assert line["logger"] == "django.request"
    assert line["request_id"] == request_id
    assert (line["method"], line["path"], line["status"]) == ("GET", "/broken/", 500)
    assert line["exception"] == f"{__name__}.Boom"
    assert "the view fell over" in line["traceback"]
    assert "Traceback (most recent call last)" in line["traceback"]
    assert line["time"].endswith("+00:00")


def test_every_line_of_a_request_carries_its_id(client, log_lines):
    response = client.get("/chatty/", headers={"X-Request-ID": "lb-7f3a9c"})

    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a9c"
    [line] = log_lines()
    assert line["message"] == "about to answer ok"
    assert (line["request_id"], line["method"], line["path"]) == ("lb-7f3a9c", "GET", "/chatty/")
    assert "status" not in line
    assert "exception" not in line


def test_a_not_found_page_is_logged_with_the_id_django_logs_after_the_middleware(client, log_lines):
    response = client.get("/nowhere/", headers={"X-Request-ID": "edge-42"})

    assert response.status_code == 404
    [line] = log_lines()
    assert (line["level"], line["status"], line["request_id"]) == ("WARNING", 404, "edge-42")


def test_a_log_line_outside_a_request_has_no_id(log_lines):
    logging.getLogger("press.test").error("a command failed\nsecond line")

    [line] = log_lines()
    assert line["request_id"] is None
    assert line["message"] == "a command failed\nsecond line"
    assert "path" not in line


@pytest.mark.parametrize(
    "incoming",
    [
        "abc\r\nX-Injected: 1",
        'abc\n{"level": "CRITICAL"}',
        "a" * 1000,
        "",
        "-leading-dash",
        "spaces are not ids",
        "<script>alert(1)</script>",
    ],
)
def test_a_malicious_or_malformed_request_id_is_replaced(client, log_lines, incoming):
    response = client.get("/chatty/", headers={"X-Request-ID": incoming})

    replaced = response["X-Request-ID"]
    assert replaced != incoming
    assert re.fullmatch("[0-9a-f]{32}", replaced)
    [line] = log_lines()
    assert line["request_id"] == replaced


@pytest.mark.parametrize(
    "incoming",
    [
        "9f0c5e1e-4a77-4c0e-9d43-8b2b3c1f2a10",
        "7d2c0f9b8a",
        "Root=1-67891233-abcdef012345678912345678",
    ],
)
def test_a_sane_request_id_from_the_proxy_is_kept(incoming):
    assert request_id_from(incoming) == incoming


def test_two_requests_get_different_ids(client):
    assert client.get("/chatty/")["X-Request-ID"] != client.get("/chatty/")["X-Request-ID"]
