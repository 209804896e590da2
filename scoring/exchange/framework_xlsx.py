"""The framework workbook: sheet "Thông tin" (key/value rows), sheet "Tiêu chí" (a row per node).

The format is Vietnamese because the people who fill it in are; English keys are accepted
too. docs/formats.md describes it for them. Reading checks everything that can be checked
without the database and collects every problem; scoring.services.frameworks.framework_import adds
the checks that need the database (the block exists, the year is free) and writes.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scoring.criteria_tree import CODE_PATTERN, leaf_scale_problems, parent_code, tree_problems
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
    plain,
    plain_vi,
    set_value,
    sheet_rows,
    style_header,
    workbook_bytes,
    yes_no,
)
from scoring.models import code_sort_key

INFO_SHEET = "Thông tin"
CRITERIA_SHEET = "Tiêu chí"
INFO_SHEET_NAMES = (INFO_SHEET, "Info", "Information")
CRITERIA_SHEET_NAMES = (CRITERIA_SHEET, "Criteria")

# Limits of the model fields (scoring.models), checked here so the clerk hears about
# them with a row number instead of a database error.
MAX_CODE_LENGTH = 20
MAX_TITLE_LENGTH = 500
MAX_NAME_LENGTH = 300
MAX_POINTS = Decimal("99999.99")
MIN_YEAR, MAX_YEAR = 1990, 2100
# A real framework has 50–150 nodes; beyond this the file is most likely something else.
MAX_CRITERIA_ROWS = 2000
HEADER_SEARCH_ROWS = 10

METHOD_LABELS = {
    "direct": "Chấm trực tiếp",
    "levels": "Theo mức",
    "ratio": "Tỷ lệ",
    "survey": "Điều tra XHH",
    "deduction": "Điểm trừ",
    "bonus": "Điểm thưởng",
}
_METHOD_ALIASES = {
    "direct": ("direct points", "cham diem truc tiep"),
    "levels": ("one of listed levels", "muc"),
    "ratio": ("ratio with thresholds", "ti le"),
    "survey": ("dieu tra xa hoi hoc", "dieu tra"),
    "deduction": ("tru diem",),
    "bonus": ("bonus points", "thuong diem", "diem cong"),
}
METHOD_BY_KEY = {
    header_key(text): method
    for method, label in METHOD_LABELS.items()
    for text in (method, label, *_METHOD_ALIASES[method])
}


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the exporter writes it
    aliases: tuple[str, ...] = ()  # further accepted headers, e.g. the English key
    required: bool = False
    width: int = 14


COLUMNS = (
    Column("code", "Mã", ("code",), required=True, width=9),
    Column("title", "Nội dung", ("title",), required=True, width=60),
    Column("max_points", "Điểm tối đa", ("max_points", "max points"), required=True, width=11),
    Column("method", "Phương pháp", ("method",), required=True, width=16),
    Column("step", "Bước điểm", ("step",), width=10),
    Column("scale", "Thang điểm", ("scale",), width=42),
    Column("evidence_required", "Tài liệu kiểm chứng", ("evidence_required", "evidence")),
    Column("na_allowed", "Không áp dụng", ("na_allowed", "not applicable")),
    Column("guidance", "Hướng dẫn", ("guidance",), width=60),
)
COLUMN_BY_FIELD = {column.field: column for column in COLUMNS}
_COLUMN_BY_KEY = {
    header_key(text): column for column in COLUMNS for text in (column.header, *column.aliases)
}

INFO_KEYS = {
    "block": ("Khối", ("block", "block code", "ma khoi")),
    "year": ("Năm", ("year",)),
    "name": ("Tên bộ tiêu chí", ("name", "ten")),
    "source_decision": ("Văn bản ban hành", ("source decision",)),
    "illustrative": ("Minh họa", ("illustrative",)),
}
_INFO_BY_KEY = {
    header_key(text): key
    for key, (label, aliases) in INFO_KEYS.items()
    for text in (label, *aliases)
}

# ">=80%=0,5": an optional ">=" or "≥", a percentage, an optional "%".
_THRESHOLD = re.compile(r"^(?:>=|≥)?\s*(?P<value>[0-9]+(?:[.,][0-9]+)?)\s*%?$")


@dataclass(frozen=True)
class FrameworkInfo:
    """The "Thông tin" sheet. `rows` maps a key to its row and label, to point at it later."""

    block: str = ""
    year: int | None = None
    name: str = ""
    source_decision: str = ""
    illustrative: bool = False
    rows: dict[str, tuple[int, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class CriterionRow:
    """One node of the tree as read, with its scale already in the stored form."""

    row: int
    code: str
    title: str
    max_points: Decimal
    method: str
    step: Decimal | None
    scale: list[dict[str, str]]
    evidence_required: bool
    na_allowed: bool
    guidance: str

    @property
    def parent_code(self) -> str | None:
        return parent_code(self.code)


@dataclass
class FrameworkWorkbook:
    """What a workbook holds, and every problem found in it; criteria is empty if any."""

    info: FrameworkInfo
    criteria: list[CriterionRow]
    problems: list[ImportProblem]
    info_sheet: str = INFO_SHEET
    criteria_sheet: str = CRITERIA_SHEET

    def info_problem(self, key: str, message: str) -> ImportProblem:
        """A problem about an entry of "Thông tin", pointing at its row when it has one."""
        row, label = self.info.rows.get(key, (None, INFO_KEYS[key][0]))
        return ImportProblem(sheet=self.info_sheet, row=row, column=label, message=message)

    def has_info_problem(self, key: str) -> bool:
        row, label = self.info.rows.get(key, (None, INFO_KEYS[key][0]))
        return any(
            p.sheet == self.info_sheet and p.row == row and p.column == label for p in self.problems
        )

    def ordered(self, problems: Iterable[ImportProblem]) -> list[ImportProblem]:
        """The file's problems first, then sheet by sheet, row by row."""
        rank = {"": 0, self.info_sheet: 1, self.criteria_sheet: 2}
        return sorted(problems, key=lambda p: (rank.get(p.sheet, 3), p.row or 0))


