"""A year's published results table (manage.py import_published_table): one row per unit.

What a decision's appendix says of each unit (its index, rank and tier) and which
decision said it, typed in from the published document. The reader checks the file's
shape and each cell; the service (scoring.services.published_table_import) judges the
units and the ranks against each other.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from django.utils.translation import gettext as _

from scoring.exchange.columns import HEADER_SEARCH_ROWS, Column, too_long
from scoring.exchange.tables import (
    MAX_TABLE_ROWS,
    RowReader,
    TableFile,
    pick_sheet,
    read_table,
    write_table,
)
from scoring.exchange.workbook import decimal_places, is_blank, open_workbook
from scoring.models import ImportedResult

SHEET = "Kết quả"
SHEET_NAMES = (SHEET, "Bảng kết quả", "Results")

COLUMNS = (
    Column("unit_code", "Mã đơn vị", ("unit code", "unit"), required=True, width=14),
    Column("unit_name", "Tên đơn vị", ("unit name",), width=34),
    Column("index", "Chỉ số (%)", ("chỉ số", "index", "index %"), required=True, width=11),
    Column("rank", "Xếp hạng", ("thứ hạng", "hạng", "rank"), required=True, width=9),
    Column("tier", "Xếp loại", ("tier",), width=14),
    Column(
        "decision_number",
        "Số quyết định",
        ("decision", "decision number", "quyết định"),
        required=True,
        width=18,
    ),
    Column("decision_date", "Ngày quyết định", ("decision date", "ngày ban hành"), required=True),
)

MAX_NUMBER_LENGTH = ImportedResult._meta.get_field("decision_number").max_length
MAX_TIER_LENGTH = ImportedResult._meta.get_field("tier").max_length
# An index is kept to ten decimals, as the portal computes its own (calculations.exact).
MAX_INDEX_PLACES = 10
HUNDRED = Decimal(100)
DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


@dataclass(frozen=True)
class TableRow:
    row: int
    unit_code: str
    index: Decimal
    rank: int
    tier: str
    decision_number: str
    decision_date: date


@dataclass
class PublishedTableFile(TableFile):
    COLUMNS: ClassVar[Sequence[Column]] = COLUMNS
    SHEET: ClassVar[str] = SHEET

    rows: list[TableRow] = field(default_factory=list)


def read_published_table(data: bytes, *, year: int, name: str = "") -> PublishedTableFile:
    """Read a published table of `year`; lists every problem of shape and cell."""
    result = PublishedTableFile()
    workbook, problems = open_workbook(
        data, name=name, max_rows=MAX_TABLE_ROWS + HEADER_SEARCH_ROWS
    )
    if workbook is None:
        result.problems = problems
        return result
    try:
        sheet = pick_sheet(workbook, SHEET_NAMES, result.problems)
        if sheet is not None:
            result.table = read_table(sheet, COLUMNS, result.problems)
            _read_rows(result, year)
    finally:
        workbook.close()
    result.problems = result.ordered(result.problems)
    return result


def _read_rows(result: PublishedTableFile, year: int) -> None:
    seen: dict[str, int] = {}
    for record in result.table.records:
        reader = RowReader(result.table, COLUMNS, record, result.problems)
        unit_code = reader.text("unit_code")
        if not unit_code:
            reader.problem("unit_code", _("the unit code is missing."))
        elif unit_code.lower() in seen:
            reader.problem(
                "unit_code",
                _("unit %(unit)s is already on row %(row)s.")
                % {"unit": unit_code, "row": seen[unit_code.lower()]},
            )
            continue
        else:
            seen[unit_code.lower()] = record.row
        index = _index(reader)
        rank = _rank(reader)
        tier = reader.text("tier")
        if len(tier) > MAX_TIER_LENGTH:
            reader.problem("tier", too_long(MAX_TIER_LENGTH, len(tier)))
        number = reader.text("decision_number")
        if not number:
            reader.problem("decision_number", _("the decision's number is missing."))
        elif len(number) > MAX_NUMBER_LENGTH:
            reader.problem("decision_number", too_long(MAX_NUMBER_LENGTH, len(number)))
        signed_on = _date(reader, year)
        if reader.bad or not unit_code:
            continue
        result.rows.append(
            TableRow(
                row=record.row,
                unit_code=unit_code,
                index=index,
                rank=rank,
                tier=tier,
                decision_number=number,
                decision_date=signed_on,
            )
        )


def _index(reader: RowReader) -> Decimal | None:
    if not reader.filled("index"):
        reader.problem("index", _("the index is missing."))
        return None
    index = reader.number("index")
    if index is None:
        return None
    if not 0 <= index <= HUNDRED:
        reader.problem(
            "index",
            _("an index is a percentage from 0 to 100, not %(value)s.") % {"value": index},
        )
        return None
    if decimal_places(index) > MAX_INDEX_PLACES:
        reader.problem(
            "index",
            _("“%(value)s” has more than %(places)s decimal places.")
            % {"value": reader.text("index"), "places": MAX_INDEX_PLACES},
        )
        return None
    return index


def _rank(reader: RowReader) -> int | None:
    if not reader.filled("rank"):
        reader.problem("rank", _("the rank is missing."))
        return None
    rank = reader.number("rank")
    if rank is None:
        return None
    if rank < 1 or rank != rank.to_integral() or rank > MAX_TABLE_ROWS:
        reader.problem(
            "rank", _("a rank is a whole number from 1, not %(value)s.") % {"value": rank}
        )
        return None
    return int(rank)


def _date(reader: RowReader, year: int) -> date | None:
    """A date cell, or text as 17/10/2016 (day first) or 2016-10-17."""
    value = reader.record.cells.get("decision_date")
    if is_blank(value):
        reader.problem("decision_date", _("the decision's date is missing."))
        return None
    signed_on = None
    if isinstance(value, datetime):
        signed_on = value.date()
    elif isinstance(value, date):
        signed_on = value
    else:
        text = reader.text("decision_date")
        found = DATE_TEXT.match(text)
        try:
            if found:
                day, month, in_year = (int(part) for part in found.groups())
                signed_on = date(in_year, month, day)
            else:
                signed_on = date.fromisoformat(text)
        except ValueError:
            signed_on = None
    if signed_on is None:
        reader.problem(
            "decision_date",
            _("“%(value)s” is not a date: write it as 17/10/2016.")
            % {"value": reader.text("decision_date")},
        )
        return None
    if signed_on.year < year:
        reader.problem(
            "decision_date",
            _("a decision publishing the %(year)s index cannot be dated %(date)s, before %(year)s.")
            % {"year": year, "date": f"{signed_on:%d/%m/%Y}"},
        )
        return None
    return signed_on


def write_published_table(rows: Sequence[Sequence[object]]) -> bytes:
    """A table file: unit code, unit name, index, rank, tier, decision number and date."""
    return write_table(SHEET, COLUMNS, rows)
