"""The guard's one streaming pass over a workbook's XML parts (expat): rows, cells and
formulas counted and located, stopped at the first limit passed."""

import posixpath
import string
import xml.parsers.expat
import zipfile
from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils.cell import column_index_from_string, get_column_letter

from scoring.exchange.problems import ImportProblem, file_problem
from scoring.zip_inspection import (
    archive_kind,
)

# Excel 97–2003 stopped at column IV (256); no workbook the portal reads comes near it,
# and openpyxl pads each row it reads out to its last cell.
MAX_COLUMNS = 256

# A cell reference's letters that are surely a column within MAX_COLUMNS, known without a
# lookup; any other letters are looked up, and a reference openpyxl could not place (no
# column, a sign) is a damaged workbook, as openpyxl would fail on it while reading.
_ONE_LETTER = frozenset(string.ascii_letters)

# A scores file of 50,000 rows of 12 columns has 600,000 cells, read in about 3 s.
MAX_CELLS = 1_000_000

# Formula cells named in a refusal; past this a count says how many more there are.
MAX_FORMULAS_NAMED = 50

CHUNK_BYTES = 64 * 1024

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)

_RELATIONSHIPS = (
    "http://schemas.openxmlformats.org/package/2006/relationships",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)

_ROW = frozenset(f"{ns} row" for ns in _MAIN)

_CELL = frozenset(f"{ns} c" for ns in _MAIN)

_FORMULA = frozenset(f"{ns} f" for ns in _MAIN)

_VALUE = frozenset(f"{ns} v" for ns in _MAIN)

_SHEET = frozenset(f"{ns} sheet" for ns in _MAIN)

_RELATIONSHIP = frozenset(f"{ns} Relationship" for ns in _RELATIONSHIPS)

_RELATIONSHIP_ID = frozenset(f"{ns} id" for ns in _RELATIONSHIPS)

# The metadata parts naming the sheets are small; one larger than this is not a workbook's.
MAX_METADATA_BYTES = 1024 * 1024


class WorkbookDamaged(Exception):
    """The zip broke while being read: openpyxl would fail on it too."""


