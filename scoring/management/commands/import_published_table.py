from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from scoring.management.workbook_import import read_file, user_for
from scoring.selectors.previous_year import imported_blocks
from scoring.services.import_rows import ImportRefused
from scoring.services.published_table_import import published_table_import
from scoring.services.score_changes import AssessmentError


class Command(BaseCommand):
    help = (
        "Import a year's published results table (unit code, index, rank, tier, decision "
        "number and date) from an XLSX workbook described in docs/formats.md, for a year the "
        "portal did not publish itself: year-on-year figures then compare with it. It replaces "
        "any table imported for that year. All or nothing: a file with any problem is refused, "
        "every problem is printed with its sheet, row and column, and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx workbook to import.")
        parser.add_argument("--year", type=int, required=True, help="The year assessed.")
        parser.add_argument(
            "--actor",
            required=True,
            help="Username of the Interior Department staff member importing the file.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file completely and say what it holds; write nothing.",
        )

    def handle(self, *args, file: str, year: int, actor: str, dry_run: bool, **options) -> None:
        user = user_for(actor)
        data = read_file(file)
        try:
            # A dry run does the whole import, database checks included, then rolls it back.
            with transaction.atomic():
                table = published_table_import(year=year, file=data, actor=user)
                blocks = [block for block in imported_blocks() if block.year == year]
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
        self.stdout.write(
            _("%(rows)s rows of the %(year)s table (%(replaced)s rows replaced).")
            % {"rows": table.rows, "year": year, "replaced": table.replaced}
        )
        for block in blocks:
            whole = _("the whole block") if block.complete else _("part of the block")
            self.stdout.write(
                f"  {block.block_name}: {block.rows} — {whole} — {'; '.join(block.decisions)}"
            )
