"""Reading a unit's scoring sheet back: which assessment it is for, and its entries."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.worksheet.worksheet import Worksheet

from scoring.exchange.columns import HEADER_SEARCH_ROWS
from scoring.exchange.framework_format import MAX_CRITERIA_ROWS
from scoring.exchange.problems import ImportProblem
from scoring.exchange.scoring_sheet_format import (
    COLUMNS,
    INFO_BY_KEY,
    INFO_KEYS,
    INFO_SHEET,
    INFO_SHEET_NAMES,
    SCORES_SHEET,
    SCORES_SHEET_NAMES,
    SelfCells,
    read_self_cells,
)
from scoring.exchange.tables import RowReader, Table, missing_sheet, ordered, read_table
from scoring.exchange.workbook import (
    cell_decimal,
    cell_text,
    find_sheet,
    header_key,
    open_workbook,
    sheet_rows,
)


@dataclass(frozen=True)
class SheetEntry:
    """A row of "Chấm điểm" with a code: what the unit entered for that criterion."""

    row: int
    code: str
    cells: SelfCells


@dataclass
class ScoringSheet:
    """What an uploaded sheet holds, and every problem found in it by itself."""

    year: int | None = None
    unit_code: str = ""
    # When the sheet was downloaded (to the minute, as "Tải về lúc" writes it), or None.
    downloaded_at: datetime.datetime | None = None
    info_rows: dict[str, tuple[int, str]] = field(default_factory=dict)
    entries: list[SheetEntry] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    table: Table = field(default_factory=lambda: Table(sheet=SCORES_SHEET))
    info_sheet: str = INFO_SHEET

    def problem(self, row: int, name: str, message: str) -> ImportProblem:
        """A problem about a cell of "Chấm điểm", under its header as the file writes it."""
        return ImportProblem(
            sheet=self.table.sheet,
            row=row,
            column=self.table.header(name, COLUMNS),
            message=message,
        )

    def info_problem(self, key: str, message: str) -> ImportProblem:
        row, label = self.info_rows.get(key, (None, INFO_KEYS[key][0]))
        return ImportProblem(sheet=self.info_sheet, row=row, column=label, message=message)

    def ordered(self, problems: Sequence[ImportProblem]) -> list[ImportProblem]:
        return ordered(problems, (self.info_sheet, self.table.sheet))


def read_scoring_sheet(data: bytes, *, name: str = "") -> ScoringSheet:
    """Read an uploaded scoring sheet; never raises on a bad file, lists its problems."""
    result = ScoringSheet()
    # A sheet lists one framework's criteria, which an import caps at MAX_CRITERIA_ROWS.
    workbook, problems = open_workbook(
        data, name=name, max_rows=MAX_CRITERIA_ROWS + HEADER_SEARCH_ROWS
    )
    if workbook is None:
        result.problems = problems
        return result
    try:
        info_sheet = find_sheet(workbook, INFO_SHEET_NAMES)
        scores_sheet = find_sheet(workbook, SCORES_SHEET_NAMES)
        if info_sheet is None:
            result.problems.append(missing_sheet(workbook, INFO_SHEET))
        else:
            result.info_sheet = info_sheet.title
            _read_info(info_sheet, result)
        if scores_sheet is None:
            result.problems.append(missing_sheet(workbook, SCORES_SHEET))
        else:
            _read_entries(scores_sheet, result)
    finally:
        workbook.close()
    result.problems = result.ordered(result.problems)
    return result


def _read_info(sheet: Worksheet, result: ScoringSheet) -> None:
    values: dict[str, object] = {}
    for number, row in sheet_rows(sheet):
        if not row:
            continue
        key = INFO_BY_KEY.get(header_key(row[0]))
        if key is not None and key not in values:
            values[key] = row[1] if len(row) > 1 else None
            result.info_rows[key] = (number, cell_text(row[0]))
    year = cell_decimal(values.get("year"))
    if year is not None and year == year.to_integral() and 1990 <= year <= 2100:
        result.year = int(year)
    result.unit_code = cell_text(values.get("unit_code"))
    result.downloaded_at = _moment(values.get("downloaded_at"))
    if result.year is None or not result.unit_code:
        missing = "year" if result.year is None else "unit_code"
        result.problems.append(
            result.info_problem(
                missing,
                _(
                    "the file does not say which assessment it belongs to (%(year)s and "
                    "%(unit)s): download this assessment's own sheet and fill that in."
                )
                % {"year": INFO_KEYS["year"][0], "unit": INFO_KEYS["unit_code"][0]},
            )
        )


def _moment(value: object) -> datetime.datetime | None:
    """The download time as written (dd/mm/yyyy hh:mm, local time), or as Excel typed it."""
    if isinstance(value, datetime.datetime):
        moment = value
    else:
        moment = None
        for layout in ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S"):
            try:
                moment = datetime.datetime.strptime(cell_text(value), layout)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _read_entries(sheet: Worksheet, result: ScoringSheet) -> None:
    table = read_table(sheet, COLUMNS, result.problems)
    result.table = table
    seen: dict[str, int] = {}
    for record in table.records:
        reader = RowReader(table, COLUMNS, record, result.problems)
        code = _code(reader.text("code"))
        cells = read_self_cells(reader)
        if not code:
            # A row of notes under the table is ignored; entries without a code are not.
            if cells.filled:
                reader.problem("code", _("the code is missing."))
            continue
        if code in seen:
            reader.problem(
                "code",
                _("the code %(code)s is already used on row %(row)s.")
                % {"code": code, "row": seen[code]},
            )
            continue
        seen[code] = record.row
        result.entries.append(SheetEntry(row=record.row, code=code, cells=cells))


def _code(text: str) -> str:
    """A criterion's code as typed: "1." is "1", as the framework workbook reads it."""
    return text[:-1] if text.endswith(".") else text
