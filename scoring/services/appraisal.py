"""Appraisal: assigning appraisers, appraising leaves, returning the file, finalising.

Every function is keyword-only and atomic; a refusal raises AssessmentError (or
WorkflowError for state changes) and writes nothing. Score changes are recorded by
django-simple-history with who and why."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from cchc_portal.numbers import to_decimal
from scoring import access
from scoring.models import (
    AppraiserAssignment,
    Assessment,
    Score,
)
from scoring.services.score_changes import AssessmentError, lock_assessment, save_with_history
from scoring.workflow import assessment_transition
from units.access import is_appraiser, may_assign_appraisers
from units.models import Membership


@transaction.atomic
def appraiser_assign(
    *, campaign, unit, appraiser, area_code: str = "", actor
) -> AppraiserAssignment:
    """Give an appraiser a unit (one area, or all); never a unit the appraiser works for."""
    if not may_assign_appraisers(actor):
        raise AssessmentError(_("Only Interior Department staff assign appraisers."))
    if not is_appraiser(appraiser):
        raise AssessmentError(_("%(user)s is not an appraiser.") % {"user": appraiser})
    if Membership.objects.filter(user=appraiser, unit=unit).exists():
        raise AssessmentError(
            _("%(user)s works for %(unit)s and cannot appraise it.")
            % {"user": appraiser, "unit": unit}
        )
    assignment, _created = AppraiserAssignment.objects.get_or_create(
        campaign=campaign, unit=unit, appraiser=appraiser, area_code=area_code
    )
    return assignment


def assessment_start_appraisal(*, assessment: Assessment, actor) -> Assessment:
    return assessment_transition(assessment=assessment, action="start_appraisal", actor=actor)


def _appraisal_standing(assessment: Assessment, actor) -> access.AssessmentAccess:
    if assessment.state not in access.APPRAISABLE_STATES:
        raise AssessmentError(_("The assessment is not in appraisal."))
    return access.assessment_access(actor, assessment)


def _may_appraise(score: Score, standing: access.AssessmentAccess) -> None:
    if not standing.may_appraise_area(score.criterion.area_code):
        raise AssessmentError(_("You are not assigned to appraise this area of this unit."))


def _appraisable_score(score: Score, actor) -> None:
    score.assessment = lock_assessment(score.assessment)
    _may_appraise(score, _appraisal_standing(score.assessment, actor))


@transaction.atomic
def score_appraise(*, score: Score, actor, points: Decimal, note: str = "") -> Score:
    """The appraiser's points for a leaf; lowering the unit's claim needs a note."""
    _appraisable_score(score, actor)
    criterion = score.criterion
    points = to_decimal(points)
    if points is None or not (0 <= points <= criterion.max_points):
        raise AssessmentError(
            _("Points must be between 0 and %(max)s.") % {"max": criterion.max_points.normalize()}
        )
    if score.self_points is not None and points < score.self_points and not note.strip():
        raise AssessmentError(
            _("Write a note saying why %(code)s gets fewer points than the unit claimed.")
            % {"code": criterion.code}
        )
    score.appraised_points = points
    score.appraisal_note = note.strip()
    if score.assessment.state == Assessment.State.EXPLAINED:
        # After the explanation the appraiser's word is the final one.
        score.final_points = points
    save_with_history(score, actor, "appraisal")
    return score


@transaction.atomic
def scores_accept(*, assessment: Assessment, actor, criterion_ids: list[int]) -> int:
    """Accept the unit's own points on many leaves at once; returns how many were accepted."""
    assessment = lock_assessment(assessment)
    standing = _appraisal_standing(assessment, actor)
    scores = list(
        Score.objects.select_related("criterion")
        .filter(assessment=assessment, criterion_id__in=criterion_ids, not_applicable=False)
        .exclude(self_points__isnull=True)
    )
    for score in scores:
        _may_appraise(score, standing)
    for score in scores:
        score.assessment = assessment
        score.appraised_points = score.self_points
        score.appraisal_note = ""
        if assessment.state == Assessment.State.EXPLAINED:
            # After the explanation the appraiser's word is final, as in score_appraise.
            score.final_points = score.self_points
        save_with_history(score, actor, "accepted")
    return len(scores)


def assessment_return(*, assessment: Assessment, actor) -> Assessment:
    """Send the preliminary appraisal back to the unit for its explanation."""
    return assessment_transition(assessment=assessment, action="return", actor=actor)


@transaction.atomic
def score_accept_reply(*, score: Score, actor, note: str = "") -> Score:
    """Accept the unit's explanation of a leaf: its final points become what it claimed."""
    _appraisable_score(score, actor)
    if score.assessment.state != Assessment.State.EXPLAINED or not score.unit_reply:
        raise AssessmentError(_("There is no explanation to accept on this criterion."))
    score.final_points = score.self_points
    if note.strip():
        score.appraisal_note = note.strip()
    save_with_history(score, actor, "reply_accepted")
    return score


def assessment_finalise(*, assessment: Assessment, actor) -> Assessment:
    """Close the appraisal: a leaf without a decision on a reply keeps its appraised points."""
    return assessment_transition(
        assessment=assessment,
        action="finalise",
        actor=actor,
        after=lambda moved: scores_finalise(assessments=moved, actor=actor),
    )


def scores_finalise(*, assessments: list[Assessment], actor) -> None:
    """The final points of finalised assessments: the appraised ones where no reply was
    accepted; none for a leaf that does not apply. Runs in the finalising transaction."""
    pending = Score.objects.filter(
        assessment__in=assessments, not_applicable=False, final_points__isnull=True
    )
    by_pk = {assessment.pk: assessment for assessment in assessments}
    # One history row per leaf: bulk update() would skip simple-history.
    for score in pending.select_related("criterion"):
        score.assessment = by_pk[score.assessment_id]
        score.final_points = score.appraised_points
        save_with_history(score, actor, "finalised")
    Score.objects.filter(assessment__in=assessments, not_applicable=True).update(
        final_points=None, appraised_points=None
    )


@transaction.atomic
def appraiser_unassign(*, assignment: AppraiserAssignment, actor) -> None:
    """Remove an assignment. What the appraiser already appraised stays, with its history."""
    if not may_assign_appraisers(actor):
        raise AssessmentError(_("Only Interior Department staff assign appraisers."))
    assignment.delete()
