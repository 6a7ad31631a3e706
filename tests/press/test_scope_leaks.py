"""A writer limited to some sources learns nothing of releases outside them: not a draft's
address through the admin's "View on site" link, not another release's old address by
taking it for their own. Each role is tried, as the admin is used.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from press.models import Release, SlugRedirect
from taxonomy.models import Country
from tests.helpers.admin_forms import form_errors, new_release_data, post_change
from tests.helpers.users import (
    MOLDOVA,
    ROLES,
    WRITING,
    client_for,
    make_user,
    sent_to_login,
    user_for,
)

pytestmark = pytest.mark.django_db

TAKEN = "This address belonged to another release and still leads to it; choose another."


@pytest.fixture
def outside_draft(make_release):
    """A draft of the Secretariat's, outside a Moldova writer's scope, once renamed: its
    old address ``secret-draft`` leads to ``secret-draft-renamed``."""
    draft = make_release(title="Secret draft", status=Release.Status.DRAFT)
    draft.slug = "secret-draft-renamed"
    draft.save()
    return draft


def view_on_site_url(obj, content_type=None):
    content_type = content_type or str(ContentType.objects.get_for_model(obj).pk)
    return f"/admin/r/{content_type}/{obj.pk}/"


# ---------------------------------------------------------------------------------------
# View on site


@pytest.mark.parametrize("role", ROLES)
def test_view_on_site_of_a_draft_outside_a_scope_answers_per_role(outside_draft, role):
    response = client_for(user_for(role)).get(view_on_site_url(outside_draft))
    if role == "anonymous":
        assert sent_to_login(response)
    elif role == "scoped writer":
        assert response.status_code == 404
        assert "secret-draft" not in response.get("Location", "")
        assert b"secret-draft" not in response.content
    else:  # writers, publishers and site admins without a scope may view every release
        assert response.status_code == 302
        assert response["Location"].endswith("/press-releases/secret-draft-renamed/")


@pytest.mark.parametrize("status", [Release.Status.DRAFT, Release.Status.PUBLISHED])
def test_view_on_site_leads_a_scoped_writer_within_the_scope(make_release, status):
    release = make_release(title="Bridge talks", sources=(MOLDOVA,), status=status)
    writer = client_for(user_for("scoped writer"))
    response = writer.get(view_on_site_url(release))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/press-releases/{release.slug}/")


def test_view_on_site_leads_anyone_to_what_is_published_anyway(make_release):
    release = make_release(title="Out in public", sources=("secretariat",))
    for role in ("scoped writer", "site admin"):
        response = client_for(user_for(role)).get(view_on_site_url(release))
        assert response.status_code == 302
        assert response["Location"].endswith(f"/press-releases/{release.slug}/")


@pytest.mark.parametrize("spelling", ["%20{}", "{}%20", "+{}", "0{}", "{}.0", "x{}"])
def test_no_spelling_of_the_content_type_reaches_django_s_unchecked_shortcut(
    outside_draft, spelling
):
    """Django reads " 11", "+11" or "1_1" as 11; each must meet the same check."""
    content_type = str(ContentType.objects.get_for_model(outside_draft).pk)
    writer = client_for(user_for("scoped writer"))
    response = writer.get(view_on_site_url(outside_draft, spelling.format(content_type)))
    assert response.status_code == 404
    if len(content_type) > 1:
        underscored = f"{content_type[0]}_{content_type[1:]}"
        assert writer.get(view_on_site_url(outside_draft, underscored)).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("writer", 302), ("site admin", 302), ("superuser", 302), ("no rights", 404)],
)
def test_view_on_site_of_reference_data_needs_its_view_permission(role, status):
    """Countries have no ``published()``: the admin's view permission decides."""
    user = make_user("no-rights") if role == "no rights" else user_for(role)
    austria = Country.objects.get(slug="austria")
    response = client_for(user).get(view_on_site_url(austria))
    assert response.status_code == status
    if status == 302:
        assert response["Location"].endswith("/countries/austria/")


def test_view_on_site_of_nothing_is_a_404():
    client = client_for(user_for("superuser"))
    assert client.get("/admin/r/999999/1/").status_code == 404
    assert (
        client.get(view_on_site_url(Country.objects.get(slug="austria"))[:-2] + "x/").status_code
        == 404
    )
    release_type = ContentType.objects.get_for_model(Release).pk
    assert client.get(f"/admin/r/{release_type}/999999/").status_code == 404
    assert client.get(f"/admin/r/{release_type}/abc/").status_code == 404


# ---------------------------------------------------------------------------------------
# Another release's old address


@pytest.mark.parametrize("role", sorted(WRITING))
def test_no_role_may_give_a_release_another_release_s_old_address(
    outside_draft, make_release, role
):
    mine = make_release(title="Mine", sources=(MOLDOVA,), status=Release.Status.DRAFT)
    actor = client_for(user_for(role))

    changed = post_change(actor, mine, slug="secret-draft")
    added = actor.post(reverse("admin:press_release_add"), new_release_data(slug="secret-draft"))

    for response in (changed, added):
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["slug"] == [TAKEN], form_errors(response)
    mine.refresh_from_db()
    assert mine.slug != "secret-draft"
    assert not Release.objects.filter(slug="secret-draft").exists()
    assert SlugRedirect.objects.get(old_slug="secret-draft").release == outside_draft


def test_model_validation_refuses_another_release_s_old_address(outside_draft, make_release):
    mine = make_release(title="Mine", sources=(MOLDOVA,))
    mine.slug = "secret-draft"
    with pytest.raises(ValidationError) as refused:
        mine.full_clean()
    assert refused.value.message_dict["slug"] == [TAKEN]


def test_a_save_that_skips_validation_never_takes_over_another_s_redirect(
    outside_draft, make_release
):
    """Code may save without the form's check: the other release keeps its old address,
    while the address taken is held, and after it is let go."""
    mine = make_release(title="Mine", sources=(MOLDOVA,))
    mine.slug = "secret-draft"
    mine.save()
    assert SlugRedirect.objects.get(old_slug="secret-draft").release == outside_draft
    mine.slug = "mine-after-all"
    mine.save()
    assert SlugRedirect.objects.get(old_slug="secret-draft").release == outside_draft


def test_a_release_may_take_back_its_own_old_address(outside_draft):
    outside_draft.slug = "secret-draft"
    outside_draft.full_clean()
    outside_draft.save()
    assert not SlugRedirect.objects.filter(old_slug="secret-draft").exists()
    assert SlugRedirect.objects.get(old_slug="secret-draft-renamed").release == outside_draft


def test_a_new_release_never_gets_another_s_old_address_by_default(outside_draft, make_release):
    again = make_release(title="Secret draft", sources=(MOLDOVA,))
    assert again.slug != "secret-draft"
    assert SlugRedirect.objects.get(old_slug="secret-draft").release == outside_draft
