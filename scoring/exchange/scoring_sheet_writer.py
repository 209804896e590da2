"""Writing a unit's scoring sheet: locked criteria, editable entries, drop-down lists."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scoring.criteria_tree import parent_code
from scoring.exchange.framework_format import METHOD_LABELS
from scoring.exchange.scoring_sheet_format import (
    COLUMN_INDEX,
    COLUMNS,
    INFO_KEYS,
    INFO_SHEET,
    INPUTS,
    INSTRUCTIONS,
    LISTS_SHEET,
    SCORED_BY,
    SCORES_SHEET,
    SheetIdentity,
    scale_text,
)
from scoring.exchange.workbook import (
    cell_decimal,
    is_blank,
    plain_vi,
    set_value,
    style_header,
    workbook_bytes,
    yes_no,
)
from scoring.models import Criterion, Score, code_sort_key

LOCKED_FILL = PatternFill("solid", start_color="EDEDED")

BOLD = Font(bold=True)


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
        "downloaded_at": _moment(downloaded_at) if downloaded_at else "",
    }
    for number, (key, (label, _aliases)) in enumerate(INFO_KEYS.items(), start=1):
        set_value(sheet, number, 1, label)
        set_value(sheet, number, 2, values[key])
        sheet.cell(row=number, column=1).font = BOLD
        if key == "downloaded_at":
            sheet.cell(row=number, column=2).number_format = "dd/mm/yyyy hh:mm:ss"
    notes = len(INFO_KEYS) + 2
    set_value(sheet, notes, 1, "Hướng dẫn")
    set_value(sheet, notes, 2, INSTRUCTIONS)
    sheet.cell(row=notes, column=1).font = BOLD
    sheet.cell(row=notes, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 90
    sheet.row_dimensions[notes].height = 80


def _moment(downloaded_at: datetime) -> datetime:
    """The download time as an Excel date and time, to the millisecond (which Excel keeps),
    rounded down: the import's check of what changed since errs towards a refusal."""
    local = timezone.localtime(downloaded_at) if timezone.is_aware(downloaded_at) else downloaded_at
    return local.replace(tzinfo=None, microsecond=local.microsecond // 1000 * 1000)


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
