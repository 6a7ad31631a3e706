"""A RUM index that reads a search's matches best first, where PostgreSQL has RUM.

Why: ranking with ``ts_rank`` reads the vector of every match, so a common word costs in
proportion to the archive (tens of milliseconds at 100,000 releases, ten times that at
1,000,000). RUM (an extension: Debian's ``postgresql-NN-rum``) keeps each word's positions
in the index, so ``ORDER BY search_vector <=> query LIMIT n`` reads the best ``n`` and
stops. The extension is optional: without it, or without the right to create it, this
migration does nothing and search ranks with ``ts_rank`` (press.search.ranks_by_index).
A database owner who adds it later runs the two statements below (README, "Search").
"""

from django.db import DatabaseError, migrations, transaction

# As press.search had them when this was written (0013 drops the index again).
RANK_INDEX = "release_search_rank"
CREATE_RANK_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {RANK_INDEX} "
    "ON press_release USING rum (search_vector rum_tsvector_ops)"
)
CREATE_EXTENSION = "CREATE EXTENSION IF NOT EXISTS rum"


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            return
    try:
        with transaction.atomic(using=connection.alias):
            schema_editor.execute(CREATE_EXTENSION)
    except DatabaseError:
        return  # not a superuser here: the owner may add it later
    schema_editor.execute(CREATE_RANK_INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {RANK_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0007_releases_move_the_content_version"),
    ]

    operations = [migrations.RunPython(create, drop)]
