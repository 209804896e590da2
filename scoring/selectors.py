"""Reads of frameworks and campaigns shared by views: each one a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from scoring import calculations
from scoring.calculations import exact
from scoring.frameworks import ADJUSTMENTS, TreeProblem, to_decimal, tree_problems
from scoring.models import (
    Assessment,
    AssessmentEvent,
    Campaign,
    CampaignBlock,
    Criterion,
    Evidence,
    Framework,
    Score,
    SurveyAnswer,
    SurveyResult,
)
from units.access import user_roles

# ---------------------------------------------------------------------------
# Frameworks


def _count_of(criteria: QuerySet[Criterion]) -> Coalesce:
    """A subquery counting the given criteria of the outer framework."""
    counted = (
        criteria.filter(framework=OuterRef("pk"))
        .order_by()
        .values("framework")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def framework_list() -> QuerySet[Framework]:
    """Frameworks with their block, number of criteria and leaves and maximum, in one query.

    Subqueries rather than joined aggregates: counting over the criteria join and
    the children join at once would multiply rows. The maximum follows
    Framework.max_points (top-level nodes, deductions excluded).
    """
    has_children = Criterion.objects.filter(parent=OuterRef("pk"))
    maximum = (
        Criterion.objects.filter(framework=OuterRef("pk"), parent__isnull=True)
        .exclude(method__in=ADJUSTMENTS)
        .order_by()
        .values("framework")
        .annotate(total=Sum("max_points"))
        .values("total")
    )
    points = DecimalField(max_digits=9, decimal_places=2)
    return Framework.objects.select_related("block").annotate(
        criterion_count=_count_of(
            Criterion.objects.filter(parent__isnull=False, parent__parent__isnull=True)
        ),
        leaf_count=_count_of(Criterion.objects.filter(~Exists(has_children))),
        total_max=Coalesce(
            Subquery(maximum, output_field=points), Value(Decimal("0"), output_field=points)
        ),
    )


@dataclass(frozen=True)
class ScaleEntry:
    """One level ("on time": 1) or threshold (≥ 90 %: 2) of a leaf's scale."""

    label: str
    min_percent: Decimal | None
    points: Decimal | None
    raw_points: str


@dataclass
class TreeNode:
    criterion: Criterion
    depth: int
    children: list["TreeNode"] = field(default_factory=list)
    scale: list[ScaleEntry] = field(default_factory=list)
    # Areas only: the sum of the maxima of the leaves below.
    subtotal: Decimal | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class TreeRow:
    """A line of the tree as a table shows it: a node, or the subtotal closing an area."""

    node: TreeNode
    is_subtotal: bool = False


@dataclass(frozen=True)
class FrameworkTree:
    areas: list[TreeNode]
    rows: list[TreeRow]
    total_max: Decimal
    deduction_max: Decimal
    bonus_max: Decimal
    leaf_count: int
    problems: list[TreeProblem]


def _scale_entries(criterion: Criterion) -> list[ScaleEntry]:
    if not isinstance(criterion.scale, list):
        return []
    entries = []
    for entry in criterion.scale:
        if not isinstance(entry, dict):
            continue
        threshold = to_decimal(entry.get("min_percent")) if criterion.method == "ratio" else None
        entries.append(
            ScaleEntry(
                label=str(entry.get("label", "")),
                min_percent=threshold,
                points=to_decimal(entry.get("points")),
                raw_points=str(entry.get("points", "")),
            )
        )
    return entries


def framework_tree(framework: Framework) -> FrameworkTree:
    """The criteria of a framework as a tree, built from one ordered query."""
    criteria = list(framework.criteria.order_by("sort_key"))
    nodes: dict[int, TreeNode] = {}
    areas: list[TreeNode] = []
    for criterion in criteria:
        node = TreeNode(criterion=criterion, depth=criterion.depth, scale=_scale_entries(criterion))
        nodes[criterion.pk] = node
        parent = nodes.get(criterion.parent_id) if criterion.parent_id else None
        # sort_key puts parents first; an orphan (a broken tree) is shown at the top
        # level rather than hidden, and tree_problems names it.
        (parent.children if parent else areas).append(node)

    rows: list[TreeRow] = []
    leaf_count = 0

    def walk(node: TreeNode) -> Decimal:
        nonlocal leaf_count
        rows.append(TreeRow(node=node))
        if node.is_leaf:
            leaf_count += 1
            return node.criterion.max_points
        return sum((walk(child) for child in node.children), Decimal("0"))

    total_max = deduction_max = bonus_max = Decimal("0")
    for area in areas:
        area.subtotal = walk(area)
        rows.append(TreeRow(node=area, is_subtotal=True))
        if area.criterion.method == Criterion.Method.DEDUCTION:
            deduction_max += area.criterion.max_points
        elif area.criterion.method == Criterion.Method.BONUS:
            bonus_max += area.criterion.max_points
        else:
            total_max += area.criterion.max_points
    return FrameworkTree(
        areas=areas,
        rows=rows,
        total_max=total_max,
        deduction_max=deduction_max,
        bonus_max=bonus_max,
        leaf_count=leaf_count,
        problems=tree_problems(criteria),
    )


