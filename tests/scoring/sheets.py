"""Helpers of the import tests: edit a downloaded scoring sheet, snapshot what imports touch."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from io import BytesIO

from openpyxl import load_workbook

from scoring.models import Score, SurveyResult

SHEET = "Chấm điểm"
INFO = "Thông tin"


def sheet_rows(data: bytes) -> dict[str, dict[str, object]]:
    """The scoring sheet as {code: {header: value}}."""
    workbook = load_workbook(BytesIO(data))
    sheet = workbook[SHEET]
    header = [cell.value for cell in sheet[1]]
    return {
        str(row[0]): dict(zip(header, row, strict=False))
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[0] is not None
    }


def edit_sheet(
    data: bytes,
    cells: Mapping[str, Mapping[str, object]] | None = None,
    *,
    info: Mapping[str, object] | None = None,
    append: list[list[object]] | None = None,
) -> bytes:
    """A copy of a sheet with cells changed, as a clerk would in Excel.

    `cells` is {code: {header: value}}; `info` is {label on "Thông tin": value};
    `append` adds rows under the table.
    """
    workbook = load_workbook(BytesIO(data))
    sheet = workbook[SHEET]
    header = {cell.value: cell.column for cell in sheet[1]}
    rows = {str(sheet.cell(row=r, column=1).value): r for r in range(2, sheet.max_row + 1)}
    for code, values in (cells or {}).items():
        for name, value in values.items():
            # .value, not cell(value=...), which ignores None
            sheet.cell(row=rows[code], column=header[name]).value = value
    for values in append or []:
        sheet.append(values)
    if info:
        info_sheet = workbook[INFO]
        labels = {info_sheet.cell(row=r, column=1).value: r for r in range(1, 10)}
        for label, value in info.items():
            info_sheet.cell(row=labels[label], column=2).value = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stored() -> tuple[list, list, int]:
    """Every score and survey result, and the number of history rows: before vs after."""
    return (
        list(Score.objects.order_by("pk").values_list()),
        list(SurveyResult.objects.order_by("pk").values_list()),
        Score.history.count(),
    )


@contextmanager
def nothing_written() -> Iterator[None]:
    before = stored()
    yield
    assert stored() == before
