"""Whether a translation needs an update: set when its original's text changes after it.

On SQLite the new column makes Django copy the table, so its freshness triggers are made
again (taxonomy.freshness.watch_again).
"""

from django.db import migrations, models

from taxonomy.freshness import watch_again


class Migration(migrations.Migration):
    dependencies = [("press", "0011_release_languages")]

    operations = [
        watch_again("content", "press.Release"),  # undone last: after SQLite's copy back
        migrations.AddField(
            model_name="release",
            name="needs_update",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="The original's text changed after this translation's text was "
                "last saved.",
                verbose_name="needs update",
            ),
        ),
        watch_again("content", "press.Release"),  # SQLite copied the table for the column
    ]
