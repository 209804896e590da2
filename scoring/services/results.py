"""The campaign computation: every unit's points, index, rank and tier, stored as Result rows.

The database sums the scores per assessment and area in one GROUP BY; Python then
applies the pure rules of scoring.calculations to a few rows per unit. The number
of queries does not depend on the number of units, but for one INSERT per 500 results.
bench/scoring.py times it against a bare SUM ... GROUP BY over the same scores.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from scoring import calculations as calc
from scoring.calculations import ZERO
from scoring.criteria_tree import kind
from scoring.models import (
    POINTS_SUM,
    Assessment,
    Campaign,
    CampaignBlock,
    Criterion,
    Result,
    Score,
    counted_points_sql,
)
from scoring.selectors.campaigns import block_tiers
from scoring.selectors.survey import survey_answers
from units.models import Unit

FINAL_STATES = (Assessment.State.APPRAISED, Assessment.State.PUBLISHED)


@dataclass
class _Area:
    """One area of one framework, as the computation needs it."""

    code: str
    title: str
    kind: str  # "scored", "deduction" or "bonus"
    maximum: Decimal = ZERO  # of its scored (non-survey) leaves
    survey_max: Decimal = ZERO
    survey_leaves: list[Criterion] = field(default_factory=list)


@transaction.atomic
def results_compute(*, campaign: Campaign) -> list[Result]:
    """Replace the campaign's results with freshly computed ones, and return them.

    A leaf counts its final points, else its appraised points, else the unit's own
    claim: before appraisal the results are a preview on self-assessed points.
    """
    previous = _previous_campaign(campaign)
    if previous is not None and not previous.results.exists():
        results_compute(campaign=previous)

    areas = _areas_by_framework(campaign)
    assessments = list(
        Assessment.objects.filter(campaign=campaign).values(
            "pk", "unit_id", "unit__block_id", "framework_id", "state"
        )
    )
    sums = _score_sums(campaign)
    survey = _survey_points(campaign, areas)
    tiers = block_tiers(campaign.pk)
    earlier = _previous_values(campaign, previous, [a["unit_id"] for a in assessments])

    now = timezone.now()
    results: list[Result] = []
    for row in assessments:
        by_kind: dict[str, list[calc.AreaTotal]] = {"scored": [], "deduction": [], "bonus": []}
        survey_totals: list[calc.AreaTotal] = []
        area_rows = []
        for area in areas[row["framework_id"]].values():
            points, not_applicable = sums.get((row["pk"], area.code), (ZERO, ZERO))
            maximum = area.maximum - not_applicable
            survey_points = survey.get((row["pk"], area.code), ZERO)
            by_kind[area.kind].append(calc.AreaTotal(area.code, points, maximum))
            survey_totals.append(calc.AreaTotal(area.code, survey_points, area.survey_max))
            if area.kind == "scored":
                # The area as pages show it: its scored and survey leaves together.
                area_points, area_max = points + survey_points, maximum + area.survey_max
                area_rows.append(
                    {
                        "code": area.code,
                        "title": area.title,
                        "points": str(area_points),
                        "max": str(area_max),
                        "index": str(calc.index_percent(area_points, area_max)),
                        "survey_points": str(survey_points),
                        # What part of "max" comes from survey criteria: an area made
                        # of survey criteria only has no scored points (Result.area_scored_points).
                        "survey_max": str(area.survey_max),
                    }
                )
        total = calc.unit_total(
            scored=by_kind["scored"],
            survey=survey_totals,
            deductions=by_kind["deduction"],
            bonus=by_kind["bonus"],
        )
        previous_rank, previous_index = earlier.get(row["unit_id"], (None, None))
        results.append(
            Result(
                assessment_id=row["pk"],
                campaign=campaign,
                unit_id=row["unit_id"],
                block_id=row["unit__block_id"],
                is_final=row["state"] in FINAL_STATES,
                scored_points=total.scored_points,
                survey_points=total.survey_points,
                deductions=total.deductions,
                bonus=total.bonus,
                total=total.total,
                applicable_max=total.applicable_max,
                index=total.index,
                rank=0,
                previous_rank=previous_rank,
                previous_index=previous_index,
                areas=area_rows,
                computed_at=now,
            )
        )

    by_block: dict[int, list[Result]] = defaultdict(list)
    for result in results:
        by_block[result.block_id].append(result)
    for block_id, block_results in by_block.items():
        ranks = calc.ranks({id(r): r.index for r in block_results})
        for result in block_results:
            result.rank = ranks[id(result)]
            result.tier = calc.tier_for(result.index, tiers.get(block_id, []))

    Result.objects.filter(campaign=campaign).delete()
    # Batches of 500 rows insert a little faster on PostgreSQL than larger ones.
    return Result.objects.bulk_create(results, batch_size=500)


def _previous_campaign(campaign: Campaign) -> Campaign | None:
    return Campaign.objects.filter(year__lt=campaign.year).order_by("-year").first()


def _areas_by_framework(campaign: Campaign) -> dict[int, dict[str, _Area]]:
    """Each framework's areas with the maxima of their scored and survey leaves."""
    framework_ids = CampaignBlock.objects.filter(campaign=campaign).values("framework_id")
    criteria = Criterion.objects.filter(framework_id__in=framework_ids).order_by(
        "framework_id", "sort_key"
    )
    parents = set(criteria.filter(parent__isnull=False).values_list("parent_id", flat=True))
    areas: dict[int, dict[str, _Area]] = defaultdict(dict)
    for criterion in criteria:
        framework_areas = areas[criterion.framework_id]
        if criterion.parent_id is None:
            framework_areas[criterion.code] = _Area(
                criterion.code, criterion.title, kind(criterion.method)
            )
            if criterion.pk in parents:
                continue
        elif criterion.pk in parents:
            continue
        area = framework_areas[criterion.area_code]
        if criterion.method == Criterion.Method.SURVEY:
            area.survey_max += criterion.max_points
            area.survey_leaves.append(criterion)
        else:
            area.maximum += criterion.max_points
    return areas