def framework_detail(pk: int) -> Framework | None:
    return Framework.objects.select_related("block", "cloned_from").filter(pk=pk).first()


# ---------------------------------------------------------------------------
# Campaigns


def _blocks_with_frameworks() -> Prefetch:
    return Prefetch("blocks", queryset=CampaignBlock.objects.select_related("block", "framework"))


def campaign_overview() -> QuerySet[Campaign]:
    """Every campaign with its blocks and their frameworks, newest first (two queries)."""
    return Campaign.objects.prefetch_related(_blocks_with_frameworks())


def campaign_list() -> QuerySet[Campaign]:
    """Campaigns with their blocks and number of assessments (two queries)."""
    # Meta.ordering does not apply to a GROUP BY query, so it is restated.
    return campaign_overview().annotate(assessment_count=Count("assessments")).order_by("-year")


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class BlockSummary:
    campaign_block: CampaignBlock
    state_counts: list[StateCount]
    total: int


@dataclass(frozen=True)
class CampaignDetail:
    campaign: Campaign
    blocks: list[BlockSummary]
    survey_answers: list[SurveyAnswer]
    total: int


def campaign_detail(year: int) -> CampaignDetail | None:
    """A campaign with, per block, its framework, tiers and assessments per state."""
    campaign = Campaign.objects.filter(year=year).first()
    if campaign is None:
        return None
    campaign_blocks = list(
        campaign.blocks.select_related("block", "framework").prefetch_related("tiers")
    )
    # One aggregate for every block; an assessment is counted under the framework
    # it is scored on, which is its block's framework in this campaign.
    counts: dict[tuple[int, str], int] = {
        (row["framework_id"], row["state"]): row["n"]
        for row in Assessment.objects.filter(campaign=campaign)
        .order_by()
        .values("framework_id", "state")
        .annotate(n=Count("pk"))
    }
    blocks = []
    for campaign_block in campaign_blocks:
        state_counts = [
            StateCount(
                state=state,
                label=label,
                count=counts.get((campaign_block.framework_id, state), 0),
            )
            for state, label in Assessment.State.choices
        ]
        blocks.append(
            BlockSummary(
                campaign_block=campaign_block,
                state_counts=state_counts,
                total=sum(c.count for c in state_counts),
            )
        )
    return CampaignDetail(
        campaign=campaign,
        blocks=blocks,
        survey_answers=list(campaign.survey_answers.all()),
        total=sum(block.total for block in blocks),
    )


# ---------------------------------------------------------------------------
# Self-assessment: one assessment's leaves with what its unit entered


@dataclass(frozen=True)
class SheetLeaf:
    """A leaf of the framework with the unit's score and evidence files."""

    node: TreeNode
    score: Score | None
    evidence: list[Evidence]
    # A ratio leaf's figures as a percentage, for showing next to its thresholds.
    ratio_percent: Decimal | None = None

    @property
    def criterion(self) -> Criterion:
        return self.node.criterion

    @property
    def is_survey(self) -> bool:
        return self.criterion.method == Criterion.Method.SURVEY

    @property
    def not_applicable(self) -> bool:
        return self.score is not None and self.score.not_applicable

    @property
    def is_done(self) -> bool:
        """Scored, or declared not applicable (the rule submission_problems applies)."""
        score = self.score
        return score is not None and (score.not_applicable or score.self_points is not None)

    @property
    def evidence_missing(self) -> bool:
        return self.criterion.evidence_required and not self.not_applicable and not self.evidence


@dataclass(frozen=True)
class AreaTotal:
    """An area's self-assessed points against what it can still earn."""

    criterion: Criterion
    self_points: Decimal
    # The maxima of its self-assessed leaves that apply (not-applicable ones leave it),
    # and of its survey leaves, which are scored later from the survey.
    self_max: Decimal
    survey_max: Decimal
    done: int
    scorable: int

    @property
    def is_adjustment(self) -> bool:
        return self.criterion.method in ADJUSTMENTS

    @property
    def survey_only(self) -> bool:
        """Nothing in it for the unit to score: every leaf comes from the survey."""
        return self.scorable == 0


