"""The results of a campaign as one table: a header, then one row of plain values per unit.

Every output (the compute_results command, CSV, JSON, later the published tables)
takes its rows from here, so a column means the same thing everywhere. Numbers
are rounded for display here, once, with calculations.display_round.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from scoring.calculations import display_round
from scoring.models import Result, code_sort_key


@dataclass(frozen=True)
class Column:
    key: str
    label: str


def _number(value: Decimal | None) -> Decimal | None:
    return None if value is None else display_round(value)


def area_codes(results: Iterable[Result]) -> list[str]:
    codes = {area["code"] for result in results for area in result.areas}
    return sorted(codes, key=code_sort_key)


def result_columns(codes: list[str]) -> list[Column]:
    return [
        Column("block", "block"),
        Column("unit_code", "unit code"),
        Column("unit_name", "unit"),
        *(Column(f"area_{code}", f"area {code}") for code in codes),
        Column("survey_points", "survey"),
        Column("deductions", "deductions"),
        Column("bonus", "bonus"),
        Column("total", "total"),
        Column("applicable_max", "maximum"),
        Column("index", "index %"),
        Column("rank", "rank"),
        Column("tier", "tier"),
        Column("previous_rank", "prev. rank"),
        Column("previous_index", "prev. index %"),
    ]


def result_rows(results: list[Result]) -> tuple[list[Column], Iterator[dict]]:
    """Columns and rows; results must come with unit and block selected.

    An area's column holds the points of its self-assessed and appraised criteria;
    survey points are their own column, so the row adds up: Σ areas + survey −
    deductions + bonus = total.
    """
    codes = area_codes(results)

    def rows() -> Iterator[dict]:
        for result in results:
            scored = result.area_scored_points()
            yield {
                "block": result.block.code,
                "unit_code": result.unit.code,
                "unit_name": result.unit.name,
                **{f"area_{code}": _number(scored.get(code)) for code in codes},
                "survey_points": _number(result.survey_points),
                "deductions": _number(result.deductions),
                "bonus": _number(result.bonus),
                "total": _number(result.total),
                "applicable_max": _number(result.applicable_max),
                "index": _number(result.index),
                "rank": result.rank,
                "tier": result.tier,
                "previous_rank": result.previous_rank,
                "previous_index": _number(result.previous_index),
            }

    return result_columns(codes), rows()
