"""Open data: one published table (a year, a block) as rows, a data dictionary, and XLSX.

One generator (`published_rows`) gives the rows of every format; CSV and JSON are
written by reports.outputs.tabular, XLSX here with openpyxl's write-only mode.
The columns are the data dictionary: the page lists the same objects the files
are written from, so the two cannot drift apart.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from reports.models import Decision, PublishedResult
from reports.outputs.tabular import ColumnLike
from scoring.calculations import display_round
from scoring.models import code_sort_key

TEXT = "text"
INTEGER = "integer"
POINTS = "points"
PERCENT = "percent"
ROUNDED = _("2 decimals, half up, as displayed")


@dataclass(frozen=True)
class DataColumn:
    """A column of the published tables, as the data dictionary describes it."""

    key: str
    label: str
    description: str
    kind: str  # TEXT, INTEGER, POINTS or PERCENT

    @property
    def unit(self) -> str:
        return {POINTS: _("points"), PERCENT: "%"}.get(self.kind, "")

    @property
    def rounding(self) -> str:
        return ROUNDED if self.kind in (POINTS, PERCENT) else ""


AREA_KEY = "area_{code}"

_LEADING = [
    DataColumn("year", "year", _("Year assessed"), INTEGER),
    DataColumn("decision", "decision", _("Number of the decision publishing the table"), TEXT),
    DataColumn("block_code", "block code", _("Code of the block the unit is ranked in"), TEXT),
    DataColumn("block_name", "block", _("Name of the block"), TEXT),
    DataColumn("position", "no.", _("Row number (STT) in the decision's appendix"), INTEGER),
    DataColumn("unit_code", "unit code", _("Code of the unit at publication"), TEXT),
    DataColumn("unit_name", "unit", _("Name of the unit at publication"), TEXT),
]
_TRAILING = [
    DataColumn("survey_points", "survey", _("Points from sociological surveys"), POINTS),
    DataColumn("deductions", "deductions", _("Points deducted"), POINTS),
    DataColumn("bonus", "bonus", _("Bonus points"), POINTS),
    DataColumn("total", "total", _("Total points: areas + survey − deductions + bonus"), POINTS),
    DataColumn(
        "applicable_max",
        "maximum",
        _("Applicable maximum: criteria that do not apply to the unit left out"),
        POINTS,
    ),
    DataColumn("index", "index %", _("Index: total ÷ applicable maximum × 100"), PERCENT),
    DataColumn("rank", "rank", _("Rank in the block; ranks compare unrounded indexes"), INTEGER),
    DataColumn("tier", "tier", _("Tier set by the campaign for the block"), TEXT),
    DataColumn("previous_rank", "prev. rank", _("Rank of the year before; empty if none"), INTEGER),
    DataColumn(
        "previous_index", "prev. index %", _("Index of the year before; empty if none"), PERCENT
    ),
]


def area_column(code: str, title: str = "") -> DataColumn:
    description = _("Points of area %(code)s without survey points") % {"code": code}
    if title:
        description = f"{description}: {title}"
    return DataColumn(AREA_KEY.format(code=code), f"area {code}", description, POINTS)


def dictionary() -> list[DataColumn]:
    """The columns every table has, with one placeholder column standing for each area."""
    return [*_LEADING, area_column("{code}"), *_TRAILING]


def table_columns(rows: Sequence[PublishedResult]) -> list[DataColumn]:
    """The columns of one table: its areas take the placeholder's place."""
    titles: dict[str, str] = {}
    for row in rows:
        for area in row.areas:
            titles.setdefault(area["code"], area["title"])
    areas = [area_column(code, titles[code]) for code in sorted(titles, key=code_sort_key)]
    return [*_LEADING, *areas, *_TRAILING]


def _rounded(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    return display_round(Decimal(str(value)))


def published_rows(
    decision: Decision, rows: Iterable[PublishedResult], columns: Sequence[DataColumn]
) -> Iterator[dict]:
    """The one generator of a published table's rows: plain values keyed by column.

    An area a unit's framework lacks is an empty cell (every row has every key).
    """
    year = decision.campaign.year
    empty = dict.fromkeys(column.key for column in columns)
    for row in rows:
        areas = {area["code"]: area["points"] for area in row.areas}
        yield empty | {
            "year": year,
            "decision": decision.number,
            "block_code": row.block_code,
            "block_name": row.block_name,
            "position": row.position,
            "unit_code": row.unit_code,
            "unit_name": row.unit_name,
            **{AREA_KEY.format(code=code): _rounded(points) for code, points in areas.items()},
            "survey_points": _rounded(row.survey_points),
            "deductions": _rounded(row.deductions),
            "bonus": _rounded(row.bonus),
            "total": _rounded(row.total),
            "applicable_max": _rounded(row.applicable_max),
            "index": _rounded(row.index),
            "rank": row.rank,
            "tier": row.tier,
            "previous_rank": row.previous_rank,
            "previous_index": _rounded(row.previous_index),
        }


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
                float(value) if isinstance(value, Decimal) else value
                for value in (row.get(column.key) for column in columns)
            ]
        )
    workbook.save(out)
