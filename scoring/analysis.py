"""Reads that explain stored results: who rose or fell, where a unit lost points, weak criteria.

Every function here reads Result rows written by scoring.computation and the Score
rows behind them, in a fixed number of queries whatever the number of units. Sums
and maxima per score are left to the database; what is per unit (a few rows each,
or the areas JSON of a Result) is done in Python with the pure rules of
scoring.calculations, so a leaf counts here exactly as it counted in the total.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, DecimalField, F, Max, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual, LessThanOrEqual

from scoring import calculations as calc
from scoring.models import (
    Assessment,
    Campaign,
    CampaignBlock,
    Criterion,
    Result,
    Score,
    SurveyAnswer,
    SurveyResult,
    code_sort_key,
)
from units.models import Block, Unit

ZERO = Decimal("0")
POINTS = DecimalField(max_digits=12, decimal_places=2)
# The points a leaf counts for, as scoring.calculations.leaf_points states it.
COUNTED = Coalesce("final_points", "appraised_points", "self_points", Value(ZERO))
ADJUSTMENTS = (Criterion.Method.DEDUCTION, Criterion.Method.BONUS)

# ---------------------------------------------------------------------------
# A block's results and how they changed on last year


@dataclass(frozen=True)
class ResultRow:
    """One unit's stored result with its changes on last year, for tables and summaries."""

    result: Result
    # Points per area, in the order of the page's area columns (None: no such area).
    area_points: tuple[Decimal | None, ...] = ()

    @property
    def unit(self) -> Unit:
        return self.result.unit

    @property
    def index_change(self) -> Decimal | None:
        return self.result.index_change

    @property
    def rank_change(self) -> int | None:
        return self.result.rank_change

    @property
    def direction(self) -> str:
        """ "improved", "declined", "unchanged" or "new", by the index change as shown.

        The change is rounded as the page shows it, so a unit whose change reads
        0,00 is counted as unchanged rather than as improved by an invisible amount.
        """
        change = self.index_change
        if change is None:
            return "new"
        shown = calc.display_round(change)
        if shown > 0:
            return "improved"
        if shown < 0:
            return "declined"
        return "unchanged"


@dataclass(frozen=True)
class BlockChanges:
    improved: int
    declined: int
    unchanged: int
    new: int  # units with no value last year: counted apart
    risers: list[ResultRow]  # the biggest index gains, largest first
    fallers: list[ResultRow]  # the biggest index losses, largest first
    rank_risers: list[ResultRow]
    rank_fallers: list[ResultRow]

    @property
    def compared(self) -> int:
        return self.improved + self.declined + self.unchanged


def _block_result_rows(campaign: Campaign, block: Block) -> list[Result]:
    return list(Result.objects.for_block(campaign, block).select_related("unit"))


def changes_of(rows: Sequence[ResultRow], *, top: int = 3) -> BlockChanges:
    """The improved / declined / unchanged counts and the biggest movers of some rows."""
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row.direction] += 1

    def biggest(candidates: list[ResultRow], key, sign: int) -> list[ResultRow]:
        # Ties are broken by this year's rank, then name, so the list is stable.
        chosen = sorted(
            candidates, key=lambda row: (-sign * key(row), row.result.rank, row.unit.search_text)
        )
        return chosen[:top]

    def index_change(row: ResultRow) -> Decimal:
        return row.index_change

    def rank_change(row: ResultRow) -> int:
        return row.rank_change

    # Movers by index are those counted as improved or declined, so a change that
    # reads 0,00 is never listed among the risers.
    return BlockChanges(
        improved=counts["improved"],
        declined=counts["declined"],
        unchanged=counts["unchanged"],
        new=counts["new"],
        risers=biggest([r for r in rows if r.direction == "improved"], index_change, 1),
        fallers=biggest([r for r in rows if r.direction == "declined"], index_change, -1),
        rank_risers=biggest([r for r in rows if (r.rank_change or 0) > 0], rank_change, 1),
        rank_fallers=biggest([r for r in rows if (r.rank_change or 0) < 0], rank_change, -1),
    )


def block_changes(*, campaign: Campaign, block: Block, top: int = 3) -> BlockChanges:
    """How a block's units moved on last year's index and rank (one query)."""
    rows = [ResultRow(result) for result in _block_result_rows(campaign, block)]
    return changes_of(rows, top=top)


# ---------------------------------------------------------------------------
# The staff page of one block's results


