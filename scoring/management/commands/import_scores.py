from django.utils.translation import gettext as _

from scoring.management.workbook_import import WorkbookImportCommand
from scoring.services.score_import import UnitScores, scores_import


class Command(WorkbookImportCommand):
    help = (
        "Import the scores of many units from an XLSX workbook (self-assessed points, levels "
        "or ratio figures, not applicable, appraised points and notes, final points; "
        "columns in docs/formats.md). All or nothing: a file with any problem is refused, "
        "every problem is printed with its sheet, row and column, and nothing is written."
    )

    def import_file(self, *, campaign, data: bytes) -> list[UnitScores]:
        return scores_import(campaign=campaign, file=data, actor=self.actor)

    def report(self, outcome: list[UnitScores]) -> None:
        for unit in outcome:
            self.stdout.write(_summary(unit))


def _summary(unit: UnitScores) -> str:
    return _("%(unit)s (%(code)s): %(rows)s rows, %(changed)s criteria changed (%(codes)s).") % {
        "unit": unit.unit.name,
        "code": unit.unit.code,
        "rows": unit.rows,
        "changed": len(unit.changed),
        "codes": ", ".join(unit.changed) or "—",
    }
