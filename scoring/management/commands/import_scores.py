from django.core.management.base import CommandParser
from django.utils.translation import gettext as _

from scoring.management.workbook_import import WorkbookImportCommand
from scoring.services.import_transitions import Carried, imported_assessments_carry
from scoring.services.score_import import UnitScores, scores_import
from scoring.workflow import TRANSITIONS


class Command(WorkbookImportCommand):
    help = (
        "Import the scores of many units from an XLSX workbook (self-assessed points, levels "
        "or ratio figures, not applicable, appraised points and notes, final points; "
        "columns in docs/formats.md). All or nothing: a file with any problem is refused, "
        "every problem is printed with its sheet, row and column, and nothing is written. "
        "With --transition, each unit's assessment then goes through the workflow as far "
        "as its figures allow (submitted; appraised when every leaf has appraised points), "
        "each step recorded as imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--transition",
            action="store_true",
            help=(
                "Carry each imported assessment through the workflow's steps (submitted on "
                "the unit's behalf, appraisal started, finalised), with their checks; "
                "deadlines do not apply."
            ),
        )

    def handle(self, *args, transition: bool = False, **options) -> None:
        self.transition = transition
        super().handle(*args, **options)

    def import_file(self, *, campaign, data: bytes) -> list:
        imported = scores_import(campaign=campaign, file=data, actor=self.actor)
        if not self.transition:
            return imported
        carried = imported_assessments_carry(
            campaign=campaign, units=[unit.unit for unit in imported], actor=self.actor
        )
        return [*imported, *carried]

    def report(self, outcome: list) -> None:
        for line in outcome:
            self.stdout.write(_summary(line) if isinstance(line, UnitScores) else _carried(line))


def _summary(unit: UnitScores) -> str:
    return _("%(unit)s (%(code)s): %(rows)s rows, %(changed)s criteria changed (%(codes)s).") % {
        "unit": unit.unit.name,
        "code": unit.unit.code,
        "rows": unit.rows,
        "changed": len(unit.changed),
        "codes": ", ".join(unit.changed) or "—",
    }


def _carried(line: Carried) -> str:
    values = {
        "unit": line.assessment.unit.name,
        "state": line.assessment.get_state_display(),
        "steps": ", ".join(str(TRANSITIONS[step].label) for step in line.steps) or "—",
    }
    text = _("%(unit)s: now “%(state)s” (steps: %(steps)s).") % values
    if line.stopped:
        text += " " + _("Stopped: %(why)s") % {"why": " ".join(line.stopped)}
    return text
