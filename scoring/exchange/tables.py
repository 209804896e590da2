"""A sheet read as a table: a header row naming the columns, then one record per row.

Shared by the score and survey readers. Headers are matched like the framework
workbook's (scoring.exchange.columns.Column: any case, any accents, English
keys too); problems are collected, never raised, so a file is judged as a whole.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from scoring.exchange.columns import HEADER_SEARCH_ROWS, MAX_POINTS, Column, yes_no_problem
from scoring.exchange.problems import ImportProblem
from scoring.exchange.workbook import (
    cell_decimal,
    cell_text,
    cell_yes_no,
    decimal_places,
    find_sheet,
    header_key,
    is_blank,
    set_value,
    sheet_rows,
    style_header,
    workbook_bytes,
)
from scoring.points_rules import CENT, snapped

# A province has at most a few thousand units × leaves; beyond this the file is something else.
MAX_TABLE_ROWS = 50_000


@dataclass
class Record:
    """One non-empty row under the header: its cells by field, and any other headed cells."""

    row: int
    cells: dict[str, object]
    others: dict[int, object] = field(default_factory=dict)  # column index → value


@dataclass
class Table:
    """What read_table found; `records` is empty when the header could not be read."""

    sheet: str
    header_row: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # field → header as written
    other_headers: dict[int, str] = field(default_factory=dict)  # index → unknown header
    records: list[Record] = field(default_factory=list)

    def header(self, name: str, columns: Sequence[Column]) -> str:
        """The column's header as the file writes it, or as the format names it."""
        if name in self.headers:
            return self.headers[name]
        return next(column.header for column in columns if column.field == name)


def pick_sheet(
    workbook: Workbook, names: Sequence[str], problems: list[ImportProblem]
) -> Worksheet | None:
    """The sheet named like one of `names`, or the workbook's only sheet, or a problem."""
    sheet = find_sheet(workbook, names)
    if sheet is None and len(workbook.sheetnames) == 1:
        sheet = workbook[workbook.sheetnames[0]]
    if sheet is None:
        problems.append(missing_sheet(workbook, names[0]))
    return sheet


def missing_sheet(workbook: Workbook, name: str) -> ImportProblem:
    return ImportProblem(
        sheet=name,
        row=None,
        column="",
        message=_("the workbook has no sheet named “%(sheet)s” (it has: %(sheets)s).")
        % {"sheet": name, "sheets": ", ".join(workbook.sheetnames)},
    )


def read_table(
    sheet: Worksheet,
    columns: Sequence[Column],
    problems: list[ImportProblem],
    *,
    keep_others: bool = False,
) -> Table:
    """The header and records of a sheet; every problem of its shape goes to `problems`.

    Blank rows are skipped. With `keep_others`, cells under headers that are not
    among `columns` are kept (the survey's answer columns); otherwise they are ignored,
    as a clerk's own "Ghi chú" column should be.
    """
    table = Table(sheet=sheet.title)

    def problem(row: int | None, column: str, message: str) -> None:
        problems.append(ImportProblem(sheet=table.sheet, row=row, column=column, message=message))

    by_key = {
        header_key(text): column for column in columns for text in (column.header, *column.aliases)
    }
    rows = sheet_rows(sheet)
    indexes: dict[str, int] = {}
    for number, values in rows:
        if number > HEADER_SEARCH_ROWS:
            break
        for index, value in enumerate(values):
            column = by_key.get(header_key(value))
            if column is None:
                if keep_others and not is_blank(value):
                    table.other_headers[index] = cell_text(value)
                continue
            if column.field in indexes:
                problem(number, cell_text(value), _("this column appears twice."))
                continue
            indexes[column.field] = index
            table.headers[column.field] = cell_text(value)
        if indexes:
            table.header_row = number
            break
        table.other_headers = {}
    if table.header_row is None:
        required = ", ".join(column.header for column in columns if column.required)
        problem(
            None,
            "",
            _(
                "no header row found: one of the first %(rows)s rows must name "
                "the columns %(columns)s."
            )
            % {"rows": HEADER_SEARCH_ROWS, "columns": required},
        )
        return table
    missing = [c for c in columns if c.required and c.field not in indexes]
    for column in missing:
        problem(table.header_row, column.header, _("this required column is missing."))
    if missing:
        return table

    for number, values in rows:
        cells = {name: _at(values, index) for name, index in indexes.items()}
        others = {index: _at(values, index) for index in table.other_headers}
        if all(is_blank(value) for value in (*cells.values(), *others.values())):
            continue
        if len(table.records) == MAX_TABLE_ROWS:
            problem(
                number,
                "",
                _("the sheet has more than %(max)s rows; check for stray rows below the table.")
                % {"max": MAX_TABLE_ROWS},
            )
            table.records = []
            return table
        table.records.append(Record(row=number, cells=cells, others=others))
    if not table.records:
        problem(None, "", _("the sheet has no rows under its header row."))
    return table


