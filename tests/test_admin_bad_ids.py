"""A forged id in any admin form is a form error, never a server error.

Django hands a posted id to the database: one that is not a number, or a number past 64
bits (OverflowError on SQLite), raised in the field's check or in the autocomplete widget
that shows the refused form again. Every admin form with a choice of another record is
posted here with such ids, as a site admin would send them by hand. And a menu entry's
address must be one the menu links: a path on this site or an http(s) address.
"""

import pytest
from django.urls import reverse

from taxonomy.models import MenuItem

pytestmark = pytest.mark.django_db

BAD_IDS = ["abc", "1.5", "-1", "99999999999999999999", "١٢", "1; DROP TABLE x"]
# (admin add view, the fields that choose another record, other required fields)
FORMS = [
    ("taxonomy_place", ["country"], {"name": "Somewhere"}),
    ("taxonomy_chairpersonship", ["country"], {"year": "2040"}),
    ("taxonomy_country", ["group"], {"name": "Ruritania", "slug": "ruritania"}),
    ("institutions_structure", ["host_country", "seat", "parent"], {"name": "Unit X"}),
    ("taxonomy_fieldofwork", ["parent"], {"name": "New field"}),
    ("taxonomy_menuitem", ["parent"], {"label": "Entry"}),
    (
        "press_release",
        ["place", "sources", "countries", "fields_of_work", "meetings"],
        {"title": "A release", "type": "press-release"},
    ),
    ("press_editorialscope", ["user", "sources"], {}),
]


@pytest.mark.parametrize(("model", "fields", "others"), FORMS, ids=[form[0] for form in FORMS])
def test_a_forged_id_is_a_form_error(admin_client, reference_data, model, fields, others):
    url = reverse(f"admin:{model}_add")
    for field in fields:
        for bad in BAD_IDS:
            response = admin_client.post(url, {**others, field: bad})
            assert response.status_code == 200, f"{field}={bad!r}"
            assert response.context["adminform"].form.errors.get(field), f"{field}={bad!r}"


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("/countries/", True),
        ("https://www.osce.org/odihr", True),
        ("http://example.org/a?b=c", True),
        ("", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("//evil.example/", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("https://", False),
        ("countries/", False),
    ],
)
def test_a_menu_entry_links_to_a_site_path_or_a_web_address(admin_client, url, accepted):
    response = admin_client.post(reverse("admin:taxonomy_menuitem_add"), {"label": "E", "url": url})
    if accepted:
        assert response.status_code == 302
        assert MenuItem.objects.get(label="E").url == url
    else:
        assert response.status_code == 200
        assert response.context["adminform"].form.errors["url"]
        assert not MenuItem.objects.filter(label="E").exists()