def methods_text() -> str:
    return ", ".join(METHOD_LABELS.values())


# ---------------------------------------------------------------------------
# Reading


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


@dataclass(frozen=True)
class _Node:
    code: str
    max_points: Decimal
    method: str


@dataclass
class _Row:
    """A row of "Tiêu chí" while it is being checked: values may still be missing."""

    row: int
    code: str | None = None
    title: str = ""
    max_points: Decimal | None = None
    method_text: str = ""
    method: str | None = None
    step: Decimal | None = None
    scale_text: str = ""
    scale: list[dict[str, str]] = field(default_factory=list)
    evidence_required: bool = False
    na_allowed: bool = False
    guidance: str = ""
    bad: set[str] = field(default_factory=set)  # fields that already have a problem


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
        rows: list[_Row] = []
        if criteria_sheet is not None:
            self.criteria_sheet = criteria_sheet.title
            rows = self._read_criteria(criteria_sheet)
            self._check_tree(rows)
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
            key = _INFO_BY_KEY.get(header_key(values[0]))
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
                problem(key, _too_long(MAX_NAME_LENGTH, len(text)))

        illustrative = cell_yes_no(values.get("illustrative"))
        if illustrative is None:
            problem("illustrative", _yes_no_problem(values["illustrative"]))

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

    def _read_criteria(self, sheet: Worksheet) -> list[_Row]:
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

        result: list[_Row] = []
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
                column = _COLUMN_BY_KEY.get(header_key(value))
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

    def _read_row(self, number: int, cells: dict[str, object]) -> _Row:
        row = _Row(row=number)

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
            self._row_problem(row, "title", _too_long(MAX_TITLE_LENGTH, len(row.title)))

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
                self._row_problem(row, name, _yes_no_problem(cells.get(name)))
            setattr(row, name, bool(value))
        row.guidance = cell_text(cells.get("guidance"))
        return row

    def _points(self, row: _Row, name: str, value: object) -> Decimal | None:
        number = cell_decimal(value)
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

    # -- "Tiêu chí", the tree -----------------------------------------------

    def _check_tree(self, rows: list[_Row]) -> None:
        # A row without a usable code belongs somewhere unknown: any row may be its parent,
        # so sums and "is this a leaf" are not judged until the code is corrected.
        shape_known = all(row.code is not None for row in rows)
        by_code: dict[str, _Row] = {}
        for row in rows:
            if row.code is None:
                continue
            if row.code in by_code:
                self._row_problem(
                    row,
                    "code",
                    _("the code %(code)s is already used on row %(row)s.")
                    % {"code": row.code, "row": by_code[row.code].row},
                )
                # The parent's sum cannot be judged while one of its children is ambiguous.
                if parent_code(row.code) in by_code:
                    by_code[parent_code(row.code)].bad.add("max_points")
                row.code = None
                continue
            by_code[row.code] = row
        children: dict[str, list[_Row]] = {}
        for code, row in by_code.items():
            children.setdefault(parent_code(code) or "", []).append(row)
        # An orphan (its parent is missing) most likely has a mistyped code: the same doubt.
        shape_known = shape_known and all(
            parent_code(code) is None or parent_code(code) in by_code for code in by_code
        )

        # Deepest rows first, so a parent's method can be derived from its children's.
        for code in sorted(by_code, key=lambda c: -c.count(".")):
            row = by_code[code]
            kids = children.get(code, [])
            if kids:
                self._check_parent(row, kids)
            else:
                self._check_leaf(row, shape_known)

        # Unreadable values take a placeholder so the rest of the tree is still checked;
        # a rule that would only echo them is skipped below.
        unreliable_max = {
            code
            for code, row in by_code.items()
            if row.max_points is None or "max_points" in row.bad
        }
        unreliable_method = {
            code for code, row in by_code.items() if row.method is None or "method" in row.bad
        }
        nodes = [
            _Node(
                code,
                row.max_points if row.max_points is not None else Decimal(0),
                row.method or "direct",
            )
            for code, row in by_code.items()
        ]
        for problem in tree_problems(nodes):
            row = by_code[problem.code]
            if problem.field == "max_points" and (
                not shape_known
                or ({problem.code} | {kid.code for kid in children.get(problem.code, [])})
                & unreliable_max
            ):
                continue
            if problem.field == "method" and (
                {problem.code, parent_code(problem.code)} & unreliable_method
            ):
                continue
            self._row_problem(row, problem.field, problem.message)

    def _check_parent(self, row: _Row, kids: list[_Row]) -> None:
        """A row with sub-criteria is not scored itself: only its maximum counts."""
        if row.method not in (None, "direct", "deduction"):
            self._row_problem(
                row,
                "method",
                _(
                    "a row with sub-criteria is not scored itself: leave the method empty "
                    "(or write “%(deduction)s” for an area of deductions)."
                )
                % {"deduction": METHOD_LABELS["deduction"]},
            )
        elif row.method is None and not row.method_text:
            kid_methods = {kid.method for kid in kids}
            row.method = "deduction" if kid_methods == {"deduction"} else "direct"
            if None in kid_methods:
                row.bad.add("method")
        for name, present in (("step", row.step is not None), ("scale", bool(row.scale_text))):
            if present:
                self._row_problem(
                    row,
                    name,
                    _("a row with sub-criteria is not scored itself: leave this cell empty."),
                )

    def _check_leaf(self, row: _Row, shape_known: bool) -> None:
        if row.method is None:
            if not row.method_text and shape_known:
                self._row_problem(
                    row,
                    "method",
                    _("a criterion without sub-criteria needs a scoring method: %(methods)s.")
                    % {"methods": methods_text()},
                )
            return
        if row.step is not None and row.method != "direct":
            self._row_problem(
                row,
                "step",
                _("only criteria scored by “%(direct)s” take a step; leave this cell empty.")
                % {"direct": METHOD_LABELS["direct"]},
            )
        if row.method in ("levels", "ratio"):
            scale, scale_problems = parse_scale(row.method, row.scale_text)
            for message in scale_problems:
                self._row_problem(row, "scale", message)
            if scale_problems:
                return
            row.scale = scale
        if row.max_points is None:
            return
        if row.method == "direct" and "step" not in row.bad:
            for message in leaf_scale_problems(
                method=row.method, max_points=row.max_points, step=row.step, scale=[]
            ):
                self._row_problem(row, "step", message)
        # Methods without a scale get the text itself, so the rule says it has no place.
        scale = row.scale if row.method in ("levels", "ratio") else row.scale_text
        for message in leaf_scale_problems(
            method=row.method, max_points=row.max_points, step=None, scale=scale
        ):
            self._row_problem(row, "scale", message)

    # -- problems -------------------------------------------------------------

    def _problem(self, row: int | None, column: str, message: str) -> None:
        self.problems.append(
            ImportProblem(sheet=self.criteria_sheet, row=row, column=column, message=message)
        )

    def _row_problem(self, row: _Row, name: str, message: str) -> None:
        row.bad.add(name)
        header = self.headers.get(name) or COLUMN_BY_FIELD[name].header
        self._problem(row.row, header, message)


