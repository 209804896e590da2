"""Units workbooks built in tests: rows in, .xlsx bytes out, in the import's own columns."""

from collections.abc import Sequence
from io import BytesIO

from openpyxl import Workbook

from scoring.exchange.units_xlsx import write_units_workbook

DEPARTMENTS = ("so", "Sở, ban, ngành", "Sở, ban, ngành", 1)
WARDS = ("phuong", "UBND phường", "Phường", 2)


def unit(
    code: str,
    name: str,
    block: str = "so",
    *,
    short_name: str = "",
    block_name: str = "",
    parent: str = "",
    active_from: object = None,
    active_to: object = None,
    predecessors: str = "",
) -> tuple:
    """One row of the Đơn vị sheet, in its columns' order."""
    return (
        code,
        name,
        short_name,
        block,
        block_name,
        parent,
        active_from,
        active_to,
        predecessors,
    )


def units_file(
    *units: tuple,
    blocks: Sequence[tuple] = (DEPARTMENTS,),
    province: tuple | None = None,
) -> bytes:
    return write_units_workbook(province=province, blocks=blocks, units=units)


def raw_workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    """A workbook of the given sheets and rows, exactly as written (headers included)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
