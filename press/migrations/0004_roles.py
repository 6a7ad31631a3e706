"""The three editorial roles, as groups with their permissions.

Communications staff write and submit releases and can read the reference data (to pick
terms); Publishers may also publish, schedule, unpublish and delete; Site admins keep the
reference data. Permissions are created here first: on a new database Django would only
create them after the last migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REFERENCE_APPS = ["taxonomy", "institutions"]
WRITER = [
    "press.add_release",
    "press.change_release",
    "press.view_release",
    "press.add_attachment",
    "press.change_attachment",
    "press.delete_attachment",
    "press.view_attachment",
]
ROLES = {
    "Communications staff": [*WRITER, "view:taxonomy", "view:institutions"],
    "Publishers": [
        *WRITER,
        "press.publish_release",
        "press.delete_release",
        "view:taxonomy",
        "view:institutions",
    ],
    "Site admins": [
        "all:taxonomy",
        "all:institutions",
        "press.view_release",
        "press.add_editorialscope",
        "press.change_editorialscope",
        "press.delete_editorialscope",
        "press.view_editorialscope",
    ],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        permissions = []
        for grant in grants:
            if ":" in grant:
                scope, app_label = grant.split(":")
                found = Permission.objects.filter(content_type__app_label=app_label)
                if scope == "view":
                    found = found.filter(codename__startswith="view_")
                permissions += list(found)
            else:
                app_label, codename = grant.split(".")
                permissions.append(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0003_editorial_workflow"),
        ("taxonomy", "0001_initial"),
        ("institutions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