def parse_scale(method: str, text: str) -> tuple[list[dict[str, str]], list[str]]:
    """The stored scale of a "levels" or "ratio" leaf from its text, and what is wrong with it.

    Levels: "Đúng hạn=1; Trễ hạn=0,5; Không thực hiện=0" → [{"label", "points"}].
    Ratio: ">=100%=1; >=80%=0,5; >=0%=0" → [{"min_percent", "points"}].
    """
    scale: list[dict[str, str]] = []
    problems: list[str] = []
    for entry in (part.strip() for part in re.split(r"[;\n]", text)):
        if not entry:
            continue
        # The last "=" separates the points, so ">=80%=0,5" splits after "80%".
        marker, sep, points_text = (part.strip() for part in entry.rpartition("="))
        threshold = _THRESHOLD.match(marker) if method == "ratio" else None
        if not sep or not marker or not points_text or (method == "ratio" and not threshold):
            if method == "ratio":
                message = _(
                    "“%(entry)s” should be written as >=percentage%%=points, e.g. >=80%%=0,5."
                )
            else:
                message = _("“%(entry)s” should be written as level=points, e.g. Đúng hạn=1.")
            problems.append(message % {"entry": entry})
            continue
        points = cell_decimal(points_text)
        if points is None:
            problems.append(
                _("in “%(entry)s”, “%(points)s” is not a number.")
                % {"entry": entry, "points": points_text}
            )
            continue
        if threshold:
            percent = cell_decimal(threshold.group("value"))
            scale.append({"min_percent": plain(percent), "points": plain(points)})
        else:
            scale.append({"label": marker, "points": plain(points)})
    return scale, problems


