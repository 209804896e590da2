"""Open data: one published table (a year, a block) as rows, and its data dictionary.

The columns come from scoring.result_columns, the one contract of every results
table; the page lists the same Column objects the files are written from, so the
two cannot drift apart. The writers (CSV, JSON, XLSX) are scoring.exchange.tabular;
no text cell of theirs becomes a formula (scoring.exchange.workbook.formula_like).
"""

from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import gettext_lazy as _

from reports.models import Decision, PublishedResult
from scoring.result_columns import (
    FIGURES,
    INTEGER,
    TEXT,
    Column,
    area_column,
    area_columns,
    area_values,
    figure_values,
)

LEADING = [
    Column("year", "year", _("Year assessed"), INTEGER),
    Column("decision", "decision", _("Number of the decision publishing the table"), TEXT),
    Column("block_code", "block code", _("Code of the block the unit is ranked in"), TEXT),
    Column("block_name", "block", _("Name of the block"), TEXT),
    Column("position", "no.", _("Row number (STT) in the decision's appendix"), INTEGER),
    Column("unit_code", "unit code", _("Code of the unit at publication"), TEXT),
    Column("unit_name", "unit", _("Name of the unit at publication"), TEXT),
]


def dictionary() -> list[Column]:
    """The columns every table has, with one placeholder column standing for each area."""
    return [*LEADING, area_column("{code}"), *FIGURES]


def table_columns(rows: Sequence[PublishedResult]) -> list[Column]:
    """The columns of one table: its areas take the placeholder's place."""
    return [*LEADING, *area_columns(row.areas for row in rows), *FIGURES]


def open_data_rows(
    decision: Decision, rows: Iterable[PublishedResult], columns: Sequence[Column]
) -> Iterator[dict]:
    """The one generator of a published table's rows: plain values keyed by column.

    An area a unit's framework lacks is an empty cell (every row has every key).
    """
    year = decision.campaign.year
    empty = dict.fromkeys(column.key for column in columns)
    for row in rows:
        yield (
            empty
            | {
                "year": year,
                "decision": decision.number,
                "block_code": row.block_code,
                "block_name": row.block_name,
                "position": row.position,
                "unit_code": row.unit_code,
                "unit_name": row.unit_name,
            }
            | area_values({area["code"]: area["points"] for area in row.areas})
            | figure_values(row)
        )
