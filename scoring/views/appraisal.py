"""Appraisal screens: the worklist, appraising one assessment, and its workflow steps.

Views only look up (through scoring.access), parse a form, call one service and
redirect; a refused post re-renders its page with the service's reason beside
what was typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring import access
from scoring.forms.appraisal import (
    AcceptSelectedForm,
    accept_reply_form,
    appraise_form,
    attach_forms,
)
from scoring.models import Assessment, Score
from scoring.selectors import history
from scoring.selectors.appraisal import appraisal_sheet
from scoring.selectors.worklist import appraisal_worklist
from scoring.services.appraisal import (
    assessment_finalise,
    assessment_return,
    assessment_start_appraisal,
    score_accept_reply,
    score_appraise,
    scores_accept,
)
from scoring.services.score_changes import AssessmentError
from scoring.workflow import WorkflowError
from units.access import may_open_worklist


def score_or_404(assessment: Assessment, score_pk: int) -> Score:
    score = Score.objects.select_related("criterion").filter(pk=score_pk, assessment=assessment)
    found = score.first()
    if found is None:
        raise Http404
    found.assessment = assessment  # already loaded with its campaign: not fetched again
    return found


def anchored_url(view: str, assessment: Assessment, score: Score) -> str:
    return f"{reverse(view, args=[assessment.pk])}#leaf-{score.criterion.code}"


@login_required
@require_GET
def appraisal_list(request: HttpRequest) -> HttpResponse:
    access.require(may_open_worklist(request.user))
    return render(
        request,
        "scoring/appraisal/appraisal_list.html",
        {"rows": appraisal_worklist(request.user)},
    )


def _for_appraisal(request: HttpRequest, pk: int):
    """The assessment for staff and its appraisers; 403 to its unit, 404 to outsiders."""
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(access.may_appraise(standing))
    return assessment, standing


def _appraisal_page(
    request: HttpRequest,
    assessment: Assessment,
    standing: access.AssessmentAccess,
    *,
    bound=None,
    bound_score_pk: int | None = None,
    accept_form: AcceptSelectedForm | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    sheet = appraisal_sheet(assessment, standing, request.user)
    attach_forms(sheet.rows, bound, bound_score_pk)
    if bound is not None and not any(bound in (row.form, row.reply_form) for row in sheet.rows):
        # The leaf shows no form to this user (another's area, a closed state): the
        # refusal goes to the top of the page instead of being lost.
        problems = [*(problems or []), *bound.non_field_errors()]
    return render(
        request,
        "scoring/appraisal/appraise.html",
        {
            "assessment": assessment,
            "sheet": sheet,
            "accept_form": accept_form,
            "problems": problems or [],
        },
    )


@login_required
@require_GET
def appraise(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = _for_appraisal(request, pk)
    return _appraisal_page(request, assessment, standing)


@login_required
@require_POST
def appraise_score(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    assessment, standing = _for_appraisal(request, pk)
    score = score_or_404(assessment, score_pk)
    form = appraise_form(score, request.POST)
    if form.is_valid():
        try:
            score_appraise(
                score=score,
                actor=request.user,
                points=form.cleaned_data["points"],
                note=form.cleaned_data["note"],
                expected_version=form.expected_version(),
            )
        except AssessmentError as error:
            form.refuse(error)
        else:
            messages.success(request, _("%(code)s saved.") % {"code": score.criterion.code})
            return redirect(anchored_url("assessments:appraise", assessment, score))
    return _appraisal_page(request, assessment, standing, bound=form, bound_score_pk=score.pk)


@login_required
@require_POST
def appraise_accept(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = _for_appraisal(request, pk)
    form = AcceptSelectedForm(request.POST, assessment=assessment)
    if form.is_valid():
        try:
            accepted = scores_accept(
                assessment=assessment,
                actor=request.user,
                criterion_ids=[criterion.pk for criterion in form.cleaned_data["criteria"]],
                versions=form.versions(),
            )
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Accepted as self-assessed: %(count)d.") % {"count": accepted}
            )
            return redirect("assessments:appraise", pk=pk)
    return _appraisal_page(request, assessment, standing, accept_form=form)


@login_required
@require_POST
def appraise_accept_reply(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    assessment, standing = _for_appraisal(request, pk)
    score = score_or_404(assessment, score_pk)
    form = accept_reply_form(score, request.POST)
    if form.is_valid():
        try:
            score_accept_reply(
                score=score,
                actor=request.user,
                note=form.cleaned_data["note"],
                expected_version=form.expected_version(),
            )
        except AssessmentError as error:
            form.refuse(error)
        else:
            messages.success(
                request,
                _("The explanation of %(code)s was accepted.") % {"code": score.criterion.code},
            )
            return redirect(anchored_url("assessments:appraise", assessment, score))
    return _appraisal_page(request, assessment, standing, bound=form, bound_score_pk=score.pk)


def _appraisal_step(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    assessment, standing = _for_appraisal(request, pk)
    try:
        service(assessment=assessment, actor=request.user)
    except WorkflowError as error:
        return _appraisal_page(request, assessment, standing, problems=str(error).splitlines())
    messages.success(request, done)
    return redirect("assessments:appraise", pk=pk)


@login_required
@require_POST
def appraisal_start(request: HttpRequest, pk: int) -> HttpResponse:
    return _appraisal_step(request, pk, assessment_start_appraisal, _("The appraisal started."))


@login_required
@require_POST
def appraisal_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _appraisal_step(
        request, pk, assessment_return, _("The appraisal went back to the unit for explanation.")
    )


@login_required
@require_POST
def appraisal_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    return _appraisal_step(request, pk, assessment_finalise, _("The appraisal is final."))


@login_required
@require_GET
def score_history(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    score = score_or_404(assessment, score_pk)
    show_appraisal = access.may_see_appraisal(standing, assessment)
    return render(
        request,
        "scoring/appraisal/score_history.html",
        {
            "assessment": assessment,
            "score": score,
            "standing": standing,
            "show_appraisal": show_appraisal,
            "may_appraise": access.may_appraise(standing),
            "versions": history.score_history(score, show_appraisal=show_appraisal),
        },
    )
