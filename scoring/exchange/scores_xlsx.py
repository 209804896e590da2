"""The unit's scoring sheet (phiếu chấm điểm): one workbook per assessment, out and back in.

Sheet "Thông tin" says which assessment the file belongs to (year, unit code), so a
sheet uploaded into another unit's or another year's assessment is refused. Sheet
"Chấm điểm" lists the framework's criteria: the columns describing a criterion are
locked (the sheet is protected, without a password: it guards against slips, and the
import checks every cell anyway), the unit's entries are white and editable. A
hidden sheet "Danh sách" holds the levels offered by each drop-down.

Reading checks only what the file alone can tell (sheets, header, readable cells);
scoring.services.sheet_import judges the values against the criteria and writes.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scoring.criteria_tree import parent_code
from scoring.exchange.framework_xlsx import (
    HEADER_SEARCH_ROWS,
    MAX_CRITERIA_ROWS,
    METHOD_LABELS,
    Column,
    format_scale,
)
from scoring.exchange.problems import ImportProblem
from scoring.exchange.tables import RowReader, Table, missing_sheet, ordered, read_table
from scoring.exchange.workbook import (
    cell_decimal,
    cell_text,
    find_sheet,
    header_key,
    is_blank,
    open_workbook,
    plain_vi,
    set_value,
    sheet_rows,
    style_header,
    workbook_bytes,
    yes_no,
)
from scoring.models import Criterion, Score, code_sort_key

INFO_SHEET = "Thông tin"
SCORES_SHEET = "Chấm điểm"
LISTS_SHEET = "Danh sách"
INFO_SHEET_NAMES = (INFO_SHEET, "Info", "Information")
SCORES_SHEET_NAMES = (SCORES_SHEET, "Scores", "Scoring")

INFO_KEYS = {
    "year": ("Năm", ("year",)),
    "unit_code": ("Mã đơn vị", ("unit code", "unit")),
    "unit_name": ("Đơn vị", ("unit name",)),
    "framework": ("Bộ tiêu chí", ("framework",)),
    "downloaded_at": ("Tải về lúc", ("downloaded at",)),
}
_INFO_BY_KEY = {
    header_key(text): key
    for key, (label, aliases) in INFO_KEYS.items()
    for text in (label, *aliases)
}
INSTRUCTIONS = (
    "Chỉ nhập vào các ô nền trắng của trang “Chấm điểm”: Điểm tự chấm (tiêu chí chấm trực "
    "tiếp, điểm trừ, điểm thưởng), Mức đạt (chọn trong danh sách), Tử số và Mẫu số (tiêu chí "
    "tính theo tỷ lệ), Không áp dụng và lý do, Giải trình. Không đổi tên trang tính và không "
    "sửa cột Mã. Tệp chỉ tải lên được cho đúng đơn vị và năm ghi ở trên; nếu có ô sai, "
    "không ô nào được lưu và mọi lỗi được liệt kê."
)

# The columns describing a criterion come first and are locked; the unit's entries follow.
COLUMNS = (
    Column("code", "Mã", ("code",), required=True, width=9),
    Column("title", "Nội dung", ("title",), width=48),
    Column("max_points", "Điểm tối đa", ("max points", "max_points"), width=9),
    Column("method", "Phương pháp", ("method",), width=14),
    Column("scale", "Cách chấm", ("scale", "thang diem"), width=36),
    Column("evidence_required", "Tài liệu kiểm chứng", ("evidence required",), width=11),
    Column("na_allowed", "Được không áp dụng", ("na allowed", "may be not applicable"), width=11),
    Column("points", "Điểm tự chấm", ("points", "self points"), required=True, width=10),
    Column("level", "Mức đạt", ("level",), required=True, width=22),
    Column("numerator", "Tử số", ("numerator",), required=True, width=9),
    Column("denominator", "Mẫu số", ("denominator",), required=True, width=9),
    Column("not_applicable", "Không áp dụng", ("not applicable", "n/a"), required=True, width=10),
    Column("na_reason", "Lý do không áp dụng", ("na reason",), required=True, width=28),
    Column("explanation", "Giải trình", ("explanation",), required=True, width=40),
)
COLUMN_INDEX = {column.field: index for index, column in enumerate(COLUMNS, start=1)}
INPUTS = (
    "points",
    "level",
    "numerator",
    "denominator",
    "not_applicable",
    "na_reason",
    "explanation",
)
# Which input holds the figures of each method; the others stay empty on its rows.
SCORED_BY = {
    Criterion.Method.DIRECT: ("points",),
    Criterion.Method.DEDUCTION: ("points",),
    Criterion.Method.BONUS: ("points",),
    Criterion.Method.LEVELS: ("level",),
    Criterion.Method.RATIO: ("numerator", "denominator"),
    Criterion.Method.SURVEY: (),
}
FIGURES = ("points", "level", "numerator", "denominator")

LOCKED_FILL = PatternFill("solid", start_color="EDEDED")
BOLD = Font(bold=True)


# ---------------------------------------------------------------------------
# What a unit enters for a leaf, as read from a row (shared with the bulk import)


@dataclass
class SelfCells:
    """The self-assessment cells of a row, typed; `filled` and `bad` name input fields."""

    points: Decimal | None = None
    level: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    not_applicable: bool | None = None  # None: the cell is empty
    na_reason: str = ""
    explanation: str = ""
    filled: frozenset[str] = frozenset()
    bad: frozenset[str] = frozenset()


def read_self_cells(reader: RowReader, names: Sequence[str] = INPUTS) -> SelfCells:
    present = [name for name in names if name in reader.record.cells]
    cells = SelfCells(
        points=reader.points("points") if "points" in present else None,
        level=reader.text("level") if "level" in present else "",
        numerator=reader.number("numerator") if "numerator" in present else None,
        denominator=reader.number("denominator") if "denominator" in present else None,
        not_applicable=reader.yes_no("not_applicable") if "not_applicable" in present else None,
        na_reason=reader.text("na_reason") if "na_reason" in present else "",
        explanation=reader.text("explanation") if "explanation" in present else "",
    )
    cells.filled = frozenset(name for name in present if reader.filled(name))
    cells.bad = frozenset(reader.bad)
    return cells


# ---------------------------------------------------------------------------
# Reading


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
        key = _INFO_BY_KEY.get(header_key(row[0]))
        if key is not None and key not in values:
            values[key] = row[1] if len(row) > 1 else None
            result.info_rows[key] = (number, cell_text(row[0]))
    year = cell_decimal(values.get("year"))
    if year is not None and year == year.to_integral() and 1990 <= year <= 2100:
        result.year = int(year)
    result.unit_code = cell_text(values.get("unit_code"))
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


# ---------------------------------------------------------------------------
# Writing


@dataclass(frozen=True)
class SheetIdentity:
    """Which assessment a sheet belongs to, as written on "Thông tin"."""

    year: int
    unit_code: str
    unit_name: str
    framework_name: str


def write_scoring_sheet(
    *,
    identity: SheetIdentity,
    criteria: Sequence[Criterion],
    scores: Mapping[int, Score],
    downloaded_at: datetime | None = None,
) -> bytes:
    """The sheet read_scoring_sheet reads back: criteria locked, the unit's entries editable."""
    workbook = Workbook()
    info = workbook.active
    info.title = INFO_SHEET
    _write_info(info, identity, downloaded_at)

    sheet = workbook.create_sheet(SCORES_SHEET)
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for index, column in enumerate(COLUMNS, start=1):
        set_value(sheet, 1, index, column.header)
    style_header(sheet, 1, (column.width for column in COLUMNS))
    sheet.freeze_panes = "C2"

    ordered_criteria = sorted(criteria, key=lambda c: code_sort_key(c.code))
    parents = {parent_code(c.code) for c in ordered_criteria}
    validations = _Validations(sheet, lists)
    for number, criterion in enumerate(ordered_criteria, start=2):
        is_leaf = criterion.code not in parents
        _write_criterion(sheet, number, criterion, is_leaf)
        editable: tuple[str, ...] = ()
        if is_leaf and criterion.method != Criterion.Method.SURVEY:
            editable = SCORED_BY[criterion.method] + ("explanation",)
            if criterion.na_allowed:
                editable += ("not_applicable", "na_reason")
            _write_entry(sheet, number, criterion, scores.get(criterion.pk))
            validations.add(number, criterion)
        for name in INPUTS:
            cell = sheet.cell(row=number, column=COLUMN_INDEX[name])
            if name in editable:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = LOCKED_FILL
    validations.attach()

    for protected in (info, sheet, lists):
        protected.protection.sheet = True
        # Widths and heights may still be changed, so long texts can be read.
        protected.protection.formatColumns = False
        protected.protection.formatRows = False
    workbook.active = 1
    return workbook_bytes(workbook)