def _at(values: tuple, index: int) -> object:
    return values[index] if index < len(values) else None


def ordered(problems: Iterable[ImportProblem], sheets: Sequence[str] = ()) -> list[ImportProblem]:
    """Problems of the whole file first, then by sheet (in the given order), row and column."""
    rank = {"": -1, **{name: position for position, name in enumerate(sheets)}}
    return sorted(problems, key=lambda p: (rank.get(p.sheet, len(sheets)), p.row or 0))


@dataclass
class TableFile:
    """A workbook read as one table of COLUMNS on sheet SHEET, with the problems found.

    The base of the score and survey files: a problem is located by the sheet, the
    row, and the column's header as the file writes it.
    """

    COLUMNS: ClassVar[Sequence[Column]] = ()
    SHEET: ClassVar[str] = ""

    problems: list[ImportProblem] = field(default_factory=list)
    table: Table | None = None

    def __post_init__(self) -> None:
        if self.table is None:
            self.table = Table(sheet=self.SHEET)

    def problem(self, row: int, name: str, message: str) -> ImportProblem:
        return ImportProblem(
            sheet=self.table.sheet,
            row=row,
            column=self.table.header(name, self.COLUMNS),
            message=message,
        )

    def ordered(self, problems: Sequence[ImportProblem]) -> list[ImportProblem]:
        return ordered(problems, (self.table.sheet,))


class RowReader:
    """Typed values of one record; each unreadable cell becomes a problem naming its column."""

    def __init__(
        self,
        table: Table,
        columns: Sequence[Column],
        record: Record,
        problems: list[ImportProblem],
    ) -> None:
        self.table = table
        self.columns = columns
        self.record = record
        self.problems = problems
        self.bad: set[str] = set()  # fields that already have a problem

    @property
    def row(self) -> int:
        return self.record.row

    def filled(self, name: str) -> bool:
        return not is_blank(self.record.cells.get(name))

    def problem(self, name: str, message: str) -> None:
        self.bad.add(name)
        self.problems.append(
            ImportProblem(
                sheet=self.table.sheet,
                row=self.record.row,
                column=self.table.header(name, self.columns),
                message=message,
            )
        )

    def text(self, name: str) -> str:
        return cell_text(self.record.cells.get(name))

    def points(self, name: str) -> Decimal | None:
        """A number with at most two decimals (points, like the database keeps them).

        Float noise (0.30000000000000004 for a cell showing 0,3) is the number meant;
        the leaf's own rule (scoring.points_rules) then judges it against its step.
        """
        number = self.number(name)
        if number is not None:
            number = snapped(number, CENT)
        if number is not None and decimal_places(number) > 2:
            self.problem(
                name,
                _("“%(value)s” has more than two decimal places.") % {"value": self.text(name)},
            )
            return None
        return number

    def number(self, name: str) -> Decimal | None:
        """Any number (a ratio's figures); None for an empty or unreadable cell."""
        value = self.record.cells.get(name)
        if is_blank(value):
            return None
        number = cell_decimal(value)
        message = None
        if number is None:
            message = _("“%(value)s” is not a number.")
        elif abs(number) > MAX_POINTS * 1000:
            message = _("“%(value)s” is too large.")
        if message:
            self.problem(name, message % {"value": cell_text(value)})
            return None
        return number

    def count(self, value: object, header: str) -> int | None:
        """A count of answers: a whole number, 0 or more; an empty cell is 0."""
        if is_blank(value):
            return 0
        number = cell_decimal(value)
        if number is None or number < 0 or number != number.to_integral() or number > 10**9:
            self.bad.add(header)
            self.problems.append(
                ImportProblem(
                    sheet=self.table.sheet,
                    row=self.record.row,
                    column=header,
                    message=_("“%(value)s” is not a count: write a whole number, 0 or more.")
                    % {"value": cell_text(value)},
                )
            )
            return None
        return int(number)

    def yes_no(self, name: str) -> bool | None:
        """Có/Không; empty is None (not said), unreadable is a problem and None."""
        value = self.record.cells.get(name)
        if is_blank(value):
            return None
        answer = cell_yes_no(value)
        if answer is None:
            self.problem(name, yes_no_problem(value))
        return answer


def write_table(title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]) -> bytes:
    """A workbook of one sheet: the columns' headers, then the rows (templates and samples)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for index, column in enumerate(columns, start=1):
        set_value(sheet, 1, index, column.header)
    style_header(sheet, 1, (column.width for column in columns))
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            if not is_blank(value):
                set_value(sheet, number, index, value)
    sheet.freeze_panes = "A2"
    return workbook_bytes(workbook)
