"""The unit's explanation (giải trình): its replies to the appraisal, and sending them."""

from django.db import transaction
from django.utils.translation import gettext as _

from scoring import access
from scoring.models import (
    Assessment,
    Score,
)
from scoring.services.score_changes import (
    AssessmentError,
    check_version,
    lock_assessment,
    lock_score,
    save_with_history,
)
from scoring.workflow import assessment_transition


@transaction.atomic
def score_reply(*, score: Score, actor, reply: str, expected_version: int | None = None) -> Score:
    """The unit's reply to the appraisal of one leaf, before the explanation deadline.

    `expected_version` is the version the form was opened on (ScoreConflict if it moved).
    """
    assessment = lock_assessment(score.assessment)
    if not access.may_reply(access.assessment_access(actor, assessment), assessment):
        raise AssessmentError(_("Only the unit's officers may reply to the appraisal."))
    if not access.explanation_open(assessment):
        raise AssessmentError(
            _("Replies are closed: the explanation was sent or its deadline passed.")
        )
    current = lock_score(assessment, score.criterion)
    if current is None:
        raise AssessmentError(_("This criterion is not scored in this assessment."))
    check_version(current, expected_version)
    current.unit_reply = reply.strip()
    save_with_history(current, actor, "explanation", fields=["unit_reply"])
    return current


def assessment_explain(*, assessment: Assessment, actor) -> Assessment:
    def check(current: Assessment) -> list[str]:
        if not access.explanation_open(current):
            return [_("The explanation deadline has passed.")]
        return []

    return assessment_transition(assessment=assessment, action="explain", actor=actor, check=check)
