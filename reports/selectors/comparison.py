"""Two published years of one block side by side."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from reports import charts
from reports.models import Decision
from reports.selectors.block_tables import block_rows
from reports.selectors.decisions import decision_in_force
from units.models import Unit


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
    decision_a: Decision
    decision_b: Decision
    movements: list[Movement]
    count_a: int
    count_b: int
    chart: charts.SlopeChart


def compare(*, year_a: int, year_b: int, block_code: str) -> Comparison | None:
    """Rank movements of a block between two published years (five queries).

    A unit of year B is matched with its own row of year A or, when it was renamed
    (exactly one predecessor), with that predecessor's; a merged unit is listed
    without a line, since its predecessors' ranks are not its own.
    """
    if year_a == year_b:
        return None
    decision_a, decision_b = decision_in_force(year_a), decision_in_force(year_b)
    if decision_a is None or decision_b is None:
        return None
    rows_a = list(block_rows(decision_a, block_code))
    rows_b = list(block_rows(decision_b, block_code))
    if not rows_a or not rows_b:
        return None
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
                unit_code=row.unit.code,
                rank_a=before.rank if before else None,
                rank_b=row.rank,
                index_a=before.index if before else None,
                index_b=row.index,
            )
        )
    for row in sorted(rows_a, key=lambda r: (r.rank, r.position)):
        if row.unit_id not in matched_a:
            movements.append(
                Movement(row.unit_name, "", row.unit.code, row.rank, None, row.index, None)
            )
    return Comparison(
        year_a=year_a,
        year_b=year_b,
        block_code=block_code,
        block_name=rows_b[0].block_name,
        decision_a=decision_a,
        decision_b=decision_b,
        movements=movements,
        count_a=len(rows_a),
        count_b=len(rows_b),
        chart=charts.slope_chart(
            (
                charts.SlopeValue(m.name_a or m.name_b, m.name_b, m.rank_a, m.rank_b)
                for m in movements
            ),
            count_a=max(r.rank for r in rows_a),
            count_b=max(r.rank for r in rows_b),
        ),
    )
