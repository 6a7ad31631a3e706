"""Reference data in every official language: a column per language (taxonomy.translated).

SQLite adds a column by copying the table, so the freshness triggers are made again
(taxonomy.freshness.watch_again).
"""

from django.db import migrations, models

from taxonomy.freshness import watch_again


class Migration(migrations.Migration):
    dependencies = [
        ("institutions", "0003_structures_move_the_menu_version"),
    ]

    operations = [
        watch_again("menu", "institutions.Structure"),  # undone last: after SQLite's copy back
        migrations.AddField(
            model_name="structure",
            name="description_de",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="structure",
            name="description_es",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="structure",
            name="description_fr",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="structure",
            name="description_it",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="structure",
            name="description_ru",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="structure",
            name="name_de",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="structure",
            name="name_es",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="structure",
            name="name_fr",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="structure",
            name="name_it",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="structure",
            name="name_ru",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        watch_again("menu", "institutions.Structure"),
    ]
