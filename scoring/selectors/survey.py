"""Survey results read back as points: every reader of survey answers comes here.

survey_answers is the one loader: the campaign's answer weights and the answer counts
of some assessments, pooled per (assessment, leaf) over the respondent groups (every
answer counts the same), in two queries. The computation, a unit's lost points, the
appraiser's what-if and the survey import page all take their survey points from it,
through calculations.survey_points.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from scoring import calculations as calc
from scoring.models import Assessment, Campaign, Criterion, SurveyAnswer, SurveyResult
from scoring.selectors.frameworks import FrameworkLeaf


@dataclass(frozen=True)
class SurveyAnswers:
    """Answer counts pooled per (assessment, leaf), with the groups that answered."""

    weights: dict[str, Decimal]
    counts: dict[tuple[int, int], dict[str, int]] = field(default_factory=dict)
    groups: dict[tuple[int, int], list[str]] = field(default_factory=dict)

    def points(self, assessment_id: int, criterion_id: int, maximum: Decimal) -> Decimal:
        """A leaf's survey points; ValueError for an answer the campaign gives no weight."""
        return calc.survey_points(
            maximum, self.counts.get((assessment_id, criterion_id), {}), self.weights
        )


def survey_answers(
    *, campaign_id: int, assessments: Q | None = None, criterion_ids: Iterable[int] | None = None
) -> SurveyAnswers:
    """The campaign's weights and pooled counts of the matching assessments (two queries).

    `assessments` filters SurveyResult rows (e.g. Q(assessment=...)); without it, every
    assessment of the campaign. Unordered: pooled counts do not depend on the order.
    """
    weights = dict(
        SurveyAnswer.objects.filter(campaign_id=campaign_id).values_list("code", "weight_percent")
    )
    rows = SurveyResult.objects.filter(assessment__campaign_id=campaign_id).order_by()
    if assessments is not None:
        rows = rows.filter(assessments)
    if criterion_ids is not None:
        rows = rows.filter(criterion_id__in=list(criterion_ids))
    counts: dict[tuple[int, int], dict[str, int]] = {}
    groups: dict[tuple[int, int], list[str]] = defaultdict(list)
    for assessment_id, criterion_id, group, answer_counts in rows.values_list(
        "assessment_id", "criterion_id", "respondent_group", "answer_counts"
    ):
        key = (assessment_id, criterion_id)
        counts[key] = calc.pool_answer_counts([counts.get(key, {}), answer_counts])
        groups[key].append(group)
    return SurveyAnswers(weights=weights, counts=counts, groups=dict(groups))


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

    Four queries whatever the number of units.
    """
    answers = survey_answers(
        campaign_id=campaign.pk,
        assessments=None if assessment_ids is None else Q(assessment_id__in=list(assessment_ids)),
    )
    assessments = list(
        Assessment.objects.filter(pk__in={key[0] for key in answers.counts}).select_related(
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
            key = (assessment.pk, leaf.pk)
            leaves.append(
                SurveyLeafPoints(
                    criterion=leaf,
                    groups=sorted(answers.groups.get(key, [])),
                    respondents=sum(answers.counts.get(key, {}).values()),
                    points=answers.points(assessment.pk, leaf.pk, leaf.max_points),
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


def survey_points_by_leaf(
    campaign_id: int, leaves: Iterable[FrameworkLeaf], assessments: Q
) -> dict[tuple[int, int], Decimal]:
    """(assessment, criterion) → survey points of the matching assessments (two queries)."""
    maxima = {
        leaf.criterion.pk: leaf.criterion.max_points
        for leaf in leaves
        if leaf.criterion.method == Criterion.Method.SURVEY
    }
    if not maxima:
        return {}
    answers = survey_answers(campaign_id=campaign_id, assessments=assessments, criterion_ids=maxima)
    return {key: answers.points(*key, maxima[key[1]]) for key in answers.counts}
