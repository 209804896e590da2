from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring.management.workbook_import import campaign_for
from scoring.services.reminders import Reminder, reminders_due, reminders_send


class Command(BaseCommand):
    help = (
        "Remind units of what they still miss before a deadline: drafts before the "
        "self-assessment deadline, returned assessments before the explanation deadline. "
        "One mail per unit to its editors and head (those with an e-mail address), in the "
        "portal's language; units with nothing missing get nothing. Meant to run daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="The campaign's year.")
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="Remind when a deadline falls within this many days (default 3).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would be reminded; send nothing."
        )

    def handle(self, *args, year: int, days: int, dry_run: bool, **options) -> None:
        if days < 0:
            raise CommandError(_("--days must be 0 or more."))
        campaign = campaign_for(year)
        reminders = reminders_due(campaign=campaign, days=days)
        reached = [r for r in reminders if r.recipients]
        if not dry_run:
            reminders_send(reached)
        for reminder in reminders:
            self.stdout.write(self._line(reminder, dry_run))
        if dry_run:
            self.stdout.write(_("Dry run: nothing was sent."))
            return
        self.stdout.write(
            ngettext("%(count)d unit reminded.", "%(count)d units reminded.", len(reached))
            % {"count": len(reached)}
        )

    def _line(self, reminder: Reminder, dry_run: bool) -> str:
        values = {
            "unit": reminder.assessment.unit.name,
            "code": reminder.assessment.unit.code,
            "count": len(reminder.missing),
            "recipients": ", ".join(reminder.recipients),
        }
        if not reminder.recipients:
            return (
                ngettext(
                    "%(unit)s (%(code)s): %(count)d item missing, "
                    "but nobody with an e-mail address to remind.",
                    "%(unit)s (%(code)s): %(count)d items missing, "
                    "but nobody with an e-mail address to remind.",
                    len(reminder.missing),
                )
                % values
            )
        if dry_run:
            message = ngettext(
                "Would remind %(unit)s (%(code)s) of %(count)d missing item: %(recipients)s",
                "Would remind %(unit)s (%(code)s) of %(count)d missing items: %(recipients)s",
                len(reminder.missing),
            )
        else:
            message = ngettext(
                "Reminded %(unit)s (%(code)s) of %(count)d missing item: %(recipients)s",
                "Reminded %(unit)s (%(code)s) of %(count)d missing items: %(recipients)s",
                len(reminder.missing),
            )
        return message % values