@dataclass(frozen=True)
class SheetRow:
    """A line of the sheet: a node (with its leaf data when a leaf) or an area's subtotal."""

    node: TreeNode
    leaf: SheetLeaf | None = None
    area: AreaTotal | None = None
    is_subtotal: bool = False


@dataclass(frozen=True)
class SelfAssessmentSheet:
    rows: list[SheetRow]
    leaves: list[SheetLeaf]
    areas: list[AreaTotal]
    scorable_count: int
    done_count: int
    evidence_missing: list[SheetLeaf]
    # Ordinary areas only; deductions and bonus points are listed by their areas.
    self_total: Decimal
    self_max: Decimal
    survey_max: Decimal

    @property
    def percent_done(self) -> int:
        return self.done_count * 100 // self.scorable_count if self.scorable_count else 100


def _ratio_percent(criterion: Criterion, score: Score | None) -> Decimal | None:
    if criterion.method != Criterion.Method.RATIO or score is None or score.not_applicable:
        return None
    numerator = to_decimal(score.self_input.get("numerator"))
    denominator = to_decimal(score.self_input.get("denominator"))
    if numerator is None or not denominator:
        return None
    return exact(numerator * 100 / denominator)


def self_assessment_sheet(assessment: Assessment) -> SelfAssessmentSheet:
    """The framework tree of an assessment with its scores and evidence, in three queries.

    Whatever the number of leaves: the criteria in one query (framework_tree), the
    scores in one and their evidence files in one.
    """
    tree = framework_tree(assessment.framework)
    # Through the reverse manager, each score knows its assessment (and campaign)
    # without a query, which Evidence.dated_outside_year relies on.
    scores = {
        score.criterion_id: score
        for score in assessment.scores.prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("uploaded_by").order_by(
                    "uploaded_at", "pk"
                ),
            )
        )
    }
    leaves: dict[int, SheetLeaf] = {}
    for tree_row in tree.rows:
        node = tree_row.node
        if node.is_leaf and not tree_row.is_subtotal:
            score = scores.get(node.criterion.pk)
            leaves[node.criterion.pk] = SheetLeaf(
                node=node,
                score=score,
                evidence=list(score.evidence.all()) if score else [],
                ratio_percent=_ratio_percent(node.criterion, score),
            )
    areas = {
        area.criterion.pk: _area_total(area.criterion, [leaves[pk] for pk in _leaf_pks(area)])
        for area in tree.areas
    }
    rows = [
        SheetRow(
            node=row.node,
            leaf=None if row.is_subtotal else leaves.get(row.node.criterion.pk),
            area=areas.get(row.node.criterion.pk),
            is_subtotal=row.is_subtotal,
        )
        for row in tree.rows
    ]
    scorable = [leaf for leaf in leaves.values() if not leaf.is_survey]
    ordinary = [area for area in areas.values() if not area.is_adjustment]
    zero = Decimal("0")
    return SelfAssessmentSheet(
        rows=rows,
        leaves=list(leaves.values()),
        areas=list(areas.values()),
        scorable_count=len(scorable),
        done_count=sum(1 for leaf in scorable if leaf.is_done),
        evidence_missing=[leaf for leaf in scorable if leaf.evidence_missing],
        self_total=sum((area.self_points for area in ordinary), zero),
        self_max=sum((area.self_max for area in ordinary), zero),
        survey_max=sum((area.survey_max for area in ordinary), zero),
    )


def _leaf_pks(node: TreeNode) -> list[int]:
    if node.is_leaf:
        return [node.criterion.pk]
    return [pk for child in node.children for pk in _leaf_pks(child)]


def _area_total(criterion: Criterion, leaves: list[SheetLeaf]) -> AreaTotal:
    zero = Decimal("0")
    scorable = [leaf for leaf in leaves if not leaf.is_survey]
    claimed = [leaf.score.self_points for leaf in scorable if leaf.score is not None]
    return AreaTotal(
        criterion=criterion,
        self_points=sum((points for points in claimed if points is not None), zero),
        self_max=sum(
            (leaf.criterion.max_points for leaf in scorable if not leaf.not_applicable), zero
        ),
        survey_max=sum((leaf.criterion.max_points for leaf in leaves if leaf.is_survey), zero),
        done=sum(1 for leaf in scorable if leaf.is_done),
        scorable=len(scorable),
    )


