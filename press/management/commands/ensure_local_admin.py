"""Make sure a local admin account exists, so `make run` leads straight into the admin.

Refuses to run with DEBUG off: a production site never gets a known password.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create or reset the local superuser 'admin' (password 'admin'); DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="admin")

    def handle(self, *args, username, password, **options):
        if not settings.DEBUG:
            raise CommandError("Refusing to create a known password with DEBUG off.")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        verb = "Created" if created else "Reset"
        self.stdout.write(self.style.SUCCESS(f"{verb} the local admin account."))
        self.stdout.write(
            f"Log in at http://127.0.0.1:8000/admin/ as “{username}” with password “{password}”."
        )
