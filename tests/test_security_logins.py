"""Admin logins are throttled: 5 wrong passwords lock a username at one address for 15
minutes; site admins see and lift lockouts, other staff cannot.

The client's address is the right-most entry of X-Forwarded-For, as the proxy appends it
(``osce_site.security.client_address``); the tests send it the same way.
"""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.helpers.csp import policy

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ATTEMPTS = "/admin/axes/accessattempt/"
ADDRESS_A, ADDRESS_B = "81.16.0.1", "81.16.0.2"
PASSWORD = "right-password-for-tests"


def log_in(username, password, address, client=None):
    """Post the admin's login form from ``address``, as the proxy forwards it."""
    client = client or Client()
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        HTTP_X_FORWARDED_FOR=f"6.6.6.6, {address}",  # the left entry is forged and ignored
        REMOTE_ADDR="127.0.0.1",
    )


def logged_in(response):
    return response.status_code == 302 and response.url == "/admin/"


def locked(response):
    return response.status_code == 429 and b"Login locked" in response.content


def fail(username, address, times):
    return [log_in(username, "wrong", address) for _ in range(times)]


@pytest.fixture
def staff():
    def build(username, group=None, **flags):
        user = User.objects.create_user(username, password=PASSWORD, is_staff=True, **flags)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return build


@pytest.fixture
def xavier(staff):
    return staff("xavier")


@pytest.fixture
def yvonne(staff):
    return staff("yvonne")


def test_five_wrong_passwords_lock_that_user_at_that_address_only(xavier, yvonne):
    responses = fail("xavier", ADDRESS_A, 5)
    assert [r.status_code for r in responses[:4]] == [200] * 4  # the form, with its error
    assert locked(responses[4])
    assert locked(log_in("xavier", PASSWORD, ADDRESS_A))  # the right password too
    assert logged_in(log_in("xavier", PASSWORD, ADDRESS_B))
    assert logged_in(log_in("yvonne", PASSWORD, ADDRESS_A))


def test_the_lockout_page_says_what_happened_and_for_how_long(xavier):
    response = fail("xavier", ADDRESS_A, 5)[-1]
    page = response.content.decode()
    assert response.status_code == 429
    assert "<strong>xavier</strong>" in page
    assert "15 minutes" in page
    assert "Traceback" not in page
    assert policy(response)["script-src"] == "'self'"


