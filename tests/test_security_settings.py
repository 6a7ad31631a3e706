"""Sessions expire, a server error shows a generic page, and production carries it all.

A staff session ends after 8 hours without a request (each request renews it); visitors
never get a session, so the page cache (keyed on the cookie's absence) still serves them.
"""

import datetime as dt
import json

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from press import views
from tests.helpers.csp import PUBLIC_DIRECTIVES, policy
from tests.helpers.settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def test_a_session_idle_longer_than_its_age_is_logged_out(admin_client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert admin_client.get("/admin/").status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=8, minutes=1), tick=False):
        response = admin_client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_each_request_renews_the_session(admin_client):
    start = timezone.now()
    for hours in (0, 7, 14, 21):  # never 8 hours apart
        with time_machine.travel(start + dt.timedelta(hours=hours), tick=False):
            assert admin_client.get("/admin/").status_code == 200, hours


def test_the_session_is_renewed_at_most_every_five_minutes(admin_client):
    """A staff request writes its session only when the last renewal is 5 minutes old."""

    def expiry():
        return Session.objects.get().expire_date

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        admin_client.get("/admin/")
        renewed = expiry()
        assert renewed == start + dt.timedelta(hours=8)
    with time_machine.travel(start + dt.timedelta(minutes=4), tick=False):
        response = admin_client.get("/admin/")
        assert expiry() == renewed
        assert settings.SESSION_COOKIE_NAME not in response.cookies
    with time_machine.travel(start + dt.timedelta(minutes=6), tick=False):
        response = admin_client.get("/admin/")
        assert expiry() == start + dt.timedelta(hours=8, minutes=6)
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 60 * 60


def test_the_session_cookie_is_scoped_and_short_lived(admin_client):
    response = admin_client.get("/admin/")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == 8 * 60 * 60
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True  # the test settings are the production ones


def test_visitors_get_no_session_so_pages_stay_cached(client):
    for url in ["/", "/press-releases/", "/no-such-page/"]:
        response = client.get(url)
        assert settings.SESSION_COOKIE_NAME not in response.cookies, url
        assert "Cookie" in response.get("Vary", "") or response.status_code == 404


def test_csrf_cookie_is_not_readable_by_scripts(client):
    response = client.get("/admin/login/")
    cookie = response.cookies[settings.CSRF_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["secure"] is True


def test_a_server_error_shows_the_generic_page_without_details(client, monkeypatch):
    def broken(self, **kwargs):
        raise RuntimeError(f"the database fell over, {settings.SECRET_KEY}")

    monkeypatch.setattr(views.HomeView, "get_context_data", broken)
    client.raise_request_exception = False
    response = client.get("/")
    page = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong" in page
    for detail in ["Traceback", "RuntimeError", "fell over", settings.SECRET_KEY, "SECRET"]:
        assert detail not in page
    assert 'style="' not in page
    assert policy(response) == PUBLIC_DIRECTIVES
    # Mended, the page answers at once: the error page was not cached in its place.
    monkeypatch.undo()
    mended = client.get("/")
    assert mended.status_code == 200
    assert "Something went wrong" not in mended.content.decode()


def test_production_settings_carry_the_policy_and_throttling(tmp_path):
    """The production settings (DEBUG unset) themselves, not the test overlay."""
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'csp': s.CONTENT_SECURITY_POLICY, 'middleware': s.MIDDLEWARE, 'debug': s.DEBUG, "
        "'backends': s.AUTHENTICATION_BACKENDS, 'limit': s.AXES_FAILURE_LIMIT, "
        "'cool_off': s.AXES_COOLOFF_TIME, 'lock_by': s.AXES_LOCKOUT_PARAMETERS, "
        "'session_age': s.SESSION_COOKIE_AGE, 'hsts': s.SECURE_HSTS_SECONDS}))"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    directives = found["csp"]["DIRECTIVES"]
    assert found["debug"] is False
    assert directives["script-src"] == directives["style-src"] == ["'self'"]
    assert directives["object-src"] == directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in source for sources in directives.values() for source in sources)
    middleware = found["middleware"]
    assert "osce_site.security.ContentSecurityPolicyMiddleware" in middleware
    assert "osce_site.security.PermissionsPolicyMiddleware" in middleware
    assert middleware.index("osce_site.security.SessionRenewalMiddleware") > middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    assert middleware[-1] == "axes.middleware.AxesMiddleware"
    assert found["backends"][0] == "axes.backends.AxesStandaloneBackend"
    assert (found["limit"], found["cool_off"]) == (5, 0.25)
    assert found["lock_by"] == [["username", "ip_address"]]
    assert found["session_age"] == 8 * 60 * 60
    assert found["hsts"] >= 60 * 60 * 24 * 365


def test_production_pages_carry_the_policy_and_check_deploy_is_clean(tmp_path):
    """A request through the production middleware, behind the proxy, and the checks."""
    code = (
        "from django.test import Client; "
        "r = Client(HTTP_X_FORWARDED_PROTO='https').get('/robots.txt', "
        "HTTP_HOST='newsroom.example.org'); "
        "print(r.status_code); print(r['Content-Security-Policy']); "
        "print(r['Permissions-Policy']); print(r['Strict-Transport-Security'])"
    )
    result = manage("shell", "--no-imports", "-c", code, env=PRODUCTION, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    status, csp, permissions, hsts = result.stdout.strip().splitlines()[-4:]
    assert status == "200"
    assert "script-src 'self';" in f"{csp};"  # the header's order varies
    assert "object-src 'none'" in csp
    assert "camera=()" in permissions
    assert "max-age=31536000" in hsts
    checked = manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, tmp_path=tmp_path
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "no issues" in checked.stdout
