"""Deleting reference data is for unused terms: one at a time or in bulk, a term in use
is refused with the count of what uses it, and a stale confirmation deletes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from institutions.models import Structure
from taxonomy.models import Country, FieldOfWork
from tests.helpers.admin_forms import admin_url, change_url, messages_of
from tests.helpers.factories import field, group
from tests.helpers.menu import menu_parent, public_menu
from tests.helpers.reference import COUNTRIES_URL, FIELDS_URL, PARTICIPATING

pytestmark = pytest.mark.django_db


def test_deleting_an_unused_field_of_work_succeeds(admin_client, client):
    youth = field("youth")
    url = reverse("admin:taxonomy_fieldofwork_delete", args=[youth.pk])
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    assert response["Location"] == FIELDS_URL
    assert not FieldOfWork.objects.filter(slug="youth").exists()
    assert client.get("/fields-of-work/youth/").status_code == 404
    assert menu_parent(public_menu(client), "Youth") is None


def test_deleting_an_unused_country_succeeds(admin_client, client):
    kosovo = Country.objects.create(name="Kosovo", group=group(PARTICIPATING))
    assert menu_parent(public_menu(client), "Kosovo") is not None

    response = admin_client.post(
        reverse("admin:taxonomy_country_delete", args=[kosovo.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Country.objects.filter(slug="kosovo").exists()
    assert menu_parent(public_menu(client), "Kosovo") is None


FILED_AS = {
    # model: (make_release's keyword, the release's relation)
    FieldOfWork: ("fields", "fields_of_work"),
    Country: ("countries", "countries"),
    Structure: ("sources", "sources"),
}


@pytest.mark.parametrize(
    ("model", "slug", "uses"),
    [
        (FieldOfWork, "education", "2 releases"),
        (Country, "austria", "1 place and 2 releases"),  # Vienna is a place in Austria
        (Structure, "mission-to-moldova", "2 releases"),
    ],
    ids=["field of work", "country", "structure"],
)
def test_deleting_a_term_in_use_is_refused_with_the_count(
    admin_client, make_release, model, slug, uses
):
    """The delete page sends the admin back to the term, saying what uses it."""
    term = model.objects.get(slug=slug)
    keyword, relation = FILED_AS[model]
    releases = [make_release(**{keyword: (slug,)}) for _ in range(2)]
    expected = (
        f"“{term.name}” is used by {uses}; merge it into another term instead of deleting it."
    )

    opened = admin_client.get(admin_url(model, "delete", term.pk), follow=True)
    confirmed = admin_client.post(admin_url(model, "delete", term.pk), {"post": "yes"}, follow=True)

    for response in (opened, confirmed):
        assert response.redirect_chain == [(change_url(term), 302)]
        assert messages_of(response) == [expected]
    assert model.objects.filter(pk=term.pk).exists()
    for release in releases:
        assert list(getattr(release, relation).all()) == [term]


UNUSED = {
    Country: lambda: Country.objects.create(name="Kosovo", group=group(PARTICIPATING)),
    FieldOfWork: lambda: FieldOfWork.objects.create(name="Artificial intelligence"),
}


@pytest.mark.parametrize(
    ("model", "used_slug"),
    [(Country, "austria"), (FieldOfWork, "education")],
    ids=["country", "field of work"],
)
def test_the_bulk_delete_page_lists_a_term_in_use_as_protected(
    admin_client, make_release, model, used_slug
):
    keyword, _ = FILED_AS[model]
    make_release(**{keyword: (used_slug,)})
    used, unused = model.objects.get(slug=used_slug), UNUSED[model]()
    before = model.objects.count()

    response = admin_client.post(
        admin_url(model, "changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk, unused.pk]},
    )

    assert response.status_code == 200
    protected = " ".join(str(reason) for reason in response.context["protected"])
    assert f"“{used.name}” is used by" in protected
    assert unused.name not in protected
    assert 'name="post"' not in response.content.decode()  # no button to go on
    assert model.objects.count() == before


def test_a_confirmed_bulk_delete_of_countries_in_use_deletes_nothing(admin_client, make_release):
    """A stale confirmation page (a release was filed meanwhile) still deletes nothing."""
    make_release(countries=("austria",))
    kosovo = Country.objects.create(name="Kosovo", group=group(PARTICIPATING))
    austria = Country.objects.get(slug="austria")

    response = admin_client.post(
        COUNTRIES_URL,
        {"action": "delete_selected", "_selected_action": [kosovo.pk, austria.pk], "post": "yes"},
    )

    assert response.status_code == 200
    assert "“Austria” is used by 1 place and 1 release" in " ".join(
        str(p) for p in response.context["protected"]
    )
    assert Country.objects.filter(pk__in=[kosovo.pk, austria.pk]).count() == 2


def test_a_confirmed_bulk_delete_of_fields_in_use_deletes_nothing(admin_user, make_release):
    make_release(fields=("education",))
    selected = [field("arms-control").pk, field("education").pk]
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)

    response = client.post(
        FIELDS_URL, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )

    assert FieldOfWork.objects.filter(pk__in=selected).count() == 2
    assert response.status_code in (200, 302)
