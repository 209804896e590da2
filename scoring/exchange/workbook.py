"""Opening, reading and writing workbooks with openpyxl: what every XLSX format here shares."""

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import TextIO

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scoring.exchange.problems import ImportProblem, file_problem
from scoring.exchange.workbook_guard import guard_workbook
from units.numbers import to_decimal
from units.text import fold

# An Excel 97–2003 (.xls) file is an OLE compound document, not a zip: recognising
# it lets us tell the clerk to re-save the file rather than call it damaged.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

YES = frozenset({"co", "x", "yes", "y", "true", "1", "dung"})
NO = frozenset({"khong", "no", "n", "false", "0", ""})


def open_workbook(
    data: bytes, *, name: str = "", max_rows: int
) -> tuple[Workbook | None, list[ImportProblem]]:
    """The workbook in read-only mode (values, not formulas), or the reasons it is not opened.

    `name` is the file's name, for the messages; `max_rows` the last row number a sheet
    may reach. scoring.exchange.workbook_guard looks at the file first, so a zip bomb
    or a formula without its result is refused before openpyxl unpacks anything.
    """
    if not data:
        return None, [file_problem(_("the file is empty."))]
    if data.startswith(OLE_SIGNATURE):
        return None, [
            file_problem(
                _(
                    "this is an old Excel 97–2003 file (.xls). Open it in Excel, save it as "
                    "“Excel Workbook (*.xlsx)” and upload that file."
                )
            )
        ]
    try:
        problems = guard_workbook(data, name=name, max_rows=max_rows)
        if problems:
            return None, problems
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of error on foreign or damaged files
        return None, [
            file_problem(
                _(
                    "the file is not an Excel workbook (.xlsx) or it is damaged. Save it "
                    "from Excel as “Excel Workbook (*.xlsx)” and try again."
                )
            )
        ]
    return workbook, []


def header_key(value: object) -> str:
    """A header or key folded for matching: no case, no accents, "_" as a space, no "*" or ":"."""
    text = cell_text(value).replace("_", " ").strip().rstrip(":*").strip()
    return fold(text)


def find_sheet(workbook: Workbook, names: Iterable[str]) -> Worksheet | None:
    """The sheet whose title matches one of `names`, ignoring case and accents."""
    wanted = {header_key(name) for name in names}
    for title in workbook.sheetnames:
        if header_key(title) in wanted:
            return workbook[title]
    return None


def sheet_rows(sheet: Worksheet) -> Iterator[tuple[int, tuple]]:
    """(row number as Excel shows it, values) for every row, empty ones included."""
    # Some producers write a wrong <dimension>, which would make a read-only sheet
    # stop early; forgetting it makes openpyxl read every row that is there.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    yield from enumerate(sheet.iter_rows(values_only=True), start=1)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious ".0", dates as ISO, surrounding space removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def cell_decimal(value: object) -> Decimal | None:
    """A number cell, or text with a dot or a decimal comma; None when it is not a number."""
    if isinstance(value, str):
        value = value.strip()
    return to_decimal(value)


def cell_yes_no(value: object) -> bool | None:
    """Có/Không (also yes/no, x, 1/0, TRUE/FALSE); empty is Không; None when unrecognised."""
    if isinstance(value, bool):
        return value
    key = header_key(value)
    if key in YES:
        return True
    if key in NO:
        return False
    return None


def yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def safe_text(value: str) -> str:
    """Text openpyxl accepts: control characters (other than tab and newlines) removed."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


# -- cells that cannot carry formulas -------------------------------------------------------
# Every workbook and CSV file the portal writes goes through set_value, text_cell or
# CsvWriter. Text comes from users (unit names, titles, notes); a spreadsheet runs text
# that starts with one of these as a formula ("CSV injection", OWASP), and openpyxl
# itself turns a str starting with "=" into a formula cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: object) -> bool:
    """Text a spreadsheet would take for a formula. Numbers are never text: -2 stays -2."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _as_text(cell) -> None:
    """An explicit string cell, shown and edited as text ("quote prefix", Excel's typed ')."""
    cell.data_type = "s"
    if formula_like(cell.value):
        # Without it, a user who edits the cell and presses Enter would turn it into a formula.
        cell.quotePrefix = True


def set_value(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """Write a value: text stays text and never becomes a formula, numbers stay numbers."""
    if isinstance(value, str):
        value = safe_text(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        _as_text(cell)
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def text_cell(sheet: Worksheet, value: object) -> object:
    """set_value for a write-only sheet: text as a string cell to append, anything else as is."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=safe_text(value))
    _as_text(cell)
    return cell


class CsvWriter:
    """csv.writer's minimal quoting, with text that cannot become a formula.

    Text that formula_like finds gets OWASP's leading apostrophe and is always quoted,
    so a spreadsheet shows it as text; everything else is written as csv.QUOTE_MINIMAL
    would. `text` turns a value into its text (the caller's presentation); only str
    values are ever escaped, so a negative number stays a number.
    """

    def __init__(
        self,
        out: TextIO,
        *,
        text: Callable[[object], str] = str,
        delimiter: str = ",",
        lineterminator: str = "\n",
    ) -> None:
        self.out = out
        self.text = text
        self.delimiter = delimiter
        self.lineterminator = lineterminator

    def field(self, value: object) -> str:
        text = self.text(value)
        escaped = isinstance(value, str) and formula_like(text)
        if escaped:
            text = "'" + text
        if escaped or self.delimiter in text or any(char in text for char in '"\r\n'):
            return '"' + text.replace('"', '""') + '"'
        return text

    def writerow(self, values: Iterable[object]) -> None:
        fields = [self.field(value) for value in values]
        if fields == [""]:
            fields = ['""']  # as csv.writer: a row of one empty cell is not a blank line
        self.out.write(self.delimiter.join(fields) + self.lineterminator)


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")


def style_header(sheet: Worksheet, row: int, widths: Iterable[int]) -> None:
    """Bold, shaded, wrapped header cells and the given column widths."""
    for index, width in enumerate(widths, start=1):
        cell = sheet.cell(row=row, column=index)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width


def workbook_bytes(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def decimal_places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def plain(number: Decimal) -> str:
    """2.50 → "2.5", 1E+2 → "100": the form stored in a scale's strings."""
    return format(number.normalize(), "f")


def plain_vi(number: Decimal) -> str:
    """Like plain, with the Vietnamese decimal comma a clerk types: 0,5."""
    return plain(number).replace(".", ",")
