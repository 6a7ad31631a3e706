"""Site admins give writers an editorial scope: they pick the writer from the staff."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from institutions.models import Structure
from press.models import EditorialScope
from tests.helpers.admin_forms import form_errors
from tests.helpers.pages import page
from tests.helpers.users import WRITERS, client_for, make_user, user_for

pytestmark = pytest.mark.django_db
ADD = reverse("admin:press_editorialscope_add")


@pytest.fixture
def site_admin():
    return client_for(user_for("site admin"))


def test_a_site_admin_is_offered_the_active_staff(site_admin):
    make_user("writer", WRITERS)
    User.objects.create_user("reader", password="pw")  # an account, not staff
    gone = make_user("gone", WRITERS)
    gone.is_active = False
    gone.save()

    response = site_admin.get(ADD)

    assert response.status_code == 200
    select = page(response).find("select", name="user")
    offered = [
        option.text.strip() for option in select.find_all("option") if option.attrs.get("value")
    ]
    assert offered == ["site-admin", "writer"]


def test_a_site_admin_saves_a_scope_but_not_for_an_account_outside_the_staff(site_admin):
    writer = make_user("writer", WRITERS)
    reader = User.objects.create_user("reader", password="pw")
    moldova = Structure.objects.get(slug="mission-to-moldova")

    refused = site_admin.post(ADD, {"user": reader.pk, "sources": [moldova.pk]})
    assert "Select a valid choice" in form_errors(refused)
    assert not EditorialScope.objects.exists()
    saved = site_admin.post(ADD, {"user": writer.pk, "sources": [moldova.pk]})
    assert saved.status_code == 302
    assert list(EditorialScope.objects.get(user=writer).sources.all()) == [moldova]
