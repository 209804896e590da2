"""Writing a framework as a workbook in the import's format, with lists to choose from."""

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from scoring.criteria_tree import parent_code
from scoring.exchange.framework_format import (
    COLUMNS,
    CRITERIA_SHEET,
    INFO_KEYS,
    INFO_SHEET,
    METHOD_LABELS,
    format_scale,
)
from scoring.exchange.workbook import (
    set_value,
    style_header,
    workbook_bytes,
    yes_no,
)
from scoring.models import code_sort_key

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
