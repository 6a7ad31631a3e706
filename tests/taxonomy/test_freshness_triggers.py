"""Every table whose writes move a version has its triggers once all migrations ran.

Why a list: SQLite alters a table by copying it, and the copy has none of the old one's
triggers; a migration that adds a column to a watched table must make them again
(taxonomy.freshness.watch_again), or writes there would leave cached pages stale.
"""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

WATCHED = {
    "institutions_structure",
    "press_attachment",
    "press_leadimage",
    "press_release",
    "press_release_countries",
    "press_release_fields_of_work",
    "press_release_meetings",
    "press_release_sources",
    "taxonomy_chairpersonship",
    "taxonomy_country",
    "taxonomy_countrygroup",
    "taxonomy_fieldofwork",
    "taxonomy_meeting",
    "taxonomy_menuitem",
    "taxonomy_place",
}


def test_every_watched_table_has_its_triggers():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT event_object_table, count(DISTINCT event_manipulation) "
                "FROM information_schema.triggers WHERE trigger_name LIKE 'freshness_%%' "
                "GROUP BY event_object_table"
            )  # INSERT, UPDATE, DELETE (and TRUNCATE, which the view leaves out)
        else:
            cursor.execute(
                "SELECT tbl_name, count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND name LIKE 'freshness_%' GROUP BY tbl_name"
            )
        found = dict(cursor.fetchall())
    assert {table for table, count in found.items() if count == 3} == WATCHED
