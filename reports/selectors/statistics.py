"""A published block's statistics, from its frozen rows (scoring.block_statistics does the maths).

The rows are those of the decision, never live results; the tiers named are the bands of
the decision's campaign for the block, so that a tier no unit reached is counted as 0.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from reports.models import PublishedResult
from scoring.block_statistics import BlockStatistics, UnitFigures, block_statistics
from scoring.calculations import AreaTotal
from scoring.models import TierBand

# The fields of a frozen row the statistics read, for a query's values_list.
FIGURE_FIELDS = ("index", "tier", "total", "survey_points", "areas")


def figures(
    index: Decimal, tier: str, total: Decimal, survey_points: Decimal, areas: list[dict]
) -> UnitFigures:
    """A frozen row's FIGURE_FIELDS as the statistics take them (areas are without survey)."""
    return UnitFigures(
        index=index,
        tier=tier,
        total=total,
        survey_points=survey_points,
        areas=[
            AreaTotal(area["code"], Decimal(str(area["points"])), Decimal(str(area["max"])))
            for area in areas
        ],
    )


def published_figures(row: PublishedResult) -> UnitFigures:
    return figures(*(getattr(row, name) for name in FIGURE_FIELDS))


def area_titles(areas_of_rows: Iterable[list[dict]]) -> dict[str, str]:
    return {area["code"]: area["title"] for areas in areas_of_rows for area in areas}


def tier_names(campaign_id: int) -> dict[str, list[str]]:
    """block code → the campaign's tier names for it, best first (one query)."""
    names: dict[str, list[str]] = defaultdict(list)
    for code, name in (
        TierBand.objects.filter(campaign_block__campaign_id=campaign_id)
        .order_by("campaign_block__block__code", "-min_index", "name")
        .values_list("campaign_block__block__code", "name")
    ):
        names[code].append(name)
    return dict(names)


def rows_statistics(rows: Iterable[PublishedResult], tiers: Sequence[str] = ()) -> BlockStatistics:
    """The statistics of one block's published rows."""
    rows = list(rows)
    return block_statistics(
        (published_figures(row) for row in rows),
        tier_names=tiers,
        area_titles=area_titles(row.areas for row in rows),
    )


def blocks_statistics(
    rows: Iterable[PublishedResult], tiers: dict[str, list[str]]
) -> dict[str, BlockStatistics]:
    """block code → the statistics of its rows, for rows of several blocks."""
    grouped: dict[str, list[PublishedResult]] = defaultdict(list)
    for row in rows:
        grouped[row.block_code].append(row)
    return {
        code: rows_statistics(block_rows, tiers.get(code, []))
        for code, block_rows in grouped.items()
    }
