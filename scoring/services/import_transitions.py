"""Carrying imported scores through the workflow (import_scores --transition).

Scores kept elsewhere arrive with their appraisal; without this, each unit's head would
have to log in and submit before anyone could appraise. Each unit goes through the same
transitions as in the portal (submit_for, start_appraisal, finalise) with their checks,
as far as its figures allow, each step recorded with the reason "imported". Deadlines
are waived: the import never followed them.
"""

from dataclasses import dataclass, field

from scoring.models import Assessment, Campaign, Score
from scoring.services.appraisal import scores_finalise
from scoring.services.stragglers import empty_scores_create
from scoring.workflow import WorkflowError, assessment_transition
from units.models import Unit

IMPORTED = "imported"  # the key of EVENT_REASONS the steps are recorded with

# The step that carries an assessment on from each state; an appraisal stops at appraised.
NEXT_STEP = {
    Assessment.State.DRAFT: "submit_for",
    Assessment.State.SUBMITTED: "start_appraisal",
    Assessment.State.IN_APPRAISAL: "finalise",
    Assessment.State.EXPLAINED: "finalise",
}


# What each step does besides moving the file, as in the portal: a file submitted for its
# unit gets a row for each leaf left empty (to be appraised), a finalised one its final points.
SIDE_EFFECTS = {
    "submit_for": lambda moved, actor: empty_scores_create(assessments=moved, actor=actor),
    "start_appraisal": lambda moved, actor: None,
    "finalise": lambda moved, actor: scores_finalise(assessments=moved, actor=actor),
}


@dataclass
class Carried:
    """Where an imported unit's assessment went: its steps, and why it stopped short."""

    assessment: Assessment
    steps: list[str] = field(default_factory=list)
    stopped: list[str] = field(default_factory=list)


def imported_assessments_carry(*, campaign: Campaign, units: list[Unit], actor) -> list[Carried]:
    """Move each unit's assessment on as far as it can go; the caller's transaction holds it."""
    assessments = Assessment.objects.filter(campaign=campaign, unit__in=units).select_related(
        "unit__block", "campaign"
    )
    appraised = set(
        Score.objects.filter(
            assessment__in=assessments, appraised_points__isnull=False
        ).values_list("assessment_id", flat=True)
    )
    carried = []
    for assessment in assessments:
        outcome = Carried(assessment=assessment)
        while assessment.state in NEXT_STEP:
            action = NEXT_STEP[assessment.state]
            if action == "start_appraisal" and assessment.pk not in appraised:
                break  # self-assessed points only: submitted is as far as they go
            try:
                assessment = assessment_transition(
                    assessment=assessment,
                    action=action,
                    actor=actor,
                    reason=IMPORTED,
                    waive_deadlines=True,
                    after=lambda moved, action=action: SIDE_EFFECTS[action](moved, actor),
                )
            except WorkflowError as error:
                outcome.stopped = str(error).splitlines()
                break
            outcome.steps.append(action)
        outcome.assessment = assessment
        carried.append(outcome)
    return carried
