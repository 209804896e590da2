"""Staff pages that set a campaign up: creating it, its deadlines, blocks, tier bands and
survey answer weights, opening it, closing self-assessment, reminding the units.

Each post calls one service; a refusal re-renders the set-up page with the reason
beside what was typed, never lost in a redirect.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scoring.forms.campaigns import (
    BlockAddForm,
    CampaignCreateForm,
    DeadlinesForm,
    answers_formset,
    formset_answers,
    formset_bands,
    tier_formset,
)
from scoring.models import Campaign
from scoring.selectors.campaigns import campaign_block_for, campaign_by_year, campaign_setup
from scoring.services import campaigns as setup
from scoring.services.deadlines import (
    DeadlineError,
    campaign_deadlines_set,
    campaign_reminders_send,
    self_assessment_close,
)
from scoring.workflow_checks import when
from units.decorators import staff_required


def _campaign_or_404(year: int) -> Campaign:
    campaign = campaign_by_year(year)
    if campaign is None:
        raise Http404
    return campaign


def _setup_url(campaign: Campaign, anchor: str = "") -> str:
    url = reverse("campaigns:campaign_setup", args=[campaign.year])
    return f"{url}#{anchor}" if anchor else url


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    latest = Campaign.objects.order_by("-year").first()
    year = latest.year + 1 if latest else None
    form = CampaignCreateForm(
        request.POST or None,
        initial={
            "year": year,
            "name": _("Administrative reform index %(year)s") % {"year": year} if year else "",
            "source": latest,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            campaign = setup.campaign_create(
                year=form.cleaned_data["year"],
                name=form.cleaned_data["name"],
                source=form.cleaned_data["source"],
                actor=request.user,
            )
        except setup.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The %(year)s campaign was created; set its deadlines, then open it.")
                % {"year": campaign.year},
            )
            return redirect("campaigns:campaign_setup", year=campaign.year)
    return render(request, "scoring/campaign_create.html", {"form": form})


def _render_setup(
    request: HttpRequest,
    campaign: Campaign,
    *,
    deadlines_form: DeadlinesForm | None = None,
    block_form: BlockAddForm | None = None,
    bound_tiers=None,
    answers_form=None,
    problems: list[str] | None = None,
) -> HttpResponse:
    data = campaign_setup(campaign)
    blocks = [
        (
            block,
            bound_tiers
            if bound_tiers is not None
            and bound_tiers.prefix == f"tiers-{block.campaign_block.block.code}"
            else tier_formset(block.campaign_block),
        )
        for block in data.blocks
    ]
    block_form = block_form or BlockAddForm(campaign=campaign)
    return render(
        request,
        "scoring/campaign_setup.html",
        {
            "campaign": campaign,
            "setup": data,
            "blocks": blocks,
            "deadlines_form": deadlines_form
            or DeadlinesForm(
                initial={
                    "self_assessment_deadline": campaign.self_assessment_deadline,
                    "appraisal_deadline": campaign.appraisal_deadline,
                    "explanation_deadline": campaign.explanation_deadline,
                }
            ),
            "block_form": block_form,
            "block_addable": block_form.fields["framework"].queryset.exists(),
            "answers_form": answers_form or answers_formset(campaign, data.survey_answers),
            "opening_problems": setup.opening_problems(campaign),
            "problems": problems or [],
            "published": campaign.status == Campaign.Status.PUBLISHED,
        },
    )


@staff_required
@require_GET
def campaign_setup_page(request: HttpRequest, year: int) -> HttpResponse:
    return _render_setup(request, _campaign_or_404(year))


@staff_required
@require_POST
def campaign_deadlines(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    form = DeadlinesForm(request.POST)
    if form.is_valid():
        try:
            campaign_deadlines_set(
                campaign=campaign,
                actor=request.user,
                self_assessment=form.cleaned_data["self_assessment_deadline"],
                appraisal=form.cleaned_data["appraisal_deadline"],
                explanation=form.cleaned_data["explanation_deadline"],
            )
        except DeadlineError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The deadlines were saved."))
            return redirect(_setup_url(campaign, "deadlines"))
    return _render_setup(request, campaign, deadlines_form=form)


@staff_required
@require_POST
def campaign_block_add(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    form = BlockAddForm(request.POST, campaign=campaign)
    if form.is_valid():
        framework = form.cleaned_data["framework"]
        try:
            setup.campaign_block_add(
                campaign=campaign, block=framework.block, framework=framework, actor=request.user
            )
        except setup.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("%(block)s takes part in the campaign.") % {"block": framework.block}
            )
            return redirect(_setup_url(campaign, "blocks"))
    return _render_setup(request, campaign, block_form=form)


def _campaign_block_or_404(year: int, block_code: str):
    campaign_block = campaign_block_for(year=year, block_code=block_code)
    if campaign_block is None:
        raise Http404
    return campaign_block


@staff_required
@require_POST
def campaign_block_remove(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    campaign_block = _campaign_block_or_404(year, block_code)
    try:
        setup.campaign_block_remove(campaign_block=campaign_block, actor=request.user)
    except setup.CampaignError as error:
        return _render_setup(request, campaign_block.campaign, problems=[str(error)])
    messages.success(
        request, _("%(block)s left the campaign.") % {"block": campaign_block.block.name}
    )
    return redirect(_setup_url(campaign_block.campaign, "blocks"))


@staff_required
@require_POST
def campaign_tiers(request: HttpRequest, year: int, block_code: str) -> HttpResponse:
    campaign_block = _campaign_block_or_404(year, block_code)
    formset = tier_formset(campaign_block, request.POST)
    if formset.is_valid():
        try:
            setup.tier_bands_set(
                campaign_block=campaign_block, bands=formset_bands(formset), actor=request.user
            )
        except setup.CampaignError as error:
            formset.non_form_errors().append(str(error))
        else:
            messages.success(
                request,
                _("The tiers of %(block)s were saved.") % {"block": campaign_block.block.name},
            )
            return redirect(_setup_url(campaign_block.campaign, f"block-{block_code}"))
    return _render_setup(request, campaign_block.campaign, bound_tiers=formset)


@staff_required
@require_POST
def campaign_answers(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    formset = answers_formset(campaign, [], request.POST)
    if formset.is_valid():
        try:
            setup.survey_answers_set(
                campaign=campaign, answers=formset_answers(formset), actor=request.user
            )
        except setup.CampaignError as error:
            formset.non_form_errors().append(str(error))
        else:
            messages.success(request, _("The survey answer weights were saved."))
            return redirect(_setup_url(campaign, "survey-answers"))
    return _render_setup(request, campaign, answers_form=formset)


@staff_required
@require_POST
def campaign_open(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    try:
        created = setup.campaign_open(campaign=campaign, actor=request.user)
    except setup.CampaignError as error:
        return _render_setup(request, campaign, problems=[str(error)])
    messages.success(
        request,
        ngettext(
            "The campaign is open: %(count)d unit has its assessment.",
            "The campaign is open: %(count)d units have their assessment.",
            created,
        )
        % {"count": created},
    )
    return redirect("campaigns:campaign_setup", year=year)


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_self_assessment_close(request: HttpRequest, year: int) -> HttpResponse:
    """A confirmation page, then the post that closes self-assessment now."""
    campaign = _campaign_or_404(year)
    problems = []
    if request.method == "POST":
        try:
            closed = self_assessment_close(campaign=campaign, actor=request.user)
        except DeadlineError as error:
            problems = [str(error)]
        else:
            messages.success(
                request,
                _("Self-assessment closed on %(deadline)s.")
                % {"deadline": when(closed.self_assessment_deadline)},
            )
            return redirect("campaigns:campaign_dashboard", year=year)
    return render(
        request,
        "scoring/campaign_close.html",
        {"campaign": campaign, "setup": campaign_setup(campaign), "problems": problems},
    )


@staff_required
@require_POST
def campaign_reminders(request: HttpRequest, year: int) -> HttpResponse:
    campaign = _campaign_or_404(year)
    try:
        sent = campaign_reminders_send(campaign=campaign, actor=request.user)
    except DeadlineError as error:
        messages.error(request, str(error))
        return redirect("campaigns:campaign_dashboard", year=year)
    if not sent.reminded and not sent.unreachable:
        messages.info(request, _("No unit misses anything before a deadline still ahead."))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d unit was reminded of what it still misses.",
                "%(count)d units were reminded of what they still miss.",
                len(sent.reminded),
            )
            % {"count": len(sent.reminded)},
        )
    if sent.unreachable:
        messages.warning(
            request,
            _("Nobody could be mailed at: %(units)s (no e-mail address).")
            % {"units": ", ".join(r.assessment.unit.name for r in sent.unreachable)},
        )
    return redirect("campaigns:campaign_dashboard", year=year)
