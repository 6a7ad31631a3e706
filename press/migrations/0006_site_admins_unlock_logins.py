"""Site admins see login lockouts (django-axes) and lift them by deleting the attempt."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = ["view_accessattempt", "delete_accessattempt", "view_accesslog"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("axes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Site admins")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="axes", codename__in=GRANTS)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Site admins"):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="axes", codename__in=GRANTS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0005_list_order_indexes"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
