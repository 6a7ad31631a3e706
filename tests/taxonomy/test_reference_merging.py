"""Terms in use are merged, not deleted: the merge action moves the releases, the terms
below, the places, the names (kept as aliases) and the addresses (redirected) to the
target, and refuses a target below the term."""

import pytest
from django.test import Client
from django.urls import reverse

from press.models import Release
from taxonomy.models import Country, FieldOfWork, Place
from tests.helpers.admin_forms import admin_url, change_url, form_data, messages_of, shown_form_data
from tests.helpers.factories import field, group
from tests.helpers.menu import menu_parent, public_menu
from tests.helpers.reference import COUNTRIES_URL, FIELDS_URL, PARTICIPATING
from tests.helpers.trees import assert_valid_tree

pytestmark = pytest.mark.django_db


def merge(client, model, sources, target):
    """The merge action as the admin posts it: choose the terms, then the target, apply."""
    selected = [term.pk for term in sources]
    url = admin_url(model, "changelist")
    asked = client.post(url, {"action": "merge_terms", "_selected_action": selected})
    assert asked.status_code == 200
    assert asked.templates[0].name == "admin/taxonomy/merge.html"
    return client.post(
        url,
        {"action": "merge_terms", "_selected_action": selected, "target": target.pk, "apply": "1"},
        follow=True,
    )


def test_merging_a_field_of_work_moves_releases_children_names_and_address(
    admin_client, client, make_release
):
    source = field("democratization")
    target = field("elections")
    # An earlier rename left an old address; the merge must carry it along too.
    data = shown_form_data(source)
    data.update(name="Democratisation", slug="democratisation")
    assert admin_client.post(change_url(source), data).status_code == 302
    child = FieldOfWork.objects.create(name="Electoral reform", parent=field("democratisation"))
    both = make_release(title="Filed under both", fields=("democratisation", "elections"))
    only = make_release(title="Filed under the source", fields=("democratisation",))
    below = make_release(title="Filed below the source", fields=("electoral-reform",))

    response = merge(admin_client, FieldOfWork, [source], target)

    assert response.redirect_chain == [(FIELDS_URL, 302)]
    assert messages_of(response) == [
        "Merged “Democratisation” into “Elections”, moving 1 term below it, 2 releases."
    ]
    assert not FieldOfWork.objects.filter(pk=source.pk).exists()
    links = Release.fields_of_work.through.objects
    assert list(links.filter(release=both).values_list("fieldofwork__slug", flat=True)) == [
        "elections"
    ]
    assert list(only.fields_of_work.values_list("slug", flat=True)) == ["elections"]
    child.refresh_from_db()
    assert child.parent_id == target.pk
    assert_valid_tree(FieldOfWork)
    target.refresh_from_db()
    assert {"Democratization", "Democratisation"} <= set(target.alias_list())

    for old in ("democratization", "democratisation"):
        moved = client.get(f"/fields-of-work/{old}/?type=news")
        assert moved.status_code == 301
        assert moved["Location"] == "/fields-of-work/elections/?type=news"
        feed = client.get(f"/fields-of-work/{old}/feed/")
        assert feed["Location"] == "/fields-of-work/elections/feed/"
    page = client.get("/fields-of-work/elections/")
    assert set(page.context["releases"]) == {both, only, below}
    menu = public_menu(client)
    assert menu_parent(menu, "Democratisation") is None
    assert menu_parent(menu, "Elections")[0] == "Fields of work"


def test_merging_a_country_moves_its_releases_and_places(admin_client, client, make_release):
    """A duplicate added by mistake is merged into the real one."""
    duplicate = Country.objects.create(name="Czechia (duplicate)", group=group(PARTICIPATING))
    release = make_release(countries=(duplicate.slug,))
    brno = Place.objects.create(name="Brno", country=duplicate)
    czech = Country.objects.get(slug="czech-republic")

    response = merge(admin_client, Country, [duplicate], czech)

    assert response.redirect_chain == [(COUNTRIES_URL, 302)]
    assert messages_of(response) == [
        "Merged “Czechia (duplicate)” into “Czech Republic”, moving 1 place, 1 release."
    ]
    assert list(release.countries.all()) == [czech]
    brno.refresh_from_db()
    assert brno.country == czech
    assert "Czechia (duplicate)" in Country.objects.get(pk=czech.pk).alias_list()
    assert client.get(f"/countries/{duplicate.slug}/")["Location"] == "/countries/czech-republic/"
    assert menu_parent(public_menu(client), "Czechia (duplicate)") is None


def test_a_term_cannot_be_merged_into_a_term_below_it(admin_client):
    parent = field("human-rights")
    child = FieldOfWork.objects.create(name="Freedom of assembly", parent=parent)

    response = admin_client.post(
        FIELDS_URL,
        {
            "action": "merge_terms",
            "_selected_action": [parent.pk],
            "target": child.pk,
            "apply": "1",
        },
    )

    assert response.status_code == 200
    assert "target" in response.context["form"].errors
    assert FieldOfWork.objects.filter(pk=parent.pk).exists()
    child.refresh_from_db()
    assert child.parent_id == parent.pk


def test_merging_a_duplicate_that_took_a_freed_slug(admin_user, make_release):
    """Renamed "Migration" frees /migration/; a duplicate added there is merged back."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_user)
    migration = field("migration")
    data = shown_form_data(migration)
    data.update(name="Migration and mobility", slug="migration-and-mobility")
    assert client.post(change_url(migration), data).status_code == 302
    data = form_data(client.get(reverse("admin:taxonomy_fieldofwork_add")))
    data.update(name="Migrations", slug="migration")
    assert client.post(reverse("admin:taxonomy_fieldofwork_add"), data).status_code == 302
    duplicate = field("migration")
    release = make_release(fields=("migration",))

    response = client.post(
        FIELDS_URL,
        {
            "action": "merge_terms",
            "_selected_action": [duplicate.pk],
            "target": migration.pk,
            "apply": "1",
        },
    )

    assert response.status_code == 302
    assert list(release.fields_of_work.all()) == [migration]
    assert client.get("/fields-of-work/migration/")["Location"] == (
        "/fields-of-work/migration-and-mobility/"
    )
