"""Appraisal: assigning appraisers, appraising leaves, returning the file, finalising.

Every function is keyword-only and atomic; a refusal raises AssessmentError (or
WorkflowError for state changes) and writes nothing. Score changes are recorded by
django-simple-history with who and why."""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from scoring import access
from scoring.models import (
    AppraiserAssignment,
    Assessment,
    Score,
)
from scoring.points_rules import PointsError, checked_points
from scoring.services.score_changes import (
    AssessmentError,
    check_version,
    check_versions,
    lock_assessment,
    lock_score,
    lock_scores,
    save_with_history,
)
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


def _appraisable_score(score: Score, actor, expected_version: int | None) -> Score:
    """The score re-read under its locks, once the actor may appraise it as it was opened."""
    assessment = lock_assessment(score.assessment)
    standing = _appraisal_standing(assessment, actor)
    current = lock_score(assessment, score.criterion)
    if current is None:
        raise AssessmentError(_("This criterion is not scored in this assessment."))
    _may_appraise(current, standing)
    check_version(current, expected_version)
    return current


@transaction.atomic
def score_appraise(
    *,
    score: Score,
    actor,
    points: Decimal,
    note: str = "",
    expected_version: int | None = None,
) -> Score:
    """The appraiser's points for a leaf; lowering the unit's claim needs a note.

    `expected_version` is the version the form was opened on (ScoreConflict if it moved).
    """
    score = _appraisable_score(score, actor, expected_version)
    criterion = score.criterion
    try:
        points = checked_points(criterion, points)
    except PointsError as error:
        raise AssessmentError(str(error)) from None
    if score.self_points is not None and points < score.self_points and not note.strip():
        raise AssessmentError(
            _("Write a note saying why %(code)s gets fewer points than the unit claimed.")
            % {"code": criterion.code}
        )
    score.appraised_points = points
    score.appraisal_note = note.strip()
    fields = ["appraised_points", "appraisal_note"]
    if score.assessment.state == Assessment.State.EXPLAINED:
        # After the explanation the appraiser's word is the final one.
        score.final_points = points
        fields.append("final_points")
    save_with_history(score, actor, "appraisal", fields=fields)
    return score


@transaction.atomic
def scores_accept(
    *,
    assessment: Assessment,
    actor,
    criterion_ids: list[int],
    versions: Mapping[int, int] | None = None,
) -> int:
    """Accept the unit's own points on many leaves at once; returns how many were accepted.

    `versions` are the leaves' versions as the page showed them, by criterion id: if
    any leaf changed since (another appraiser saved it), nothing is accepted
    (ScoreConflict naming them), so an accept never overwrites what its author never saw.
    """
    assessment = lock_assessment(assessment)
    standing = _appraisal_standing(assessment, actor)
    locked = lock_scores(assessment, criterion_ids)
    scores = [
        score
        for score in locked.values()
        if not score.not_applicable and score.self_points is not None
    ]
    for score in scores:
        _may_appraise(score, standing)
        try:
            checked_points(score.criterion, score.self_points)
        except PointsError as error:
            # Only a claim made before the rule held could fail here; say which leaf.
            raise AssessmentError(f"{score.criterion.code}: {error}") from None
    check_versions(locked, dict(versions or {}))
    fields = ["appraised_points", "appraisal_note"]
    if assessment.state == Assessment.State.EXPLAINED:
        fields.append("final_points")
    for score in scores:
        score.appraised_points = score.self_points
        score.appraisal_note = ""
        if assessment.state == Assessment.State.EXPLAINED:
            # After the explanation the appraiser's word is final, as in score_appraise.
            score.final_points = score.self_points
        save_with_history(score, actor, "accepted", fields=fields)
    return len(scores)


def _unappraised(current: Assessment) -> list[str]:
    missing = (
        Score.objects.filter(
            assessment=current, not_applicable=False, appraised_points__isnull=True
        )
        .order_by("criterion__sort_key")
        .values_list("criterion__code", flat=True)
    )
    return [_("%(code)s: not appraised yet.") % {"code": code} for code in missing]


def assessment_return(*, assessment: Assessment, actor) -> Assessment:
    """Send the preliminary appraisal back to the unit for its explanation."""
    return assessment_transition(
        assessment=assessment, action="return", actor=actor, check=_unappraised
    )


@transaction.atomic
def score_accept_reply(
    *, score: Score, actor, note: str = "", expected_version: int | None = None
) -> Score:
    """Accept the unit's explanation of a leaf: its final points become what it claimed."""
    score = _appraisable_score(score, actor, expected_version)
    if score.assessment.state != Assessment.State.EXPLAINED or not score.unit_reply:
        raise AssessmentError(_("There is no explanation to accept on this criterion."))
    score.final_points = score.self_points
    fields = ["final_points"]
    if note.strip():
        score.appraisal_note = note.strip()
        fields.append("appraisal_note")
    save_with_history(score, actor, "reply_accepted", fields=fields)
    return score


def assessment_finalise(*, assessment: Assessment, actor) -> Assessment:
    """Close the appraisal: a leaf without a decision on a reply keeps its appraised points."""
    with transaction.atomic():
        result = assessment_transition(
            assessment=assessment, action="finalise", actor=actor, check=_unappraised
        )
        pending = Score.objects.filter(
            assessment=assessment, not_applicable=False, final_points__isnull=True
        )
        # One history row per leaf: bulk update() would skip simple-history. The
        # assessment's row lock (taken by the transition) keeps every other writer out.
        for score in pending.select_for_update(of=("self",)).select_related("criterion"):
            score.final_points = score.appraised_points
            save_with_history(score, actor, "finalised", fields=["final_points"])
        Score.objects.filter(assessment=assessment, not_applicable=True).filter(
            Q(final_points__isnull=False) | Q(appraised_points__isnull=False)
        ).update(final_points=None, appraised_points=None, version=F("version") + 1)
    return result


@transaction.atomic
def appraiser_unassign(*, assignment: AppraiserAssignment, actor) -> None:
    """Remove an assignment. What the appraiser already appraised stays, with its history."""
    if not may_assign_appraisers(actor):
        raise AssessmentError(_("Only Interior Department staff assign appraisers."))
    assignment.delete()
