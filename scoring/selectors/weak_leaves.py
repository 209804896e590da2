"""The leaves a block most often loses points on."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, Sum, Value, When
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from scoring import calculations as calc
from scoring.calculations import ZERO
from scoring.criteria_tree import ADJUSTMENTS
from scoring.models import (
    POINTS_SUM,
    Assessment,
    Campaign,
    CampaignBlock,
    Criterion,
    Score,
    counted_points_sql,
)
from scoring.selectors.frameworks import framework_leaves
from units.models import Block


@dataclass(frozen=True)
class WeakLeaf:
    code: str
    title: str
    area_code: str
    max_points: Decimal
    units: int  # units the leaf applies to
    below_max: int
    at_zero: int
    average: Decimal

    @property
    def share_below_max(self) -> Decimal:
        return calc.index_percent(Decimal(self.below_max), Decimal(self.units))


def weak_leaves(*, campaign: Campaign, block: Block) -> list[WeakLeaf]:
    """Leaves on which most of a block's units lost points, or some scored nothing.

    Ordered by the number of units below the maximum, then at zero, then code.
    Survey leaves are left out: hardly any unit gets every answer at the top
    weight, so they would crowd out the criteria a unit can act on.
    """
    framework_id = (
        CampaignBlock.objects.filter(campaign=campaign, block=block)
        .values_list("framework_id", flat=True)
        .first()
    )
    if framework_id is None:
        return []
    return framework_weak_leaves(campaign, framework_id)


def framework_weak_leaves(campaign: Campaign, framework_id: int) -> list[WeakLeaf]:
    """weak_leaves on a known framework: three queries, one of them the aggregate."""
    leaves = [
        leaf
        for leaf in framework_leaves(framework_id)
        if leaf.criterion.method not in (Criterion.Method.SURVEY, *ADJUSTMENTS)
    ]
    assessments = Assessment.objects.filter(campaign=campaign, framework_id=framework_id).count()

    def one_if(condition) -> Case:
        # 1 for an applicable score meeting the condition, summed into a count.
        return Case(
            When(not_applicable=True, then=Value(0)),
            When(condition, then=Value(1)),
            default=Value(0),
        )

    stats = {
        row["criterion_id"]: row
        for row in Score.objects.filter(
            assessment__campaign=campaign, assessment__framework_id=framework_id
        )
        .values("criterion_id")
        .order_by()
        .annotate(
            na=Sum(Case(When(not_applicable=True, then=Value(1)), default=Value(0))),
            full=Sum(one_if(GreaterThanOrEqual(counted_points_sql(), F("criterion__max_points")))),
            zero=Sum(one_if(LessThanOrEqual(counted_points_sql(), Value(ZERO)))),
            total=Sum(
                Case(When(not_applicable=True, then=Value(ZERO)), default=counted_points_sql()),
                output_field=POINTS_SUM,
            ),
            rows=Count("pk"),
        )
    }
    weak = []
    for leaf in leaves:
        criterion = leaf.criterion
        row = stats.get(criterion.pk, {})
        units = assessments - (row.get("na") or 0)
        if units <= 0:
            continue
        # A unit with no Score row on the leaf (never self-assessed) counts 0, as in its total.
        missing = units - ((row.get("rows") or 0) - (row.get("na") or 0))
        below_max = units - (row.get("full") or 0)
        at_zero = (row.get("zero") or 0) + missing
        if below_max * 2 <= units and not at_zero:
            continue
        weak.append(
            WeakLeaf(
                code=criterion.code,
                title=criterion.title,
                area_code=leaf.area.code,
                max_points=criterion.max_points,
                units=units,
                below_max=below_max,
                at_zero=at_zero,
                average=calc.exact(Decimal(row.get("total") or 0) / units),
            )
        )
    weak.sort(key=lambda leaf: (-leaf.below_max, -leaf.at_zero))
    return weak
