"""The chair of the year: set in the admin and marked in the menu year by year; one chair
a year, refused by the admin's forms and by the database."""

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from taxonomy.models import Chairpersonship, Country
from tests.helpers.admin_forms import change_url, form_errors, shown_form_data
from tests.helpers.menu import menu_parent, public_menu
from tests.helpers.reference import FINLAND_CHAIR, IN_2025, IN_2026, SWITZERLAND_CHAIR

pytestmark = pytest.mark.django_db


def test_the_home_page_marks_the_chair_of_each_year_as_the_admin_sets_it(admin_client, client):
    austria = Country.objects.get(slug="austria")
    with time_machine.travel(IN_2025, tick=False):
        in_2025 = public_menu(client)
    with time_machine.travel(IN_2026, tick=False):
        in_2026 = public_menu(client)  # the menu is cached now
        chair = Chairpersonship.objects.get(year=2026)
        response = admin_client.post(change_url(chair), {"year": "2026", "country": austria.pk})
        changed = public_menu(client)
    with time_machine.travel(IN_2025, tick=False):
        back_in_2025 = public_menu(client)

    assert response.status_code == 302, form_errors(response)
    assert menu_parent(in_2025, FINLAND_CHAIR)[0] == "Participating States"
    assert menu_parent(in_2025, "Switzerland") is not None
    assert menu_parent(in_2026, SWITZERLAND_CHAIR)[0] == "Participating States"
    assert menu_parent(in_2026, "Finland") is not None
    assert menu_parent(changed, "Austria – OSCE Chairpersonship 2026") is not None
    assert menu_parent(changed, "Switzerland") is not None
    assert menu_parent(changed, SWITZERLAND_CHAIR) is None
    assert menu_parent(back_in_2025, FINLAND_CHAIR) is not None


def test_the_admin_refuses_a_second_chair_for_a_year(admin_client):
    sweden = Country.objects.get(slug="sweden")

    response = admin_client.post(
        reverse("admin:taxonomy_chairpersonship_add"), {"year": "2025", "country": sweden.pk}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["year"] == [
        "Chairpersonship with this Year already exists."
    ]
    assert Chairpersonship.objects.for_year(2025).country.name == "Finland"
    assert Chairpersonship.objects.filter(year=2025).count() == 1


def test_the_country_form_refuses_a_chair_year_another_country_holds(admin_client):
    sweden = Country.objects.get(slug="sweden")
    data = shown_form_data(sweden)
    data.update(
        {
            "chairpersonships-TOTAL_FORMS": "2",
            "chairpersonships-1-id": "",
            "chairpersonships-1-country": str(sweden.pk),
            "chairpersonships-1-year": "2025",
        }
    )

    response = admin_client.post(change_url(sweden), data)

    assert response.status_code == 200
    [formset] = response.context["inline_admin_formsets"]
    assert formset.formset.errors[1] == {"year": ["Chairpersonship with this Year already exists."]}
    assert sorted(sweden.chairpersonships.values_list("year", flat=True)) == [2021]
    assert Chairpersonship.objects.for_year(2025).country.name == "Finland"


def test_the_database_refuses_a_second_chair_for_a_year():
    chair = Chairpersonship(year=2026, country=Country.objects.get(slug="austria"))
    with pytest.raises(IntegrityError), transaction.atomic():
        chair.save()
    assert Chairpersonship.objects.for_year(2026).country.name == "Switzerland"
