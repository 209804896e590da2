from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from scoring.services.import_rows import ImportRefused
from scoring.services.units_import import UnitsImportPlan, units_import, units_import_plan


class Command(BaseCommand):
    help = (
        "Import a province's blocks and units (with their lineage) from an XLSX workbook "
        "described in docs/formats.md. Units are matched on their code: run it again with "
        "an edited file to update names and lineage. All or nothing: a file with any "
        "problem is refused, every problem is printed with its sheet, row and column, and "
        "nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The .xlsx workbook to import.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file completely and print what it would change; write nothing.",
        )

    def handle(self, *args, file: str, dry_run: bool, **options) -> None:
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from error
        try:
            plan = units_import_plan(file=data) if dry_run else units_import(file=data)
        except ImportRefused as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(str(error)) from error
        if dry_run:
            self.stdout.write(_("Dry run: the file is valid and nothing was written."))
        self._report(plan)

    def _report(self, plan: UnitsImportPlan) -> None:
        if plan.province is not None:
            self.stdout.write(
                _("Province: %(name)s (%(body)s).")
                % {"name": plan.province.name, "body": plan.province.issuing_body}
            )
        self.stdout.write(
            _("Blocks: %(created)s created, %(changed)s changed.")
            % {"created": len(plan.blocks_created), "changed": len(plan.blocks_changed)}
        )
        self.stdout.write(
            _(
                "Units: %(created)s created, %(changed)s changed, %(unchanged)s already so; "
                "not in the file, left as they are: %(untouched)s."
            )
            % {
                "created": len(plan.units_created),
                "changed": len(plan.units_changed),
                "unchanged": plan.unchanged,
                "untouched": plan.untouched,
            }
        )
        for unit_plan in plan.units_changed:
            changes = "; ".join(
                f"{change.label}: {change.before or '—'} → {change.after or '—'}"
                for change in unit_plan.changes
            )
            self.stdout.write(f"  {unit_plan.row.code}: {changes}")
