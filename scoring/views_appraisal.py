"""Appraisal screens: assignments, the worklist, appraising, the unit's explanation,
a leaf's history and the campaign dashboard.

Views only look up (through scoring.access), parse a form, call one service and
redirect; a refused post re-renders its page with the service's reason beside
what was typed. Reads come from scoring.selectors_appraisal.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring import access
from scoring import selectors_appraisal as selectors
from scoring.forms_appraisal import (
    AcceptSelectedForm,
    AssignmentForm,
    DashboardFilterForm,
    accept_reply_form,
    appraise_form,
    attach_forms,
    attach_reply_forms,
    reply_form,
)
from scoring.forms_self_assessment import EvidenceUploadForm
from scoring.models import AppraiserAssignment, Assessment, Score
from scoring.services.appraisers import appraiser_unassign
from scoring.services.assessments import (
    AssessmentError,
    appraiser_assign,
    assessment_explain,
    assessment_finalise,
    assessment_return,
    assessment_start_appraisal,
    evidence_attach,
    score_accept_reply,
    score_appraise,
    score_reply,
    scores_accept,
)
from scoring.workflow import WorkflowError
from units.access import user_roles
from units.decorators import staff_required
from units.people import person_name

DASHBOARD_PAGE_SIZE = 100


def _campaign_or_404(year: int):
    campaign = selectors.campaign_by_year(year)
    if campaign is None:
        raise Http404
    return campaign


def _score_or_404(assessment: Assessment, score_pk: int) -> Score:
    score = Score.objects.select_related("criterion").filter(pk=score_pk, assessment=assessment)
    found = score.first()
    if found is None:
        raise Http404
    found.assessment = assessment  # already loaded with its campaign: not fetched again
    return found


def _leaf_url(view: str, assessment: Assessment, score: Score) -> str:
    return f"{reverse(view, args=[assessment.pk])}#leaf-{score.criterion.code}"


# -- staff: appraisers of a campaign -------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_appraisers(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    assignments = selectors.campaign_assignments(campaign)
    form = AssignmentForm(
        request.POST or None, campaign=campaign, areas_by_block=assignments.areas_by_block
    )
    if request.method == "POST" and form.is_valid():
        try:
            assignment = appraiser_assign(
                campaign=campaign,
                unit=form.cleaned_data["unit"],
                appraiser=form.cleaned_data["appraiser"],
                area_code=form.cleaned_data["area_code"],
                actor=request.user,
            )
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(appraiser)s now appraises %(unit)s.")
                % {"appraiser": person_name(assignment.appraiser), "unit": assignment.unit.name},
            )
            return redirect("scoring:campaign_appraisers", year=year)
    return render(
        request,
        "scoring/appraisal/campaign_appraisers.html",
        {"campaign": campaign, "assignments": assignments, "form": form},
    )


@staff_required
@require_POST
def campaign_appraiser_remove(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    assignment = get_object_or_404(
        AppraiserAssignment.objects.select_related("unit"), pk=pk, campaign__year=year
    )
    appraiser_unassign(assignment=assignment, actor=request.user)
    messages.success(
        request,
        _("The appraiser was taken off %(unit)s.") % {"unit": assignment.unit.name},
    )
    return redirect("scoring:campaign_appraisers", year=year)


# -- staff: the campaign's dashboard -------------------------------------------------


@staff_required
@require_GET
def campaign_dashboard(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    form = DashboardFilterForm(request.GET or None, campaign=campaign)
    filters = form.cleaned_data if form.is_valid() else {}
    assessments = selectors.dashboard_assessments(
        campaign,
        block=filters.get("block"),
        state=filters.get("state") or "",
        overdue=bool(filters.get("overdue")),
    )
    page = Paginator(assessments, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "scoring/appraisal/campaign_dashboard.html",
        {
            "campaign": campaign,
            "form": form,
            "summary": selectors.dashboard_summary(campaign),
            "page_obj": page,
            "rows": selectors.dashboard_rows(page.object_list),
        },
    )


# -- the appraiser's worklist --------------------------------------------------------


@login_required
@require_GET
def appraisal_list(request: HttpRequest) -> HttpResponse:
    roles = user_roles(request.user)
    access.require(roles.staff or roles.appraiser)
    return render(
        request,
        "scoring/appraisal/appraisal_list.html",
        {"rows": selectors.appraisal_worklist(request.user)},
    )


# -- appraising one assessment -------------------------------------------------------


def _for_appraisal(request: HttpRequest, pk: int):
    """The assessment for staff and its appraisers; 403 to its unit, 404 to outsiders."""
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(bool(standing.roles & {access.STAFF, access.APPRAISER}))
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
    sheet = selectors.appraisal_sheet(assessment, standing, request.user)
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
    score = _score_or_404(assessment, score_pk)
    form = appraise_form(score, request.POST)
    if form.is_valid():
        try:
            score_appraise(
                score=score,
                actor=request.user,
                points=form.cleaned_data["points"],
                note=form.cleaned_data["note"],
            )
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(code)s saved.") % {"code": score.criterion.code})
            return redirect(_leaf_url("assessments:appraise", assessment, score))
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
    score = _score_or_404(assessment, score_pk)
    form = accept_reply_form(score, request.POST)
    if form.is_valid():
        try:
            score_accept_reply(score=score, actor=request.user, note=form.cleaned_data["note"])
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The explanation of %(code)s was accepted.") % {"code": score.criterion.code},
            )
            return redirect(_leaf_url("assessments:appraise", assessment, score))
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


# -- the unit's explanation ----------------------------------------------------------


def _for_explanation(request: HttpRequest, pk: int):
    """The assessment for its unit's members once its appraisal came back to them."""
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(standing.is_unit_member and access.appraisal_visible(standing, assessment))
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
    sheet = selectors.explanation_sheet(assessment, standing)
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
    score = _score_or_404(assessment, score_pk)
    form = reply_form(score, request.POST)
    if form.is_valid():
        try:
            score_reply(score=score, actor=request.user, reply=form.cleaned_data["reply"])
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your reply on %(code)s is saved.") % {"code": score.criterion.code}
            )
            return redirect(_leaf_url("assessments:explain", assessment, score))
    return _explanation_page(request, assessment, standing, bound=form, bound_score_pk=score.pk)


