"""Staff bring a province's blocks and units in from a workbook, and take them out.

Uploading previews what the file would create and change; the file waits (held,
units.held_uploads) until staff confirm, and only then is it imported. These
pages live with the other workbook pages, not in units: units may not import scoring,
where the workbook machinery and the import service are.
"""

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.exchange.workbook import XLSX_CONTENT_TYPE
from scoring.forms.units_workbook import UnitsUploadForm
from scoring.services import units_import as service
from scoring.services.import_rows import ImportRefused
from units.decorators import staff_required
from units.held_uploads import (
    HeldUploadConfirmForm,
    upload_held,
    upload_hold,
    upload_release,
)

logger = logging.getLogger(__name__)

HELD_KIND = "units"
EXPORT_FILENAME = "danh-muc-don-vi.xlsx"
# Rows shown per table of the preview; the counts above the tables say how many in all.
PREVIEW_ROWS = 200


@require_http_methods(["GET", "POST"])
@staff_required
def units_import(request: HttpRequest) -> HttpResponse:
    problems = []
    if request.method == "POST":
        form = UnitsUploadForm(request.POST, request.FILES)
    else:
        form = UnitsUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = service.units_import_plan(file=upload)
        except ImportRefused as error:
            problems = error.problems
        else:
            if plan.nothing_to_do:
                messages.info(
                    request, _("The file holds nothing new: every unit in it is already so.")
                )
                return redirect("unit_workbook:units_import")
            upload.seek(0)
            token = upload_hold(request, kind=HELD_KIND, data=upload.read(), name=upload.name)
            return _preview(request, plan, token, upload.name)
    return render(request, "units/import.html", {"form": form, "problems": problems})


def _preview(request: HttpRequest, plan, token: str, name: str, *, status: int = 200):
    confirm = HeldUploadConfirmForm(initial={"token": token, "digest": plan.digest})
    return render(
        request,
        "units/import_preview.html",
        {"plan": plan, "confirm": confirm, "file_name": name, "preview_rows": PREVIEW_ROWS},
        status=status,
    )


@require_POST
@staff_required
def units_import_confirm(request: HttpRequest) -> HttpResponse:
    form = HeldUploadConfirmForm(request.POST)
    held = None
    if form.is_valid():
        held = upload_held(request, kind=HELD_KIND, token=form.cleaned_data["token"])
    if held is None:
        messages.error(request, _("The file previewed is no longer kept: choose it again."))
        return redirect("unit_workbook:units_import")
    try:
        plan = service.units_import(
            file=held.as_file(), expected_digest=form.cleaned_data["digest"]
        )
    except service.UnitsImportChanged as changed:
        messages.warning(request, str(changed))
        return _preview(request, changed.plan, held.token, held.name, status=409)
    except ImportRefused as error:
        upload_release(request, kind=HELD_KIND)
        return render(
            request,
            "units/import.html",
            {"form": UnitsUploadForm(), "problems": error.problems},
            status=409,
        )
    upload_release(request, kind=HELD_KIND)
    logger.info(
        "Units imported by %s from %r: %d blocks and %d units created, %d blocks and %d units "
        "changed.",
        request.user.get_username(),
        held.name,
        len(plan.blocks_created),
        len(plan.units_created),
        len(plan.blocks_changed),
        len(plan.units_changed),
    )
    messages.success(
        request,
        _(
            "Imported: %(units_created)s units and %(blocks_created)s blocks created, "
            "%(units_changed)s units and %(blocks_changed)s blocks changed."
        )
        % {
            "units_created": len(plan.units_created),
            "blocks_created": len(plan.blocks_created),
            "units_changed": len(plan.units_changed),
            "blocks_changed": len(plan.blocks_changed),
        },
    )
    return redirect("units:unit_list")


@require_GET
@staff_required
def units_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(service.units_export(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=EXPORT_FILENAME
    )
    return response
