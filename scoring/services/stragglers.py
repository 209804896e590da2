"""Units that miss a deadline: staff move their files on, with a reason, so that one late
unit never holds the whole campaign back from publication.

After the unit's self-assessment deadline (its extension included) staff either submit
what the unit entered on its behalf, or open its appraisal from nothing; after its
explanation deadline they close the explanation the unit never sent. Each is a
transition of scoring.workflow (staff only, reason required), kept in the file's history.
"""

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from scoring.models import Assessment, Criterion, Score
from scoring.workflow import assessment_transition


def assessment_submit_for(*, assessment: Assessment, actor, reason: str) -> Assessment:
    """Submit a late unit's self-assessment as it stands; the leaves it left empty are
    appraised from zero, like every leaf of a unit that submitted nothing."""
    return assessment_transition(
        assessment=assessment,
        action="submit_for",
        actor=actor,
        reason=reason,
        after=lambda moved: empty_scores_create(assessments=moved, actor=actor),
    )


def assessment_appraise_unsubmitted(*, assessment: Assessment, actor, reason: str) -> Assessment:
    """Open the appraisal of a unit that submitted nothing: every leaf to appraise from zero."""
    return assessment_transition(
        assessment=assessment,
        action="appraise_unsubmitted",
        actor=actor,
        reason=reason,
        after=lambda moved: empty_scores_create(assessments=moved, actor=actor),
    )


def assessment_close_explanation(*, assessment: Assessment, actor, reason: str) -> Assessment:
    """End the explanation of a unit that did not send it: the appraisal can be finalised."""
    return assessment_transition(
        assessment=assessment, action="close_explanation", actor=actor, reason=reason
    )


@transaction.atomic
def empty_scores_create(*, assessments: list[Assessment], actor) -> int:
    """A score row for every scored leaf the unit left untouched, so appraisers decide on
    every leaf (the appraisal page offers a form per score row, and returning or
    finalising waits for each); each row with its history row."""
    leaves = list(
        Criterion.objects.filter(
            framework_id__in={a.framework_id for a in assessments}, children__isnull=True
        )
        .exclude(method=Criterion.Method.SURVEY)
        .values_list("framework_id", "pk")
    )
    present = set(
        Score.objects.filter(assessment__in=assessments).values_list(
            "assessment_id", "criterion_id"
        )
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    missing = [
        Score(assessment=assessment, criterion_id=criterion_id, updated_by=user)
        for assessment in assessments
        for framework_id, criterion_id in leaves
        if framework_id == assessment.framework_id and (assessment.pk, criterion_id) not in present
    ]
    bulk_create_with_history(
        missing,
        Score,
        batch_size=500,
        default_user=user,
        default_change_reason="unsubmitted",
    )
    return len(missing)
