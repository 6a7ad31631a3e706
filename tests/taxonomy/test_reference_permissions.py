"""Who may keep the reference data: every role against every admin action on it.

Only site admins and superusers add, change, delete, merge, drag or import; writers and
publishers read the lists (they pick terms from them) and may export; the public is sent
to the login page. Each action is tried by URL and by the post a browser would send, and
a refusal must leave the data exactly as it was.
"""

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reversion.models import Version

from institutions.models import Structure
from taxonomy.models import Chairpersonship, Country, CountryGroup, FieldOfWork, Meeting, Place
from tests.helpers import users
from tests.helpers.admin_forms import admin_url, change_url, form_data, form_errors, shown_form_data
from tests.helpers.reference import IMPORT_URL
from tests.helpers.trees import tree_columns
from tests.helpers.users import (
    KEEPING_REFERENCE_DATA,
    SITE_ADMINS,
    client_for,
    make_user,
    sent_to_login,
)

pytestmark = pytest.mark.django_db

KOSOVO_CSV = "name,slug,group,iso_code\nKosovo,kosovo,participating-states,XK\n"


# The role matrix's fixtures: ``role`` runs each test once per role, ``actor`` is its client.
role = users.role
actor = users.actor


def model_id(model):
    return model._meta.model_name


def superuser_client():
    reader = User.objects.filter(username="form-reader").first() or make_user(
        "form-reader", superuser=True
    )
    return client_for(reader)


def add_form_data(model, **values):
    """The add form of ``model`` as a superuser is shown it, filled with ``values``."""
    data = form_data(superuser_client().get(admin_url(model, "add")))
    data.update({name: str(value) for name, value in values.items()})
    return data


def refused(role, response):
    """The answer a role without the permission gets: the login page, or 403."""
    if role == "anonymous":
        return sent_to_login(response)
    return response.status_code == 403


def participating_states():
    return CountryGroup.objects.get(slug="participating-states").pk


def field_operations():
    return Structure.objects.get(slug="field-operations").pk


NEW_TERMS = {
    Country: lambda: {
        "name": "Kosovo",
        "slug": "kosovo",
        "group": participating_states(),
        "iso_code": "XK",
    },
    FieldOfWork: lambda: {"name": "Artificial intelligence", "slug": "artificial-intelligence"},
    Structure: lambda: {
        "name": "Mission to Georgia",
        "slug": "mission-to-georgia",
        "parent": field_operations(),
        "kind": Structure.Kind.FIELD_OPERATION,
    },
    Chairpersonship: lambda: {"year": 2027, "country": Country.objects.get(slug="austria").pk},
}
MODELS = list(NEW_TERMS)


def find_new(model):
    if model is Chairpersonship:
        return Chairpersonship.objects.filter(year=2027)
    return model.objects.filter(slug=NEW_TERMS[model]()["slug"])


# ---------------------------------------------------------------------------------------
# Add, change, delete


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_add(role, actor, model):
    page = actor.get(admin_url(model, "add"))
    response = actor.post(admin_url(model, "add"), add_form_data(model, **NEW_TERMS[model]()))

    if role in KEEPING_REFERENCE_DATA:
        assert page.status_code == 200
        assert response.status_code == 302, form_errors(response)
        assert find_new(model).count() == 1
    else:
        assert refused(role, page)
        assert refused(role, response)
        assert not find_new(model).exists()


CHANGES = {
    Country: (lambda: Country.objects.get(slug="austria"), "name", "Republic of Austria"),
    FieldOfWork: (lambda: FieldOfWork.objects.get(slug="youth"), "name", "Youth and security"),
    Structure: (
        lambda: Structure.objects.get(slug="mission-to-moldova"),
        "name",
        "Mission to the Republic of Moldova",
    ),
    Chairpersonship: (
        lambda: Chairpersonship.objects.get(year=2026),
        "country",
        lambda: Country.objects.get(slug="austria").pk,
    ),
}


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_change(role, actor, model):
    get, attribute, new_value = CHANGES[model]
    term = get()
    new_value = new_value() if callable(new_value) else new_value
    before = shown_form_data(term)
    data = {**before, attribute: str(new_value)}

    page = actor.get(change_url(term))
    response = actor.post(change_url(term), data)

    if role in KEEPING_REFERENCE_DATA:
        assert response.status_code == 302, form_errors(response)
        assert shown_form_data(term)[attribute] == str(new_value)
        return
    if role == "anonymous":
        assert sent_to_login(page)
    else:
        # Writers and publishers see the term read-only: no save button.
        assert page.status_code == 200
        assert page.context["has_change_permission"] is False
        assert 'name="_save"' not in page.content.decode()
    assert refused(role, response)
    assert shown_form_data(term) == before


