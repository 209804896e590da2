"""Reading a framework workbook: its info sheet and its criteria rows, every problem collected."""

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from scoring.criteria_tree import CODE_PATTERN
from scoring.exchange.columns import HEADER_SEARCH_ROWS, MAX_POINTS, too_long, yes_no_problem
from scoring.exchange.framework_checks import check_tree
from scoring.exchange.framework_format import (
    COLUMN_BY_FIELD,
    COLUMN_BY_KEY,
    COLUMNS,
    CRITERIA_SHEET,
    CRITERIA_SHEET_NAMES,
    INFO_BY_KEY,
    INFO_KEYS,
    INFO_SHEET,
    INFO_SHEET_NAMES,
    MAX_CODE_LENGTH,
    MAX_CRITERIA_ROWS,
    MAX_NAME_LENGTH,
    MAX_TITLE_LENGTH,
    MAX_YEAR,
    METHOD_BY_KEY,
    MIN_YEAR,
    CriterionRow,
    FrameworkInfo,
    FrameworkWorkbook,
    ReadRow,
    methods_text,
)
from scoring.exchange.problems import ImportProblem
from scoring.exchange.workbook import (
    cell_decimal,
    cell_text,
    cell_yes_no,
    decimal_places,
    find_sheet,
    header_key,
    is_blank,
    open_workbook,
    sheet_rows,
)
from scoring.points_rules import CENT, snapped


def read_framework_workbook(data: bytes, *, name: str = "") -> FrameworkWorkbook:
    """Read and check a framework workbook; never raises on a bad file, lists its problems."""
    workbook, problems = open_workbook(
        data, name=name, max_rows=MAX_CRITERIA_ROWS + HEADER_SEARCH_ROWS
    )
    if workbook is None:
        return FrameworkWorkbook(info=FrameworkInfo(), criteria=[], problems=problems)
    try:
        return _WorkbookReader(workbook).read()
    finally:
        workbook.close()


