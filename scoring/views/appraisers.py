"""Staff assign appraisers to the units (or areas) of a campaign."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from scoring.forms.appraisal import (
    AssignmentForm,
)
from scoring.models import AppraiserAssignment
from scoring.selectors.assignments import campaign_assignments
from scoring.services.appraisal import (
    appraiser_assign,
    appraiser_unassign,
)
from scoring.services.score_changes import AssessmentError
from scoring.views.campaigns import campaign_or_404
from units.decorators import staff_required
from units.people import person_name


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_appraisers(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_or_404(year)
    assignments = campaign_assignments(campaign)
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
            return redirect("campaigns:campaign_appraisers", year=year)
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
    return redirect("campaigns:campaign_appraisers", year=year)
