"""What accepting a unit's explanation would change: pure functions over plain values.

On the appraisal page, in the explained state, each leaf the unit replied on shows
how its total, index, tier and rank in its block would move if the appraiser
accepted the reply (the leaf's final points becoming the unit's own claim).

A unit's total is rebuilt here exactly as scoring.services.results builds it: a leaf
counts its final points, else its appraised points, else the claim (the one rule of
calculations.leaf_points); a not-applicable leaf leaves the maximum; survey points
come in per area, already computed; deductions and bonus points are capped by their
area. The other units of the block are fixed values (their stored
results), so only this unit moves. No database here: the loader lives in
scoring.selectors.appraisal.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from scoring import calculations as calc

ZERO = Decimal("0")


@dataclass(frozen=True)
class AreaFigures:
    """An area of the unit's framework: its kind and the unit's survey points in it."""

    code: str
    kind: str  # "scored", "deduction" or "bonus" (scoring.criteria_tree.kind)
    survey_points: Decimal = ZERO
    survey_max: Decimal = ZERO


@dataclass(frozen=True)
class LeafFigures:
    """A scored (non-survey) leaf of the unit, with its score's points if it has one."""

    key: Hashable
    area_code: str
    maximum: Decimal
    not_applicable: bool = False
    self_points: Decimal | None = None
    appraised_points: Decimal | None = None
    final_points: Decimal | None = None


@dataclass(frozen=True)
class Standing:
    """A unit's total, index, tier and rank; rank None when the block's ranks are unknown."""

    total: Decimal
    index: Decimal
    tier: str
    rank: int | None
    ranked_units: int | None


@dataclass(frozen=True)
class Change:
    """The standing now and after accepting some replies, and how it moves."""

    before: Standing
    after: Standing

    @property
    def total_change(self) -> Decimal:
        return self.after.total - self.before.total

    @property
    def index_change(self) -> Decimal:
        return self.after.index - self.before.index

    @property
    def rank_change(self) -> int | None:
        """Places gained (positive) or lost (negative); None when ranks are unknown."""
        if self.before.rank is None or self.after.rank is None:
            return None
        return self.before.rank - self.after.rank

    @property
    def direction(self) -> str:
        """ "up", "down" or "same": which way the total moves (for styling)."""
        change = self.total_change
        return "up" if change > 0 else "down" if change < 0 else "same"

    @property
    def tier_changes(self) -> bool:
        return self.before.tier != self.after.tier

    @property
    def changes_anything(self) -> bool:
        return self.total_change != 0 or self.tier_changes or bool(self.rank_change)


@dataclass(frozen=True)
class WhatIf:
    now: Standing
    # leaf key → what accepting that leaf's reply alone would change
    per_leaf: dict[Hashable, Change]
    # accepting every reply at once; None when there is no reply
    all_replies: Change | None


def unit_total(
    areas: Iterable[AreaFigures],
    leaves: Iterable[LeafFigures],
    accepted: frozenset[Hashable] = frozenset(),
) -> calc.UnitTotal:
    """The unit's total as scoring.services.results makes it, with the `accepted` leaves'
    final points replaced by the unit's claim."""
    points: dict[str, Decimal] = {}
    maxima: dict[str, Decimal] = {}
    for leaf in leaves:
        if leaf.not_applicable:
            continue
        if leaf.key in accepted:
            leaf = replace(leaf, final_points=leaf.self_points)
        counted = calc.leaf_points(leaf)
        points[leaf.area_code] = points.get(leaf.area_code, ZERO) + counted
        maxima[leaf.area_code] = maxima.get(leaf.area_code, ZERO) + leaf.maximum
    by_kind: dict[str, list[calc.AreaTotal]] = {"scored": [], "deduction": [], "bonus": []}
    survey: list[calc.AreaTotal] = []
    for area in areas:
        by_kind[area.kind].append(
            calc.AreaTotal(area.code, points.get(area.code, ZERO), maxima.get(area.code, ZERO))
        )
        survey.append(calc.AreaTotal(area.code, area.survey_points, area.survey_max))
    return calc.unit_total(
        scored=by_kind["scored"],
        survey=survey,
        deductions=by_kind["deduction"],
        bonus=by_kind["bonus"],
    )


class _ThisUnit:
    """The key of the unit itself among the other units' indexes."""


def standing(
    total: calc.UnitTotal, others: Sequence[Decimal] | None, tiers: Sequence[calc.Tier]
) -> Standing:
    """Where a total puts the unit: its tier, and its rank among `others` (None: unknown)."""
    index = total.index
    rank = ranked = None
    if others is not None:
        me = _ThisUnit()
        values: dict[Hashable, Decimal] = {i: value for i, value in enumerate(others)}
        values[me] = index
        rank, ranked = calc.ranks(values)[me], len(values)
    return Standing(
        total=total.total,
        index=index,
        tier=calc.tier_for(index, tiers),
        rank=rank,
        ranked_units=ranked,
    )


def what_if(
    *,
    areas: Sequence[AreaFigures],
    leaves: Sequence[LeafFigures],
    replied: Iterable[Hashable],
    others: Sequence[Decimal] | None,
    tiers: Sequence[calc.Tier],
) -> WhatIf:
    """The unit's standing now, and after accepting each reply in `replied`, then all of them.

    `others` are the indexes of the other units of the block (their stored
    results); None when the block has no computed results, so no rank is given.
    """
    now = standing(unit_total(areas, leaves), others, tiers)
    keys = list(dict.fromkeys(replied))
    per_leaf = {
        key: Change(now, standing(unit_total(areas, leaves, frozenset({key})), others, tiers))
        for key in keys
    }
    every = (
        Change(now, standing(unit_total(areas, leaves, frozenset(keys)), others, tiers))
        if keys
        else None
    )
    return WhatIf(now=now, per_leaf=per_leaf, all_replies=every)


def survey_area_points(
    survey_leaves: Iterable[tuple[Hashable, str, Decimal]],
    answer_counts: Mapping[Hashable, Iterable[Mapping[str, int]]],
    weights_percent: Mapping[str, Decimal],
) -> dict[str, Decimal]:
    """area code → survey points, each survey leaf (key, area, maximum) from its pooled counts.

    Raises ValueError, like calculations.survey_points, for an answer without a weight.
    """
    points: dict[str, Decimal] = {}
    for key, area_code, maximum in survey_leaves:
        groups = list(answer_counts.get(key, ()))
        if not groups:
            continue
        leaf_points = calc.survey_points(maximum, calc.pool_answer_counts(groups), weights_percent)
        points[area_code] = points.get(area_code, ZERO) + leaf_points
    return points
