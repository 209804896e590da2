from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scoring import analysis, selectors
from scoring.computation import results_compute
from units.decorators import staff_required


@staff_required
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "scoring/framework_list.html", {"frameworks": selectors.framework_list()}
    )


@staff_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = selectors.framework_detail(pk)
    if framework is None:
        raise Http404
    return render(
        request,
        "scoring/framework_detail.html",
        {
            "framework": framework,
            "tree": selectors.framework_tree(framework),
            "next_year": framework.year + 1,
        },
    )


@staff_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    return render(request, "scoring/campaign_list.html", {"campaigns": selectors.campaign_list()})


@staff_required
def campaign_detail(request: HttpRequest, year: int) -> HttpResponse:
    detail = selectors.campaign_detail(year)
    if detail is None:
        raise Http404
    return render(
        request,
        "scoring/campaign_detail.html",
        {"detail": detail, "campaign": detail.campaign},
    )


@staff_required
def campaign_results(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    campaign_block = analysis.campaign_block_for(year=year, block_code=block_code)
    if campaign_block is None:
        raise Http404
    results = analysis.block_results(campaign_block=campaign_block, sort=request.GET.get("sort"))
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
    campaign_block = analysis.campaign_block_for(year=year, block_code=block_code)
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
    return redirect("scoring:campaign_results", year=year, block_code=block_code)
