"""Open data: one published table (a year, a block) as rows, its statistics, and their
data dictionary.

The columns come from scoring.result_columns, the one contract of every results
table; the page lists the same Column objects the files are written from, so the
two cannot drift apart. Each table ends with the index unrounded (index_exact), so
that anyone can check a tie-break between two units shown with the same two
decimals. The writers (CSV, JSON, XLSX) are scoring.exchange.tabular; no text cell
of theirs becomes a formula (scoring.exchange.workbook.formula_like).
"""

from collections.abc import Iterable, Iterator, Sequence

from django.utils.translation import gettext_lazy as _

from reports.models import Decision, PublishedResult
from scoring.block_statistics import BlockStatistics
from scoring.result_columns import (
    FIGURES,
    INDEX_EXACT,
    INTEGER,
    STATISTIC_COLUMNS,
    STATISTICS,
    TEXT,
    Column,
    area_column,
    area_columns,
    area_values,
    exact_value,
    figure_values,
    scored_area_points,
    statistics_values,
)

LEADING = [
    Column("year", _("Year"), _("Year assessed"), INTEGER),
    Column("decision", _("Decision"), _("Number of the decision publishing the table"), TEXT),
    Column("block_code", _("Block code"), _("Code of the block the unit is ranked in"), TEXT),
    Column("block_name", _("Block"), _("Name of the block"), TEXT),
    Column("position", _("No. (STT)"), _("Row number (STT) in the decision's appendix"), INTEGER),
    Column("unit_code", _("Unit code"), _("Code of the unit at publication"), TEXT),
    Column("unit_name", _("Unit"), _("Name of the unit at publication"), TEXT),
]


def dictionary() -> list[Column]:
    """The columns every table has, with one placeholder column standing for each area."""
    return [*LEADING, area_column("{code}"), *FIGURES, INDEX_EXACT]


def table_columns(rows: Sequence[PublishedResult]) -> list[Column]:
    """The columns of one table: its areas take the placeholder's place."""
    return [*LEADING, *area_columns(row.areas for row in rows), *FIGURES, INDEX_EXACT]


# A statistics file: which table it is about (as the table's first columns), then one
# figure a row.
STATISTICS_LEADING = [
    c for c in LEADING if c.key in ("year", "decision", "block_code", "block_name")
]


def statistics_columns() -> list[Column]:
    return [*STATISTICS_LEADING, *STATISTIC_COLUMNS]


def statistics_dictionary() -> list[Column]:
    """What each value of the `statistic` column means."""
    return list(STATISTICS)


def statistics_rows(
    decision: Decision, rows: Sequence[PublishedResult], stats: BlockStatistics
) -> Iterator[dict]:
    """One block's statistics as rows of statistics_columns()."""
    about = {
        "year": decision.campaign.year,
        "decision": decision.number,
        "block_code": rows[0].block_code,
        "block_name": rows[0].block_name,
    }
    for figure in statistics_values(stats):
        yield about | figure


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
            | area_values({area["code"]: scored_area_points(area) for area in row.areas})
            | figure_values(row)
            | {INDEX_EXACT.key: exact_value(row.index)}
        )
