"""Self-assessment, submission, appraisal and explanation: each step checks who and when.

Every function is keyword-only and atomic; a refusal raises AssessmentError (or
WorkflowError for state changes) with a message the user can act on, and writes
nothing. Score changes are recorded by django-simple-history with who and why.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scoring import access, calculations
from scoring.evidence_files import RefusedDocument, sniff
from scoring.frameworks import to_decimal
from scoring.models import (
    AppraiserAssignment,
    Assessment,
    Criterion,
    Evidence,
    Score,
    evidence_path,
)
from scoring.workflow import assessment_transition
from units.access import user_roles
from units.models import Membership


class AssessmentError(Exception):
    """A change to an assessment was refused; the message says why and nothing changed."""


# -- self-assessment -------------------------------------------------------------------


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
    if not (0 <= entry.points <= criterion.max_points):
        raise AssessmentError(
            _("Points must be between 0 and %(max)s.") % {"max": criterion.max_points.normalize()}
        )
    if criterion.step and entry.points % criterion.step != 0:
        raise AssessmentError(
            _("Points go in steps of %(step)s.") % {"step": criterion.step.normalize()}
        )
    return entry.points, {}


@transaction.atomic
def score_self_assess(
    *, assessment: Assessment, criterion: Criterion, actor, entry: SelfInput
) -> Score:
    """Save the unit's own score of one leaf (each leaf on its own: nothing else is touched)."""
    assessment = _locked(assessment)
    standing = access.assessment_access(actor, assessment)
    if not standing.is_unit_member:
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
    score = Score.objects.filter(assessment=assessment, criterion=criterion).first() or Score(
        assessment=assessment, criterion=criterion
    )
    score.not_applicable = entry.not_applicable
    score.na_reason = entry.na_reason.strip() if entry.not_applicable else ""
    score.self_points = points
    score.self_input = recorded
    score.self_explanation = entry.explanation.strip()
    _save_with_history(score, actor, "self_assessment")
    return score


# Why a score changed, stored as a key in its history and translated when shown.
HISTORY_REASONS = {
    "self_assessment": gettext_lazy("self-assessment"),
    "appraisal": gettext_lazy("appraisal"),
    "accepted": gettext_lazy("accepted as self-assessed"),
    "explanation": gettext_lazy("explanation"),
    "reply_accepted": gettext_lazy("explanation accepted"),
    "finalised": gettext_lazy("appraisal finalised"),
    "import": gettext_lazy("imported from a workbook"),
}