def test_the_lockout_passes_after_the_cool_off(xavier):
    """Each attempt during the lockout starts the 15 minutes again, so guessing on does not
    wait out the lock; 15 minutes of quiet end it."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail("xavier", ADDRESS_A, 5)
    with time_machine.travel(start + dt.timedelta(minutes=14), tick=False):
        assert locked(log_in("xavier", PASSWORD, ADDRESS_A))
    # 28 minutes after the lock, 14 after that attempt: unlocked since minute 15 without it.
    with time_machine.travel(start + dt.timedelta(minutes=28), tick=False):
        assert locked(log_in("xavier", PASSWORD, ADDRESS_A))
    with time_machine.travel(start + dt.timedelta(minutes=28 + 16), tick=False):
        assert logged_in(log_in("xavier", PASSWORD, ADDRESS_A))


def test_a_success_resets_the_count(xavier):
    fail("xavier", ADDRESS_A, 4)
    assert logged_in(log_in("xavier", PASSWORD, ADDRESS_A))
    assert not any(locked(r) for r in fail("xavier", ADDRESS_A, 4))


def test_unknown_usernames_and_odd_input_never_give_a_server_error(xavier):
    for data in [{}, {"username": "x" * 10_000, "password": "p"}, {"username": "\x00"}]:
        response = Client().post(LOGIN, data, HTTP_X_FORWARDED_FOR="not-an-address")
        assert response.status_code in {200, 400}
    assert locked(fail("nobody", ADDRESS_A, 5)[-1])
    assert locked(fail("x" * 10_000, ADDRESS_A, 5)[-1])  # longer than axes' column


def lock_xavier():
    fail("xavier", ADDRESS_A, 5)
    return AccessAttempt.objects.get(username="xavier", ip_address=ADDRESS_A)


@pytest.mark.parametrize("superuser", [False, True], ids=["site admin", "superuser"])
def test_a_site_admin_sees_and_lifts_a_lockout_in_the_admin(staff, xavier, superuser):
    attempt = lock_xavier()
    admin = Client()
    admin.force_login(staff("keeper", None if superuser else "Site admins", is_superuser=superuser))
    listing = admin.get(ATTEMPTS)
    assert listing.status_code == 200
    assert b"xavier" in listing.content
    assert b"Locked Out" in listing.content
    response = admin.post(f"{ATTEMPTS}{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert logged_in(log_in("xavier", PASSWORD, ADDRESS_A))


@pytest.mark.parametrize("group", ["Communications staff", "Publishers"])
def test_other_staff_can_neither_see_nor_lift_a_lockout(staff, xavier, group):
    attempt = lock_xavier()
    writer = Client()
    writer.force_login(staff("writer", group))
    assert writer.get(ATTEMPTS).status_code == 403
    assert writer.get(f"{ATTEMPTS}{attempt.pk}/change/").status_code == 403
    assert writer.post(f"{ATTEMPTS}{attempt.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    assert writer.post(ATTEMPTS, bulk).status_code == 403
    assert b"axes" not in writer.get("/admin/").content.lower()
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()
    assert locked(log_in("xavier", PASSWORD, ADDRESS_A))


def test_the_reset_command_lifts_a_lockout(xavier):
    lock_xavier()
    call_command("axes_reset_username", "xavier", stdout=None)
    assert logged_in(log_in("xavier", PASSWORD, ADDRESS_A))


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/admin/", "javascript:alert(1)", ""]
)
def test_a_refused_next_after_login_lands_on_the_admin(xavier, next_url):
    response = Client().post(
        f"{LOGIN}?next={next_url}",
        {"username": "xavier", "password": PASSWORD, "next": next_url},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_a_next_on_the_site_is_followed(xavier):
    response = Client().post(
        LOGIN,
        {"username": "xavier", "password": PASSWORD, "next": "/admin/press/release/"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.url == "/admin/press/release/"


@pytest.mark.parametrize("group", ["Communications staff", "Publishers", "Site admins"])
def test_every_role_s_login_with_a_refused_next_lands_on_the_admin(staff, group):
    staff("member", group)
    response = Client().post(
        f"{LOGIN}?next=https://evil.example/",
        {"username": "member", "password": PASSWORD, "next": "https://evil.example/"},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_a_locked_out_login_with_a_refused_next_stays_on_the_site(xavier):
    """The lockout page answers in place of any redirect, and leads only to the login;
    once the lock has passed, the login lands on the admin, not on the refused next."""
    evil = {"username": "xavier", "password": PASSWORD, "next": "https://evil.example/"}
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        lock_xavier()
        response = Client().post(
            f"{LOGIN}?next=https://evil.example/",
            evil,
            HTTP_X_FORWARDED_FOR=ADDRESS_A,
            REMOTE_ADDR="127.0.0.1",
        )
        assert locked(response)
        assert "Location" not in response
        assert "evil.example" not in response.content.decode()
        assert f'href="{LOGIN}"' in response.content.decode()
    with time_machine.travel(start + dt.timedelta(minutes=16), tick=False):
        response = Client().post(
            f"{LOGIN}?next=https://evil.example/",
            evil,
            HTTP_X_FORWARDED_FOR=ADDRESS_A,
            REMOTE_ADDR="127.0.0.1",
        )
        assert response.status_code == 302
        assert response.url == "/admin/"


def test_a_logged_in_visit_to_the_login_with_a_refused_next_goes_to_the_admin(xavier):
    client = Client()
    client.force_login(xavier)
    response = client.get(f"{LOGIN}?next=https://evil.example/")
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_a_logout_with_a_refused_next_stays_on_the_site(xavier):
    client = Client()
    client.force_login(xavier)
    response = client.post("/admin/logout/?next=https://evil.example/")
    assert "evil.example" not in response.get("Location", "")
    assert response.get("Location", "/").startswith("/")  # on this site
    assert "_auth_user_id" not in client.session
