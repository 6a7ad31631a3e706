"""The site menu: read in one query, rendered once, and refreshed whenever what it shows changes."""

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from taxonomy.menu import flatten, read_tree, render_menu
from taxonomy.models import Chairpersonship, Country, FieldOfWork, Meeting, MenuItem

pytestmark = pytest.mark.django_db

IN_2027 = dt.datetime(2027, 6, 1, 12, 0, tzinfo=dt.UTC)


def fields_heading():
    return MenuItem.objects.get(parent__label="Our work", label="Fields of work")


def entry_for(term):
    return MenuItem.objects.get(
        content_type=ContentType.objects.get_for_model(term), object_id=term.pk
    )


# Reading and caching


def test_reading_the_whole_menu_takes_one_query_plus_the_chairs(django_assert_max_num_queries):
    read_tree()  # fills Django's ContentType cache, as any earlier request would
    with django_assert_max_num_queries(2):
        entries = read_tree()
    assert len(flatten(entries)) > 150


def test_reading_the_menu_does_not_grow_with_its_entries(django_assert_max_num_queries):
    heading = fields_heading()
    for meeting in Meeting.objects.all():
        MenuItem.objects.create(parent=heading, term=meeting)
    read_tree()
    with django_assert_max_num_queries(2):
        menu = flatten(read_tree())
    assert menu.count("- Summit meetings") == 2


def test_the_rendered_menu_is_cached(django_assert_num_queries):
    first = render_menu()
    with django_assert_num_queries(1):  # the menu's version (taxonomy.freshness), not the menu
        second = render_menu()
    assert second == first
    assert ">Participating States<" in first


def test_the_menu_links_each_term_to_its_page():
    html = render_menu()
    assert '<a href="/fields-of-work/cyber-ict-security/">Cyber/ICT Security</a>' in html
    assert '<a href="/countries/turkiye/">Türkiye</a>' in html
    assert '<a href="/structures/mission-to-moldova/">Mission to Moldova</a>' in html
    assert '<a href="/meetings/summit-meetings/">Summit meetings</a>' in html
    assert '<a href="/countries/#asian-partners-for-co-operation">' in html


# Refreshing


def test_renaming_a_country_shows_the_new_name_at_once():
    assert ">Moldova<" in render_menu()
    moldova = Country.objects.get(slug="moldova")
    moldova.name = "Republic of Moldova"
    moldova.save()
    html = render_menu()
    assert ">Republic of Moldova<" in html
    assert ">Moldova<" not in html


def test_moving_a_field_of_work_refreshes_the_menu():
    assert ">Summit meetings<" in render_menu()
    # A bulk update sends no signal, but its trigger moves the menu's version all the same.
    Meeting.objects.filter(slug="summit-meetings").update(name="Summits")
    assert ">Summits<" in render_menu()
    # A field of work moved under another refreshes the whole menu too.
    youth = FieldOfWork.objects.get(slug="youth")
    youth.move_to(FieldOfWork.objects.get(slug="human-rights"), "last-child")
    assert youth.get_ancestors().get().slug == "human-rights"
    html = render_menu()
    assert ">Summits<" in html
    assert ">Summit meetings<" not in html
    assert '<a href="/fields-of-work/youth/">Youth</a>' in html


def test_moving_a_menu_entry_reorders_the_menu():
    html = render_menu()
    assert html.index(">Arms control<") < html.index(">Youth<")
    youth = entry_for(FieldOfWork.objects.get(slug="youth"))
    arms_control = entry_for(FieldOfWork.objects.get(slug="arms-control"))
    youth.move_to(arms_control, "left")
    html = render_menu()
    assert html.index(">Youth<") < html.index(">Arms control<")


def test_deleting_a_menu_entry_removes_it_at_once():
    assert 'href="https://www.osce.org/projects"' in render_menu()
    MenuItem.objects.get(label="Projects").delete()
    assert 'href="https://www.osce.org/projects"' not in render_menu()


def test_adding_a_plain_link_shows_it_at_once():
    render_menu()
    MenuItem.objects.create(parent=fields_heading(), label="Annual reports", url="/reports/")
    assert '<a href="/reports/">Annual reports</a>' in render_menu()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//elsewhere.example/", "/\\elsewhere.example/", "data:,x"]
)
def test_an_address_the_admin_would_refuse_shows_as_plain_text(url):
    """Saved before the admin checked addresses, or by code: a label, never a link."""
    MenuItem.objects.create(parent=fields_heading(), label="Odd link", url=url)
    menu = render_menu()
    assert "<span>Odd link</span>" in menu
    assert url not in menu


