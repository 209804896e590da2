"""Writers of a table (columns + rows of plain values) as CSV, JSON, XLSX or aligned text.

Machine formats use a decimal point and empty cells for missing values; they are
adapters only: what a column holds is decided by the row generator. The files are
made for Excel too: the CSV starts with a UTF-8 byte order mark (without it Excel on
Windows reads Vietnamese as mojibake), and the XLSX is headed by the columns'
translated labels, with number formats, widths, a frozen header and the machine keys
on a sheet of their own. Text cells go through scoring.exchange.workbook (CsvWriter,
text_cell), so none becomes a formula.
"""

import csv
import io
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import BinaryIO, Protocol, TextIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scoring.exchange.workbook import CsvWriter, text_cell
from scoring.result_columns import INTEGER, PERCENT, POINTS, TEXT


class ColumnLike(Protocol):
    key: str
    label: str


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


# U+FEFF first: Excel then opens the CSV as UTF-8; csv and pandas readers given
# encoding "utf-8-sig" drop it.
BOM = "\ufeff"


def write_csv(columns: Sequence[ColumnLike], rows: Iterable[dict], out: TextIO) -> None:
    # The mark and the header in one write: a command's stdout ends every write that
    # lacks one with a newline, which would leave the mark on a line of its own.
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow([c.key for c in columns])
    out.write(BOM + header.getvalue())
    writer = CsvWriter(out, text=_text, lineterminator="\n")
    for row in rows:
        writer.writerow([row[c.key] for c in columns])


def write_json(columns: Sequence[ColumnLike], rows: Iterable[dict], out: TextIO) -> None:
    """A list of objects with the column keys; missing values are null.

    Decimals become JSON numbers: the rows hold values rounded for display (two
    places), or kept to ten places (index_exact: at most 15 significant digits), which
    a float's shortest representation writes back exactly.
    """

    def plain(value: object) -> object:
        return float(value) if isinstance(value, Decimal) else value

    data = [{c.key: plain(row[c.key]) for c in columns} for row in rows]
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def write_text(columns: Sequence[ColumnLike], rows: Iterable[dict], out: TextIO) -> None:
    """An aligned table for a terminal: text left, numbers right."""
    header = [c.label for c in columns]
    body = [[_text(row[c.key]) for c in columns] for row in rows]
    numeric = [
        all(_looks_numeric(line[i]) for line in body if line[i]) for i in range(len(columns))
    ]
    widths = [max([len(header[i])] + [len(line[i]) for line in body]) for i in range(len(columns))]

    def line(cells: list[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    out.write(line(header) + "\n")
    out.write("  ".join("-" * w for w in widths) + "\n")
    for cells in body:
        out.write(line(cells) + "\n")


def _looks_numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


# Excel number formats by column kind (scoring.result_columns): points and percentages
# as published, two decimals; ranks and years as integers.
NUMBER_FORMATS = {POINTS: "0.00", PERCENT: "0.00", INTEGER: "0"}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def _width(column: ColumnLike) -> int:
    """A column wide enough for its label (wrapped at 30) and its values."""
    kind = getattr(column, "kind", TEXT)
    base = 40 if column.key.endswith("name") else (14 if kind == TEXT else 11)
    return max(base, min(len(str(column.label)), 30) + 2)


def write_xlsx(
    columns: Sequence[ColumnLike], rows: Iterable[dict], out: BinaryIO, *, title: str
) -> None:
    """The table on one sheet under its labels; the keys and meanings on a second sheet.

    Numbers stay numbers, formatted by kind. Write-only mode streams rows to the file
    instead of building the sheet in memory.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column)
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.label))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    formats = [NUMBER_FORMATS.get(getattr(column, "kind", TEXT)) for column in columns]
    for row in rows:
        cells = []
        for column, number_format in zip(columns, formats, strict=True):
            value = row.get(column.key)
            if isinstance(value, str):
                cells.append(text_cell(sheet, value))  # never a formula
                continue
            # Decimals are written as numbers: the values are rounded to two places already.
            cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Decimal) else value)
            if number_format and value is not None:
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    _write_dictionary(workbook, columns)
    workbook.save(out)


def _write_dictionary(workbook: Workbook, columns: Sequence[ColumnLike]) -> None:
    """A sheet naming each column: its label, its key (as in CSV and JSON), what it means."""
    sheet = workbook.create_sheet(title=str(_("Data dictionary"))[:31])
    headers = (_("Column"), _("Key (CSV, JSON)"), _("Meaning"), _("Unit"), _("Rounding"))
    for index, width in enumerate((24, 20, 60, 10, 28), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, HEADER_ALIGNMENT
        header.append(cell)
    sheet.append(header)
    for column in columns:
        sheet.append(
            [
                text_cell(sheet, str(text))
                for text in (
                    column.label,
                    column.key,
                    getattr(column, "description", ""),
                    getattr(column, "unit", ""),
                    getattr(column, "rounding", ""),
                )
            ]
        )
