"""The unit's own steps: scoring its leaves, submitting, withdrawing; staff reopening.

Every function is keyword-only and atomic; a refusal raises AssessmentError (or
WorkflowError for state changes) with a message the user can act on, and writes
nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
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
    leaves = (
        Criterion.objects.filter(framework=assessment.framework, children__isnull=True)
        .exclude(method=Criterion.Method.SURVEY)
        .order_by("sort_key")
    )
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(assessment=assessment).prefetch_related("evidence")
    }
    problems = []
    for leaf in leaves:
        score = scores.get(leaf.pk)
        if score is None or (not score.not_applicable and score.self_points is None):
            problems.append(_("%(code)s: not scored yet.") % {"code": leaf.code})
        elif (
            leaf.evidence_required
            and not score.not_applicable
            and not score.evidence.all()
            and not score.self_explanation.strip()
        ):
            problems.append(
                _("%(code)s: attach evidence or explain why there is none.") % {"code": leaf.code}
            )
    return problems


def assessment_submit(*, assessment: Assessment, actor) -> Assessment:
    def check(current: Assessment) -> list[str]:
        deadline = current.campaign.self_assessment_deadline
        if not access.self_assessment_open(current) and deadline is not None:
            return [_("The self-assessment deadline has passed.")]
        return submission_problems(current)

    return assessment_transition(assessment=assessment, action="submit", actor=actor, check=check)


def _deadline_open(current: Assessment) -> list[str]:
    """Back to draft only while the unit can still edit and submit again: after the
    deadline a draft could never be submitted, and would block the whole publication."""
    deadline = current.campaign.self_assessment_deadline
    if deadline is not None and timezone.now() >= deadline:
        return [
            _(
                "The self-assessment deadline has passed: back in draft, the assessment could "
                "not be submitted again. Extend the campaign's deadline first."
            )
        ]
    return []


def assessment_withdraw(*, assessment: Assessment, actor) -> Assessment:
    return assessment_transition(
        assessment=assessment, action="withdraw", actor=actor, check=_deadline_open
    )


def assessment_reopen(*, assessment: Assessment, actor, reason: str) -> Assessment:
    return assessment_transition(
        assessment=assessment, action="reopen", actor=actor, reason=reason, check=_deadline_open
    )
