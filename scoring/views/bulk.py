"""A workflow step for many units at once, from the campaign dashboard: a preview (GET)
naming who would move and who would not and why, then the step (POST), which checks
every unit again and reports what happened to each."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from scoring.forms.campaigns import BulkStepForm
from scoring.models import Campaign
from scoring.selectors.campaigns import campaign_by_year
from scoring.services.bulk import (
    BULK_ACTIONS,
    assessments_bulk_transition,
    bulk_plan,
)
from scoring.services.score_changes import AssessmentError
from scoring.workflow import TRANSITIONS
from units.decorators import staff_required
from units.models import Block


def _scope(request: HttpRequest, year: int, action: str) -> tuple[Campaign, Block | None]:
    """The campaign, and the block the dashboard was filtered on (every block if none)."""
    campaign = campaign_by_year(year)
    if campaign is None or action not in BULK_ACTIONS:
        raise Http404
    code = request.POST.get("block") or request.GET.get("block") or ""
    if not code:
        return campaign, None
    block = Block.objects.filter(code=code, campaignblock__campaign=campaign).first()
    if block is None:
        raise Http404
    return campaign, block


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_bulk(request: HttpRequest, year: int, action: str) -> HttpResponse:
    campaign, block = _scope(request, year, action)
    transition = TRANSITIONS[action]
    outcome = None
    if request.method == "POST":
        form = BulkStepForm(request.POST, reason_required=transition.reason_required)
        if form.is_valid():
            try:
                outcome = assessments_bulk_transition(
                    campaign=campaign,
                    action=action,
                    actor=request.user,
                    assessment_ids=form.cleaned_data["ids"],
                    reason=form.cleaned_data["reason"],
                )
            except AssessmentError as error:
                form.add_error(None, str(error))
    plan = None
    if outcome is None:
        plan = bulk_plan(campaign=campaign, action=action, actor=request.user, block=block)
        if request.method == "GET":
            form = BulkStepForm(
                initial={"ids": ",".join(str(a.pk) for a in plan.movable)},
                reason_required=transition.reason_required,
            )
    return render(
        request,
        "scoring/bulk_step.html",
        {
            "campaign": campaign,
            "scope_block": block,
            "transition": transition,
            "plan": plan,
            "outcome": outcome,
            "form": form,
        },
    )