def _locked(assessment: Assessment) -> Assessment:
    """The assessment re-read under a row lock, so a state change cannot slip in between
    the checks and the write (the workflow's transitions take the same lock)."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("campaign")
        .get(pk=assessment.pk)
    )


def _save_with_history(score: Score, actor, reason: str) -> None:
    assert reason in HISTORY_REASONS, reason
    score.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    score._history_user = score.updated_by
    score._change_reason = reason
    score.save()


# -- evidence ---------------------------------------------------------------------------


@transaction.atomic
def evidence_attach(
    *,
    score: Score,
    actor,
    file: BinaryIO,
    name: str,
    document_number: str = "",
    document_date: datetime.date | None = None,
    issuer: str = "",
) -> Evidence:
    """Store a document for a leaf, privately, after checking its size and real type."""
    assessment = score.assessment = _locked(score.assessment)
    standing = access.assessment_access(actor, assessment)
    if not standing.is_unit_member:
        raise AssessmentError(_("Only the unit's officers may attach its evidence."))
    if access.self_assessment_open(assessment):
        stage = Evidence.Stage.SELF_ASSESSMENT
    elif access.explanation_open(assessment):
        stage = Evidence.Stage.EXPLANATION
    else:
        raise AssessmentError(
            _("Evidence can be added during self-assessment or explanation only.")
        )
    limit = settings.EVIDENCE_MAX_BYTES
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise AssessmentError(
            _("The file is %(size)s; the largest accepted is %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)}
        )
    try:
        sniffed = sniff(file, name=name)
    except RefusedDocument as refusal:
        raise AssessmentError(str(refusal)) from refusal
    if sniffed is None:
        raise AssessmentError(
            _("“%(name)s” is not a PDF, an Office document or an image (PNG, JPEG).")
            % {"name": name}
        )
    if sniffed.size > limit:
        raise AssessmentError(
            _("The file is %(size)s; the largest accepted is %(max)s.")
            % {"size": filesizeformat(sniffed.size), "max": filesizeformat(limit)}
        )
    evidence = Evidence(
        score=score,
        original_name=name[:255],
        content_type=sniffed.content_type,
        size=sniffed.size,
        sha256=sniffed.sha256,
        document_number=document_number.strip(),
        document_date=document_date,
        issuer=issuer.strip(),
        stage=stage,
        uploaded_by=actor,
    )
    stored_name = evidence_path(evidence, sniffed.sha256)
    if evidence.file.storage.exists(stored_name):
        evidence.file.name = stored_name  # the same document is kept once
    else:
        evidence.file.save(sniffed.sha256, file, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, actor) -> None:
    assessment = evidence.score.assessment
    if not access.assessment_access(actor, assessment).is_unit_member:
        raise AssessmentError(_("Only the unit's officers may remove its evidence."))
    stage_open = (
        access.self_assessment_open(assessment)
        if evidence.stage == Evidence.Stage.SELF_ASSESSMENT
        else access.explanation_open(assessment)
    )
    if not stage_open:
        raise AssessmentError(_("This document can no longer be removed."))
    stored = evidence.file.name
    evidence.delete()
    # Another row may hold the same document (same digest); keep the file for it.
    if not Evidence.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: evidence.file.storage.delete(stored))


# -- submission -------------------------------------------------------------------------


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


# -- appraisal --------------------------------------------------------------------------


@transaction.atomic
def appraiser_assign(
    *, campaign, unit, appraiser, area_code: str = "", actor
) -> AppraiserAssignment:
    """Give an appraiser a unit (one area, or all); never a unit the appraiser works for."""
    if not user_roles(actor).staff:
        raise AssessmentError(_("Only Interior Department staff assign appraisers."))
    if not user_roles(appraiser).appraiser:
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
    score.assessment = _locked(score.assessment)
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
    _save_with_history(score, actor, "appraisal")
    return score


@transaction.atomic
def scores_accept(*, assessment: Assessment, actor, criterion_ids: list[int]) -> int:
    """Accept the unit's own points on many leaves at once; returns how many were accepted."""
    assessment = _locked(assessment)
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
        _save_with_history(score, actor, "accepted")
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


# -- explanation (giải trình) ------------------------------------------------------------


@transaction.atomic
def score_reply(*, score: Score, actor, reply: str) -> Score:
    """The unit's reply to the appraisal of one leaf, before the explanation deadline."""
    assessment = score.assessment = _locked(score.assessment)
    if not access.assessment_access(actor, assessment).is_unit_member:
        raise AssessmentError(_("Only the unit's officers may reply to the appraisal."))
    if not access.explanation_open(assessment):
        raise AssessmentError(
            _("Replies are closed: the explanation was sent or its deadline passed.")
        )
    score.unit_reply = reply.strip()
    _save_with_history(score, actor, "explanation")
    return score


def assessment_explain(*, assessment: Assessment, actor) -> Assessment:
    def check(current: Assessment) -> list[str]:
        if not access.explanation_open(current):
            return [_("The explanation deadline has passed.")]
        return []

    return assessment_transition(assessment=assessment, action="explain", actor=actor, check=check)


@transaction.atomic
def score_accept_reply(*, score: Score, actor, note: str = "") -> Score:
    """Accept the unit's explanation of a leaf: its final points become what it claimed."""
    _appraisable_score(score, actor)
    if score.assessment.state != Assessment.State.EXPLAINED or not score.unit_reply:
        raise AssessmentError(_("There is no explanation to accept on this criterion."))
    score.final_points = score.self_points
    if note.strip():
        score.appraisal_note = note.strip()
    _save_with_history(score, actor, "reply_accepted")
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
        # One history row per leaf: bulk update() would skip simple-history.
        for score in pending.select_related("criterion"):
            score.final_points = score.appraised_points
            _save_with_history(score, actor, "finalised")
        Score.objects.filter(assessment=assessment, not_applicable=True).update(
            final_points=None, appraised_points=None
        )
    return result
