"""A published block's statistics, from its frozen rows (scoring.block_statistics does the maths).

The rows are those of the decision, never live results; the tiers named are the bands of
the decision's campaign for the block, so that a tier no unit reached is counted as 0.
A decision's rows never change, so the pages keep each block's statistics in the cache
(published_statistics): a block of thousands of units is read and averaged once, not
for every page, sort and tier of its ranking.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.cache import cache

from reports.models import Decision, PublishedResult
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
            AreaTotal(area["code"], _number(area["points"]), _number(area["max"])) for area in areas
        ],
    )


_NUMBERS: dict[str, Decimal] = {}


def _number(text: object) -> Decimal:
    """A stored figure ("6.25") as a Decimal. The same few strings recur across thousands of
    rows (points are mostly quarters), so each is converted once per process."""
    number = _NUMBERS.get(text)
    if number is None:
        number = Decimal(str(text))
        if len(_NUMBERS) < 100_000:
            _NUMBERS[text] = number
    return number


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


# How long the cache keeps a block's statistics; the key names the decision, whose rows
# never change, so this only bounds the memory they take.
STATISTICS_CACHE_SECONDS = 24 * 60 * 60


def published_statistics(
    decision: Decision,
    block_code: str,
    *,
    rows: Sequence[PublishedResult] | None = None,
    tiers: dict[str, list[str]] | None = None,
) -> BlockStatistics | None:
    """A published block's statistics, from the cache or computed (two queries at most).

    `rows` and `tiers`, when the caller has them already, save their queries. None for a
    block without rows.
    """
    stats = cached_statistics(decision, block_code)
    if stats is not None:
        return stats
    if rows is None:
        values = list(
            PublishedResult.objects.filter(decision=decision, block_code=block_code)
            .order_by()
            .values_list(*FIGURE_FIELDS)
        )
        units = [figures(*value) for value in values]
        titles = area_titles(value[-1] for value in values)
    else:
        units = [published_figures(row) for row in rows]
        titles = area_titles(row.areas for row in rows)
    if not units:
        return None
    if tiers is None:
        tiers = tier_names(decision.campaign_id)
    stats = block_statistics(units, tier_names=tiers.get(block_code, []), area_titles=titles)
    cache.set(_key(decision, block_code), stats, STATISTICS_CACHE_SECONDS)
    return stats


def cached_statistics(decision: Decision, block_code: str) -> BlockStatistics | None:
    """The block's statistics if the cache has them (no query)."""
    return cache.get(_key(decision, block_code))


def _key(decision: Decision, block_code: str) -> str:
    return f"block-statistics:{decision.pk}:{block_code}"
