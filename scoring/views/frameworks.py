"""Staff pages of criteria frameworks: browse, import a workbook, export one, clone a year."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.exchange.framework_writer import export_filename
from scoring.exchange.workbook import XLSX_CONTENT_TYPE
from scoring.forms.frameworks import FrameworkCloneForm, FrameworkImportForm
from scoring.models import Framework
from scoring.selectors import frameworks
from scoring.services import frameworks as framework_services
from units.decorators import staff_required


@staff_required
def framework_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "scoring/framework_list.html", {"frameworks": frameworks.framework_list()}
    )


@staff_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = frameworks.framework_detail(pk)
    if framework is None:
        raise Http404
    return render(
        request,
        "scoring/framework_detail.html",
        {
            "framework": framework,
            "tree": frameworks.framework_tree(framework),
            "next_year": framework.year + 1,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_required
def framework_import(request: HttpRequest) -> HttpResponse:
    problems = []
    if request.method == "GET":
        form = FrameworkImportForm()
    else:
        form = FrameworkImportForm(request.POST, request.FILES)
    if form.is_bound and form.is_valid():
        try:
            framework = framework_services.framework_import(
                file=form.cleaned_data["file"],
                year=form.cleaned_data["year"],
                block_code=form.cleaned_data["block"].code,
                replace=form.cleaned_data["replace"],
            )
        except framework_services.FrameworkImportError as error:
            problems = error.problems
        else:
            messages.success(
                request,
                _("Imported %(framework)s: %(count)s criteria.")
                % {"framework": framework, "count": framework.criteria.count()},
            )
            return redirect("frameworks:framework_detail", pk=framework.pk)
    return render(request, "scoring/framework_import.html", {"form": form, "problems": problems})


@require_GET
@staff_required
def framework_export(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_object_or_404(Framework.objects.select_related("block"), pk=pk)
    response = HttpResponse(
        framework_services.framework_export(framework=framework), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=export_filename(framework)
    )
    return response


@require_POST
@staff_required
def framework_clone(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_object_or_404(Framework.objects.select_related("block"), pk=pk)
    form = FrameworkCloneForm(request.POST)
    if form.is_valid():
        try:
            clone = framework_services.framework_clone(
                source=source, year=form.cleaned_data["year"]
            )
        except framework_services.FrameworkError as error:
            form.add_error("year", str(error))
        else:
            messages.success(
                request,
                _("Copied %(source)s to %(year)s; the copy is unlocked and can be edited.")
                % {"source": source, "year": clone.year},
            )
            return redirect("frameworks:framework_detail", pk=clone.pk)
    return render(request, "scoring/framework_clone.html", {"form": form, "source": source})
