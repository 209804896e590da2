"""`manage.py load_demo`: the Sóc Trăng demo (2014 and 2015 appraised, 2016 open)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.accounts import ACCOUNTS, DEMO_PASSWORD
from demo.loader import DemoError, demo_load


class Command(BaseCommand):
    help = (
        "Load the illustrative Sóc Trăng demo: units, criteria frameworks, campaigns 2014–2016, "
        "scores and demo accounts. Creates only what is missing; a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off. The demo accounts have a publicly known password.",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        # The demo accounts share a password printed in the repository: loading them
        # into a production database must be a deliberate act.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load the demo with DEBUG off: its accounts have a known password. "
                "Pass --allow-production if you really mean it."
            )
        try:
            summary = demo_load(stdout=self.stdout)
        except DemoError as error:
            raise CommandError(str(error)) from error
        if summary.created_anything:
            self.stdout.write(self.style.SUCCESS("Demo loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo already loaded: nothing to do."))

        if settings.DEBUG:
            self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
            for account in ACCOUNTS:
                name = f"{account.last_name} {account.first_name}"
                self.stdout.write(f"  {account.username:<12} {name:<18} {account.role_label}")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "The demo accounts have a publicly known password: change it or "
                    "deactivate them before anyone else can reach this site."
                )
            )
