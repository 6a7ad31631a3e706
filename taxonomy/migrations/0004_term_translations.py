"""Reference data in every official language: a column per language (taxonomy.translated).

SQLite adds a column by copying the table, so the freshness triggers are made again
(taxonomy.freshness.watch_again).
"""

from django.db import migrations, models

from taxonomy.freshness import watch_again


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0003_freshness_versions"),
    ]

    operations = [
        watch_again(
            "menu",
            "taxonomy.Country",
            "taxonomy.CountryGroup",
            "taxonomy.FieldOfWork",
            "taxonomy.Meeting",
            "taxonomy.MenuItem",
        ),  # undone last: after SQLite's copy back
        watch_again("content", "taxonomy.Place"),  # undone last: after SQLite's copy back
        migrations.AddField(
            model_name="country",
            name="description_de",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="country",
            name="description_es",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="country",
            name="description_fr",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="country",
            name="description_it",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="country",
            name="description_ru",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="country",
            name="name_de",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="country",
            name="name_es",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="country",
            name="name_fr",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="country",
            name="name_it",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="country",
            name="name_ru",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="description_de",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="description_es",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="description_fr",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="description_it",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="description_ru",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="name_de",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="name_es",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="name_fr",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="name_it",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="countrygroup",
            name="name_ru",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="description_de",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="description_es",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="description_fr",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="description_it",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="description_ru",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="name_de",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="name_es",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="name_fr",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="name_it",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="fieldofwork",
            name="name_ru",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="meeting",
            name="description_de",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="meeting",
            name="description_es",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="meeting",
            name="description_fr",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="meeting",
            name="description_it",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="meeting",
            name="description_ru",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="meeting",
            name="name_de",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="meeting",
            name="name_es",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="meeting",
            name="name_fr",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="meeting",
            name="name_it",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="meeting",
            name="name_ru",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="menuitem",
            name="label_de",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="menuitem",
            name="label_es",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="menuitem",
            name="label_fr",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="menuitem",
            name="label_it",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="menuitem",
            name="label_ru",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="place",
            name="description_de",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="place",
            name="description_es",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="place",
            name="description_fr",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="place",
            name="description_it",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="place",
            name="description_ru",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="place",
            name="name_de",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="place",
            name="name_es",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="place",
            name="name_fr",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="place",
            name="name_it",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.AddField(
            model_name="place",
            name="name_ru",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        watch_again(
            "menu",
            "taxonomy.Country",
            "taxonomy.CountryGroup",
            "taxonomy.FieldOfWork",
            "taxonomy.Meeting",
            "taxonomy.MenuItem",
        ),
        watch_again("content", "taxonomy.Place"),
    ]
