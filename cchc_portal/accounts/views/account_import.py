"""Staff bring a province's accounts in from a workbook: upload, preview, confirm.

As for units (scoring.views.units_workbook), the file waits between its preview and
the confirmation, which imports exactly what was shown or says what changed meanwhile.
"""

import logging

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc_portal.accounts.forms.accounts import AccountsUploadForm
from cchc_portal.accounts.services import account_import as service
from scoring.exchange.accounts_xlsx import write_accounts_file
from scoring.exchange.workbook import XLSX_CONTENT_TYPE
from scoring.services.import_rows import ImportRefused
from units.decorators import staff_required
from units.held_uploads import (
    HeldUploadConfirmForm,
    upload_held,
    upload_hold,
    upload_release,
)

logger = logging.getLogger(__name__)

HELD_KIND = "accounts"
TEMPLATE_FILENAME = "tai-khoan.xlsx"
PREVIEW_ROWS = 200


@require_http_methods(["GET", "POST"])
@staff_required
def account_import(request: HttpRequest) -> HttpResponse:
    problems = []
    if request.method == "POST":
        form = AccountsUploadForm(request.POST, request.FILES)
    else:
        form = AccountsUploadForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            plan = service.accounts_import_plan(actor=request.user, file=upload)
        except ImportRefused as error:
            problems = error.problems
        else:
            if plan.nothing_to_do:
                messages.info(
                    request, _("The file holds nothing new: every account in it is already so.")
                )
                return redirect("accounts:account_import")
            upload.seek(0)
            token = upload_hold(request, kind=HELD_KIND, data=upload.read(), name=upload.name)
            return _preview(request, plan, token, upload.name)
    return render(request, "accounts/account_import.html", {"form": form, "problems": problems})


def _preview(request: HttpRequest, plan, token: str, name: str, *, status: int = 200):
    return render(
        request,
        "accounts/account_import_preview.html",
        {
            "plan": plan,
            "confirm": HeldUploadConfirmForm(initial={"token": token, "digest": plan.digest}),
            "file_name": name,
            "preview_rows": PREVIEW_ROWS,
        },
        status=status,
    )


@require_POST
@staff_required
def account_import_confirm(request: HttpRequest) -> HttpResponse:
    form = HeldUploadConfirmForm(request.POST)
    held = None
    if form.is_valid():
        held = upload_held(request, kind=HELD_KIND, token=form.cleaned_data["token"])
    if held is None:
        messages.error(request, _("The file previewed is no longer kept: choose it again."))
        return redirect("accounts:account_import")
    try:
        plan = service.accounts_import(
            actor=request.user, file=held.as_file(), expected_digest=form.cleaned_data["digest"]
        )
    except service.AccountsImportChanged as changed:
        messages.warning(request, str(changed))
        return _preview(request, changed.plan, held.token, held.name, status=409)
    except ImportRefused as error:
        upload_release(request, kind=HELD_KIND)
        return render(
            request,
            "accounts/account_import.html",
            {"form": AccountsUploadForm(), "problems": error.problems},
            status=409,
        )
    upload_release(request, kind=HELD_KIND)
    logger.info(
        "Accounts imported by %s from %r: %d created, %d changed.",
        request.user.get_username(),
        held.name,
        len(plan.created),
        len(plan.changed),
    )
    messages.success(
        request,
        _(
            "Imported: %(created)s accounts created (their invitations are on their way), "
            "%(changed)s accounts changed."
        )
        % {"created": len(plan.created), "changed": len(plan.changed)},
    )
    return redirect("accounts:account_list")


@require_GET
@staff_required
def account_import_template(request: HttpRequest) -> HttpResponse:
    """The sheet's headers and nothing else, to fill in (docs/samples has a full example)."""
    response = HttpResponse(write_accounts_file([]), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=TEMPLATE_FILENAME
    )
    return response
