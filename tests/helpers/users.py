"""Newsroom users by role, and the clients they browse with.

``role`` and ``actor`` are the fixtures of the role matrix: a module that runs its tests
once per role binds them (``role = users.role``, ``actor = users.actor``).
"""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from institutions.models import Structure
from press.models import EditorialScope

WRITERS = "Communications staff"
PUBLISHERS = "Publishers"
SITE_ADMINS = "Site admins"
MOLDOVA = "mission-to-moldova"
SECRETARIAT = "secretariat"
LOGIN_URL = "/admin/login/"


def make_user(username, group=None, *, superuser=False, scope=()):
    """A staff user in the group called ``group``, limited to the ``scope`` source slugs."""
    user = User.objects.create_user(username, password="pw", is_staff=True, is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if scope:
        limit = EditorialScope.objects.create(user=user)
        limit.sources.set(Structure.objects.filter(slug__in=scope))
    return user


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def sent_to_login(response):
    return response.status_code == 302 and response.url.startswith(LOGIN_URL)


# ---------------------------------------------------------------------------------------
# The roles

ROLES = ["anonymous", "writer", "scoped writer", "publisher", "site admin", "superuser"]
WRITING = {"writer", "scoped writer", "publisher", "superuser"}
PUBLISHING = {"publisher", "superuser"}
KEEPING_REFERENCE_DATA = {"site admin", "superuser"}


def user_for(role):
    return {
        "anonymous": lambda: None,
        "writer": lambda: make_user("writer", WRITERS),
        "scoped writer": lambda: make_user("moldova-writer", WRITERS, scope=[MOLDOVA]),
        "publisher": lambda: make_user("publisher", PUBLISHERS),
        "site admin": lambda: make_user("site-admin", SITE_ADMINS),
        "superuser": lambda: make_user("root", superuser=True),
    }[role]()


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


@pytest.fixture
def actor(role):
    return client_for(user_for(role))
