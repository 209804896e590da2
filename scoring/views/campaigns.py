"""Staff pages of campaigns: the list, one campaign, a block's results and their computation."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from scoring.forms.appraisal import (
    DashboardFilterForm,
)
from scoring.selectors import campaigns
from scoring.selectors.campaigns import campaign_block_for, campaign_by_year
from scoring.selectors.dashboard import (
    dashboard_assessments,
    dashboard_rows,
    dashboard_summary,
    state_count,
)
from scoring.selectors.results import block_results
from scoring.services.bulk import BULK_ACTIONS
from scoring.services.results import results_compute
from scoring.workflow import TRANSITIONS
from units.decorators import staff_required


@staff_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "scoring/campaign_list.html", {"campaigns": campaigns.campaign_list()})


@staff_required
def campaign_detail(request: HttpRequest, year: int) -> HttpResponse:
    detail = campaigns.campaign_detail(year)
    if detail is None:
        raise Http404
    return render(
        request,
        "scoring/campaign_detail.html",
        {"detail": detail, "campaign": detail.campaign},
    )


@staff_required
def campaign_results(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    campaign_block = campaign_block_for(year=year, block_code=block_code)
    if campaign_block is None:
        raise Http404
    results = block_results(campaign_block=campaign_block, sort=request.GET.get("sort"))
    return render(
        request,
        "scoring/campaign_results.html",
        {
            "campaign": campaign_block.campaign,
            # Not "block": inside {% block %} that name is the template's own block.
            "block_name": campaign_block.block.name,
            "block_code": campaign_block.block.code,
            "results": results,
        },
    )


@staff_required
@require_POST
def campaign_results_compute(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    campaign_block = campaign_block_for(year=year, block_code=block_code)
    if campaign_block is None:
        raise Http404
    try:
        results = results_compute(campaign=campaign_block.campaign)
    except ValueError as error:
        # A survey answer without a weight, for instance: nothing was written.
        messages.error(
            request, _("The results could not be computed: %(reason)s") % {"reason": error}
        )
    else:
        messages.success(
            request,
            _("Results computed for %(count)d units of the %(year)d campaign.")
            % {"count": len(results), "year": year},
        )
    return redirect("campaigns:campaign_results", year=year, block_code=block_code)


DASHBOARD_PAGE_SIZE = 100


def campaign_or_404(year: int):
    campaign = campaign_by_year(year)
    if campaign is None:
        raise Http404
    return campaign


@staff_required
@require_GET
def campaign_dashboard(request: HttpRequest, year: int) -> HttpResponse:
    campaign = campaign_or_404(year)
    form = DashboardFilterForm(request.GET or None, campaign=campaign)
    filters = form.cleaned_data if form.is_valid() else {}
    assessments = dashboard_assessments(
        campaign,
        block=filters.get("block"),
        state=filters.get("state") or "",
        overdue=bool(filters.get("overdue")),
    )
    page = Paginator(assessments, DASHBOARD_PAGE_SIZE).get_page(request.GET.get("page"))
    summary = dashboard_summary(campaign)
    block = filters.get("block")
    return render(
        request,
        "scoring/appraisal/campaign_dashboard.html",
        {
            "campaign": campaign,
            "form": form,
            "summary": summary,
            "page_obj": page,
            "rows": dashboard_rows(page.object_list),
            "scope_block": block,
            # Each bulk step with how many files it concerns (its preview says who moves).
            "bulk_steps": [
                (action, TRANSITIONS[action].label, count)
                for action in BULK_ACTIONS
                if (count := state_count(summary, TRANSITIONS[action].sources, block=block))
            ],
        },
    )
