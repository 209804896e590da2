"""A file's overview page: its next step, its workflow buttons (each disabled with its
reasons when a click would be refused), its deadlines and extensions, and the steps
staff take for a late unit.

Every view fetches the assessment through scoring.access (404 to anyone without a role
on it), answers 403 to a role that may look but not act, and calls one service; a
refusal re-renders the page with the reason beside what was typed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from scoring import access
from scoring.forms.campaigns import ExtensionForm, StepReasonForm
from scoring.forms.self_assessment import ReopenForm
from scoring.models import Assessment
from scoring.selectors.self_assessment import (
    assessment_events,
    assessment_extensions,
    self_assessment_sheet,
    sheet_figures,
)
from scoring.selectors.todo import next_step
from scoring.services.deadlines import DeadlineError, deadline_extend
from scoring.services.stragglers import (
    assessment_appraise_unsubmitted,
    assessment_close_explanation,
    assessment_submit_for,
)
from scoring.workflow import WorkflowError
from scoring.workflow_checks import when
from scoring.workflow_steps import assessment_steps
from units.access import may_manage_campaigns

# The unit's own steps, drawn on this page (appraisal and explanation have their pages).
UNIT_ACTIONS = ("submit", "withdraw", "reopen")
# The steps staff take for a late unit, each with a reason, and the service of each.
STAFF_ACTIONS = {
    "submit_for": assessment_submit_for,
    "appraise_unsubmitted": assessment_appraise_unsubmitted,
    "close_explanation": assessment_close_explanation,
}
DONE = {
    "submit_for": gettext_lazy("The self-assessment was submitted on the unit's behalf."),
    "appraise_unsubmitted": gettext_lazy("The appraisal was opened without a submission."),
    "close_explanation": gettext_lazy(
        "The explanation was closed; the appraisal can be finalised."
    ),
}


def render_overview(
    request: HttpRequest,
    assessment: Assessment,
    standing: access.AssessmentAccess,
    *,
    reopen_form: ReopenForm | None = None,
    reason_forms: dict[str, StepReasonForm] | None = None,
    extension_form: ExtensionForm | None = None,
    refusal: str = "",
) -> HttpResponse:
    sheet = self_assessment_sheet(assessment)
    steps = assessment_steps(
        request.user, assessment, [*UNIT_ACTIONS, *STAFF_ACTIONS], standing=standing
    )
    events = assessment_events(assessment)
    staff = may_manage_campaigns(request.user)
    reason_forms = reason_forms or {}
    return render(
        request,
        "scoring/self_assessment/detail.html",
        {
            "assessment": assessment,
            "standing": standing,
            "sheet": sheet,
            "events": events,
            "editing_open": access.self_assessment_open(assessment),
            "self_assessment_deadline": access.self_assessment_deadline(assessment),
            "explanation_deadline": access.explanation_deadline(assessment),
            "next_step": next_step(
                assessment, roles=standing.roles, figures=sheet_figures(sheet), now=timezone.now()
            ),
            "unit_steps": [steps[a] for a in UNIT_ACTIONS if a in steps],
            "staff_steps": [
                (steps[a], reason_forms.get(a) or StepReasonForm(prefix=a))
                for a in STAFF_ACTIONS
                if a in steps
            ],
            "acted_for": [event for event in events if event.action in STAFF_ACTIONS],
            "extensions": assessment_extensions(assessment),
            "extension_form": (extension_form or ExtensionForm()) if staff else None,
            "reopen_form": reopen_form or ReopenForm(),
            "refusal": refusal,
        },
    )


def _staff_step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(may_manage_campaigns(request.user))
    form = StepReasonForm(request.POST, prefix=action)
    if form.is_valid():
        try:
            STAFF_ACTIONS[action](
                assessment=assessment, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, DONE[action])
            return redirect("assessments:assessment_detail", pk=pk)
    return render_overview(request, assessment, standing, reason_forms={action: form})


@require_POST
@login_required
def submit_for(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_step(request, pk, "submit_for")


@require_POST
@login_required
def appraise_unsubmitted(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_step(request, pk, "appraise_unsubmitted")


@require_POST
@login_required
def close_explanation(request: HttpRequest, pk: int) -> HttpResponse:
    return _staff_step(request, pk, "close_explanation")


@require_POST
@login_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    assessment, standing = access.get_assessment_for(request.user, pk)
    access.require(may_manage_campaigns(request.user))
    form = ExtensionForm(request.POST)
    if form.is_valid():
        try:
            extension = deadline_extend(
                assessment=assessment,
                phase=form.cleaned_data["phase"],
                deadline=form.new_deadline,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except DeadlineError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("%(unit)s has until %(deadline)s (%(phase)s).")
                % {
                    "unit": assessment.unit.name,
                    "deadline": when(extension.deadline),
                    "phase": extension.get_phase_display().lower(),
                },
            )
            return redirect("assessments:assessment_detail", pk=pk)
    return render_overview(request, assessment, standing, extension_form=form)
