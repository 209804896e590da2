"""The appraiser's worklist: the assessments waiting for them, with their progress."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Exists,
    OuterRef,
)

from scoring.models import (
    AppraiserAssignment,
    Assessment,
    code_sort_key,
)
from scoring.selectors.appraisal import State
from scoring.selectors.progress import Progress, appraisal_progress, with_progress
from units.access import user_roles

# The states an appraiser works in (a submitted assessment waits for its start).
WORKLIST_STATES = (State.SUBMITTED, State.IN_APPRAISAL, State.EXPLAINED)


@dataclass(frozen=True)
class WorklistRow:
    assessment: Assessment
    progress: Progress
    # The areas this appraiser is assigned to; empty for every area (or for staff).
    areas: tuple[str, ...]


def appraisal_worklist(user) -> list[WorklistRow]:
    """The assessments the user may appraise now: assigned units, every unit for staff."""
    roles = user_roles(user)
    assessments = Assessment.objects.filter(state__in=WORKLIST_STATES).select_related(
        "campaign", "unit__block"
    )
    areas: dict[tuple[int, int], list[str]] = defaultdict(list)
    if not roles.staff:
        assignments = AppraiserAssignment.objects.filter(appraiser=user)
        assessments = assessments.filter(
            Exists(assignments.filter(campaign=OuterRef("campaign"), unit=OuterRef("unit")))
        )
        for campaign_id, unit_id, area_code in assignments.values_list(
            "campaign_id", "unit_id", "area_code"
        ):
            areas[campaign_id, unit_id].append(area_code)
    assessments = with_progress(assessments).order_by(
        "-campaign__year", "unit__block__position", "unit__search_text"
    )
    rows = []
    for assessment in assessments:
        codes = areas.get((assessment.campaign_id, assessment.unit_id), [])
        rows.append(
            WorklistRow(
                assessment=assessment,
                progress=appraisal_progress(assessment),
                areas=() if "" in codes else tuple(sorted(codes, key=code_sort_key)),
            )
        )
    return rows