class ScanRefused(Exception):
    def __init__(self, problem: ImportProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's title, from the package's and the workbook's relationships.

    Only for messages: a sheet not found here is named by its part instead. The parts
    read here are scanned like any other: openpyxl finds the workbook through
    [Content_Types].xml, not these relationships, so the part they call the workbook
    may be a sheet it reads.
    """
    titles: dict[str, str] = {}
    names = set(archive.namelist())

    def relationships(part: str) -> dict[str, tuple[str, str]]:
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{base}.rels")
        found: dict[str, tuple[str, str]] = {}

        def start(tag: str, attrs: dict) -> None:
            if tag in _RELATIONSHIP:
                target = attrs.get("Target", "")
                path = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                found[attrs.get("Id", "")] = (attrs.get("Type", ""), posixpath.normpath(path))

        parse_small(archive, rels, names, start)
        return found

    workbook = next(
        (path for kind, path in relationships("").values() if kind.endswith("/officeDocument")),
        None,
    )
    if workbook is None:
        return titles
    targets = relationships(workbook)
    sheets: list[tuple[str, str]] = []

    def start(tag: str, attrs: dict) -> None:
        if tag in _SHEET:
            rid = next((value for key, value in attrs.items() if key in _RELATIONSHIP_ID), None)
            sheets.append((attrs.get("name", ""), rid))

    parse_small(archive, workbook, names, start)
    for title, rid in sheets:
        if title and rid in targets:
            titles[targets[rid][1]] = title
    return titles


def parse_small(
    archive: zipfile.ZipFile,
    part: str,
    names: set[str],
    start: Callable[[str, dict], None],
) -> None:
    if part not in names or archive.getinfo(part).file_size > MAX_METADATA_BYTES:
        return
    parser = expat_parser()
    parser.StartElementHandler = start
    try:
        parser.Parse(archive.read(part), True)
    except xml.parsers.expat.ExpatError:
        pass  # openpyxl reports a damaged workbook part itself
    except DoctypeFound:
        raise DoctypeFound(part) from None


def expat_parser() -> xml.parsers.expat.XMLParserType:
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _no_doctype
    parser.EntityDeclHandler = _no_doctype
    return parser


def _no_doctype(*_args) -> None:
    raise DoctypeFound("")


class DoctypeFound(Exception):
    def __init__(self, part: str) -> None:
        super().__init__(part)
        self.part = part


class SheetScan:
    """One pass over the workbook's XML parts, counting what openpyxl would have to read."""

    def __init__(self, *, label: str, max_rows: int, titles: dict[str, str]) -> None:
        self.label = label
        self.max_rows = max_rows
        self.titles = titles  # worksheet part → sheet title
        self.cells = 0
        self.formulas: list[tuple[str, int, str]] = []  # (sheet, row, cell reference)
        self.formulas_seen = 0

    def member(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        sheet = self.titles.get(info.filename, info.filename)
        parser = expat_parser()
        finish = self._handle(parser, sheet)
        with archive.open(info) as stream:
            chunk = stream.read(CHUNK_BYTES)
            kind = archive_kind(chunk)
            if kind:
                raise ScanRefused(
                    file_problem(
                        _(
                            "%(file)s carries another packed file (%(kind)s) inside, "
                            "%(part)s: a workbook to import holds only its sheets. Save a "
                            "copy without embedded objects and send that."
                        )
                        % {"file": self.label, "kind": kind, "part": info.filename}
                    )
                )
            try:
                while chunk:
                    parser.Parse(chunk, False)
                    chunk = stream.read(CHUNK_BYTES)
                parser.Parse(b"", True)
            except xml.parsers.expat.ExpatError:
                pass  # not XML (an image) or damaged XML, which openpyxl refuses itself
            except DoctypeFound:
                raise DoctypeFound(info.filename) from None
        finish()

    def _handle(self, parser: xml.parsers.expat.XMLParserType, sheet: str) -> Callable[[], None]:
        """Set expat's handlers for one part; returns what to call at its end.

        The start handler runs for every element of every part, so it keeps its state
        in closure variables and derives a cell's column only when it must. Text is
        only looked at inside a formula cell: its <v> must hold the saved result.
        openpyxl writes formulas with an empty <v></v>, and reading values gives None
        for it as for a missing one; only a text result (t="str") may be empty.
        """
        row = 0
        reference: str | None = None  # the current cell's own reference, when it has one
        column = 0  # the current cell's column when it has no reference, else 0
        text_result = False  # the current cell says its result is text (t="str")
        formula = in_value = result = False

        def cell_reference() -> str:
            return reference or f"{get_column_letter(column)}{row}"

        def close_cell() -> None:
            nonlocal formula
            if formula:
                if not result and not (in_value and text_result):
                    self.formula(sheet, row, cell_reference())
                parser.CharacterDataHandler = None
                formula = False

        def text(data: str) -> None:
            nonlocal result
            if in_value and data.strip():
                result = True

        def start(tag: str, attrs: dict) -> None:
            nonlocal row, reference, column, text_result, formula, in_value, result
            if tag in _CELL:
                close_cell()
                in_value = False
                self.cells += 1
                if self.cells > MAX_CELLS:
                    self._too_many_cells(sheet, row)
                own = attrs.get("r")
                if own:
                    letters = own.rstrip("0123456789")
                    if letters == own:
                        raise WorkbookDamaged(own)  # no row number: openpyxl cannot place it
                    if letters not in _ONE_LETTER and _column_index(letters) > MAX_COLUMNS:
                        self._too_wide(sheet, row, letters)
                    reference, column = own, 0
                else:
                    previous = column or (
                        _column_index(reference.rstrip("0123456789")) if reference else 0
                    )
                    reference, column = None, previous + 1
                    if column > MAX_COLUMNS:
                        self._too_wide(sheet, row, get_column_letter(column))
                text_result = attrs.get("t") == "str"
            elif tag in _VALUE:
                in_value = True
            elif tag in _FORMULA:
                formula, result = True, False
                parser.CharacterDataHandler = text
            elif tag in _ROW:
                close_cell()
                own = attrs.get("r")
                row = _row_number(own) if own else row + 1
                reference, column = None, 0
                if row > self.max_rows:
                    self._too_long(sheet, row)

        parser.StartElementHandler = start
        return close_cell

    def _too_long(self, sheet: str, row: int) -> None:
        raise ScanRefused(
            ImportProblem(
                sheet=sheet,
                row=row,
                column="",
                message=_(
                    "%(file)s goes on past row %(max)s, the last row this import reads. "
                    "Delete the rows below the table: a row that looks empty may still "
                    "hold a cell far to the right."
                )
                % {"file": self.label, "max": _number(self.max_rows)},
            )
        )

    def _too_wide(self, sheet: str, row: int, letters: str) -> None:
        raise ScanRefused(
            ImportProblem(
                sheet=sheet,
                row=row,
                column=letters,
                message=_(
                    "%(file)s has a cell in column %(column)s; this import reads at most "
                    "%(max)s columns. Delete the columns to the right of the table."
                )
                % {"file": self.label, "column": letters, "max": MAX_COLUMNS},
            )
        )

    def _too_many_cells(self, sheet: str, row: int) -> None:
        raise ScanRefused(
            ImportProblem(
                sheet=sheet,
                row=row,
                column="",
                message=_(
                    "%(file)s has more than %(max)s cells, more than this import reads. "
                    "Delete what lies outside the table, or split the file."
                )
                % {"file": self.label, "max": _number(MAX_CELLS)},
            )
        )

    def formula(self, sheet: str, row: int, reference: str) -> None:
        self.formulas_seen += 1
        if len(self.formulas) < MAX_FORMULAS_NAMED:
            self.formulas.append((sheet, row, reference))

    def formula_problems(self) -> list[ImportProblem]:
        problems = [
            ImportProblem(
                sheet=sheet,
                row=row,
                column=reference.rstrip("0123456789"),
                message=_(
                    "cell %(cell)s holds a formula whose result was not saved in the file, "
                    "so its value cannot be read. Paste values: copy the cells, then Paste "
                    "Special → Values (or open and save the file in Excel), and send it again."
                )
                % {"cell": reference},
            )
            for sheet, row, reference in self.formulas
        ]
        if self.formulas_seen > len(self.formulas):
            # A problem of the whole file, so first, as the readers order them.
            problems.insert(
                0,
                file_problem(
                    _("%(count)s more formula cells have no saved result.")
                    % {"count": _number(self.formulas_seen - len(self.formulas))}
                ),
            )
        return problems


def _column_index(letters: str) -> int:
    try:
        return column_index_from_string(letters)
    except ValueError:
        raise WorkbookDamaged(letters) from None


def _row_number(text: str) -> int:
    # openpyxl accepts "5" and "5.0"; anything else breaks its reading too.
    try:
        return int(float(text))
    except (ValueError, OverflowError):
        raise WorkbookDamaged(text) from None


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)
