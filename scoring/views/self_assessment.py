"""The unit's screens of an assessment: its page, the self-assessment sheet, the review
before submission, and the submit, withdraw and reopen steps.

Every view fetches the assessment through scoring.access (404 to anyone without a
role on it), answers 403 to a role that may look but not act, and leaves the rules
to the services: their refusals are shown on the page that was posted, with what the
user typed, never lost in a redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring import access
from scoring.forms.self_assessment import (
    EvidenceUploadForm,
    ReopenForm,
    SelfScoreForm,
    sheet_panels,
)
from scoring.models import Assessment, Criterion, Score
from scoring.selectors.self_assessment import (
    assessment_events,
    assessment_leaf,
    self_assessment_sheet,
)
from scoring.services.score_changes import AssessmentError
from scoring.services.self_assessment import (
    assessment_reopen,
    assessment_submit,
    assessment_withdraw,
    score_self_assess,
    submission_problems,
)
from scoring.templatetags.assessments import points_count
from scoring.workflow import WorkflowError, available_transitions, may_make

# The workflow steps these screens offer; appraisal has its own.
ACTIONS = ("submit", "withdraw", "reopen")


def leaf_url(assessment: Assessment, criterion: Criterion) -> str:
    return f"{reverse('assessments:self_assessment', args=[assessment.pk])}#leaf-{criterion.code}"


def leaf_or_404(assessment: Assessment, criterion_pk: int) -> Criterion:
    criterion = assessment_leaf(assessment, criterion_pk)
    if criterion is None:
        raise Http404
    return criterion


@require_GET
@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    return _render_detail(request, assessment, standing)


def _render_detail(
    request: HttpRequest,
    assessment: Assessment,
    standing: access.AssessmentAccess,
    *,
    reopen_form: ReopenForm | None = None,
    refusal: str = "",
) -> HttpResponse:
    actions = {
        t.action: t for t in available_transitions(request.user, assessment) if t.action in ACTIONS
    }
    return render(
        request,
        "scoring/self_assessment/detail.html",
        {
            "assessment": assessment,
            "standing": standing,
            "sheet": self_assessment_sheet(assessment),
            "events": assessment_events(assessment),
            "editing_open": access.self_assessment_open(assessment),
            "actions": actions,
            "reopen_form": reopen_form or ReopenForm(),
            "refusal": refusal,
        },
    )


@require_GET
@login_required
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    return render_sheet(request, assessment, standing)


def render_sheet(
    request: HttpRequest,
    assessment: Assessment,
    standing: access.AssessmentAccess,
    *,
    score_form: SelfScoreForm | None = None,
    evidence_form: EvidenceUploadForm | None = None,
) -> HttpResponse:
    sheet = self_assessment_sheet(assessment)
    editing_open = access.self_assessment_open(assessment)
    editable = editing_open and access.may_fill_in(standing)
    return render(
        request,
        "scoring/self_assessment/sheet.html",
        {
            "assessment": assessment,
            "standing": standing,
            "sheet": sheet,
            "editing_open": editing_open,
            "editable": editable,
            "panels": sheet_panels(
                sheet, editable=editable, score_form=score_form, evidence_form=evidence_form
            ),
        },
    )


@require_POST
@login_required
def score_self(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    criterion = leaf_or_404(assessment, criterion_pk)
    access.require(access.may_fill_in(standing))
    form = SelfScoreForm(request.POST, criterion=criterion)
    if form.is_valid():
        try:
            score = score_self_assess(
                assessment=assessment,
                criterion=criterion,
                actor=request.user,
                entry=form.entry(),
                expected_version=form.expected_version(),
            )
        except AssessmentError as error:
            form.refuse(error)
        else:
            messages.success(request, _saved_message(score))
            return redirect(leaf_url(assessment, criterion))
    return render_sheet(request, assessment, standing, score_form=form)


def _saved_message(score: Score) -> str:
    code = score.criterion.code
    if score.not_applicable:
        return _("%(code)s saved: not applicable.") % {"code": code}
    if score.self_points is None:
        return _("%(code)s saved, without points yet.") % {"code": code}
    return _("%(code)s saved: %(points)s.") % {
        "code": code,
        "points": points_count(score.self_points),
    }


@require_http_methods(["GET", "POST"])
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    if request.method == "GET":
        return _render_review(request, assessment, standing)
    access.require(may_make(standing, "submit"))
    try:
        assessment_submit(assessment=assessment, actor=request.user)
    except WorkflowError as error:
        return _render_review(request, assessment, standing, refusal=str(error).splitlines())
    messages.success(request, _("The self-assessment was submitted."))
    return redirect("assessments:assessment_detail", pk=assessment.pk)


def _render_review(
    request: HttpRequest,
    assessment: Assessment,
    standing: access.AssessmentAccess,
    *,
    refusal: list[str] | None = None,
) -> HttpResponse:
    problems = submission_problems(assessment)
    actions = {t.action for t in available_transitions(request.user, assessment)}
    return render(
        request,
        "scoring/self_assessment/review.html",
        {
            "assessment": assessment,
            "standing": standing,
            "sheet": self_assessment_sheet(assessment),
            "problems": problems,
            "may_submit": "submit" in actions,
            "refused": refusal is not None,
            # What the refusal says beyond the list of what is missing (a deadline, a state).
            "refusal": [line for line in refusal or [] if line not in problems],
        },
    )


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(may_make(standing, "withdraw"))
    try:
        assessment_withdraw(assessment=assessment, actor=request.user)
    except WorkflowError as error:
        return _render_detail(request, assessment, standing, refusal=str(error))
    messages.success(request, _("The self-assessment was withdrawn and can be edited again."))
    return redirect("assessments:assessment_detail", pk=assessment.pk)


@require_POST
@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(may_make(standing, "reopen"))
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            assessment_reopen(
                assessment=assessment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            return _render_detail(
                request, assessment, standing, reopen_form=form, refusal=str(error)
            )
        messages.success(request, _("The self-assessment was reopened for the unit."))
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    return _render_detail(request, assessment, standing, reopen_form=form)
