"""`manage.py load_demo`: the two demo stories.

Sóc Trăng, 2014–2016 (two years published, 2016 open), and Lam Giang, an illustrative
province after the 2025 reorganisation, its 2025 season part-way through appraisal.
`--story soc-trang` loads the first alone (what most tests need)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.accounts import ACCOUNTS, DEMO_PASSWORD
from demo.lam_giang_season import lam_giang_load, sample_logins
from demo.loader import DemoError, demo_load

SOC_TRANG, LAM_GIANG, BOTH = "soc-trang", "lam-giang", "all"


class Command(BaseCommand):
    help = (
        "Load the demo: Sóc Trăng's units, frameworks, campaigns 2014–2016, scores and demo "
        "accounts; then Lam Giang's 2025 season, imported from docs/samples. Creates only "
        "what is missing; a second run changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load even with DEBUG off. The demo accounts have a publicly known password.",
        )
        parser.add_argument(
            "--story",
            choices=(BOTH, SOC_TRANG),
            default=BOTH,
            help="Both stories (default), or Sóc Trăng's alone. Lam Giang needs Sóc Trăng's "
            "staff account, so it never loads alone.",
        )

    def handle(self, *args, allow_production: bool = False, story: str = BOTH, **options) -> None:
        # The demo accounts share a password printed in the repository: loading them
        # into a production database must be a deliberate act.
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Refusing to load the demo with DEBUG off: its accounts have a known password. "
                "Pass --allow-production if you really mean it."
            )
        try:
            summary = demo_load(stdout=self.stdout)
            created = summary.created_anything
            if story == BOTH:
                created = lam_giang_load(stdout=self.stdout).created_anything or created
        except DemoError as error:
            raise CommandError(str(error)) from error
        if created:
            self.stdout.write(self.style.SUCCESS("Demo loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Demo already loaded: nothing to do."))

        if settings.DEBUG:
            self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
            for account in ACCOUNTS:
                name = f"{account.last_name} {account.first_name}"
                self.stdout.write(f"  {account.username:<12} {name:<18} {account.role_label}")
            if story == BOTH:
                self.stdout.write(
                    "Lam Giang, 2025 (same password; staff and appraiser as above; "
                    "every unit's head and editor are in docs/samples/accounts-sample.xlsx):"
                )
                for username, name, role in sample_logins():
                    self.stdout.write(f"  {username:<24} {name:<20} {role}")
        else:
            self.stdout.write(
                self.style.WARNING(
                    "The demo accounts have a publicly known password: change it or "
                    "deactivate them before anyone else can reach this site."
                )
            )
