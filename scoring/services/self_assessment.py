"""The unit's own steps: scoring its leaves, submitting, withdrawing; staff reopening.

Every function is keyword-only and atomic; a refusal raises AssessmentError (or
WorkflowError for state changes) with a message the user can act on, and writes
nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from scoring import access, calculations
from scoring.models import (
    Assessment,
    Criterion,
    Score,
)
from scoring.points_rules import PointsError, checked_points
from scoring.services.score_changes import (
    AssessmentError,
    check_version,
    lock_assessment,
    lock_score,
    save_with_history,
)
from scoring.workflow import assessment_transition
from scoring.workflow_checks import submissions_problems


@dataclass(frozen=True)
class SelfInput:
    """What a unit enters for a leaf, according to the leaf's method."""

    points: Decimal | None = None
    level: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    not_applicable: bool = False
    na_reason: str = ""
    explanation: str = ""


def leaf_self_points(criterion: Criterion, entry: SelfInput) -> tuple[Decimal | None, dict]:
    """The points and the recorded input of an entry, by the leaf's method; or AssessmentError."""
    method = criterion.method
    if method == Criterion.Method.LEVELS:
        if not entry.level:
            return None, {}
        try:
            return calculations.level_points(criterion.scale, entry.level), {"level": entry.level}
        except ValueError:
            raise AssessmentError(_("Choose one of the listed levels.")) from None
    if method == Criterion.Method.RATIO:
        if entry.numerator is None and entry.denominator is None:
            return None, {}
        if entry.numerator is None or entry.denominator is None:
            raise AssessmentError(_("Enter both figures of the ratio."))
        if entry.numerator < 0 or entry.denominator <= 0 or entry.numerator > entry.denominator:
            raise AssessmentError(
                _("The ratio needs 0 ≤ numerator ≤ denominator and a denominator above 0.")
            )
        points = calculations.ratio_points(criterion.scale, entry.numerator, entry.denominator)
        return points, {"numerator": str(entry.numerator), "denominator": str(entry.denominator)}
    if method == Criterion.Method.SURVEY:
        raise AssessmentError(_("Survey criteria are scored from the survey results."))
    # direct points, deductions and bonus points are typed in
    if entry.points is None:
        return None, {}
    try:
        return checked_points(criterion, entry.points), {}
    except PointsError as error:
        raise AssessmentError(str(error)) from None


# The fields of a score that the unit's own entry sets.
SELF_FIELDS = ("not_applicable", "na_reason", "self_points", "self_input", "self_explanation")


@transaction.atomic
def score_self_assess(
    *,
    assessment: Assessment,
    criterion: Criterion,
    actor,
    entry: SelfInput,
    expected_version: int | None = None,
) -> Score:
    """Save the unit's own score of one leaf (each leaf on its own: nothing else is touched).

    `expected_version` is the version the form was opened on (ScoreConflict if it moved).
    """
    assessment = lock_assessment(assessment)
    standing = access.assessment_access(actor, assessment)
    if not access.may_fill_in(standing):
        raise AssessmentError(_("Only the unit's officers may fill in its self-assessment."))
    if not access.self_assessment_open(assessment):
        raise AssessmentError(
            _("The self-assessment is closed: it was submitted or its deadline passed.")
        )
    if criterion.framework_id != assessment.framework_id or criterion.children.exists():
        raise AssessmentError(_("This criterion is not scored in this assessment."))
    if entry.not_applicable:
        if not criterion.na_allowed:
            raise AssessmentError(_("This criterion applies to every unit."))
        if not entry.na_reason.strip():
            raise AssessmentError(_("Say why the criterion does not apply to the unit."))
        points, recorded = None, {}
    else:
        points, recorded = leaf_self_points(criterion, entry)

    # Built in memory when new, so its first history row says why it was made.
    score = lock_score(assessment, criterion)
    check_version(score, expected_version)
    score = score or Score(assessment=assessment, criterion=criterion)
    score.not_applicable = entry.not_applicable
    score.na_reason = entry.na_reason.strip() if entry.not_applicable else ""
    score.self_points = points
    score.self_input = recorded
    score.self_explanation = entry.explanation.strip()
    save_with_history(score, actor, "self_assessment", fields=SELF_FIELDS)
    return score


def submission_problems(assessment: Assessment) -> list[str]:
    """What still stops the unit's head from submitting: every missing item, by code."""
    return submissions_problems([assessment]).get(assessment.pk, [])


def assessment_submit(*, assessment: Assessment, actor) -> Assessment:
    return assessment_transition(assessment=assessment, action="submit", actor=actor)


def assessment_withdraw(*, assessment: Assessment, actor) -> Assessment:
    """Back to draft while the unit can still edit and submit again: after the deadline a
    draft could never be submitted, and would block the whole publication."""
    return assessment_transition(assessment=assessment, action="withdraw", actor=actor)


def assessment_reopen(*, assessment: Assessment, actor, reason: str) -> Assessment:
    return assessment_transition(assessment=assessment, action="reopen", actor=actor, reason=reason)
