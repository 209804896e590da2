"""The columns of a results table, stated once.

Every tabular output of results names, describes and fills its columns from here:
the compute_results command (computed Result rows), the decision's appendix, open
data (CSV, JSON, XLSX) and its data dictionary (published rows). A column therefore
means the same thing, with the same key, rounding and description, everywhere.
Each output only chooses its leading columns (who the row is about) and lays out.

Numbers are rounded for display here, once, with calculations.display_round.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from scoring.calculations import display_round
from scoring.models import Result, ResultFigures, code_sort_key

TEXT = "text"
INTEGER = "integer"
POINTS = "points"
PERCENT = "percent"
ROUNDED = _("2 decimals, half up, as displayed")
AREA_KEY = "area_{code}"


@dataclass(frozen=True)
class Column:
    """One column: its machine key, its label (translated), its meaning, and what it holds.

    CSV and JSON are headed by the keys, which never change; XLSX and the terminal
    table by the labels, in the active language (Vietnamese by default).
    """

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

    @property
    def is_number(self) -> bool:
        return self.kind != TEXT


# The figures every results table ends with, in this order: a row adds up, as
# Σ areas + survey − deductions + bonus = total.
FIGURES = [
    Column("survey_points", _("Survey points"), _("Points from sociological surveys"), POINTS),
    Column("deductions", _("Deductions"), _("Points deducted"), POINTS),
    Column("bonus", _("Bonus"), _("Bonus points"), POINTS),
    Column(
        "total",
        _("Total points"),
        _("Total points: areas + survey − deductions + bonus"),
        POINTS,
    ),
    Column(
        "applicable_max",
        _("Applicable maximum"),
        _("Applicable maximum: criteria that do not apply to the unit left out"),
        POINTS,
    ),
    Column("index", _("Index (%)"), _("Index: total ÷ applicable maximum × 100"), PERCENT),
    Column("rank", _("Rank"), _("Rank in the block; ranks compare unrounded indexes"), INTEGER),
    Column("tier", _("Tier"), _("Tier set by the campaign for the block"), TEXT),
    Column(
        "previous_rank",
        _("Last year's rank"),
        _("Rank of the year before; empty if none"),
        INTEGER,
    ),
    Column(
        "previous_index",
        _("Last year's index (%)"),
        _("Index of the year before; empty if none"),
        PERCENT,
    ),
]


def area_column(code: str, title: str = "") -> Column:
    """The column of one area: its points without the survey points (a column of their own)."""
    description = _("Points of area %(code)s without survey points") % {"code": code}
    if title:
        description = f"{description}: {title}"
    label = _("Area %(code)s") % {"code": code}
    return Column(AREA_KEY.format(code=code), label, description, POINTS)


def area_columns(areas: Iterable[Sequence[Mapping]]) -> list[Column]:
    """One column per area code found in rows' areas JSON, in code order, titled by the first."""
    titles: dict[str, str] = {}
    for row_areas in areas:
        for area in row_areas:
            titles.setdefault(area["code"], area.get("title", ""))
    return [area_column(code, titles[code]) for code in sorted(titles, key=code_sort_key)]


def rounded(value: object) -> Decimal | None:
    """A number of points or a percentage as every table shows it (None stays empty)."""
    if value is None or value == "":
        return None
    return display_round(Decimal(str(value)))


def figure_values(row: ResultFigures) -> dict[str, object]:
    """The FIGURES of a computed or published row, rounded as shown."""
    values: dict[str, object] = {}
    for column in FIGURES:
        value = getattr(row, column.key)
        values[column.key] = rounded(value) if column.kind in (POINTS, PERCENT) else value
    return values


def scored_area_points(area: Mapping[str, object]) -> Decimal | None:
    """A published area's points ({"points", "max"}, both without survey points).

    None for an area with no scored criterion that applies (all survey, say): its
    points are in the survey column, so its cell is empty ("—" on pages), never a 0
    that reads as "scored nothing".
    """
    if Decimal(str(area["max"])) == 0:
        return None
    return Decimal(str(area["points"]))


def area_values(points: Mapping[str, object]) -> dict[str, Decimal | None]:
    """area code → points, keyed and rounded as the area columns are."""
    return {AREA_KEY.format(code=code): rounded(value) for code, value in points.items()}


# -- the computed results (the compute_results command) ---------------------------------

RESULT_LEADING = [
    Column("block", _("Block"), _("Code of the block the unit is ranked in"), TEXT),
    Column("unit_code", _("Unit code"), _("Code of the unit"), TEXT),
    Column("unit_name", _("Unit"), _("Name of the unit"), TEXT),
]


def result_table(results: list[Result]) -> tuple[list[Column], list[dict]]:
    """Columns and rows of computed results; results come with unit and block selected.

    An area's column holds the points of its self-assessed and appraised criteria;
    survey points are their own column, so the row adds up.
    """
    columns = [*RESULT_LEADING, *area_columns(r.areas for r in results), *FIGURES]
    empty = dict.fromkeys(column.key for column in columns)
    rows = [
        empty
        | {"block": r.block.code, "unit_code": r.unit.code, "unit_name": r.unit.name}
        | area_values(r.area_scored_points())
        | figure_values(r)
        for r in results
    ]
    return columns, rows
