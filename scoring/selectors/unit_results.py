"""One unit's results: its areas against its block and where it lost points."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q

from scoring import calculations as calc
from scoring.calculations import ZERO
from scoring.criteria_tree import ADJUSTMENTS
from scoring.models import (
    Assessment,
    Criterion,
    Result,
    Score,
    counted_points_sql,
)
from scoring.selectors.frameworks import framework_leaves
from scoring.selectors.results import ResultRow
from scoring.selectors.survey import survey_points_by_leaf
from units.models import Unit


@dataclass(frozen=True)
class LeafLoss:
    """One leaf of one assessment: what was claimed, appraised and kept, and what was lost."""

    code: str
    title: str
    area_code: str
    area_title: str
    method: str
    max_points: Decimal
    self_points: Decimal | None
    appraised_points: Decimal | None
    final_points: Decimal | None
    counted: Decimal  # the points the leaf counts for in the total
    lost: Decimal  # max − counted; for a deduction, the points taken off
    appraisal_note: str
    unit_reply: str
    block_best: Decimal | None  # the best points of the block's units on this leaf
    na_reason: str = ""

    @property
    def is_survey(self) -> bool:
        return self.method == Criterion.Method.SURVEY

    @property
    def scored_zero(self) -> bool:
        return self.counted == 0 and self.max_points > 0

    @property
    def block_did_better(self) -> bool:
        return self.block_best is not None and self.block_best > self.counted


@dataclass(frozen=True)
class LostPoints:
    leaves: list[LeafLoss]  # scored and survey leaves, most points lost first
    adjustments: list[LeafLoss]  # deductions and bonus points that applied
    not_applicable: list[LeafLoss]

    @property
    def total_lost(self) -> Decimal:
        return sum((leaf.lost for leaf in self.leaves), ZERO)

    def totals(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """(scored + survey points, applicable maximum, deducted, bonus) of today's leaves."""
        deducted = bonus = ZERO
        for leaf in self.adjustments:
            if leaf.method == Criterion.Method.DEDUCTION:
                deducted += leaf.counted
            else:
                bonus += leaf.counted
        points = sum((leaf.counted for leaf in self.leaves), ZERO)
        maximum = sum((leaf.max_points for leaf in self.leaves), ZERO)
        return points, maximum, deducted, bonus

    @property
    def losing(self) -> list[LeafLoss]:
        return [leaf for leaf in self.leaves if leaf.lost > 0]

    @property
    def full_marks(self) -> list[LeafLoss]:
        return [leaf for leaf in self.leaves if leaf.lost <= 0]


def unit_lost_points(*, assessment: Assessment) -> LostPoints:
    """Every leaf of an assessment with its points lost and the block's best (five queries).

    A leaf without a Score row (never self-assessed) counts 0, as in the total.
    Survey leaves take their points from the pooled answer counts and have no
    self-assessed or appraised points.
    """
    leaves = framework_leaves(assessment.framework_id)
    scores = {score.criterion_id: score for score in Score.objects.filter(assessment=assessment)}
    same_block = Q(
        assessment__campaign_id=assessment.campaign_id,
        assessment__framework_id=assessment.framework_id,
    )
    best = dict(
        Score.objects.filter(same_block, not_applicable=False)
        .values("criterion_id")
        .order_by()
        .annotate(best=Max(counted_points_sql()))
        .values_list("criterion_id", "best")
    )
    survey = survey_points_by_leaf(assessment.campaign_id, leaves, same_block)
    survey_best: dict[int, Decimal] = {}
    for (_assessment_id, criterion_id), points in survey.items():
        survey_best[criterion_id] = max(points, survey_best.get(criterion_id, ZERO))

    ranked, adjustments, not_applicable = [], [], []
    for leaf in leaves:
        criterion = leaf.criterion
        score = scores.get(criterion.pk)
        if criterion.method == Criterion.Method.SURVEY:
            counted = survey.get((assessment.pk, criterion.pk), ZERO)
            self_points = appraised = final = None
            note = reply = ""
            block_best = survey_best.get(criterion.pk, ZERO)
        else:
            self_points = score.self_points if score else None
            appraised = score.appraised_points if score else None
            final = score.final_points if score else None
            note = score.appraisal_note if score else ""
            reply = score.unit_reply if score else ""
            counted = calc.leaf_points(score) if score else ZERO
            block_best = best.get(criterion.pk)
        is_deduction = criterion.method == Criterion.Method.DEDUCTION
        entry = LeafLoss(
            code=criterion.code,
            title=criterion.title,
            area_code=leaf.area.code,
            area_title=leaf.area.title,
            method=criterion.method,
            max_points=criterion.max_points,
            self_points=self_points,
            appraised_points=appraised,
            final_points=final,
            counted=counted,
            lost=counted if is_deduction else criterion.max_points - counted,
            appraisal_note=note,
            unit_reply=reply,
            block_best=block_best,
            na_reason=score.na_reason if score and score.not_applicable else "",
        )
        if score is not None and score.not_applicable:
            not_applicable.append(entry)
        elif criterion.method in ADJUSTMENTS:
            if counted:
                adjustments.append(entry)
        else:
            ranked.append(entry)
    # Python's sort is stable and the leaves come in code order, so equal losses
    # stay in code order.
    ranked.sort(key=lambda entry: -entry.lost)
    return LostPoints(leaves=ranked, adjustments=adjustments, not_applicable=not_applicable)


