"""The one shape of an import problem, shared by every file format the portal reads."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class ImportProblem:
    """What is wrong, and where: sheet, row as Excel numbers it, column header as in the file.

    Any of the three may be empty when the problem is about the whole file or sheet.
    """

    sheet: str
    row: int | None
    column: str
    message: str

    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row:
            parts.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        if not where:
            return self.message
        return _("%(where)s: %(message)s") % {"where": where, "message": self.message}


def file_problem(message: str) -> ImportProblem:
    """A problem with the file as a whole (not a workbook, empty, too large)."""
    return ImportProblem(sheet="", row=None, column="", message=message)
