"""The staff's scores file (manage.py import_scores): one row per unit and criterion.

Any of the score columns may be left out or left empty: an empty cell changes
nothing, so one file can bring the self-assessment, another the appraisal. The
reader checks the file's shape and that each cell can be read; the service
(scoring.services.score_import.scores_import) judges the values against the criteria.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.utils.translation import gettext as _

from scoring.exchange.columns import HEADER_SEARCH_ROWS, Column
from scoring.exchange.scoring_sheet_format import FIGURES, SelfCells, read_self_cells
from scoring.exchange.tables import (
    MAX_TABLE_ROWS,
    RowReader,
    TableFile,
    pick_sheet,
    read_table,
    write_table,
)
from scoring.exchange.workbook import open_workbook

SHEET = "Điểm"
SHEET_NAMES = (SHEET, "Scores")

COLUMNS = (
    Column("unit_code", "Mã đơn vị", ("unit code", "unit"), required=True, width=14),
    Column("unit_name", "Tên đơn vị", ("unit name",), width=30),
    Column("code", "Mã tiêu chí", ("criterion code", "criterion"), required=True, width=11),
    Column("points", "Điểm tự chấm", ("self points", "points"), width=10),
    Column("level", "Mức đạt", ("level",), width=18),
    Column("numerator", "Tử số", ("numerator",), width=9),
    Column("denominator", "Mẫu số", ("denominator",), width=9),
    Column("not_applicable", "Không áp dụng", ("not applicable", "n/a"), width=10),
    Column("na_reason", "Lý do không áp dụng", ("na reason",), width=24),
    Column("appraised_points", "Điểm thẩm định", ("appraised points", "appraised"), width=10),
    Column("appraisal_note", "Ý kiến thẩm định", ("appraisal note", "note"), width=30),
    Column("final_points", "Điểm chính thức", ("final points", "final"), width=10),
)
SELF_INPUTS = (*FIGURES, "not_applicable", "na_reason")


@dataclass(frozen=True)
class ScoreRow:
    """What one row says about one leaf of one unit; None or "" where the cell is empty."""

    row: int
    unit_code: str
    code: str
    own: SelfCells
    appraised_points: Decimal | None
    appraisal_note: str
    final_points: Decimal | None
    filled: frozenset[str]


@dataclass
class ScoresFile(TableFile):
    COLUMNS: ClassVar[Sequence[Column]] = COLUMNS
    SHEET: ClassVar[str] = SHEET

    rows: list[ScoreRow] = field(default_factory=list)


def read_scores_file(data: bytes, *, name: str = "") -> ScoresFile:
    """Read a scores file; never raises on a bad file, lists its problems."""
    result = ScoresFile()
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
            _read_rows(result)
    finally:
        workbook.close()
    result.problems = result.ordered(result.problems)
    return result


def _read_rows(result: ScoresFile) -> None:
    seen: dict[tuple[str, str], int] = {}
    for record in result.table.records:
        reader = RowReader(result.table, COLUMNS, record, result.problems)
        unit_code = reader.text("unit_code")
        code = reader.text("code")
        code = code[:-1] if code.endswith(".") else code
        if not unit_code:
            reader.problem("unit_code", _("the unit code is missing."))
        if not code:
            reader.problem("code", _("the code is missing."))
        own = read_self_cells(reader, SELF_INPUTS)
        appraised = (
            reader.points("appraised_points") if "appraised_points" in record.cells else None
        )
        final = reader.points("final_points") if "final_points" in record.cells else None
        if not (unit_code and code):
            continue
        key = (unit_code.lower(), code)
        if key in seen:
            reader.problem(
                "code",
                _("unit %(unit)s, criterion %(code)s is already on row %(row)s.")
                % {"unit": unit_code, "code": code, "row": seen[key]},
            )
            continue
        seen[key] = record.row
        result.rows.append(
            ScoreRow(
                row=record.row,
                unit_code=unit_code,
                code=code,
                own=own,
                appraised_points=appraised,
                appraisal_note=reader.text("appraisal_note"),
                final_points=final,
                filled=frozenset(name for name in record.cells if reader.filled(name)),
            )
        )


def write_scores_file(rows: Sequence[Sequence[object]]) -> bytes:
    """A scores file with every column, rows given in COLUMNS order (samples and tests)."""
    return write_table(SHEET, COLUMNS, rows)


# Columns of the template only, to read by: the import ignores them.
TEMPLATE_INFO = (
    Column("title", "Nội dung", width=48),
    Column("scale", "Cách chấm", width=36),
)


def write_scores_template(rows: Sequence[Sequence[object]]) -> bytes:
    """A scores file to fill in: rows of (unit code, unit name, code, title, scale)."""
    columns = [*COLUMNS[:3], *TEMPLATE_INFO, *COLUMNS[3:]]
    return write_table(SHEET, columns, rows)
