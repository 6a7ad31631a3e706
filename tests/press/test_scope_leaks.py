"""A writer limited to some sources learns nothing of releases outside them: not a draft's
address through the admin's "View on site" link, not another release's old address by
taking it for their own."""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.test import Client

from institutions.models import Structure
from press.models import EditorialScope, Release, SlugRedirect

pytestmark = pytest.mark.django_db

MOLDOVA = "mission-to-moldova"


def staff_client(username, group=None, scope=(), superuser=False):
    user = User.objects.create_user(username, password="pw", is_staff=True, is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if scope:
        EditorialScope.objects.create(user=user).sources.set(
            Structure.objects.filter(slug__in=scope)
        )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def outside_draft(make_release):
    """A draft of the Secretariat's, outside a Moldova writer's scope, once renamed."""
    draft = make_release(title="Secret draft", status=Release.Status.DRAFT)
    draft.slug = "secret-draft-renamed"
    draft.save()
    return draft


def view_on_site_url(obj):
    return f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


def test_view_on_site_tells_a_scoped_writer_nothing_outside_the_scope(outside_draft):
    writer = staff_client("moldova-writer", "Communications staff", scope=[MOLDOVA])
    response = writer.get(view_on_site_url(outside_draft))
    assert response.status_code == 404
    assert "secret-draft" not in response.get("Location", "")


@pytest.mark.parametrize(
    ("username", "group", "superuser"),
    [
        ("writer", "Communications staff", False),
        ("publisher", "Publishers", False),
        ("root", None, True),
    ],
)
def test_view_on_site_leads_those_who_may_see_it(outside_draft, username, group, superuser):
    client = staff_client(username, group, superuser=superuser)
    response = client.get(view_on_site_url(outside_draft))
    assert response.status_code == 302
    assert response["Location"].endswith("/press-releases/secret-draft-renamed/")


def test_view_on_site_needs_a_view_permission_for_reference_data():
    no_rights = staff_client("no-rights")
    country = ContentType.objects.get(app_label="taxonomy", model="country")
    assert no_rights.get(f"/admin/r/{country.pk}/1/").status_code in (302, 404)
    assert no_rights.get("/admin/r/999999/1/").status_code == 404
    assert no_rights.get("/admin/r/abc/1/").status_code == 404


def test_another_release_s_old_address_cannot_be_taken(outside_draft, make_release):
    mine = make_release(title="Mine", sources=(MOLDOVA,))
    mine.slug = "secret-draft"  # the draft's address before its rename
    with pytest.raises(ValidationError) as refused:
        mine.full_clean()
    assert refused.value.message_dict["slug"] == [
        "This address belonged to another release and still leads to it; choose another."
    ]
    # Saved by code regardless, the other release keeps its redirect.
    mine.save()
    assert SlugRedirect.objects.get(old_slug="secret-draft").release == outside_draft


def test_a_release_may_take_back_its_own_old_address(outside_draft):
    outside_draft.slug = "secret-draft"
    outside_draft.full_clean()
    outside_draft.save()
    assert not SlugRedirect.objects.filter(old_slug="secret-draft").exists()


def test_a_new_release_never_gets_another_s_old_address_by_default(outside_draft, make_release):
    again = make_release(title="Secret draft", sources=(MOLDOVA,))
    assert again.slug != "secret-draft"
    assert SlugRedirect.objects.get(old_slug="secret-draft").release == outside_draft
