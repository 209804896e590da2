"""Survey results read back as points: every reader of survey answers comes here."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Q,
)

from scoring import calculations
from scoring import calculations as calc
from scoring.models import (
    Assessment,
    Campaign,
    Criterion,
    SurveyAnswer,
    SurveyResult,
)
from scoring.selectors.frameworks import FrameworkLeaf


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
    scoring.services.results (calculations.survey_points over pooled answer counts).
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


def survey_points_by_leaf(
    campaign_id: int, leaves: Iterable[FrameworkLeaf], assessments: Q
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