def _write_info(sheet: Worksheet, identity: SheetIdentity, downloaded_at: datetime | None) -> None:
    values = {
        "year": identity.year,
        "unit_code": identity.unit_code,
        "unit_name": identity.unit_name,
        "framework": identity.framework_name,
        "downloaded_at": downloaded_at.strftime("%d/%m/%Y %H:%M") if downloaded_at else "",
    }
    for number, (key, (label, _aliases)) in enumerate(INFO_KEYS.items(), start=1):
        set_value(sheet, number, 1, label)
        set_value(sheet, number, 2, values[key])
        sheet.cell(row=number, column=1).font = BOLD
    notes = len(INFO_KEYS) + 2
    set_value(sheet, notes, 1, "Hướng dẫn")
    set_value(sheet, notes, 2, INSTRUCTIONS)
    sheet.cell(row=notes, column=1).font = BOLD
    sheet.cell(row=notes, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90
    sheet.row_dimensions[notes].height = 80


def _write_criterion(sheet: Worksheet, number: int, criterion: Criterion, is_leaf: bool) -> None:
    method = criterion.method if is_leaf else ""
    values = {
        "code": criterion.code,
        "title": criterion.title,
        "max_points": criterion.max_points.normalize() + 0,
        "method": METHOD_LABELS.get(method, ""),
        "scale": scale_text(criterion) if is_leaf else "",
        "evidence_required": yes_no(criterion.evidence_required) if is_leaf else "",
        "na_allowed": yes_no(criterion.na_allowed) if is_leaf else "",
    }
    for name, value in values.items():
        cell_number = COLUMN_INDEX[name]
        set_value(sheet, number, cell_number, value)
        cell = sheet.cell(row=number, column=cell_number)
        cell.fill = LOCKED_FILL
        if not is_leaf:
            cell.font = BOLD


def scale_text(criterion: Criterion) -> str:
    """How a leaf is scored, written out for the unit: its range, levels or thresholds."""
    maximum = plain_vi(criterion.max_points)
    method = criterion.method
    if method == Criterion.Method.DIRECT:
        step = f", bước {plain_vi(criterion.step)}" if criterion.step else ""
        return f"Từ 0 đến {maximum} điểm{step}"
    if method == Criterion.Method.DEDUCTION:
        return f"Số điểm bị trừ, từ 0 đến {maximum}"
    if method == Criterion.Method.BONUS:
        return f"Số điểm thưởng, từ 0 đến {maximum}"
    if method == Criterion.Method.LEVELS:
        return format_scale(method, criterion.scale)
    if method == Criterion.Method.RATIO:
        return f"{format_scale(method, criterion.scale)} (tỷ lệ = tử số / mẫu số)"
    return "Tính từ kết quả điều tra xã hội học, không nhập ở đây"


def _write_entry(sheet: Worksheet, number: int, criterion: Criterion, score: Score | None) -> None:
    if score is None:
        return
    recorded = score.self_input if isinstance(score.self_input, dict) else {}
    values: dict[str, object] = {
        "na_reason": score.na_reason if score.not_applicable else "",
        "explanation": score.self_explanation,
    }
    if criterion.na_allowed:
        values["not_applicable"] = yes_no(score.not_applicable)
    if not score.not_applicable:
        if criterion.method == Criterion.Method.LEVELS:
            values["level"] = recorded.get("level", "")
        elif criterion.method == Criterion.Method.RATIO:
            for name in ("numerator", "denominator"):
                figure = cell_decimal(recorded.get(name))
                values[name] = figure.normalize() + 0 if figure is not None else None
        elif score.self_points is not None:
            values["points"] = score.self_points.normalize() + 0
    for name, value in values.items():
        if not is_blank(value):
            set_value(sheet, number, COLUMN_INDEX[name], value)


class _Validations:
    """Drop-downs and number checks of the input cells (hints: the import checks again)."""

    def __init__(self, sheet: Worksheet, lists: Worksheet) -> None:
        self.sheet = sheet
        self.lists = lists
        self.list_rows = 0
        self.yes_no = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
        self.figures = DataValidation(
            type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        self.figures.error = "Nhập một số không âm."
        self.figures.showErrorMessage = True
        self.extra: list[DataValidation] = []

    def add(self, number: int, criterion: Criterion) -> None:
        def at(name: str) -> str:
            return f"{get_column_letter(COLUMN_INDEX[name])}{number}"

        if criterion.na_allowed:
            self.yes_no.add(at("not_applicable"))
        method = criterion.method
        if method == Criterion.Method.LEVELS:
            labels = [str(entry.get("label", "")) for entry in criterion.scale or []]
            if labels:
                # The levels live on a hidden sheet: a level may hold a comma, which an
                # inline list ("a,b,c") would split.
                self.list_rows += 1
                row = self.list_rows
                set_value(self.lists, row, 1, criterion.code)
                for offset, label in enumerate(labels, start=2):
                    set_value(self.lists, row, offset, label)
                last = get_column_letter(len(labels) + 1)
                source = f"{quote_sheetname(LISTS_SHEET)}!$B${row}:${last}${row}"
                validation = DataValidation(type="list", formula1=source, allow_blank=True)
                validation.error = "Chọn một mức trong danh sách."
                validation.showErrorMessage = True
                validation.add(at("level"))
                self.extra.append(validation)
        elif method == Criterion.Method.RATIO:
            self.figures.add(at("numerator"))
            self.figures.add(at("denominator"))
        elif method in SCORED_BY and SCORED_BY[method] == ("points",):
            maximum = format(criterion.max_points.normalize(), "f")
            validation = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2=maximum,
                allow_blank=True,
            )
            validation.error = f"Nhập số điểm từ 0 đến {plain_vi(criterion.max_points)}."
            validation.showErrorMessage = True
            validation.add(at("points"))
            self.extra.append(validation)

    def attach(self) -> None:
        for validation in (self.yes_no, self.figures, *self.extra):
            if validation.sqref:
                self.sheet.add_data_validation(validation)


def sheet_filename(identity: SheetIdentity) -> str:
    """An ASCII file name: cham-diem-so-gddt-2025.xlsx."""
    code = re.sub(r"[^a-z0-9-]+", "-", identity.unit_code.lower()).strip("-")
    return f"cham-diem-{code or 'don-vi'}-{identity.year}.xlsx"
