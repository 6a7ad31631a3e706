"""Every admin page an editor opens answers, and the menu entry form stores what it shows."""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from institutions.models import Structure
from press.models import Release
from taxonomy.models import (
    Chairpersonship,
    Country,
    CountryGroup,
    FieldOfWork,
    Meeting,
    MenuItem,
    Place,
)

pytestmark = pytest.mark.django_db

MODELS = [FieldOfWork, Meeting, Country, CountryGroup, Chairpersonship, Place, MenuItem, Structure]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_add_and_change_pages_answer(admin_client, model):
    opts = model._meta
    base = f"admin:{opts.app_label}_{opts.model_name}"
    assert admin_client.get(reverse(f"{base}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"{base}_add")).status_code == 200
    obj = model._default_manager.first()
    assert admin_client.get(reverse(f"{base}_change", args=[obj.pk])).status_code == 200


def test_release_admin_pages_answer(admin_client, make_release):
    release = make_release(fields=("youth",), countries=("austria",))
    assert admin_client.get(reverse("admin:press_release_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:press_release_add")).status_code == 200
    change = admin_client.get(reverse("admin:press_release_change", args=[release.pk]))
    assert change.status_code == 200
    assert release.title in change.content.decode()


def test_release_list_shows_each_source_without_a_query_per_row(
    admin_client, make_release, django_assert_max_num_queries
):
    for _ in range(3):
        make_release(sources=("secretariat", "mission-to-moldova"))
    admin_client.get(reverse("admin:press_release_changelist"))
    # The author filter adds the list of authors: still a fixed number.
    with django_assert_max_num_queries(14) as few:
        admin_client.get(reverse("admin:press_release_changelist"))
    for _ in range(20):
        make_release(sources=("secretariat", "mission-to-moldova"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(reverse("admin:press_release_changelist"))
    assert "Secretariat, Mission to Moldova" in response.content.decode()


def test_source_autocomplete_resolves_aliases(admin_client):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "press",
            "model_name": "release",
            "field_name": "sources",
            "term": "OSCE Mission to Moldova",
        },
    )
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["Mission to Moldova"]


def test_menu_entry_form_points_an_entry_at_a_term(admin_client):
    parent = MenuItem.objects.get(label="Countries")
    austria = Country.objects.get(slug="austria")
    target = f"{ContentType.objects.get_for_model(Country).pk}:{austria.pk}"
    response = admin_client.post(
        reverse("admin:taxonomy_menuitem_add"),
        {"parent": parent.pk, "label": "", "url": "", "target": target},
    )
    assert response.status_code == 302
    entry = MenuItem.objects.latest("pk")
    assert entry.term == austria
    assert entry.parent == parent
    edit = admin_client.get(reverse("admin:taxonomy_menuitem_change", args=[entry.pk]))
    assert f'value="{target}" selected' in edit.content.decode()


def test_menu_entry_form_refuses_an_entry_with_neither_label_nor_term(admin_client):
    before = MenuItem.objects.count()
    response = admin_client.post(
        reverse("admin:taxonomy_menuitem_add"), {"parent": "", "label": "", "url": "", "target": ""}
    )
    assert response.status_code == 200
    assert "A heading or plain link needs a label." in response.content.decode()
    assert MenuItem.objects.count() == before


def test_release_saved_through_the_admin_is_sanitised(admin_client):
    secretariat = Structure.objects.get(slug="secretariat")
    response = admin_client.post(
        reverse("admin:press_release_add"),
        {
            "title": "Secretary General visits Skopje",
            "slug": "secretary-general-visits-skopje",
            "type": Release.Type.NEWS,
            "status": Release.Status.PUBLISHED,
            "published_at_0": "2024-05-02",
            "published_at_1": "10:00:00",
            "language": "en",
            "sources": [secretariat.pk],
            "body": '<p onclick="steal()">Visit.</p><script>alert(1)</script>',
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "lead_image-TOTAL_FORMS": "0",
            "lead_image-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    release = Release.objects.get(slug="secretary-general-visits-skopje")
    assert release.body == "<p>Visit.</p>"


def test_dashboard_lists_releases_waiting_for_review_and_scheduled(admin_client, make_release):
    waiting = make_release(title="Waiting for a publisher", status="review")
    make_release(title="Still a draft", status="draft")
    scheduled = make_release(title="Out next week", days_ago=-7)

    html = admin_client.get(reverse("admin:index")).content.decode()

    assert 'id="review-queue"' in html
    assert waiting.title in html
    assert scheduled.title in html
    assert "Still a draft" not in html


def test_the_dashboard_starts_with_what_needs_attention(admin_client, make_release):
    make_release(title="Out next week", days_ago=-7)
    make_release(title="Out yesterday", days_ago=1)
    make_release(title="Out last month", days_ago=30)

    html = admin_client.get(reverse("admin:index")).content.decode()

    queue = html.index('id="review-queue"')
    assert queue < html.index('class="app-press module')  # before the model links
    recent = html[html.index("Recently published") :]
    assert recent.index("Out yesterday") < recent.index("Out last month")
    scheduled = html[html.index("<h3>Scheduled</h3>") : html.index("Recently published")]
    assert "Out next week" in scheduled
    assert "(Europe/Vienna)" in scheduled
    assert re.search(r"goes out \d+ \w+ \d{4}, \d\d:\d\d CES?T", scheduled), scheduled
