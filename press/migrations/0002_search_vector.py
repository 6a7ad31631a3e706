"""A stored, GIN-indexed search vector on releases, kept current by a trigger.

On PostgreSQL a trigger computes the vector on every insert and on every update of the
title or body, whatever wrote the row (the admin, the importer, a bulk insert, raw SQL),
and existing rows are filled. Elsewhere (SQLite) the column stays empty: search falls back
to plain matching there.
"""

import django.contrib.postgres.search
from django.db import migrations

import press.models

CREATE_TRIGGER = """
CREATE FUNCTION press_release_search_vector() RETURNS trigger AS $$
BEGIN
    -- The leading stop word keeps a gap between title and body, so that a phrase
    -- cannot run from the title's last word into the body's first.
    NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('english', 'the ' || coalesce(NEW.body, '')), 'B');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER press_release_search_vector
    BEFORE INSERT OR UPDATE OF title, body ON press_release
    FOR EACH ROW EXECUTE FUNCTION press_release_search_vector();

UPDATE press_release SET title = title;
"""

DROP_TRIGGER = """
DROP TRIGGER IF EXISTS press_release_search_vector ON press_release;
DROP FUNCTION IF EXISTS press_release_search_vector();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="release",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(
                editable=False,
                help_text="Title (weight A) and body (weight B), kept by a database trigger "
                "on PostgreSQL.",
                null=True,
            ),
        ),
        migrations.AddIndex(
            model_name="release",
            index=press.models.SearchIndex(fields=["search_vector"], name="release_search"),
        ),
        migrations.RunPython(on_postgresql(CREATE_TRIGGER), on_postgresql(DROP_TRIGGER)),
    ]
