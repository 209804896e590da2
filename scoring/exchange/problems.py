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


# Row numbers named in one message before it only counts the rest.
ROWS_NAMED = 6


def rows_phrase(rows: list[int]) -> str:
    """Rows as a reader takes them in: "row 5", "rows 5–9, 12", "rows 5–9, … (60 rows in all)".

    One problem per cause: a code missing from sixty rows is said once, naming its rows.
    """
    numbers = sorted(set(rows))
    if len(numbers) == 1:
        return _("row %(row)s") % {"row": numbers[0]}
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    parts = [str(first) if first == last else f"{first}–{last}" for first, last in spans]
    if len(parts) > ROWS_NAMED:
        return _("rows %(rows)s, … (%(count)s rows in all)") % {
            "rows": ", ".join(parts[:ROWS_NAMED]),
            "count": len(numbers),
        }
    return _("rows %(rows)s") % {"rows": ", ".join(parts)}
