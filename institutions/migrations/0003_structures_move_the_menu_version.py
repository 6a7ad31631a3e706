from django.db import migrations

from taxonomy.freshness import watch_tables


class Migration(migrations.Migration):
    """Any write to a structure moves the menu's version (taxonomy.freshness)."""

    dependencies = [
        ("institutions", "0002_closed_group"),
        ("taxonomy", "0003_freshness_versions"),
    ]

    operations = [watch_tables("menu", "institutions.Structure")]
