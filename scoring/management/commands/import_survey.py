from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.management.commands.import_scores import campaign_for, read_file
from scoring.selectors import UnitSurveyPoints
from scoring.services.imports import ImportRefused, survey_import
from scoring.templatetags.results import points2
from units.templatetags.portal import points


class Command(BaseCommand):
    help = (
        "Import survey results (answer counts per unit, survey criterion and respondent group) "
        "from an XLSX workbook described in docs/formats.md, and print each unit's survey "
        "points. All or nothing: a file with any problem is refused, every problem is "
        "printed with its sheet, row and column, and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx workbook to import.")
        parser.add_argument("--year", type=int, required=True, help="The campaign's year.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file completely and print the points it would give; write nothing.",
        )

    def handle(self, *args, file: str, year: int, dry_run: bool, **options) -> None:
        campaign = campaign_for(year)
        data = read_file(file)
        try:
            with transaction.atomic():
                units = survey_import(campaign=campaign, file=data)
                if dry_run:
                    transaction.set_rollback(True)
        except ImportRefused as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(_("Dry run: the file is valid and nothing was written."))
        for unit in units:
            self._write_unit(unit)

    def _write_unit(self, unit: UnitSurveyPoints) -> None:
        self.stdout.write(
            _("%(unit)s (%(code)s): %(points)s of %(max)s survey points")
            % {
                "unit": unit.assessment.unit.name,
                "code": unit.assessment.unit.code,
                "points": points2(unit.total),
                "max": points(unit.maximum),
            }
        )
        for leaf in unit.leaves:
            self.stdout.write(
                "  "
                + _(
                    "%(code)s %(title)s: %(points)s of %(max)s "
                    "(%(respondents)s respondents: %(groups)s)"
                )
                % {
                    "code": leaf.criterion.code,
                    "title": leaf.criterion.title,
                    "points": points2(leaf.points),
                    "max": points(leaf.criterion.max_points),
                    "respondents": leaf.respondents,
                    # "; " between groups: a group's own name may hold a comma.
                    "groups": "; ".join(group or "—" for group in leaf.groups) or "—",
                }
            )
