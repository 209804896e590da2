from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from scoring import selectors
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
