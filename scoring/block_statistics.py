"""A block's statistics as pure functions over plain values: no database, Decimal only.

Published decisions report each block's average index; pages, the PDF appendix, the
written summary and open data all take their figures from `block_statistics`, so the
same block gives the same numbers everywhere. Every mean and median is of the
unrounded values, carried to ten decimals (calculations.exact); only the display
rounds them to two, as it does each unit's index.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from scoring.calculations import HUNDRED, ZERO, AreaTotal, exact

TWO = Decimal(2)


def mean(values: Sequence[Decimal]) -> Decimal | None:
    """The arithmetic mean to ten decimals; None for no values."""
    if not values:
        return None
    return exact(sum(values, ZERO) / len(values))


def median(values: Sequence[Decimal]) -> Decimal | None:
    """The middle value; of an even count, the mean of the two middle ones. None for none."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return exact((ordered[middle - 1] + ordered[middle]) / TWO)


def is_complete_ranking(ranks: Iterable[int]) -> bool:
    """Whether ranks are a whole competition ranking (1, 2, 2, 4…) with none missing.

    A table holding only part of a block shows gaps (1, 5, 9) or starts below 1:
    year-on-year claims about places must not be made against it.
    """
    ordered = sorted(ranks)
    if not ordered:
        return False
    for position, rank in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        if rank != position and rank != previous:
            return False
    return True


@dataclass(frozen=True)
class UnitFigures:
    """What the statistics need of one unit's result; areas exclude survey points."""

    index: Decimal
    tier: str = ""
    total: Decimal = ZERO
    survey_points: Decimal = ZERO
    areas: Sequence[AreaTotal] = ()


@dataclass(frozen=True)
class TierCount:
    name: str  # "" for the units below every tier
    count: int


@dataclass(frozen=True)
class AreaAverage:
    """One area across the block: mean points and maximum, and the mean of the units'
    area indexes (units to which no criterion of the area applies left out)."""

    code: str
    title: str
    points: Decimal
    maximum: Decimal
    index: Decimal | None
    units: int


@dataclass(frozen=True)
class BlockStatistics:
    units: int
    mean: Decimal | None
    median: Decimal | None
    minimum: Decimal | None
    maximum: Decimal | None
    mean_total: Decimal | None = None
    mean_survey_points: Decimal | None = None
    tiers: tuple[TierCount, ...] = ()
    areas: tuple[AreaAverage, ...] = field(default_factory=tuple)

    @property
    def spread(self) -> Decimal | None:
        """Highest minus lowest index."""
        if self.maximum is None or self.minimum is None:
            return None
        return self.maximum - self.minimum


def block_statistics(
    units: Iterable[UnitFigures],
    *,
    tier_names: Sequence[str] = (),
    area_titles: dict[str, str] | None = None,
) -> BlockStatistics:
    """Mean, median, lowest and highest index, counts per tier, per-area averages.

    `tier_names` are the block's tiers, best first: each is counted, with 0 when no
    unit reached it. A tier found on a unit but not named (a band renamed since) is
    counted after them, and units below every tier last, under "". Areas come in
    the order they first appear; `area_titles` names them.
    """
    units = list(units)
    indexes = [unit.index for unit in units]
    counts = dict.fromkeys(tier_names, 0)
    for unit in units:
        if unit.tier:
            counts[unit.tier] = counts.get(unit.tier, 0) + 1
    below = sum(1 for unit in units if not unit.tier)
    tiers = [TierCount(name, count) for name, count in counts.items()]
    if below:
        tiers.append(TierCount("", below))
    return BlockStatistics(
        units=len(units),
        mean=mean(indexes),
        median=median(indexes),
        minimum=min(indexes, default=None),
        maximum=max(indexes, default=None),
        mean_total=mean([unit.total for unit in units]),
        mean_survey_points=mean([unit.survey_points for unit in units]),
        tiers=tuple(tiers),
        areas=tuple(_area_averages(units, area_titles or {})),
    )


def _area_averages(units: list[UnitFigures], titles: dict[str, str]) -> list[AreaAverage]:
    # Sums per area in one pass: a block of thousands of units has tens of thousands of
    # areas. Each unit's area index is left unrounded here; only the mean is carried
    # to ten decimals, as every mean is.
    sums: dict[str, list] = {}  # code → [points, maximum, units, Σ index, units applying]
    for unit in units:
        for area in unit.areas:
            total = sums.setdefault(area.code, [ZERO, ZERO, 0, ZERO, 0])
            total[0] += area.points
            total[1] += area.maximum
            total[2] += 1
            if area.maximum > 0:
                total[3] += area.points * HUNDRED / area.maximum
                total[4] += 1
    return [
        AreaAverage(
            code=code,
            title=titles.get(code, ""),
            points=exact(points / count),
            maximum=exact(maximum / count),
            index=exact(indexes / applying) if applying else None,
            units=count,
        )
        for code, (points, maximum, count, indexes, applying) in sums.items()
    ]
