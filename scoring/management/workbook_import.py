"""The shape every workbook-import command shares: FILE --year Y --actor USERNAME [--dry-run],
all or nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import Campaign
from scoring.services.import_rows import ImportRefused
from scoring.services.score_changes import AssessmentError


class WorkbookImportCommand(BaseCommand):
    """Subclasses say what a dry run reports, import the bytes as `self.actor`, and print
    the outcome."""

    dry_run_help = "Check the file completely and report what would change; write nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx workbook to import.")
        parser.add_argument("--year", type=int, required=True, help="The campaign's year.")
        parser.add_argument(
            "--actor",
            required=True,
            help="Username of the Interior Department staff member importing the file.",
        )
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)

    def import_file(self, *, campaign: Campaign, data: bytes) -> list:
        raise NotImplementedError

    def report(self, outcome: list) -> None:
        raise NotImplementedError

    def handle(self, *args, file: str, year: int, actor: str, dry_run: bool, **options) -> None:
        # The services check the actor themselves and name them in what they record.
        self.actor = user_for(actor)
        campaign = campaign_for(year)
        data = read_file(file)
        try:
            # A dry run does the whole import, database checks included, then rolls it back.
            with transaction.atomic():
                outcome = self.import_file(campaign=campaign, data=data)
                if dry_run:
                    transaction.set_rollback(True)
        except ImportRefused as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(error)) from error
        except AssessmentError as error:
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(_("Dry run: the file is valid and nothing was written."))
        self.report(outcome)


def campaign_for(year: int) -> Campaign:
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        known = ", ".join(str(y) for y in Campaign.objects.values_list("year", flat=True))
        raise CommandError(
            _("No campaign for %(year)s. Campaigns: %(known)s.")
            % {"year": year, "known": known or "—"}
        )
    return campaign


def read_file(file: str) -> bytes:
    try:
        return Path(file).read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
        ) from error


def user_for(username: str):
    """The user a command acts as (--actor), for the services' own checks and records."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("There is no user “%(username)s”.") % {"username": username})
    return user