@pytest.mark.parametrize("model", MODELS, ids=model_id)
def test_delete_an_unused_term(role, actor, model):
    values = NEW_TERMS[model]()
    if model is Chairpersonship:
        values["country_id"] = values.pop("country")
    elif model is Country:
        values["group_id"] = values.pop("group")
    elif model is Structure:
        values["parent_id"] = values.pop("parent")
    term = model.objects.create(**values)
    url = admin_url(model, "delete", term.pk)

    page = actor.get(url)
    response = actor.post(url, {"post": "yes"})

    if role in KEEPING_REFERENCE_DATA:
        assert page.status_code == 200
        assert response.status_code == 302
        assert not model.objects.filter(pk=term.pk).exists()
    else:
        assert refused(role, page)
        assert refused(role, response)
        assert model.objects.filter(pk=term.pk).exists()


def test_delete_a_term_in_use(role, actor, make_release):
    """Only those who may delete learn that a term is in use; the rest get a refusal."""
    make_release(fields=("education",))
    education = FieldOfWork.objects.get(slug="education")

    response = actor.post(admin_url(FieldOfWork, "delete", education.pk), {"post": "yes"})

    if role in KEEPING_REFERENCE_DATA:
        assert response.status_code == 302
        assert response["Location"] == change_url(education)
    else:
        assert refused(role, response)
    assert FieldOfWork.objects.filter(pk=education.pk).exists()


# ---------------------------------------------------------------------------------------
# Merging and dragging


def offered_actions(client, model):
    response = client.get(admin_url(model, "changelist"))
    if response.status_code != 200 or response.context.get("action_form") is None:
        return set()
    return {name for name, _ in response.context["action_form"].fields["action"].choices}


def test_merge(role, actor, make_release):
    duplicate = FieldOfWork.objects.create(name="Youth affairs")
    release = make_release(fields=(duplicate.slug,))
    youth = FieldOfWork.objects.get(slug="youth")

    offered = offered_actions(actor, FieldOfWork)
    response = actor.post(
        admin_url(FieldOfWork, "changelist"),
        {
            "action": "merge_terms",
            "_selected_action": [duplicate.pk],
            "target": youth.pk,
            "apply": "1",
        },
    )

    if role in KEEPING_REFERENCE_DATA:
        assert "merge_terms" in offered
        assert response.status_code == 302
        assert not FieldOfWork.objects.filter(pk=duplicate.pk).exists()
        assert list(release.fields_of_work.all()) == [youth]
        return
    assert "merge_terms" not in offered
    assert "delete_selected" not in offered
    if role == "anonymous":
        assert sent_to_login(response)
    else:
        # With no action of their own, the post only shows them the list again.
        assert response.status_code == 200
        assert "admin/taxonomy/merge.html" not in [t.name for t in response.templates]
    assert FieldOfWork.objects.filter(pk=duplicate.pk).exists()
    assert list(release.fields_of_work.all()) == [duplicate]
    youth.refresh_from_db()
    assert youth.alias_list() == []


TREES = {
    FieldOfWork: ("youth", "human-rights"),
    Meeting: ("media-conferences", "summit-meetings"),
    Structure: ("mission-to-moldova", "institutions"),
}


@pytest.mark.parametrize("model", list(TREES), ids=model_id)
def test_move_a_tree_node(role, actor, model):
    moving, target = (model.objects.get(slug=slug) for slug in TREES[model])
    before = tree_columns(model)

    response = actor.post(
        admin_url(model, "changelist"),
        {
            "cmd": "move_node",
            "cut_item": moving.pk,
            "pasted_on": target.pk,
            "position": "last-child",
        },
    )

    moving.refresh_from_db()
    if role in KEEPING_REFERENCE_DATA:
        assert response.content == b"OK, moved."
        assert moving.parent == target
        return
    if role == "anonymous":
        assert sent_to_login(response)
    else:
        assert response.content == b"FAIL, no permission."  # mptt answers 200 with this
    assert tree_columns(model) == before
    assert not Version.objects.get_for_object(moving).exists()


