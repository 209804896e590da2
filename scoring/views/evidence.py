"""Evidence files of the self-assessment: attach, remove, download (private files)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring import access
from scoring.forms.self_assessment import (
    EvidenceUploadForm,
)
from scoring.services import evidence as evidence_services
from scoring.services.score_changes import AssessmentError
from scoring.views.self_assessment import leaf_or_404, leaf_url, render_sheet


@require_POST
@login_required
def evidence_upload(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    criterion = leaf_or_404(assessment, criterion_pk)
    access.require(access.may_attach_evidence(standing))
    form = EvidenceUploadForm(request.POST, request.FILES, criterion=criterion)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            evidence = evidence_services.evidence_attach(
                assessment=assessment,
                criterion=criterion,
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
                % {"name": evidence.original_name, "code": criterion.code},
            )
            return redirect(leaf_url(assessment, criterion))
    return render_sheet(request, assessment, standing, evidence_form=form)


@require_POST
@login_required
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence, standing = access.get_evidence_for(request.user, pk)
    access.require(access.may_attach_evidence(standing))
    assessment, criterion = evidence.score.assessment, evidence.score.criterion
    try:
        evidence_services.evidence_remove(evidence=evidence, actor=request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("“%(name)s” removed from %(code)s.")
            % {"name": evidence.original_name, "code": criterion.code},
        )
    return redirect(leaf_url(assessment, criterion))


@require_GET
@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    evidence, _standing = access.get_evidence_for(request.user, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    # The browser must take the stored type as it is, and keep the file out of shared caches.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
