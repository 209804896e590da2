"""Two published years of one block side by side.

A year is the portal's decision in force or, for a year the portal did not publish, the
published table imported for it (scoring.models.ImportedResult)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reports import charts
from reports.selectors.block_tables import block_rows
from reports.selectors.decisions import decision_in_force
from scoring.models import ImportedResult
from scoring.selectors.previous_year import active_units, covers_block
from units.models import Unit


@dataclass(frozen=True)
class TableSource:
    """Which decision a year's table comes from; `pk` is None for an imported table."""

    year: int
    number: str
    signed_on: date
    pk: int | None = None

    @property
    def imported(self) -> bool:
        return self.pk is None


@dataclass(frozen=True)
class YearRow:
    unit_id: int
    unit_code: str
    unit_name: str
    rank: int
    index: Decimal
    position: int


@dataclass(frozen=True)
class Movement:
    name_a: str
    name_b: str
    unit_code: str
    rank_a: int | None
    rank_b: int | None
    index_a: Decimal | None
    index_b: Decimal | None

    @property
    def change(self) -> int | None:
        if self.rank_a is None or self.rank_b is None:
            return None
        return self.rank_a - self.rank_b

    @property
    def index_change(self) -> Decimal | None:
        if self.index_a is None or self.index_b is None:
            return None
        return self.index_b - self.index_a


@dataclass(frozen=True)
class Comparison:
    year_a: int
    year_b: int
    block_code: str
    block_name: str
    decision_a: TableSource
    decision_b: TableSource
    movements: list[Movement]
    count_a: int
    count_b: int
    chart: charts.SlopeChart
    complete_a: bool = True  # year A's table holds the whole block (no gap in its ranks)

    @property
    def sources(self) -> tuple[TableSource, TableSource]:
        return self.decision_a, self.decision_b


def _year_table(year: int, block_code: str) -> tuple[TableSource, list[YearRow], str, bool] | None:
    """A year's rows of the block, from its decision in force, else its imported table,
    and whether they are the whole block (a decision's always are).

    Two queries (the decision, then its rows), four for an imported year.
    """
    decision = decision_in_force(year)
    if decision is not None:
        rows = list(block_rows(decision, block_code))
        if not rows:
            return None
        source = TableSource(year, decision.number, decision.signed_on, decision.pk)
        return (
            source,
            [
                YearRow(r.unit_id, r.unit.code, r.unit_name, r.rank, r.index, r.position)
                for r in rows
            ],
            rows[0].block_name,
            True,
        )
    imported = list(
        ImportedResult.objects.filter(year=year, block__code=block_code)
        .select_related("unit", "block")
        .order_by("rank", "unit_name")
    )
    if not imported:
        return None
    first = imported[0]
    return (
        TableSource(year, first.decision_number, first.decision_date),
        [
            YearRow(r.unit_id, r.unit.code, r.unit_name, r.rank, r.index, position)
            for position, r in enumerate(imported, start=1)
        ],
        first.block.name,
        covers_block(
            [row.rank for row in imported],
            active_units(year, [first.block_id]).get(first.block_id, 0),
        ),
    )


def compare(*, year_a: int, year_b: int, block_code: str) -> Comparison | None:
    """Rank movements of a block between two published years (five queries, seven with an
    imported year).

    A unit of year B is matched with its own row of year A or, when it was renamed
    (exactly one predecessor), with that predecessor's; a merged unit is listed
    without a line, since its predecessors' ranks are not its own.
    """
    if year_a == year_b:
        return None
    table_a = _year_table(year_a, block_code)
    table_b = _year_table(year_b, block_code) if table_a else None
    if table_a is None or table_b is None:
        return None
    (decision_a, rows_a, _name_a, complete_a), (decision_b, rows_b, block_name, _b) = (
        table_a,
        table_b,
    )
    links = defaultdict(list)
    for successor_id, predecessor_id in Unit.predecessors.through.objects.values_list(
        "from_unit_id", "to_unit_id"
    ):
        links[successor_id].append(predecessor_id)
    by_unit_a = {row.unit_id: row for row in rows_a}
    matched_a: set[int] = set()
    movements = []
    for row in sorted(rows_b, key=lambda r: (r.rank, r.position)):
        before = by_unit_a.get(row.unit_id)
        if before is None and len(links.get(row.unit_id, [])) == 1:
            before = by_unit_a.get(links[row.unit_id][0])
        if before is not None:
            matched_a.add(before.unit_id)
        movements.append(
            Movement(
                name_a=before.unit_name if before else "",
                name_b=row.unit_name,
                unit_code=row.unit_code,
                rank_a=before.rank if before else None,
                rank_b=row.rank,
                index_a=before.index if before else None,
                index_b=row.index,
            )
        )
    for row in sorted(rows_a, key=lambda r: (r.rank, r.position)):
        if row.unit_id not in matched_a:
            movements.append(
                Movement(row.unit_name, "", row.unit_code, row.rank, None, row.index, None)
            )
    return Comparison(
        year_a=year_a,
        year_b=year_b,
        block_code=block_code,
        block_name=block_name,
        decision_a=decision_a,
        decision_b=decision_b,
        movements=movements,
        count_a=len(rows_a),
        count_b=len(rows_b),
        complete_a=complete_a,
        chart=charts.slope_chart(
            (
                charts.SlopeValue(m.name_a or m.name_b, m.name_b, m.rank_a, m.rank_b)
                for m in movements
            ),
            count_a=max(r.rank for r in rows_a),
            count_b=max(r.rank for r in rows_b),
        ),
    )