# Each sortable column and the order it sorts in first, as aria-sort names it:
# the ranking and names from the top, indexes and rank changes best first.
SORTS = {"rank": "ascending", "name": "ascending", "index": "descending", "change": "descending"}
WEAK_LEAVES_SHOWN = 10


@dataclass(frozen=True)
class SortLink:
    query: str  # the query string of the column's header link
    aria_sort: str | None  # "ascending" or "descending" on the sorted column, else None


@dataclass(frozen=True)
class AreaHeading:
    code: str
    title: str


@dataclass(frozen=True)
class BlockResults:
    campaign_block: CampaignBlock
    areas: list[AreaHeading]
    rows: list[ResultRow]  # in the order asked for
    changes: BlockChanges
    weak_leaves: list["WeakLeaf"]  # the first WEAK_LEAVES_SHOWN
    weak_leaf_count: int
    sort: str
    reversed: bool

    @property
    def sort_links(self) -> dict[str, SortLink]:
        """Per column: a link sorting by it, or reversing it when it is the current sort."""
        flipped = {"ascending": "descending", "descending": "ascending"}
        links = {}
        for key, natural in SORTS.items():
            if key != self.sort:
                links[key] = SortLink(f"?sort={key}", None)
            elif self.reversed:
                links[key] = SortLink(f"?sort={key}", flipped[natural])
            else:
                links[key] = SortLink(f"?sort=-{key}", natural)
        return links

    @property
    def computed_at(self):
        return max((row.result.computed_at for row in self.rows), default=None)

    @property
    def preview_count(self) -> int:
        """Units whose result counts self-assessed or not yet final points."""
        return sum(1 for row in self.rows if not row.result.is_final)

    @property
    def is_final(self) -> bool:
        return bool(self.rows) and self.preview_count == 0

    # The published appendix has no column for adjustments (DOMAIN.md); the page
    # shows deductions and bonus points only where some unit has them.
    @property
    def has_deductions(self) -> bool:
        return any(row.result.deductions for row in self.rows)

    @property
    def has_bonus(self) -> bool:
        return any(row.result.bonus for row in self.rows)


def parse_sort(value: str | None) -> tuple[str, bool]:
    """("index", True) from "-index"; an unknown key falls back to the ranking."""
    value = (value or "").strip()
    reverse = value.startswith("-")
    key = value.lstrip("-")
    if key not in SORTS:
        return "rank", False
    return key, reverse


def _sorted_rows(rows: list[ResultRow], key: str, reverse: bool) -> list[ResultRow]:
    """Rows in a column's natural order (best first for numbers, A–Z for names).

    `reverse` flips that order; units without last year's values stay last either way.
    """

    def tiebreak(row: ResultRow) -> tuple:
        return (row.result.rank, row.unit.search_text)

    if key == "name":
        ordered = sorted(rows, key=lambda row: (row.unit.search_text, row.result.rank))
        return ordered[::-1] if reverse else ordered
    if key == "index":
        ordered = sorted(rows, key=lambda row: (-row.result.index, *tiebreak(row)))
        return ordered[::-1] if reverse else ordered
    if key == "change":
        known = [row for row in rows if row.rank_change is not None]
        unknown = [row for row in rows if row.rank_change is None]
        known.sort(key=lambda row: (-row.rank_change, -(row.index_change or ZERO), *tiebreak(row)))
        return (known[::-1] if reverse else known) + sorted(unknown, key=tiebreak)
    ordered = sorted(rows, key=tiebreak)
    return ordered[::-1] if reverse else ordered


def campaign_block_for(*, year: int, block_code: str) -> CampaignBlock | None:
    """A block of a year's campaign, with the campaign, block and framework (one query)."""
    return (
        CampaignBlock.objects.select_related("campaign", "block", "framework")
        .filter(campaign__year=year, block__code=block_code)
        .first()
    )


