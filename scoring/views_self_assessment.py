"""The unit's screens of an assessment: its page, the self-assessment sheet, evidence
files, the review before submission, and the submit, withdraw and reopen steps.

Every view fetches the assessment through scoring.access (404 to anyone without a
role on it), answers 403 to a role that may look but not act, and leaves the rules
to the services: their refusals are shown on the page that was posted, with what the
user typed, never lost in a redirect.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring import access, selectors
from scoring.forms_self_assessment import (
    EvidenceUploadForm,
    ReopenForm,
    SelfScoreForm,
    sheet_panels,
)
from scoring.models import Assessment, Criterion, Evidence, Score
from scoring.services import assessments as services
from scoring.services.assessments import AssessmentError, SelfInput
from scoring.templatetags.assessments import points_count
from scoring.workflow import WorkflowError, available_transitions

# The workflow steps these screens offer; appraisal has its own.
ACTIONS = ("submit", "withdraw", "reopen")


def _leaf_url(assessment: Assessment, criterion: Criterion) -> str:
    return f"{reverse('assessments:self_assessment', args=[assessment.pk])}#leaf-{criterion.code}"


def _leaf_or_404(assessment: Assessment, criterion_pk: int) -> Criterion:
    criterion = selectors.assessment_leaf(assessment, criterion_pk)
    if criterion is None:
        raise Http404
    return criterion


# -- the assessment's page ---------------------------------------------------------------


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
            "sheet": selectors.self_assessment_sheet(assessment),
            "events": selectors.assessment_events(assessment),
            "editing_open": access.self_assessment_open(assessment),
            "actions": actions,
            "reopen_form": reopen_form or ReopenForm(),
            "refusal": refusal,
        },
    )


# -- the self-assessment sheet -----------------------------------------------------------


@require_GET
@login_required
def self_assessment(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    return _render_sheet(request, assessment, standing)


def _render_sheet(
    request: HttpRequest,
    assessment: Assessment,
    standing: access.AssessmentAccess,
    *,
    score_form: SelfScoreForm | None = None,
    evidence_form: EvidenceUploadForm | None = None,
) -> HttpResponse:
    sheet = selectors.self_assessment_sheet(assessment)
    editing_open = access.self_assessment_open(assessment)
    editable = editing_open and standing.is_unit_member
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
    criterion = _leaf_or_404(assessment, criterion_pk)
    access.require(standing.is_unit_member)
    form = SelfScoreForm(request.POST, criterion=criterion)
    if form.is_valid():
        try:
            score = services.score_self_assess(
                assessment=assessment, criterion=criterion, actor=request.user, entry=form.entry()
            )
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _saved_message(score))
            return redirect(_leaf_url(assessment, criterion))
    return _render_sheet(request, assessment, standing, score_form=form)


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


@require_POST
@login_required
def evidence_upload(request: HttpRequest, pk: int, criterion_pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    criterion = _leaf_or_404(assessment, criterion_pk)
    access.require(standing.is_unit_member)
    form = EvidenceUploadForm(request.POST, request.FILES, criterion=criterion)
    if form.is_valid():
        try:
            evidence = _attach(assessment, criterion, request.user, form.cleaned_data)
        except AssessmentError as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("“%(name)s” attached to %(code)s.")
                % {"name": evidence.original_name, "code": criterion.code},
            )
            return redirect(_leaf_url(assessment, criterion))
    return _render_sheet(request, assessment, standing, evidence_form=form)


@transaction.atomic
def _attach(assessment: Assessment, criterion: Criterion, actor, data: dict) -> Evidence:
    # Evidence hangs on a score: a leaf not scored yet gets an empty one first, through
    # the same service (and checks) as typing nothing; a refused file undoes it.
    score = selectors.leaf_score(assessment, criterion) or services.score_self_assess(
        assessment=assessment, criterion=criterion, actor=actor, entry=SelfInput()
    )
    upload = data["file"]
    return services.evidence_attach(
        score=score,
        actor=actor,
        file=upload,
        name=upload.name,
        document_number=data["document_number"],
        document_date=data["document_date"],
        issuer=data["issuer"],
    )


@require_POST
@login_required
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence, standing = access.get_evidence_for(request.user, pk)
    access.require(standing.is_unit_member)
    assessment, criterion = evidence.score.assessment, evidence.score.criterion
    try:
        services.evidence_remove(evidence=evidence, actor=request.user)
    except AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("“%(name)s” removed from %(code)s.")
            % {"name": evidence.original_name, "code": criterion.code},
        )
    return redirect(_leaf_url(assessment, criterion))


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


# -- review, submission and the other steps ----------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    if request.method == "GET":
        return _render_review(request, assessment, standing)
    access.require(access.UNIT_HEAD in standing.roles)
    try:
        services.assessment_submit(assessment=assessment, actor=request.user)
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
    problems = services.submission_problems(assessment)
    actions = {t.action for t in available_transitions(request.user, assessment)}
    return render(
        request,
        "scoring/self_assessment/review.html",
        {
            "assessment": assessment,
            "standing": standing,
            "sheet": selectors.self_assessment_sheet(assessment),
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
    access.require(access.UNIT_HEAD in standing.roles)
    try:
        services.assessment_withdraw(assessment=assessment, actor=request.user)
    except WorkflowError as error:
        return _render_detail(request, assessment, standing, refusal=str(error))
    messages.success(request, _("The self-assessment was withdrawn and can be edited again."))
    return redirect("assessments:assessment_detail", pk=assessment.pk)


@require_POST
@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(access.STAFF in standing.roles)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_reopen(
                assessment=assessment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            return _render_detail(
                request, assessment, standing, reopen_form=form, refusal=str(error)
            )
        messages.success(request, _("The self-assessment was reopened for the unit."))
        return redirect("assessments:assessment_detail", pk=assessment.pk)
    return _render_detail(request, assessment, standing, reopen_form=form)
