"""Who may see what of the alerts: site admins everything (addresses, suppressions, the
mail sent); communications staff and publishers the alerts themselves, with no address."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SITE_ADMINS = [
    "view_subscriber",
    "change_subscriber",
    "view_addresses",
    "view_alert",
    "view_message",
]
STAFF = ["view_alert"]
GRANTS = {"Site admins": SITE_ADMINS, "Communications staff": STAFF, "Publishers": STAFF}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("alerts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="alerts", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GRANTS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="alerts"))


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("press", "0004_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
