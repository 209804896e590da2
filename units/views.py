"""Staff pages of units: the list, and one unit with its lineage, members and assessments."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from units import selectors
from units.decorators import staff_required
from units.forms import UnitFilterForm

UNITS_PER_PAGE = 50


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
