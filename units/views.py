from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from reports.charts import area_bars
from scoring import analysis
from scoring.selectors import campaign_overview
from units import selectors
from units.access import can_view_unit_results
from units.decorators import staff_required
from units.forms import UnitFilterForm

UNITS_PER_PAGE = 50


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "campaigns": campaign_overview(),
            "member_units": selectors.member_units(request.user),
        },
    )


@staff_required
def unit_list(request: HttpRequest) -> HttpResponse:
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(
        block=filters.get("block"), year=filters.get("year"), text=filters.get("q") or ""
    )
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "units/unit_list.html", {"form": form, "page_obj": page})


@staff_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    detail = selectors.unit_detail(code)
    if detail is None:
        raise Http404
    return render(request, "units/unit_detail.html", {"detail": detail, "unit": detail.unit})


@login_required
def unit_results(request: HttpRequest, code: str, year: int) -> HttpResponse:
    unit = selectors.unit_by_code(code)
    # 404 rather than 403 for a unit the user may not see: the answer must not
    # tell an outsider whether the unit or its result exists.
    if unit is None or not can_view_unit_results(request.user, unit):
        raise Http404
    results = analysis.unit_results(unit=unit, year=year)
    if results is None:
        raise Http404
    return render(
        request,
        "units/unit_results.html",
        {
            "unit": unit,
            "results": results,
            "result": results.result,
            "chart": area_bars(results.comparison.areas),
        },
    )