# ---------------------------------------------------------------------------------------
# Import and export


def test_import(role, actor):
    page = actor.get(IMPORT_URL)
    response = actor.post(
        IMPORT_URL, {"file": SimpleUploadedFile("countries.csv", KOSOVO_CSV.encode())}
    )

    if role in KEEPING_REFERENCE_DATA:
        assert page.status_code == 200
        assert response.status_code == 200
        assert [row.action for row in response.context["result"].changed] == ["add"]
        confirmed = actor.post(IMPORT_URL, {"confirm": response.context["confirm"]})
        assert confirmed.status_code == 302
        assert Country.objects.filter(slug="kosovo").exists()
    else:
        assert refused(role, page)
        assert refused(role, response)
        assert not Country.objects.filter(slug="kosovo").exists()


def test_a_confirmation_made_by_a_site_admin_cannot_be_applied_by_another_role(role, actor):
    """The signed preview is no ticket: applying it checks the permission again."""
    keeper = client_for(make_user("keeper", SITE_ADMINS))
    preview = keeper.post(
        IMPORT_URL, {"file": SimpleUploadedFile("countries.csv", KOSOVO_CSV.encode())}
    )
    payload = preview.context["confirm"]

    response = actor.post(IMPORT_URL, {"confirm": payload})

    if role in KEEPING_REFERENCE_DATA:
        assert response.status_code == 302
        assert Country.objects.filter(slug="kosovo").exists()
    else:
        assert refused(role, response)
        assert not Country.objects.filter(slug="kosovo").exists()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export(role, actor, fmt):
    response = actor.get(reverse("admin:taxonomy_country_export", args=[fmt]))
    if role == "anonymous":
        assert sent_to_login(response)
        return
    assert response.status_code == 200
    assert response["Content-Type"].startswith({"csv": "text/csv", "json": "application/json"}[fmt])
    assert "Türkiye" in response.content.decode()


def test_the_countries_list_offers_import_only_to_site_admins(role, actor):
    response = actor.get(admin_url(Country, "changelist"))
    if role == "anonymous":
        assert sent_to_login(response)
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("admin:taxonomy_country_export", args=["csv"]) in html
    assert (IMPORT_URL in html) is (role in KEEPING_REFERENCE_DATA)
    assert (admin_url(Country, "add") in html) is (role in KEEPING_REFERENCE_DATA)


@pytest.mark.parametrize(
    "model",
    [Country, CountryGroup, Chairpersonship, FieldOfWork, Meeting, Place, Structure],
    ids=model_id,
)
def test_view_changelists(role, actor, model):
    response = actor.get(admin_url(model, "changelist"))
    if role == "anonymous":
        assert sent_to_login(response)
    else:
        assert response.status_code == 200
        assert response.context["cl"].result_count == model.objects.count()


# ---------------------------------------------------------------------------------------
# History and reverts


def test_revert(role, actor):
    """Everyone on the staff may read a term's history; only keepers may revert it."""
    keeper = client_for(make_user("keeper", SITE_ADMINS))
    austria = Country.objects.get(slug="austria")
    assert keeper.post(change_url(austria), shown_form_data(austria)).status_code == 302
    data = shown_form_data(austria)
    data["name"] = "Republic of Austria"
    assert keeper.post(change_url(austria), data).status_code == 302
    first = Version.objects.get_for_object(austria).order_by("pk").first()
    revision_url = admin_url(Country, "revision", austria.pk, first.pk)

    history = actor.get(admin_url(Country, "history", austria.pk))
    response = actor.post(revision_url, form_data(keeper.get(revision_url)))

    austria.refresh_from_db()
    if role == "anonymous":
        assert sent_to_login(history)
    else:
        assert history.status_code == 200
        assert "keeper" in history.content.decode()
    if role in KEEPING_REFERENCE_DATA:
        assert response.status_code == 302
        assert austria.name == "Austria"
    else:
        assert refused(role, response)
        assert austria.name == "Republic of Austria"
