"""The units workbook: a province's blocks and units with their lineage, in and out.

Three sheets. `Đơn vị` (one row per unit) is required; `Khối` (the blocks) may be left
out when every block is already in the portal or named on the unit rows (`Tên khối`);
`Tỉnh` (the province's name and issuing body) is optional. This module reads what the
file says on its own (cells, codes, years, rows repeated); scoring.services.units_import
judges the rows against the portal (unknown blocks and units, lineage) and writes them.

The reader lives with the other workbook formats, not in units: units may not import
scoring, where the workbook machinery (guard, tables, columns) has its one home.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook

from scoring.exchange.columns import HEADER_SEARCH_ROWS, Column, too_long
from scoring.exchange.problems import ImportProblem
from scoring.exchange.tables import (
    MAX_TABLE_ROWS,
    RowReader,
    Table,
    missing_sheet,
    ordered,
    read_table,
)
from scoring.exchange.workbook import (
    cell_decimal,
    find_sheet,
    open_workbook,
    set_value,
    style_header,
    workbook_bytes,
)
from units.models import Block, Province, Unit

PROVINCE_SHEET = "Tỉnh"
BLOCK_SHEET = "Khối"
UNIT_SHEET = "Đơn vị"
SHEETS = (PROVINCE_SHEET, BLOCK_SHEET, UNIT_SHEET)
SHEET_NAMES = {
    PROVINCE_SHEET: (PROVINCE_SHEET, "Tỉnh, thành phố", "Province"),
    BLOCK_SHEET: (BLOCK_SHEET, "Blocks"),
    UNIT_SHEET: (UNIT_SHEET, "Units"),
}

PROVINCE_COLUMNS = (
    Column("name", "Tên tỉnh", ("province", "province name"), required=True, width=24),
    Column("issuing_body", "Cơ quan ban hành", ("issuing body",), required=True, width=44),
)
BLOCK_COLUMNS = (
    Column("code", "Mã khối", ("block code", "code"), required=True, width=12),
    Column("name", "Tên khối", ("block name", "name"), required=True, width=32),
    Column("short_name", "Tên viết tắt", ("short name",), width=20),
    Column("position", "Thứ tự", ("position", "order"), width=8),
)
UNIT_COLUMNS = (
    Column("code", "Mã đơn vị", ("unit code", "code"), required=True, width=18),
    Column("name", "Tên đơn vị", ("unit name", "name"), required=True, width=40),
    Column("short_name", "Tên viết tắt", ("short name",), width=20),
    Column("block", "Mã khối", ("block code", "block"), required=True, width=10),
    Column("block_name", "Tên khối", ("block name",), width=24),
    Column("parent", "Mã đơn vị cấp trên", ("parent code", "parent"), width=18),
    Column("active_from", "Từ năm", ("active from", "from"), width=8),
    Column("active_to", "Đến năm", ("active to", "to"), width=8),
    Column("predecessors", "Đơn vị tiền thân", ("predecessors",), width=36),
)
COLUMNS = {PROVINCE_SHEET: PROVINCE_COLUMNS, BLOCK_SHEET: BLOCK_COLUMNS, UNIT_SHEET: UNIT_COLUMNS}

# What a slug field accepts (Django's validate_slug), so a code is refused here with its
# row rather than by the database.
CODE_PATTERN = re.compile(r"^[-a-z0-9_]+\Z")
# Predecessors are listed in one cell: codes separated by commas, semicolons or spaces.
CODE_SEPARATORS = re.compile(r"[,;\s]+")
# /units/import/ is the upload page: a unit with that code could not have its own page.
RESERVED_CODES = frozenset({"import"})
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_POSITION = 32767


def _limit(model, name: str) -> int:
    return model._meta.get_field(name).max_length


@dataclass(frozen=True)
class ProvinceRow:
    row: int
    name: str
    issuing_body: str


@dataclass(frozen=True)
class BlockRow:
    row: int
    code: str
    name: str
    short_name: str
    position: int | None  # None: the block's place on the sheet decides


@dataclass(frozen=True)
class UnitRow:
    row: int
    code: str
    name: str
    short_name: str
    block: str
    block_name: str
    parent: str
    active_from: int | None
    active_to: int | None
    predecessors: tuple[str, ...]


@dataclass
class UnitsWorkbook:
    """What the file says, and every problem found reading it."""

    province: ProvinceRow | None = None
    blocks: list[BlockRow] = field(default_factory=list)
    units: list[UnitRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)
    # Every code written on a row, the rows refused included: a row naming a unit or
    # block of a refused row is not refused again for naming an unknown one.
    unit_codes: set[str] = field(default_factory=set)
    block_codes: set[str] = field(default_factory=set)

    def problem(self, sheet: str, row: int | None, name: str, message: str) -> ImportProblem:
        """A problem located by the sheet's title and the column's header as the file has them."""
        table = self.tables.get(sheet) or Table(sheet=sheet)
        column = table.header(name, COLUMNS[sheet]) if name else ""
        return ImportProblem(sheet=table.sheet, row=row, column=column, message=message)

    def ordered(self, problems: Iterable[ImportProblem]) -> list[ImportProblem]:
        titles = [self.tables[name].sheet if name in self.tables else name for name in SHEETS]
        return ordered(problems, titles)


def read_units_workbook(data: bytes, *, name: str = "") -> UnitsWorkbook:
    """Read the three sheets; every problem of the file itself is listed, none raised."""
    result = UnitsWorkbook()
    workbook, problems = open_workbook(
        data, name=name, max_rows=MAX_TABLE_ROWS + HEADER_SEARCH_ROWS
    )
    if workbook is None:
        result.problems = problems
        return result
    try:
        units_sheet = find_sheet(workbook, SHEET_NAMES[UNIT_SHEET])
        if units_sheet is None and len(workbook.sheetnames) == 1:
            units_sheet = workbook[workbook.sheetnames[0]]
        if units_sheet is None:
            result.problems.append(missing_sheet(workbook, UNIT_SHEET))
        else:
            _read_units(result, read_table(units_sheet, UNIT_COLUMNS, result.problems))
        blocks_sheet = find_sheet(workbook, SHEET_NAMES[BLOCK_SHEET])
        if blocks_sheet is not None and blocks_sheet is not units_sheet:
            _read_blocks(result, read_table(blocks_sheet, BLOCK_COLUMNS, result.problems))
        province_sheet = find_sheet(workbook, SHEET_NAMES[PROVINCE_SHEET])
        if province_sheet is not None and province_sheet is not units_sheet:
            _read_province(result, read_table(province_sheet, PROVINCE_COLUMNS, result.problems))
    finally:
        workbook.close()
    result.problems = result.ordered(result.problems)
    return result


def _reader(result: UnitsWorkbook, sheet: str, table: Table, record) -> RowReader:
    return RowReader(table, COLUMNS[sheet], record, result.problems)


def _text(reader: RowReader, name: str, maximum: int, *, required: bool = False) -> str:
    value = reader.text(name)
    if required and not value:
        reader.problem(name, _("this cell is empty; it is required."))
    elif len(value) > maximum:
        reader.problem(name, too_long(maximum, len(value)))
        return ""
    return value


def _code(reader: RowReader, name: str, maximum: int, *, required: bool = False) -> str:
    """A code in lower case, or "" with a problem when it is not one."""
    value = reader.text(name).lower()
    if not value:
        if required:
            reader.problem(name, _("the code is missing."))
        return ""
    if not CODE_PATTERN.match(value):
        reader.problem(name, code_problem(reader.text(name)))
        return ""
    if len(value) > maximum:
        reader.problem(name, too_long(maximum, len(value)))
        return ""
    return value


def code_problem(value: str) -> str:
    return _(
        "“%(value)s” is not a code: use letters without accents, digits, “-” and “_” "
        "(for example so-noi-vu)."
    ) % {"value": value}


def _whole(reader: RowReader, name: str, low: int, high: int, message: str) -> int | None:
    """A whole number from low to high; None for an empty cell or, with a problem, a bad one."""
    if not reader.filled(name):
        return None
    number = cell_decimal(reader.record.cells.get(name))
    if number is None or number != number.to_integral() or not low <= number <= high:
        reader.problem(name, message % {"value": reader.text(name)})
        return None
    return int(number)


def _year(reader: RowReader, name: str) -> int | None:
    return _whole(
        reader,
        name,
        FIRST_YEAR,
        LAST_YEAR,
        _("“%(value)s” is not a year: write it with four digits, for example 2025."),
    )


def _repeated(reader: RowReader, code: str, seen: dict[str, int]) -> bool:
    if code in seen:
        reader.problem(
            "code",
            _("the code “%(code)s” is already on row %(row)s.") % {"code": code, "row": seen[code]},
        )
        return True
    seen[code] = reader.row
    return False


def _read_units(result: UnitsWorkbook, table: Table) -> None:
    result.tables[UNIT_SHEET] = table
    seen: dict[str, int] = {}
    for record in table.records:
        reader = _reader(result, UNIT_SHEET, table, record)
        code = _code(reader, "code", _limit(Unit, "code"), required=True)
        if code in RESERVED_CODES:
            reader.problem(
                "code",
                _("“%(code)s” is reserved for a page of the portal: choose another code.")
                % {"code": code},
            )
            code = ""
        row = UnitRow(
            row=record.row,
            code=code,
            name=_text(reader, "name", _limit(Unit, "name"), required=True),
            short_name=_text(reader, "short_name", _limit(Unit, "short_name")),
            block=_code(reader, "block", _limit(Block, "code"), required=True),
            block_name=_text(reader, "block_name", _limit(Block, "name")),
            parent=_code(reader, "parent", _limit(Unit, "code")),
            active_from=_year(reader, "active_from"),
            active_to=_year(reader, "active_to"),
            predecessors=_codes(reader, "predecessors"),
        )
        if row.active_from and row.active_to and row.active_to < row.active_from:
            reader.problem(
                "active_to",
                _("the last year %(to)s comes before the first year %(from)s.")
                % {"to": row.active_to, "from": row.active_from},
            )
        if code:
            result.unit_codes.add(code)
        if code and row.parent == code:
            reader.problem("parent", _("a unit cannot be its own parent."))
        if code and code in row.predecessors:
            reader.problem("predecessors", _("a unit cannot be its own predecessor."))
        if not code or _repeated(reader, code, seen) or reader.bad:
            continue
        result.units.append(row)


def _codes(reader: RowReader, name: str) -> tuple[str, ...]:
    """The codes listed in one cell, each once, in the order written."""
    codes: list[str] = []
    for part in CODE_SEPARATORS.split(reader.text(name)):
        if not part:
            continue
        code = part.lower()
        if not CODE_PATTERN.match(code):
            reader.problem(name, code_problem(part))
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _read_blocks(result: UnitsWorkbook, table: Table) -> None:
    result.tables[BLOCK_SHEET] = table
    seen: dict[str, int] = {}
    for record in table.records:
        reader = _reader(result, BLOCK_SHEET, table, record)
        code = _code(reader, "code", _limit(Block, "code"), required=True)
        row = BlockRow(
            row=record.row,
            code=code,
            name=_text(reader, "name", _limit(Block, "name"), required=True),
            short_name=_text(reader, "short_name", _limit(Block, "short_name")),
            position=_whole(
                reader,
                "position",
                0,
                MAX_POSITION,
                _("“%(value)s” is not a position: write a whole number, 0 or more."),
            ),
        )
        if code:
            result.block_codes.add(code)
        if not code or _repeated(reader, code, seen) or reader.bad:
            continue
        result.blocks.append(row)


def _read_province(result: UnitsWorkbook, table: Table) -> None:
    result.tables[PROVINCE_SHEET] = table
    for record in table.records:
        reader = _reader(result, PROVINCE_SHEET, table, record)
        if result.province is not None:
            reader.problem(
                "name",
                _("the province is already on row %(row)s: keep one row on this sheet.")
                % {"row": result.province.row},
            )
            continue
        row = ProvinceRow(
            row=record.row,
            name=_text(reader, "name", _limit(Province, "name"), required=True),
            issuing_body=_text(
                reader, "issuing_body", _limit(Province, "issuing_body"), required=True
            ),
        )
        if not reader.bad:
            result.province = row


# -- writing ---------------------------------------------------------------------------


def write_units_workbook(
    *,
    province: Sequence[object] | None,
    blocks: Iterable[Sequence[object]],
    units: Iterable[Sequence[object]],
) -> bytes:
    """The three sheets, in the columns' order: what export_units writes and the import reads.

    `province` is (name, issuing body) or None; each block is (code, name, short name,
    position); each unit has one value per column of the Đơn vị sheet, the predecessors
    as one text of codes.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    # A sheet without rows would be refused on the way back in: an empty portal's
    # province and blocks are left out rather than written as bare headers.
    if province:
        _write_sheet(workbook, PROVINCE_SHEET, PROVINCE_COLUMNS, [province])
    blocks = list(blocks)
    if blocks:
        _write_sheet(workbook, BLOCK_SHEET, BLOCK_COLUMNS, blocks)
    _write_sheet(workbook, UNIT_SHEET, UNIT_COLUMNS, units)
    # The units, what a clerk edits most, open first.
    workbook.active = workbook.sheetnames.index(UNIT_SHEET)
    return workbook_bytes(workbook)


def _write_sheet(
    workbook: Workbook, title: str, columns: Sequence[Column], rows: Iterable[Sequence[object]]
) -> None:
    sheet = workbook.create_sheet(title)
    for index, column in enumerate(columns, start=1):
        set_value(sheet, 1, index, column.header)
    style_header(sheet, 1, (column.width for column in columns))
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            if value is not None and value != "":
                set_value(sheet, number, index, value)
    sheet.freeze_panes = "A2"