def assessment_leaf(assessment: Assessment, pk: int) -> Criterion | None:
    """A leaf criterion of the assessment's framework, or None (another framework, a parent)."""
    return Criterion.objects.filter(
        pk=pk, framework_id=assessment.framework_id, children__isnull=True
    ).first()


def leaf_score(assessment: Assessment, criterion: Criterion) -> Score | None:
    return assessment.scores.filter(criterion=criterion).first()


def assessment_events(assessment: Assessment) -> list[AssessmentEvent]:
    """The workflow steps of an assessment, oldest first, with who made them."""
    return list(assessment.events.select_related("actor").order_by("at", "pk"))


# Campaigns whose assessments a unit works on or follows: from self-assessment
# until the results are finalised.
OPEN_CAMPAIGN_STATUSES = (
    Campaign.Status.SELF_ASSESSMENT,
    Campaign.Status.APPRAISAL,
    Campaign.Status.EXPLANATION,
)


def user_open_assessments(user) -> list[Assessment]:
    """The assessments of the user's units in open campaigns (cached on the user per request)."""
    cached = getattr(user, "_cchc_open_assessments", None)
    if cached is not None:
        return cached
    roles = user_roles(user)
    assessments = (
        list(
            Assessment.objects.filter(
                unit_id__in=roles.editor_of | roles.head_of,
                campaign__status__in=OPEN_CAMPAIGN_STATUSES,
            )
            .select_related("campaign", "unit")
            .order_by("-campaign__year", "unit__name")
        )
        if roles.any_unit
        else []
    )
    if getattr(user, "is_authenticated", False):
        user._cchc_open_assessments = assessments
    return assessments


# ---------------------------------------------------------------------------
# Survey results


@dataclass(frozen=True)
class SurveyLeafPoints:
    """The survey points of one leaf for one unit, all respondent groups pooled."""

    criterion: Criterion
    groups: list[str]
    respondents: int
    points: Decimal


@dataclass(frozen=True)
class UnitSurveyPoints:
    assessment: Assessment
    leaves: list[SurveyLeafPoints]
    total: Decimal
    maximum: Decimal


def survey_points_by_unit(
    campaign: Campaign, *, assessment_ids: Iterable[int] | None = None
) -> list[UnitSurveyPoints]:
    """Units with survey results, each survey leaf's points by the campaign's weights.

    Four queries whatever the number of units. The points follow the rule of
    scoring.computation (calculations.survey_points over pooled answer counts).
    """
    weights = dict(campaign.survey_answers.values_list("code", "weight_percent"))
    results = SurveyResult.objects.filter(assessment__campaign=campaign).order_by()
    if assessment_ids is not None:
        results = results.filter(assessment_id__in=list(assessment_ids))
    answered: dict[tuple[int, int], list[tuple[str, dict]]] = defaultdict(list)
    for assessment_id, criterion_id, group, counts in results.values_list(
        "assessment_id", "criterion_id", "respondent_group", "answer_counts"
    ):
        answered[assessment_id, criterion_id].append((group, counts))
    assessments = list(
        Assessment.objects.filter(pk__in={key[0] for key in answered}).select_related(
            "unit__block", "framework"
        )
    )
    leaves_of: dict[int, list[Criterion]] = defaultdict(list)
    for leaf in Criterion.objects.filter(
        framework_id__in={a.framework_id for a in assessments},
        method=Criterion.Method.SURVEY,
        children__isnull=True,
    ).order_by("sort_key"):
        leaves_of[leaf.framework_id].append(leaf)

    units = []
    for assessment in assessments:
        leaves = []
        for leaf in leaves_of[assessment.framework_id]:
            groups = answered.get((assessment.pk, leaf.pk), [])
            pooled = calculations.pool_answer_counts(counts for _group, counts in groups)
            leaves.append(
                SurveyLeafPoints(
                    criterion=leaf,
                    groups=sorted(group for group, _counts in groups),
                    respondents=sum(pooled.values()),
                    points=calculations.survey_points(leaf.max_points, pooled, weights),
                )
            )
        units.append(
            UnitSurveyPoints(
                assessment=assessment,
                leaves=leaves,
                total=sum((leaf.points for leaf in leaves), Decimal("0")),
                maximum=sum((leaf.criterion.max_points for leaf in leaves), Decimal("0")),
            )
        )
    return units
