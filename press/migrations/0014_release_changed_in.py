"""Each release row says which transaction last wrote it, so that a search's postings
(press.postings) read again only the rows written since they were read.

A trigger sets ``changed_in`` on every insert and update, whoever writes: the admin, a
command, ``QuerySet.update``, COPY, raw SQL. PostgreSQL only: the column stays out of the
model (nothing else reads or writes it), and SQLite, which has no transaction ids, reads a
search again for each content version instead. Rows written before this have none: the
first reading of a search sees them as they are.
"""

from django.db import migrations

CREATE = """
ALTER TABLE press_release ADD COLUMN changed_in bigint;
CREATE INDEX release_changed_in ON press_release (changed_in);

CREATE FUNCTION press_release_changed_in() RETURNS trigger AS $$
BEGIN
    NEW.changed_in := pg_current_xact_id()::text::bigint;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER press_release_changed_in
    BEFORE INSERT OR UPDATE ON press_release
    FOR EACH ROW EXECUTE FUNCTION press_release_changed_in();
"""

DROP = """
DROP TRIGGER press_release_changed_in ON press_release;
DROP FUNCTION press_release_changed_in();
ALTER TABLE press_release DROP COLUMN changed_in;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0013_drop_search_rank_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
