"""Workbooks in and out of assessments: the unit's scoring sheet, and the survey results.

Thin views: each looks up what the user may reach (scoring.access), validates the
upload and calls one service, which checks the rest."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from scoring import access
from scoring.exchange.bulk_scores_xlsx import write_scores_template
from scoring.exchange.scoring_sheet_format import sheet_filename
from scoring.exchange.survey_xlsx import write_survey_file
from scoring.exchange.workbook import XLSX_CONTENT_TYPE
from scoring.forms.workbooks import ScoringSheetUploadForm, SurveyImportForm
from scoring.models import Campaign
from scoring.selectors import import_templates
from scoring.selectors.survey import survey_points_by_unit
from scoring.services import survey_import as survey_service
from scoring.services.import_rows import ImportRefused
from scoring.services.score_changes import AssessmentError
from scoring.services.sheet_import import assessment_sheet_export, assessment_sheet_import
from units.decorators import staff_required


@require_GET
@login_required
def sheet_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The scoring sheet, for anyone with a role on the assessment (404 for anyone else)."""
    assessment, _standing = access.get_assessment_for(request.user, pk)
    data, identity = assessment_sheet_export(assessment=assessment)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=sheet_filename(identity)
    )
    return response


@require_http_methods(["GET", "POST"])
@login_required
def sheet_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's officers send their filled-in sheet back; staff do not fill it in (403)."""
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(access.may_fill_in(standing))
    problems = []
    if request.method == "POST":
        form = ScoringSheetUploadForm(request.POST, request.FILES)
    else:
        form = ScoringSheetUploadForm()
    if form.is_bound and form.is_valid():
        try:
            result = assessment_sheet_import(
                assessment=assessment, actor=request.user, file=form.cleaned_data["file"]
            )
        except ImportRefused as error:
            problems = error.problems
        except AssessmentError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _changed_message(result.changed))
            return redirect("assessments:sheet_upload", pk=assessment.pk)
    return render(
        request,
        "scoring/imports/sheet_upload.html",
        {
            "assessment": assessment,
            "form": form,
            "problems": problems,
            "is_open": access.self_assessment_open(assessment),
        },
    )


def _changed_message(codes: list[str]) -> str:
    if not codes:
        return _("The sheet was read: nothing in it differs from what is saved.")
    return ngettext(
        "The sheet was imported: %(count)d criterion changed (%(codes)s).",
        "The sheet was imported: %(count)d criteria changed (%(codes)s).",
        len(codes),
    ) % {"count": len(codes), "codes": ", ".join(codes)}


@require_http_methods(["GET", "POST"])
@staff_required
def survey_import(request: HttpRequest, year: int) -> HttpResponse:
    """Staff bring in a campaign's survey counts; the page shows the survey points so far."""
    campaign = get_object_or_404(Campaign, year=year)
    problems = []
    if request.method == "POST":
        form = SurveyImportForm(request.POST, request.FILES)
    else:
        form = SurveyImportForm()
    if form.is_bound and form.is_valid():
        try:
            units = survey_service.survey_import(
                campaign=campaign, file=form.cleaned_data["file"], actor=request.user
            )
        except ImportRefused as error:
            problems = error.problems
        else:
            messages.success(
                request,
                ngettext(
                    "Survey results imported for %(count)d unit.",
                    "Survey results imported for %(count)d units.",
                    len(units),
                )
                % {"count": len(units)},
            )
            return redirect("campaigns:survey_import", year=campaign.year)
    return render(
        request,
        "scoring/imports/survey_import.html",
        {
            "campaign": campaign,
            "form": form,
            "problems": problems,
            "answers": list(campaign.survey_answers.all()),
            "units": survey_points_by_unit(campaign),
        },
    )


@require_GET
@staff_required
def survey_template(request: HttpRequest, year: int) -> HttpResponse:
    """The survey workbook to fill in: the campaign's units, survey criteria and groups."""
    campaign = get_object_or_404(Campaign, year=year)
    template = import_templates.survey_template(campaign)
    return _workbook(
        write_survey_file(template.answer_codes, template.rows), f"dieu-tra-{campaign.year}.xlsx"
    )


@require_GET
@staff_required
def scores_template(request: HttpRequest, year: int) -> HttpResponse:
    """The import_scores workbook to fill in: the campaign's units and scored criteria."""
    campaign = get_object_or_404(Campaign, year=year)
    rows = import_templates.scores_template(campaign)
    return _workbook(write_scores_template(rows), f"diem-{campaign.year}.xlsx")


def _workbook(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
