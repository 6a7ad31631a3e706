"""Lead images: their table, watched like the releases' (a new or changed image shows on
the next visit of every cached page), and the right to edit them for the roles that
write releases."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import press.models
from taxonomy.freshness import watch_tables

PERMISSIONS = ["add_leadimage", "change_leadimage", "delete_leadimage", "view_leadimage"]
ROLES = ["Communications staff", "Publishers"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("press")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="press", codename__in=PERMISSIONS
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="press", codename__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0009_embargo_links"),
        ("taxonomy", "0003_freshness_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="LeadImage",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    press.models.LeadImageFileField(
                        help_text="JPEG, PNG or WebP, at most 10 MB and 50 megapixels. It is turned upright and its hidden data (camera, place taken, GPS position) is removed.",
                        max_length=255,
                        upload_to="lead-images/",
                        verbose_name="image",
                    ),
                ),
                (
                    "alt",
                    models.CharField(
                        help_text="What the image shows, for readers who cannot see it. Required: an image that says nothing is decoration, not a lead image.",
                        max_length=300,
                        validators=[press.models._validate_alt_text],
                        verbose_name="alt text",
                    ),
                ),
                (
                    "caption",
                    models.CharField(
                        blank=True,
                        help_text="Shown under the image on the release's page.",
                        max_length=300,
                    ),
                ),
                (
                    "credit",
                    models.CharField(
                        blank=True,
                        help_text="Who made it, e.g. “OSCE/Micky Kroell”.",
                        max_length=200,
                    ),
                ),
                ("width", models.PositiveIntegerField(default=0, editable=False)),
                ("height", models.PositiveIntegerField(default=0, editable=False)),
                (
                    "renditions",
                    models.JSONField(
                        default=list,
                        editable=False,
                        help_text="The files made from the image: per width, its JPEG and WebP with sizes.",
                    ),
                ),
                (
                    "release",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="lead_image",
                        to="press.release",
                    ),
                ),
            ],
            options={
                "verbose_name": "lead image",
            },
        ),
        watch_tables("content", "press.LeadImage"),
        migrations.RunPython(grant, revoke),
    ]