class _WorkbookReader:
    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.problems: list[ImportProblem] = []
        self.info_sheet = INFO_SHEET
        self.criteria_sheet = CRITERIA_SHEET
        self.headers: dict[str, str] = {}  # field → header as written in the file

    def read(self) -> FrameworkWorkbook:
        info_sheet = find_sheet(self.workbook, INFO_SHEET_NAMES)
        criteria_sheet = find_sheet(self.workbook, CRITERIA_SHEET_NAMES)
        for sheet, name in ((info_sheet, INFO_SHEET), (criteria_sheet, CRITERIA_SHEET)):
            if sheet is None:
                self.problems.append(
                    ImportProblem(
                        sheet=name,
                        row=None,
                        column="",
                        message=_(
                            "the workbook has no sheet named “%(sheet)s” (it has: %(sheets)s)."
                        )
                        % {"sheet": name, "sheets": ", ".join(self.workbook.sheetnames)},
                    )
                )
        info = FrameworkInfo()
        if info_sheet is not None:
            self.info_sheet = info_sheet.title
            info = self._read_info(info_sheet)
        rows: list[ReadRow] = []
        if criteria_sheet is not None:
            self.criteria_sheet = criteria_sheet.title
            rows = self._read_criteria(criteria_sheet)
            check_tree(rows, self._row_problem)
        result = FrameworkWorkbook(
            info=info,
            criteria=[],
            problems=[],
            info_sheet=self.info_sheet,
            criteria_sheet=self.criteria_sheet,
        )
        result.problems = result.ordered(self.problems)
        if not result.problems:
            result.criteria = [_finished(row) for row in rows]
        return result

    # -- "Thông tin" --------------------------------------------------------

    def _read_info(self, sheet: Worksheet) -> FrameworkInfo:
        found: dict[str, tuple[int, str, object]] = {}
        for number, values in sheet_rows(sheet):
            if not values:
                continue
            key = INFO_BY_KEY.get(header_key(values[0]))
            if key is None:
                continue  # headings and notes a clerk may add
            label = cell_text(values[0])
            if key in found:
                self._info_problem(
                    number,
                    label,
                    _("this entry appears twice (also on row %(row)s).") % {"row": found[key][0]},
                )
                continue
            found[key] = (number, label, values[1] if len(values) > 1 else None)

        rows = {key: (number, label) for key, (number, label, _value) in found.items()}
        values = {key: value for key, (_number, _label, value) in found.items()}

        def problem(key: str, message: str) -> None:
            number, label = rows.get(key, (None, INFO_KEYS[key][0]))
            self._info_problem(number, label, message)

        year = None
        if not is_blank(values.get("year")):
            number = cell_decimal(values["year"])
            if (
                number is None
                or number != number.to_integral()
                or not (MIN_YEAR <= number <= MAX_YEAR)
            ):
                problem(
                    "year",
                    _("“%(value)s” is not a year (write it like 2025).")
                    % {"value": cell_text(values["year"])},
                )
            else:
                year = int(number)

        name = cell_text(values.get("name"))
        if not name:
            if "name" in found:
                problem("name", _("the framework's name is empty."))
            else:
                problem(
                    "name",
                    _(
                        "the framework's name is missing: add a row “%(key)s” "
                        "with the name in column B."
                    )
                    % {"key": INFO_KEYS["name"][0]},
                )
        source_decision = cell_text(values.get("source_decision"))
        for key, text in (("name", name), ("source_decision", source_decision)):
            if len(text) > MAX_NAME_LENGTH:
                problem(key, too_long(MAX_NAME_LENGTH, len(text)))

        illustrative = cell_yes_no(values.get("illustrative"))
        if illustrative is None:
            problem("illustrative", yes_no_problem(values["illustrative"]))

        return FrameworkInfo(
            block=cell_text(values.get("block")),
            year=year,
            name=name,
            source_decision=source_decision,
            illustrative=bool(illustrative),
            rows=rows,
        )

    def _info_problem(self, row: int | None, column: str, message: str) -> None:
        self.problems.append(
            ImportProblem(sheet=self.info_sheet, row=row, column=column, message=message)
        )

    # -- "Tiêu chí", row by row ---------------------------------------------

    def _read_criteria(self, sheet: Worksheet) -> list[ReadRow]:
        rows = sheet_rows(sheet)
        header_row, indexes = self._read_header(rows)
        if header_row is None:
            self._problem(
                None,
                "",
                _(
                    "no header row found: one of the first %(rows)s rows must name "
                    "the columns %(columns)s."
                )
                % {
                    "rows": HEADER_SEARCH_ROWS,
                    "columns": ", ".join(c.header for c in COLUMNS if c.required),
                },
            )
            return []
        missing = [c for c in COLUMNS if c.required and c.field not in indexes]
        for column in missing:
            self._problem(header_row, column.header, _("this required column is missing."))
        if missing:
            return []

        result: list[ReadRow] = []
        for number, values in rows:
            cells = {
                name: values[index] if index < len(values) else None
                for name, index in indexes.items()
            }
            if all(is_blank(value) for value in cells.values()):
                continue
            if len(result) == MAX_CRITERIA_ROWS:
                self._problem(
                    number,
                    "",
                    _(
                        "the sheet has more than %(max)s criteria; "
                        "check for stray rows below the table."
                    )
                    % {"max": MAX_CRITERIA_ROWS},
                )
                return []
            result.append(self._read_row(number, cells))
        if not result:
            self._problem(None, "", _("the sheet has no criteria under its header row."))
        return result

    def _read_header(self, rows) -> tuple[int | None, dict[str, int]]:
        """The first of the first rows naming a known column, and where each column is."""
        for number, values in rows:
            if number > HEADER_SEARCH_ROWS:
                break
            indexes: dict[str, int] = {}
            for index, value in enumerate(values):
                column = COLUMN_BY_KEY.get(header_key(value))
                if column is None:
                    continue
                if column.field in indexes:
                    self._problem(number, cell_text(value), _("this column appears twice."))
                    continue
                indexes[column.field] = index
                self.headers[column.field] = cell_text(value)
            if indexes:
                return number, indexes
        return None, {}

    def _read_row(self, number: int, cells: dict[str, object]) -> ReadRow:
        row = ReadRow(row=number)

        code = cell_text(cells.get("code"))
        # "1." is how many decrees number an area: accept it as "1".
        code = code[:-1] if code.endswith(".") else code
        if not code:
            self._row_problem(row, "code", _("the code is missing."))
        elif len(code) > MAX_CODE_LENGTH or not CODE_PATTERN.match(code):
            self._row_problem(
                row,
                "code",
                _(
                    "“%(code)s” is not a valid code: write numbers separated by dots, "
                    "at most three levels, e.g. 3.2.1."
                )
                % {"code": code},
            )
        else:
            row.code = code

        row.title = cell_text(cells.get("title"))
        if not row.title:
            self._row_problem(row, "title", _("the content is missing."))
        elif len(row.title) > MAX_TITLE_LENGTH:
            self._row_problem(row, "title", too_long(MAX_TITLE_LENGTH, len(row.title)))

        raw_max = cells.get("max_points")
        if is_blank(raw_max):
            self._row_problem(row, "max_points", _("the maximum points are missing."))
        else:
            row.max_points = self._points(row, "max_points", raw_max)
            if row.max_points is not None and row.max_points < 0:
                self._row_problem(row, "max_points", _("the maximum points cannot be negative."))
                row.max_points = None

        row.method_text = cell_text(cells.get("method"))
        if row.method_text:
            row.method = METHOD_BY_KEY.get(header_key(row.method_text))
            if row.method is None:
                self._row_problem(
                    row,
                    "method",
                    _("unknown method “%(value)s”: use one of %(methods)s.")
                    % {"value": row.method_text, "methods": methods_text()},
                )

        raw_step = cells.get("step")
        if not is_blank(raw_step):
            row.step = self._points(row, "step", raw_step)
            if row.step is not None and row.step <= 0:
                self._row_problem(row, "step", _("the step must be greater than 0."))
                row.step = None

        row.scale_text = cell_text(cells.get("scale"))
        for name in ("evidence_required", "na_allowed"):
            value = cell_yes_no(cells.get(name))
            if value is None:
                self._row_problem(row, name, yes_no_problem(cells.get(name)))
            setattr(row, name, bool(value))
        row.guidance = cell_text(cells.get("guidance"))
        return row

    def _points(self, row: ReadRow, name: str, value: object) -> Decimal | None:
        number = cell_decimal(value)
        if number is not None:
            number = snapped(number, CENT)  # 0.30000000000000004 is the 0,3 Excel shows
        message = None
        if number is None:
            message = _("“%(value)s” is not a number.")
        elif decimal_places(number) > 2:
            message = _("“%(value)s” has more than two decimal places.")
        elif abs(number) > MAX_POINTS:
            message = _("“%(value)s” is too large.")
        if message:
            self._row_problem(row, name, message % {"value": cell_text(value)})
            return None
        return number

    # -- problems -------------------------------------------------------------

    def _problem(self, row: int | None, column: str, message: str) -> None:
        self.problems.append(
            ImportProblem(sheet=self.criteria_sheet, row=row, column=column, message=message)
        )

    def _row_problem(self, row: ReadRow, name: str, message: str) -> None:
        row.bad.add(name)
        header = self.headers.get(name) or COLUMN_BY_FIELD[name].header
        self._problem(row.row, header, message)


def _finished(row: ReadRow) -> CriterionRow:
    assert row.code is not None and row.max_points is not None and row.method is not None
    return CriterionRow(
        row=row.row,
        code=row.code,
        title=row.title,
        max_points=row.max_points,
        method=row.method,
        step=row.step,
        scale=row.scale,
        evidence_required=row.evidence_required,
        na_allowed=row.na_allowed,
        guidance=row.guidance,
    )