def format_scale(method: str, scale: object) -> str:
    """The text a clerk reads and types for a stored scale; parse_scale reads it back."""
    if method not in ("levels", "ratio") or not isinstance(scale, list):
        return ""
    entries = []
    for entry in scale:
        if not isinstance(entry, dict):
            continue
        points = _vi(entry.get("points"))
        if method == "levels":
            entries.append(f"{entry.get('label', '')}={points}")
        else:
            entries.append(f">={_vi(entry.get('min_percent'))}%={points}")
    return "; ".join(entries)


def _vi(value: object) -> str:
    number = cell_decimal(value)
    return plain_vi(number) if number is not None else cell_text(value)


def _finished(row: _Row) -> CriterionRow:
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


def _too_long(maximum: int, length: int) -> str:
    return _("too long: at most %(max)s characters, this has %(length)s.") % {
        "max": maximum,
        "length": length,
    }


def _yes_no_problem(value: object) -> str:
    return _("write Có or Không, not “%(value)s”.") % {"value": cell_text(value)}


# ---------------------------------------------------------------------------
# Writing

BOLD = Font(bold=True)


class BlockLike(Protocol):
    code: str


class FrameworkLike(Protocol):
    year: int
    name: str
    source_decision: str
    illustrative: bool
    block: BlockLike


