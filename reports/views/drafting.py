"""Drafting a decision (staff only): list, create, edit, preview, publish, correct.

Views look up, parse a form, call one service of reports.services and redirect; a
refusal (PublicationError) is shown on the page it came from. The public PDF is
rendered once, at publication; the PDF here is a preview of a draft, rendered on
request and never stored.
"""

from csp.decorators import csp_update
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports.errors import PublicationError
from reports.forms.drafting import CorrectionForm, DecisionForm
from reports.models import Decision
from reports.outputs import pdf
from reports.publication_progress import REFRESH_SECONDS, publication_progress
from reports.services import drafting, publication, publication_queue
from reports.summary import summary_text
from scoring.models import Campaign, CampaignBlock
from units.decorators import staff_required


def _campaign_or_404(year: int) -> Campaign:
    return get_object_or_404(Campaign, year=year)


def _decision_or_404(pk: int) -> Decision:
    return get_object_or_404(
        Decision.objects.select_related("campaign", "supersedes", "published_by"), pk=pk
    )


def _published_refusal(request: HttpRequest, decision: Decision) -> HttpResponse:
    """403 with the reason: a published decision never changes, a correction replaces it."""
    return render(
        request,
        "reports/drafting/decision_locked.html",
        {"decision": decision, "correction_form": CorrectionForm()},
        status=403,
    )


def _preview_rows(decision: Decision) -> list:
    # A published decision shows what it froze; a draft shows the current results.
    if decision.is_published:
        return list(decision.rows.select_related("unit"))
    return publication.decision_rows_preview(decision=decision)


