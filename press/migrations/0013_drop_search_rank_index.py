"""The RUM index of 0008 goes: relevance is read from the finder's index now.

Why: the engine keeps each search's matches grouped by ``ts_rank`` score (press.engine.
Scores), computed in the same query that finds them, so no page asks the database for an
order; the RUM index only cost every write. The extension stays where it was made: it may
have been made by a superuser, and it holds nothing. Reversing makes the index again where
the extension is.
"""

from django.db import migrations

RANK_INDEX = "release_search_rank"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {RANK_INDEX}")


def create_again(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
        if cursor.fetchone() is None:
            return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {RANK_INDEX} "
        "ON press_release USING rum (search_vector rum_tsvector_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0012_translations_need_update"),
    ]

    operations = [migrations.RunPython(drop, create_again)]
