"""Suppress addresses from outside the site: a mail provider's complaint ("marked as
spam") reports or a bounce list. Reversible in the admin (Email alerts › Subscribers)."""

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from alerts.models import Subscriber, normalise
from alerts.outbox import suppress


class Command(BaseCommand):
    help = "Suppress the addresses given (or read one a line from stdin with -)."

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="+", help="addresses, or - to read stdin")
        parser.add_argument(
            "--because",
            choices=[Subscriber.Suppression.COMPLAINT, Subscriber.Suppression.BOUNCE],
            default=Subscriber.Suppression.COMPLAINT,
        )

    def handle(self, *args, addresses, because, **options):
        if addresses == ["-"]:
            addresses = [line.strip() for line in sys.stdin if line.strip()]
        bad = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise CommandError(f"not addresses, nothing suppressed: {', '.join(bad)}")
        found = Subscriber.objects.filter(email__in=[normalise(a) for a in addresses])
        for subscriber in found:
            suppress(subscriber, because)
        self.stdout.write(
            f"{found.count()} of {len(addresses)} address(es) suppressed ({because}); "
            "the others have no alerts here."
        )
