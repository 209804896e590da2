"""Writers of a table (columns + rows of plain values) as CSV, JSON, XLSX or aligned text.

Machine formats use a decimal point and empty cells for missing values; they are
adapters only: what a column holds is decided by the row generator. Text cells go
through scoring.exchange.workbook (CsvWriter, text_cell), so none becomes a formula.
"""

import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import BinaryIO, Protocol, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from scoring.exchange.workbook import CsvWriter, text_cell


class ColumnLike(Protocol):
    key: str
    label: str


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def write_csv(columns: Sequence[ColumnLike], rows: Iterable[dict], out: TextIO) -> None:
    writer = CsvWriter(out, text=_text, lineterminator="\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([row[c.key] for c in columns])


def write_json(columns: Sequence[ColumnLike], rows: Iterable[dict], out: TextIO) -> None:
    """A list of objects with the column keys; missing values are null.

    Decimals become JSON numbers: the rows hold values rounded for display (two
    places), which a float's shortest representation writes back exactly.
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


def write_xlsx(
    columns: Sequence[ColumnLike], rows: Iterable[dict], out: BinaryIO, *, title: str
) -> None:
    """One sheet: the column keys as header, then the rows; numbers stay numbers.

    Write-only mode streams rows to the file instead of building the sheet in memory.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.key)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        # Decimals are written as numbers: the values are rounded to two places already.
        sheet.append(
            [
                float(value) if isinstance(value, Decimal) else text_cell(sheet, value)
                for value in (row.get(column.key) for column in columns)
            ]
        )
    workbook.save(out)