class CriterionLike(Protocol):
    code: str
    title: str
    max_points: Decimal
    method: str
    step: Decimal | None
    scale: object
    evidence_required: bool
    na_allowed: bool
    guidance: str


def write_framework_workbook(
    *, framework: FrameworkLike, criteria: Sequence[CriterionLike]
) -> bytes:
    """The workbook read_framework_workbook reads back to the same tree."""
    workbook = Workbook()
    info_sheet = workbook.active
    info_sheet.title = INFO_SHEET
    info_values = {
        "block": framework.block.code,
        "year": framework.year,
        "name": framework.name,
        "source_decision": framework.source_decision,
        "illustrative": yes_no(framework.illustrative),
    }
    for number, (key, (label, _aliases)) in enumerate(INFO_KEYS.items(), start=1):
        set_value(info_sheet, number, 1, label)
        set_value(info_sheet, number, 2, info_values[key])
        info_sheet.cell(row=number, column=1).font = BOLD
    info_sheet.column_dimensions["A"].width = 22
    info_sheet.column_dimensions["B"].width = 70

    sheet = workbook.create_sheet(CRITERIA_SHEET)
    for index, column in enumerate(COLUMNS, start=1):
        set_value(sheet, 1, index, column.header)
    style_header(sheet, 1, (column.width for column in COLUMNS))
    sheet.freeze_panes = "C2"

    ordered = sorted(criteria, key=lambda c: code_sort_key(c.code))
    parents = {parent_code(c.code) for c in ordered}
    for number, criterion in enumerate(ordered, start=2):
        is_parent = criterion.code in parents
        # An ordinary parent is not scored: its method cell stays empty, as a clerk leaves it.
        method = "" if is_parent and criterion.method == "direct" else criterion.method
        values = {
            "code": criterion.code,
            "title": criterion.title,
            "max_points": criterion.max_points.normalize() + 0,
            "method": METHOD_LABELS.get(method, method),
            "step": criterion.step.normalize() + 0 if criterion.step is not None else None,
            "scale": format_scale(criterion.method, criterion.scale),
            "evidence_required": yes_no(criterion.evidence_required),
            "na_allowed": yes_no(criterion.na_allowed),
            "guidance": criterion.guidance,
        }
        for index, column in enumerate(COLUMNS, start=1):
            set_value(sheet, number, index, values[column.field])
            if is_parent:
                sheet.cell(row=number, column=index).font = BOLD

    last = max(len(ordered) + 1, 200)  # room for rows a clerk adds
    _add_choices(sheet, "method", list(METHOD_LABELS.values()), last)
    for name in ("evidence_required", "na_allowed"):
        _add_choices(sheet, name, ["Có", "Không"], last)
    workbook.active = 1
    return workbook_bytes(workbook)


def _add_choices(sheet: Worksheet, name: str, choices: list[str], last_row: int) -> None:
    """A drop-down of the accepted values; a hint only, other spellings are still accepted."""
    letter = get_column_letter([c.field for c in COLUMNS].index(name) + 1)
    validation = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
    validation.add(f"{letter}2:{letter}{last_row}")
    sheet.add_data_validation(validation)


def export_filename(framework: FrameworkLike) -> str:
    """An ASCII file name, safe in every browser and mail client: bo-tieu-chi-so-2025.xlsx."""
    code = re.sub(r"[^a-z0-9-]+", "-", str(framework.block.code).lower()).strip("-")
    return f"bo-tieu-chi-{code or 'khoi'}-{framework.year}.xlsx"
