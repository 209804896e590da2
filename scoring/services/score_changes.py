"""What every change of an assessment's scores shares: the refusal, the row lock, the history."""

from scoring.models import HISTORY_REASONS, Assessment, Score


class AssessmentError(Exception):
    """A change to an assessment was refused; the message says why and nothing changed."""


def lock_assessment(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock, so a state change cannot slip in between
    the checks and the write (the workflow's transitions take the same lock)."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=assessment.pk)
    )


def save_with_history(score: Score, actor, reason: str) -> None:
    assert reason in HISTORY_REASONS, reason
    score.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    score._history_user = score.updated_by
    score._change_reason = reason
    score.save()
