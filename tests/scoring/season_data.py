"""A block of many units at one stage of the season, for the bulk steps and the pages that
must cost the same for 12 units as for 120."""

from decimal import Decimal as D

from scoring.models import Assessment, Criterion, Score
from tests.factories import make_unit


def units_in_state(
    campaign, framework, *, count: int, state: str, appraised: bool = True
) -> list[Assessment]:
    """`count` units of the framework's block, each leaf self-scored at its maximum and,
    when `appraised`, appraised at one point less (never below 0)."""
    leaves = list(
        Criterion.objects.filter(framework=framework, children__isnull=True).exclude(
            method=Criterion.Method.SURVEY
        )
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            campaign=campaign,
            unit=make_unit(block=framework.block),
            framework=framework,
            state=state,
        )
        for _ in range(count)
    )
    Score.objects.bulk_create(
        Score(
            assessment=assessment,
            criterion=leaf,
            self_points=leaf.max_points,
            appraised_points=max(leaf.max_points - 1, D("0")) if appraised else None,
            appraisal_note="Thiếu tài liệu" if appraised else "",
        )
        for assessment in assessments
        for leaf in leaves
    )
    return assessments
