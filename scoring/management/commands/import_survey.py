from django.utils.translation import gettext as _

from scoring.management.workbook_import import WorkbookImportCommand
from scoring.selectors.survey import UnitSurveyPoints
from scoring.services.survey_import import survey_import
from scoring.templatetags.results import points2
from units.templatetags.portal import points


class Command(WorkbookImportCommand):
    help = (
        "Import survey results (answer counts per unit, survey criterion and respondent group) "
        "from an XLSX workbook described in docs/formats.md, and print each unit's survey "
        "points. All or nothing: a file with any problem is refused, every problem is "
        "printed with its sheet, row and column, and nothing is written."
    )

    dry_run_help = "Check the file completely and print the points it would give; write nothing."

    def import_file(self, *, campaign, data: bytes) -> list[UnitSurveyPoints]:
        return survey_import(campaign=campaign, file=data, actor=self.actor)

    def report(self, outcome: list[UnitSurveyPoints]) -> None:
        for unit in outcome:
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
