from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.models import Framework
from scoring.services.frameworks import FrameworkImportError, framework_import
from units.numbers import localized


class Command(BaseCommand):
    help = (
        "Import a criteria framework from an XLSX workbook (sheets “Thông tin” and “Tiêu chí”, "
        "described in docs/formats.md). All or nothing: a file with any problem is refused, "
        "every problem is printed with its sheet, row and column, and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx workbook to import.")
        parser.add_argument(
            "--year", type=int, required=True, help="Year of the framework; the file must agree."
        )
        parser.add_argument(
            "--block", required=True, help="Code of the block, e.g. so; the file must agree."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace the framework of that year and block if there is one "
            "(only while it is unlocked and has no assessments).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file completely and report what would be imported; write nothing.",
        )

    def handle(
        self, *args, file: str, year: int, block: str, replace: bool, dry_run: bool, **options
    ) -> None:
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from error
        try:
            # A dry run does the whole import, database checks included, then rolls it back.
            with transaction.atomic():
                framework = framework_import(
                    file=data, year=year, block_code=block, replace=replace
                )
                summary = self._summary(framework)
                if dry_run:
                    transaction.set_rollback(True)
        except FrameworkImportError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(_("Dry run: the file is valid and nothing was written."))
            self.stdout.write(summary)
        else:
            self.stdout.write(self.style.SUCCESS(summary))

    def _summary(self, framework: Framework) -> str:
        criteria = framework.criteria.all()
        return _(
            "%(name)s (%(block)s, %(year)s): %(nodes)s criteria, %(leaves)s of them scored, "
            "at most %(max)s points."
        ) % {
            "name": framework.name,
            "block": framework.block,
            "year": framework.year,
            "nodes": criteria.count(),
            "leaves": criteria.filter(children__isnull=True).count(),
            "max": localized(framework.max_points),
        }
