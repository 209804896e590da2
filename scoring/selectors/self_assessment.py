"""The unit's view of its assessment: the self-assessment sheet, its leaves and events."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Prefetch,
)

from scoring.calculations import exact
from scoring.criteria_tree import ADJUSTMENTS
from scoring.models import (
    Assessment,
    AssessmentEvent,
    Campaign,
    Criterion,
    Evidence,
    Score,
)
from scoring.selectors.frameworks import TreeNode, framework_tree
from units.access import user_roles
from units.numbers import to_decimal


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
