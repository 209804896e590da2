"""The public verification of a decision's PDF: by its digest, or by the file itself."""

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from reports.forms.verification import DIGEST, VerifyForm
from reports.selectors.decisions import decision_by_digest
from reports.signature_check import pdf_signature_check
from reports.views.page_cache import published_page


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check a PDF against the published decisions and check its signature.

    A typed digest answers with a redirect to its page (PRG); an uploaded file is
    answered on the POST, with its signature.
    """
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    if request.method == "POST" and form.is_valid():
        digest, uploaded = form.cleaned_data["digest"], form.cleaned_data.get("pdf")
        if uploaded is None:
            return HttpResponseRedirect(reverse("reports:verify_digest", args=[digest]))
        # A file's signature is checked on its bytes, which are not kept: answer at once.
        return render(
            request,
            "reports/public/verify.html",
            {
                "form": VerifyForm(initial={"sha256": digest}),
                "digest": digest,
                "checked": True,
                "decision": decision_by_digest(digest),
                "signature": pdf_signature_check(pdf=uploaded),
            },
        )
    return render(request, "reports/public/verify.html", {"form": form})


@published_page(compress=False)  # a form page: nothing to gain, keep it plain
def verify_digest(request: HttpRequest, sha256: str) -> HttpResponse:
    digest = sha256.lower()
    if not DIGEST.match(digest):
        raise Http404
    return render(
        request,
        "reports/public/verify.html",
        {
            "form": VerifyForm(initial={"sha256": digest}),
            "digest": digest,
            "checked": True,
            "decision": decision_by_digest(digest),
        },
    )
