"""The unit's explanation (giải trình): replying to the appraisal leaf by leaf, and sending it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring import access
from scoring.forms.appraisal import (
    attach_reply_forms,
    reply_form,
)
from scoring.forms.self_assessment import EvidenceUploadForm
from scoring.models import Assessment
from scoring.selectors.appraisal import explanation_sheet
from scoring.services.evidence import evidence_attach
from scoring.services.explanation import assessment_explain, score_reply
from scoring.services.score_changes import AssessmentError
from scoring.views.appraisal import anchored_url, score_or_404
from scoring.workflow import WorkflowError, may_make


def _for_explanation(request: HttpRequest, pk: int):
    """The assessment for its unit's members once its appraisal came back to them."""
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(access.may_reply(standing, assessment))
    return assessment, standing


def _explanation_page(
    request: HttpRequest,
    assessment: Assessment,
    standing: access.AssessmentAccess,
    *,
    bound=None,
    bound_score_pk: int | None = None,
    problems: list[str] | None = None,
) -> HttpResponse:
    sheet = explanation_sheet(assessment, standing)
    if sheet.is_open:
        attach_reply_forms(sheet.rows, bound, bound_score_pk)
    elif bound is not None:
        # Closed while the user was typing: their text stays on the page, with the reason.
        attach_reply_forms(
            [row for row in sheet.rows if row.score.pk == bound_score_pk], bound, bound_score_pk
        )
    return render(
        request,
        "scoring/appraisal/explain.html",
        {"assessment": assessment, "sheet": sheet, "problems": problems or []},
    )


@login_required
@require_GET
def explain(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = _for_explanation(request, pk)
    return _explanation_page(request, assessment, standing)


@login_required
@require_POST
def explain_reply(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    assessment, standing = _for_explanation(request, pk)
    score = score_or_404(assessment, score_pk)
    form = reply_form(score, request.POST)
    if form.is_valid():
        try:
            score_reply(
                score=score,
                actor=request.user,
                reply=form.cleaned_data["reply"],
                expected_version=form.expected_version(),
            )
        except AssessmentError as error:
            form.refuse(error)
        else:
            messages.success(
                request, _("Your reply on %(code)s is saved.") % {"code": score.criterion.code}
            )
            return redirect(anchored_url("assessments:explain", assessment, score))
    return _explanation_page(request, assessment, standing, bound=form, bound_score_pk=score.pk)


@login_required
@require_POST
def explain_evidence(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    """A further document for a contested leaf, filed as explanation evidence."""
    assessment, standing = _for_explanation(request, pk)
    score = score_or_404(assessment, score_pk)
    form = EvidenceUploadForm(request.POST, request.FILES, criterion=score.criterion)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            evidence = evidence_attach(
                assessment=assessment,
                criterion=score.criterion,
                actor=request.user,
                file=upload,
                name=upload.name,
                document_number=form.cleaned_data["document_number"],
                document_date=form.cleaned_data["document_date"],
                issuer=form.cleaned_data["issuer"],
            )
        except AssessmentError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("“%(name)s” attached to %(code)s.")
                % {"name": evidence.original_name, "code": score.criterion.code},
            )
            return redirect(anchored_url("assessments:explain", assessment, score))
    return _explanation_page(request, assessment, standing, bound=form, bound_score_pk=score.pk)


@login_required
@require_POST
def explain_send(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = _for_explanation(request, pk)
    access.require(may_make(standing, "explain"))
    try:
        assessment_explain(assessment=assessment, actor=request.user)
    except WorkflowError as error:
        return _explanation_page(request, assessment, standing, problems=str(error).splitlines())
    messages.success(request, _("The explanation was sent to the appraisers."))
    return redirect("assessments:explain", pk=pk)