def block_results(*, campaign_block: CampaignBlock, sort: str | None = None) -> BlockResults:
    """A block's results table, its changes on last year and its weak leaves.

    The Result rows are read once and serve both the table and the summary.
    """
    campaign, block = campaign_block.campaign, campaign_block.block
    results = _block_result_rows(campaign, block)
    headings: dict[str, AreaHeading] = {}
    for result in results:
        for area in result.areas:
            headings.setdefault(area["code"], AreaHeading(area["code"], area["title"]))
    areas = sorted(headings.values(), key=lambda a: code_sort_key(a.code))
    rows = []
    for result in results:
        by_code = result.area_scored_points()
        rows.append(ResultRow(result, tuple(by_code.get(a.code) for a in areas)))
    key, reverse = parse_sort(sort)
    weak = _weak_leaves(campaign, campaign_block.framework_id) if results else []
    return BlockResults(
        campaign_block=campaign_block,
        areas=areas,
        rows=_sorted_rows(rows, key, reverse),
        changes=changes_of(rows),
        weak_leaves=weak[:WEAK_LEAVES_SHOWN],
        weak_leaf_count=len(weak),
        sort=key,
        reversed=reverse,
    )


# ---------------------------------------------------------------------------
# Leaves of a framework, and survey points from pooled answers


@dataclass(frozen=True)
class _Leaf:
    criterion: Criterion
    area: Criterion


def _leaves(framework_id: int) -> list[_Leaf]:
    """The leaves of a framework in code order, each with its area (one query)."""
    criteria = list(Criterion.objects.filter(framework_id=framework_id).order_by("sort_key"))
    parents = {c.parent_id for c in criteria if c.parent_id is not None}
    areas = {c.code: c for c in criteria if c.parent_id is None}
    return [
        _Leaf(criterion=c, area=areas.get(c.area_code, c)) for c in criteria if c.pk not in parents
    ]


def _survey_points_by_assessment(
    campaign_id: int, leaves: Iterable[_Leaf], assessments: Q
) -> dict[tuple[int, int], Decimal]:
    """(assessment, criterion) → survey points of the matching assessments (two queries).

    The answer counts of all respondent groups are pooled, as the computation does.
    """
    maxima = {
        leaf.criterion.pk: leaf.criterion.max_points
        for leaf in leaves
        if leaf.criterion.method == Criterion.Method.SURVEY
    }
    if not maxima:
        return {}
    weights = dict(
        SurveyAnswer.objects.filter(campaign_id=campaign_id).values_list("code", "weight_percent")
    )
    pooled: dict[tuple[int, int], dict[str, int]] = {}
    rows = SurveyResult.objects.filter(assessments, criterion_id__in=list(maxima)).values_list(
        "assessment_id", "criterion_id", "answer_counts"
    )
    for assessment_id, criterion_id, counts in rows:
        key = (assessment_id, criterion_id)
        pooled[key] = calc.pool_answer_counts([pooled.get(key, {}), counts])
    return {
        key: calc.survey_points(maxima[key[1]], counts, weights) for key, counts in pooled.items()
    }


# ---------------------------------------------------------------------------
# Where a unit lost points


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
    leaves = _leaves(assessment.framework_id)
    scores = {score.criterion_id: score for score in Score.objects.filter(assessment=assessment)}
    same_block = Q(
        assessment__campaign_id=assessment.campaign_id,
        assessment__framework_id=assessment.framework_id,
    )
    best = dict(
        Score.objects.filter(same_block, not_applicable=False)
        .values("criterion_id")
        .order_by()
        .annotate(best=Max(COUNTED, output_field=POINTS))
        .values_list("criterion_id", "best")
    )
    survey = _survey_points_by_assessment(assessment.campaign_id, leaves, same_block)
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
            counted = calc.leaf_points(final=final, appraised=appraised, claimed=self_points)
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


# ---------------------------------------------------------------------------
# A unit's areas against its block


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


# ---------------------------------------------------------------------------
# The leaves a block most often loses points on


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
    return _weak_leaves(campaign, framework_id)


def _weak_leaves(campaign: Campaign, framework_id: int) -> list[WeakLeaf]:
    """weak_leaves on a known framework: three queries, one of them the aggregate."""
    leaves = [
        leaf
        for leaf in _leaves(framework_id)
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
            full=Sum(one_if(GreaterThanOrEqual(COUNTED, F("criterion__max_points")))),
            zero=Sum(one_if(LessThanOrEqual(COUNTED, Value(ZERO)))),
            total=Sum(
                Case(When(not_applicable=True, then=Value(ZERO)), default=COUNTED),
                output_field=POINTS,
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


# ---------------------------------------------------------------------------
# One unit's results page


@dataclass(frozen=True)
class UnitResults:
    row: ResultRow
    comparison: AreaComparison
    lost: LostPoints

    @property
    def result(self) -> Result:
        return self.row.result


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