def _score_sums(campaign: Campaign) -> dict[tuple[int, str], tuple[Decimal, Decimal]]:
    """(assessment, area) → (points of applicable leaves, maximum of not-applicable leaves).

    Survey leaves take their points from survey results, never from a Score row.
    """
    counted = counted_points_sql()
    rows = (
        Score.objects.filter(assessment__campaign=campaign)
        .exclude(criterion__method=Criterion.Method.SURVEY)
        .values_list("assessment_id", "criterion__area_code")
        .order_by()
        # An aggregate's FILTER costs the database less than a CASE in its argument.
        .annotate(
            points=Sum(counted, filter=Q(not_applicable=False), output_field=POINTS_SUM),
            not_applicable_max=Sum(
                "criterion__max_points", filter=Q(not_applicable=True), output_field=POINTS_SUM
            ),
        )
    )
    # A sum is None when no row of the group passes its filter.
    return {
        (assessment_id, area_code): (points or ZERO, not_applicable_max or ZERO)
        for assessment_id, area_code, points, not_applicable_max in rows
    }


def _survey_points(
    campaign: Campaign, areas: dict[int, dict[str, _Area]]
) -> dict[tuple[int, str], Decimal]:
    """(assessment, area) → survey points, each leaf from its pooled answer counts."""
    leaves = {
        leaf.pk: (area.code, leaf.max_points)
        for framework_areas in areas.values()
        for area in framework_areas.values()
        for leaf in area.survey_leaves
    }
    answers = survey_answers(campaign_id=campaign.pk)
    points: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for assessment_id, criterion_id in answers.counts:
        if criterion_id in leaves:
            area_code, maximum = leaves[criterion_id]
            points[assessment_id, area_code] += answers.points(assessment_id, criterion_id, maximum)
    return points


def _previous_values(
    campaign: Campaign, previous: Campaign | None, unit_ids: list[int]
) -> dict[int, tuple[int, Decimal]]:
    """unit → (rank, index) of the previous campaign, following a rename through lineage.

    A unit that did not exist last year takes its predecessor's values only when it
    has exactly one (a rename or a change of type). A merger of several units has
    no previous rank: DOMAIN.md forbids inventing a combined value.
    """
    if previous is None:
        return {}
    earlier = {
        unit_id: (rank, index)
        for unit_id, rank, index in previous.results.values_list("unit_id", "rank", "index")
    }
    lineage: dict[int, list[int]] = defaultdict(list)
    links = Unit.predecessors.through.objects.filter(
        Q(from_unit_id__in=unit_ids), ~Q(from_unit_id__in=list(earlier))
    ).values_list("from_unit_id", "to_unit_id")
    for unit_id, predecessor_id in links:
        lineage[unit_id].append(predecessor_id)
    values = {}
    for unit_id in unit_ids:
        if unit_id in earlier:
            values[unit_id] = earlier[unit_id]
        elif len(lineage.get(unit_id, [])) == 1 and lineage[unit_id][0] in earlier:
            values[unit_id] = earlier[lineage[unit_id][0]]
    return values
