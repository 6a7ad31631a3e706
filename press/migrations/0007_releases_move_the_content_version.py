from django.db import migrations

from taxonomy.freshness import watch_tables


class Migration(migrations.Migration):
    """Any write to a release, its links or its attachments moves the content version
    (taxonomy.freshness), whichever process or tool made it."""

    dependencies = [
        ("press", "0006_site_admins_unlock_logins"),
        ("taxonomy", "0003_freshness_versions"),
    ]

    operations = [watch_tables("content", "press.Release", "press.Attachment")]
