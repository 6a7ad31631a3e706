"""A release's search vector is kept in its row, beside the title, not in the TOAST table.

Why: a search's reading scores every match with ``ts_rank`` (press.postings), which needs
each match's vector. Left to PostgreSQL's default (EXTENDED), a row with a long body had its
vector moved out to the TOAST table too, so every match cost two or three more page reads:
at 100,000 releases a common word's reading took 141 ms, 30 ms with the vector in the row
(the table grows by a fifth; the body, read only for a page's twenty rows, moves out
first). ``MAIN`` still compresses a large vector, and moves it out only when nothing else
can go.

The storage applies to rows written from now on; ``VACUUM FULL`` writes the rows already
there again in the new way. It locks the table while it runs (seconds at 100,000 releases,
a minute or two at 1,000,000): hence a migration of its own, outside a transaction.
"""

from django.db import migrations


def keep_inline(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE press_release ALTER COLUMN search_vector SET STORAGE MAIN"
        )
        schema_editor.execute("VACUUM FULL press_release")


def as_before(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE press_release ALTER COLUMN search_vector SET STORAGE EXTENDED"
        )


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction

    dependencies = [
        ("press", "0014_release_changed_in"),
    ]

    operations = [migrations.RunPython(keep_inline, as_before)]