@login_required
@require_POST
def explain_evidence(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    """A further document for a contested leaf, filed as explanation evidence."""
    assessment, standing = _for_explanation(request, pk)
    score = _score_or_404(assessment, score_pk)
    form = EvidenceUploadForm(request.POST, request.FILES, criterion=score.criterion)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            evidence = evidence_attach(
                score=score,
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
            return redirect(_leaf_url("assessments:explain", assessment, score))
    return _explanation_page(request, assessment, standing, bound=form, bound_score_pk=score.pk)


@login_required
@require_POST
def explain_send(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = _for_explanation(request, pk)
    access.require(access.UNIT_HEAD in standing.roles)
    try:
        assessment_explain(assessment=assessment, actor=request.user)
    except WorkflowError as error:
        return _explanation_page(request, assessment, standing, problems=str(error).splitlines())
    messages.success(request, _("The explanation was sent to the appraisers."))
    return redirect("assessments:explain", pk=pk)


# -- the history of one leaf ---------------------------------------------------------


@login_required
@require_GET
def score_history(request: HttpRequest, pk: int, score_pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    score = _score_or_404(assessment, score_pk)
    show_appraisal = access.appraisal_visible(standing, assessment)
    return render(
        request,
        "scoring/appraisal/score_history.html",
        {
            "assessment": assessment,
            "score": score,
            "standing": standing,
            "show_appraisal": show_appraisal,
            "may_appraise": bool(standing.roles & {access.STAFF, access.APPRAISER}),
            "versions": selectors.score_history(score, show_appraisal=show_appraisal),
        },
    )
