"""A unit's detailed results of a year, for staff and the unit's own members."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from reports.charts import area_bars
from scoring.models import Campaign
from scoring.selectors.unit_results import unit_results as unit_results_of
from units.access import ALL_FIGURES, block_figures_shown, can_view_unit_results
from units.selectors import unit_by_code


@login_required
def unit_results(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = unit_by_code(code)
    # 404 rather than 403 for a unit the user may not see: the answer must not
    # tell an outsider whether the unit or its result exists.
    if unit is None or not can_view_unit_results(request.user, unit):
        raise Http404
    results = unit_results_of(unit=unit, year=year)
    if results is None:
        raise Http404
    # Before the decision, every figure here is provisional and says so.
    published = results.result.campaign.status == Campaign.Status.PUBLISHED
    shown = block_figures_shown(request.user, published=published, units=results.comparison.units)
    return render(
        request,
        "reports/unit_results.html",
        {
            "unit": unit,
            "results": results,
            "result": results.result,
            "chart": area_bars(results.comparison.areas),
            "published": published,
            "provisional": not published,
            "statistics_shown": shown,
            "means_only": shown != ALL_FIGURES,
        },
    )