@staff_required
@require_GET
def decision_list_staff(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    decisions = (
        Decision.objects.filter(campaign=campaign)
        .select_related("supersedes", "published_by")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "reports/drafting/decision_list.html",
        {"campaign": campaign, "decisions": decisions},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    if request.method == "POST":
        form = DecisionForm(request.POST, instance=Decision(campaign=campaign))
        if form.is_valid():
            values = {name: getattr(form.instance, name) for name in form.Meta.fields}
            try:
                decision = drafting.decision_create(
                    campaign=campaign, actor=request.user, values=values
                )
            except PublicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Draft decision %(number)s saved.") % {"number": decision}
                )
                return redirect("reports:decision_preview", decision.pk)
    else:
        form = DecisionForm(initial=drafting.decision_draft_defaults(campaign=campaign))
    return render(
        request,
        "reports/drafting/decision_form.html",
        {"campaign": campaign, "form": form, "decision": None},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_or_404(pk)
    if decision.is_publishing:
        return redirect("reports:decision_publication", decision.pk)
    if decision.status != Decision.Status.DRAFT:
        return _published_refusal(request, decision)
    form = DecisionForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        changes = {name: getattr(form.instance, name) for name in form.Meta.fields}
        try:
            saved = drafting.decision_draft_update(
                decision=decision, actor=request.user, changes=changes
            )
        except PublicationError as error:
            # Published or queued since the form was opened: nothing was saved.
            messages.error(request, error.message)
            return redirect("reports:decision_preview", decision.pk)
        messages.success(request, _("Draft decision %(number)s saved.") % {"number": saved})
        return redirect("reports:decision_preview", decision.pk)
    return render(
        request,
        "reports/drafting/decision_form.html",
        {"campaign": decision.campaign, "form": form, "decision": decision},
    )


def _campaign_blocks(campaign: Campaign) -> list:
    return [
        campaign_block.block
        for campaign_block in CampaignBlock.objects.filter(campaign=campaign)
        .select_related("block")
        .order_by("block__position", "block__code")
    ]


# The preview frames the decision as it will be printed: a document with its own <style>
# and style attributes (templates/reports/pdf, written for WeasyPrint), which a srcdoc
# frame can only show if its page's policy allows inline styles. Scripts stay forbidden.
@csp_update({"style-src": ["'unsafe-inline'"]})
def _render_preview(
    request: HttpRequest, decision: Decision, *, errors: list[str] | None = None
) -> HttpResponse:
    rows = _preview_rows(decision)
    summary = (
        decision.summary if decision.is_published else summary_text(decision=decision, rows=rows)
    )
    return render(
        request,
        "reports/drafting/decision_preview.html",
        {
            "campaign": decision.campaign,
            "decision": decision,
            "rows": rows,
            # Where the missing results are computed, one page a block.
            "result_blocks": [] if rows else _campaign_blocks(decision.campaign),
            "summary_paragraphs": [p for p in summary.split("\n\n") if p.strip()],
            "document": pdf.decision_html(decision=decision, rows=rows, for_pdf=False),
            "errors": errors or [],
            # Said before "Publish" is pressed: the text a publication would refuse.
            "text_problems": (
                drafting.decision_text_problems(decision=decision)
                if decision.status == Decision.Status.DRAFT
                else []
            ),
            # What would refuse the publication now: the button is disabled and says why.
            "refusals": (
                publication.publication_refusals(decision)
                if decision.status == Decision.Status.DRAFT and not errors
                else []
            ),
            "correction_form": CorrectionForm(),
        },
    )


@staff_required
@require_GET
def decision_preview(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_preview(request, _decision_or_404(pk))


@staff_required
@require_GET
def decision_preview_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_or_404(pk)
    if decision.status != Decision.Status.DRAFT:
        # The published PDF is the stored one, never rendered again.
        return redirect("reports:decision_detail", decision.pk)
    content = pdf.decision_pdf(
        decision=decision, rows=publication.decision_rows_preview(decision=decision)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="du-thao-quyet-dinh-{decision.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@staff_required
@require_POST
def decision_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the publication; the progress page follows it (rendering takes a while)."""
    decision = _decision_or_404(pk)
    try:
        queued = publication_queue.decision_publication_request(
            decision=decision, actor=request.user
        )
    except PublicationError as error:
        return _render_preview(request, decision, errors=error.message.splitlines())
    return redirect("reports:decision_publication", queued.pk)


@staff_required
@require_GET
def decision_publication(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of a queued publication; once it ends, the page it ended on.

    A publication whose worker stopped is shown failed, with why, Retry and Cancel; the
    page stops reloading then.
    """
    decision = _decision_or_404(pk)
    if decision.is_published:
        messages.success(request, _("Decision %(number)s is published.") % {"number": decision})
        return redirect("reports:decision_detail", decision.pk)
    if not decision.is_publishing:
        # Refused, failed or cancelled: the preview shows why (publication_error).
        return redirect("reports:decision_preview", decision.pk)
    progress = publication_progress(decision)
    return render(
        request,
        "reports/drafting/decision_publication.html",
        {
            "campaign": decision.campaign,
            "decision": decision,
            "progress": progress,
            "refresh_seconds": None if progress.failed else REFRESH_SECONDS,
        },
    )


@staff_required
@require_POST
def decision_publication_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue again a publication that failed (its worker stopped, or it went back to draft)."""
    decision = _decision_or_404(pk)
    try:
        queued = publication_queue.decision_publication_retry(decision=decision, actor=request.user)
    except PublicationError as error:
        decision = _decision_or_404(pk)
        if decision.is_publishing:
            messages.error(request, error.message)
            return redirect("reports:decision_publication", decision.pk)
        return _render_preview(request, decision, errors=error.message.splitlines())
    return redirect("reports:decision_publication", queued.pk)


@staff_required
@require_POST
def decision_publication_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_or_404(pk)
    try:
        publication_queue.decision_publication_cancel(decision=decision, actor=request.user)
    except PublicationError as error:
        messages.error(request, error.message)
        return redirect("reports:decision_publication", decision.pk)
    messages.info(request, _("Publication of %(number)s cancelled.") % {"number": decision})
    return redirect("reports:decision_preview", decision.pk)


@staff_required
@require_POST
def decision_correct(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_or_404(pk)
    form = CorrectionForm(request.POST)
    if form.is_valid():
        try:
            draft = drafting.decision_correct(
                decision=decision, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except PublicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Correction of %(number)s drafted: set its number and date.")
                % {"number": decision},
            )
            return redirect("reports:decision_edit", draft.pk)
    return render(
        request,
        "reports/drafting/decision_correct.html",
        {"campaign": decision.campaign, "decision": decision, "correction_form": form},
        status=400,
    )