@dataclass(frozen=True)
class AreaRow:
    code: str
    title: str
    points: Decimal
    max_points: Decimal
    index: Decimal
    survey_points: Decimal
    block_average: Decimal | None  # mean of the block's indexes on this area
    block_best: Decimal | None

    @property
    def lost(self) -> Decimal:
        return self.max_points - self.points


@dataclass(frozen=True)
class AreaComparison:
    areas: list[AreaRow]
    units: int  # results in the block this campaign


def _area_rows(result: Result, block_areas: Sequence[list[dict]]) -> list[AreaRow]:
    indexes: dict[str, list[Decimal]] = defaultdict(list)
    for areas in block_areas:
        for area in areas:
            indexes[area["code"]].append(Decimal(area["index"]))
    rows = []
    for area in result.areas:
        values = indexes.get(area["code"], [])
        rows.append(
            AreaRow(
                code=area["code"],
                title=area["title"],
                points=Decimal(area["points"]),
                max_points=Decimal(area["max"]),
                index=Decimal(area["index"]),
                survey_points=Decimal(area.get("survey_points", "0")),
                block_average=calc.exact(sum(values, ZERO) / len(values)) if values else None,
                block_best=max(values) if values else None,
            )
        )
    return rows


def area_comparison(*, result: Result) -> AreaComparison:
    """Per area of a result: the unit's points and index, the block's mean and best (one query).

    Read from the areas stored on the block's Result rows of the same campaign; a
    unit whose area has no applicable leaf still counts (its index there is 0).
    """
    block_areas = list(
        Result.objects.filter(campaign_id=result.campaign_id, block_id=result.block_id)
        .order_by()
        .values_list("areas", flat=True)
    )
    return AreaComparison(areas=_area_rows(result, block_areas), units=len(block_areas))


@dataclass(frozen=True)
class UnitResults:
    """A unit's stored result, and its leaves as they stand today.

    The headline (total, maximum, points lost, index, rank, tier) and the areas all
    come from the stored Result: the rank only means something among results computed
    at the same moment, so its figures are never mixed with live ones. The leaves
    (`lost`) are read live; `scores_changed` says when they no longer add up to the
    stored result, so the page can say which moment each part shows.
    """

    row: ResultRow
    comparison: AreaComparison
    lost: LostPoints

    @property
    def result(self) -> Result:
        return self.row.result

    @property
    def points_lost(self) -> Decimal:
        """Points lost on scored and survey criteria, by the stored result.

        total + points_lost + deductions − bonus = applicable maximum, as the headline shows.
        """
        result = self.result
        return result.applicable_max - result.scored_points - result.survey_points

    @property
    def scores_changed(self) -> bool:
        """Whether today's leaves, rounded as shown, differ from the stored result."""
        result = self.result
        stored = (
            result.scored_points + result.survey_points,
            result.applicable_max,
            result.deductions,
            result.bonus,
        )
        today = self.lost.totals()
        return any(
            calc.display_round(a) != calc.display_round(b)
            for a, b in zip(stored, today, strict=True)
        )


def unit_results(*, unit: Unit, year: int) -> UnitResults | None:
    """A unit's result of a year with its areas against the block and its lost points.

    Seven queries: the result, the block's areas, then unit_lost_points. None when
    the unit has no computed result that year.
    """
    result = (
        Result.objects.select_related("campaign", "block", "assessment", "unit")
        .filter(unit=unit, campaign__year=year)
        .first()
    )
    if result is None:
        return None
    return UnitResults(
        row=ResultRow(result),
        comparison=area_comparison(result=result),
        lost=unit_lost_points(assessment=result.assessment),
    )