def test_adding_the_chair_of_the_year_moves_the_marker():
    """No chair is known for 2027 until one is added; then the menu marks it at once."""
    with time_machine.travel(IN_2027, tick=True):
        assert "OSCE Chairpersonship" not in render_menu()
        Chairpersonship.objects.create(year=2027, country=Country.objects.get(slug="austria"))
        html = render_menu()
    assert "Austria – OSCE Chairpersonship 2027" in html
    assert html.count("OSCE Chairpersonship") == 1


def test_changing_the_chair_of_the_year_moves_the_marker():
    with time_machine.travel(IN_2027, tick=True):
        chair = Chairpersonship.objects.create(
            year=2027, country=Country.objects.get(slug="austria")
        )
        assert "Austria – OSCE Chairpersonship 2027" in render_menu()
        chair.country = Country.objects.get(slug="ireland")
        chair.save()
        html = render_menu()
    assert "Ireland – OSCE Chairpersonship 2027" in html
    assert "Austria – OSCE Chairpersonship" not in html


def test_a_change_refreshes_the_menu_even_within_one_tick_of_the_clock():
    """The menu's version must change on every edit, not only when the clock has moved on.

    A render and an edit within one tick of the clock (a frozen clock here, as in any test
    that freezes time; a clock of coarse resolution elsewhere) must not leave the edit
    hidden behind the menu cached just before it.
    """
    with time_machine.travel(IN_2027, tick=False):
        assert "OSCE Chairpersonship" not in render_menu()
        Chairpersonship.objects.create(year=2027, country=Country.objects.get(slug="austria"))
        html = render_menu()
    assert "Austria – OSCE Chairpersonship 2027" in html


# Entries whose term is gone


def test_deleting_a_term_deletes_its_menu_entry():
    youth = FieldOfWork.objects.get(slug="youth")
    entry = entry_for(youth)
    assert ">Youth<" in render_menu()
    youth.delete()
    assert not MenuItem.objects.filter(pk=entry.pk).exists()
    assert ">Youth<" not in render_menu()
    assert "- Youth" not in flatten(read_tree())


def test_an_entry_pointing_at_a_missing_term_is_left_out_with_its_children():
    missing = MenuItem.objects.create(
        parent=fields_heading(),
        content_type=ContentType.objects.get_for_model(FieldOfWork),
        object_id=FieldOfWork.objects.order_by("-pk").first().pk + 1000,
    )
    MenuItem.objects.create(parent=missing, label="Orphan link", url="/orphan/")
    menu = flatten(read_tree())
    assert "Orphan link" not in " ".join(menu)
    assert "- Projects" in menu


# Validation


def test_an_entry_needs_a_label_or_a_term():
    entry = MenuItem(parent=fields_heading())
    with pytest.raises(ValidationError) as error:
        entry.clean()
    assert "label" in error.value.message_dict


def test_an_entry_needs_both_the_kind_of_term_and_the_term():
    entry = MenuItem(
        parent=fields_heading(),
        label="Half a term",
        content_type=ContentType.objects.get_for_model(FieldOfWork),
    )
    with pytest.raises(ValidationError, match="both the kind of term and the term"):
        entry.clean()


def test_an_entry_cannot_point_at_a_term_that_does_not_exist():
    entry = MenuItem(
        parent=fields_heading(),
        content_type=ContentType.objects.get_for_model(FieldOfWork),
        object_id=FieldOfWork.objects.order_by("-pk").first().pk + 1000,
    )
    with pytest.raises(ValidationError) as error:
        entry.clean()
    assert "object_id" in error.value.message_dict


def test_a_heading_and_a_term_entry_are_valid():
    MenuItem(parent=fields_heading(), label="Projects", url="/projects/").clean()
    MenuItem(parent=fields_heading(), term=FieldOfWork.objects.get(slug="youth")).clean()


def test_the_database_refuses_an_entry_without_label_or_term():
    with pytest.raises(IntegrityError), transaction.atomic():
        MenuItem.objects.create(parent=fields_heading())


def test_the_database_refuses_half_a_term():
    with pytest.raises(IntegrityError), transaction.atomic():
        MenuItem.objects.create(
            parent=fields_heading(),
            label="Half a term",
            content_type=ContentType.objects.get_for_model(FieldOfWork),
        )


def test_the_first_render_after_an_edit_reads_the_menu_again():
    """The cached HTML is dropped on an edit, not served until it expires."""
    render_menu()
    MenuItem.objects.create(label="Newsletter", url="/newsletter/")
    with CaptureQueriesContext(connection) as queries:
        render_menu()
    assert len(queries) >= 1
