"""Publication: the one moment the index becomes public.

In one transaction it recomputes the results, freezes them as PublishedResult rows,
renders the PDF once, stores it with its SHA-256 and marks the campaign and its
assessments published (through scoring's workflow). A refusal raises
PublicationError and changes nothing. decision_publish does it all at once (the
command, the demo); the worker runs decision_publish_requested for a publication
queued by reports.services.publication_queue."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.errors import PublicationError
from reports.models import Decision, PublishedResult
from reports.outputs.decision_rows import frozen_rows
from reports.outputs.pdf import decision_pdf
from reports.outputs.signing import decision_pdf_sign
from reports.selectors.freshness import forget_latest_published_at
from reports.services.drafting import decision_text_problems
from reports.summary import summary_text
from reports.verification import decision_file_key, sha256_hex
from scoring.models import Assessment, Campaign, CampaignBlock
from scoring.services.results import results_compute
from scoring.workflow import campaign_publish
from units.access import may_publish

# The state an assessment must be in to be published. An assessment published by
# an earlier decision stays final, so a correction may publish it again.
PUBLISHABLE_STATES = (Assessment.State.APPRAISED, Assessment.State.PUBLISHED)

NAMED_UNITS = 20  # units named in a refusal; the others are counted


def require_publisher(actor) -> None:
    """PublicationError unless the actor may publish decisions (units.access.may_publish)."""
    if not may_publish(actor):
        raise PublicationError(_("Only Interior Department staff publish decisions."))


def decision_rows_preview(*, decision: Decision) -> list[PublishedResult]:
    """Unsaved appendix rows from the campaign's current Result rows (no recomputation)."""
    return frozen_rows(decision=decision)


def _in_force_for_campaign(campaign: Campaign) -> list[Decision]:
    return list(Decision.objects.in_force().filter(campaign=campaign))


def publication_refusals(decision: Decision, *, expected: str = Decision.Status.DRAFT) -> list[str]:
    if decision.status == Decision.Status.PUBLISHING and expected == Decision.Status.DRAFT:
        return [_("Decision %(number)s is being published.") % {"number": decision.number}]
    if decision.status != expected:
        return [
            _("Decision %(number)s is not a draft (%(status)s): it cannot be published again.")
            % {"number": decision.number, "status": decision.get_status_display()}
        ]
    campaign = decision.campaign
    # The text first: a draft saved before the rules existed, or a correction copying a
    # decision that had blanks, is held to them here (reports.decision_rules).
    problems = [problem.message for problem in decision_text_problems(decision=decision)]
    publishing = (
        Decision.objects.filter(campaign=campaign, status=Decision.Status.PUBLISHING)
        .exclude(pk=decision.pk)
        .first()
    )
    if publishing is not None:
        problems.append(
            _("Decision %(number)s of the same campaign is being published.")
            % {"number": publishing.number}
        )
    for in_force in _in_force_for_campaign(campaign):
        if decision.supersedes_id != in_force.pk:
            problems.append(
                _(
                    "Decision %(number)s already publishes the %(year)s index; "
                    "publish a correction of it instead."
                )
                % {"number": in_force.number, "year": campaign.year}
            )
    if decision.supersedes_id is not None:
        superseded = decision.supersedes
        if superseded.status != Decision.Status.PUBLISHED or superseded.campaign_id != campaign.pk:
            problems.append(
                _("A correction must supersede a published decision of the same campaign.")
            )
    block_ids = set(
        CampaignBlock.objects.filter(campaign=campaign).values_list("block_id", flat=True)
    )
    if not block_ids:
        problems.append(_("The campaign has no blocks."))
    assessments = Assessment.objects.filter(campaign=campaign, unit__block_id__in=block_ids)
    assessed_blocks = set(
        assessments.values_list("unit__block_id", flat=True).order_by().distinct()
    )
    for campaign_block in CampaignBlock.objects.filter(campaign=campaign).select_related("block"):
        if campaign_block.block_id not in assessed_blocks:
            problems.append(
                _("Block %(block)s has no assessment.") % {"block": campaign_block.block.name}
            )
    pending = (
        assessments.exclude(state__in=PUBLISHABLE_STATES)
        .select_related("unit")
        .order_by("unit__block__position", "unit__search_text")
    )
    if pending:
        # A large province may have hundreds pending: name the first ones, count the rest.
        named = [f"{a.unit.name} ({a.get_state_display()})" for a in pending[: NAMED_UNITS + 1]]
        units = "; ".join(named[:NAMED_UNITS])
        if len(named) > NAMED_UNITS:
            rest = pending.count() - NAMED_UNITS
            units += "; " + _("and %(count)s more") % {"count": rest}
        problems.append(_("Not every assessment is appraised: %(units)s.") % {"units": units})
    return problems


def _pdf_name(decision: Decision) -> str:
    # upload_to is "decisions/": the stored name becomes decisions/<year>/<number-date>.pdf.
    return f"{decision.campaign.year}/{decision_file_key(decision)}.pdf"


def lock_for_publication(decision_pk: int, campaign_pk: int, *, expected: str) -> Decision:
    """The decision re-read under a row lock, or PublicationError with every reason.

    The campaign row first: two drafts of one campaign published at once must not both
    pass the "no decision already in force" check.
    """
    Campaign.objects.select_for_update().filter(pk=campaign_pk).first()
    current = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("campaign", "supersedes")
        .get(pk=decision_pk)
    )
    problems = publication_refusals(current, expected=expected)
    if problems:
        raise PublicationError("\n".join(problems))
    return current


def decision_publish_requested(*, decision_id: int) -> Decision | None:
    """Run a queued publication (the worker); a refusal puts the draft back with its reasons.

    Returns the published decision, or None when there was nothing to do (the request
    was cancelled or already run) or it was refused. An unexpected error also puts the
    draft back, then propagates so that the task is recorded as failed with its traceback.
    """
    started = Decision.objects.filter(pk=decision_id, status=Decision.Status.PUBLISHING).update(
        publication_started_at=timezone.now()
    )
    if not started:
        return None
    decision = Decision.objects.select_related("published_by").get(pk=decision_id)
    try:
        return _publish(decision, actor=decision.published_by, expected=Decision.Status.PUBLISHING)
    except PublicationError as error:
        _back_to_draft(decision_id, error.message)
        return None
    except Exception:
        _back_to_draft(
            decision_id,
            _(
                "Publication stopped on an unexpected error; nothing was published. Try again, "
                "and tell the portal's administrator if it happens again."
            ),
        )
        raise


def _back_to_draft(decision_id: int, reason: str) -> None:
    Decision.objects.filter(pk=decision_id, status=Decision.Status.PUBLISHING).update(
        status=Decision.Status.DRAFT, publication_error=reason
    )


def decision_publish(*, decision: Decision, actor) -> Decision:
    """Publish a draft decision now, or raise PublicationError (nothing is written then)."""
    return _publish(decision, actor=actor, expected=Decision.Status.DRAFT)


@transaction.atomic
def _publish(decision: Decision, *, actor, expected: str) -> Decision:
    # The worker publishes as whoever requested it: they must still be a publisher.
    require_publisher(actor)
    current = lock_for_publication(decision.pk, decision.campaign_id, expected=expected)
    campaign = current.campaign

    # The frozen rows must be what the scores say now, not whenever results were last computed.
    results_compute(campaign=campaign)
    rows = PublishedResult.objects.bulk_create(frozen_rows(decision=current))

    now = timezone.now()
    current.status = Decision.Status.PUBLISHED
    current.published_at = now
    current.published_by = actor if getattr(actor, "pk", None) else None
    current.publication_error = ""
    current.summary = summary_text(decision=current, rows=rows)
    # Rendered once, here; every later reader gets these stored bytes.
    pdf = decision_pdf(decision=current, rows=rows)
    pdf = decision_pdf_sign(decision=current, pdf=pdf)  # the digest is the signed file's
    current.pdf_sha256 = sha256_hex([pdf])
    current.pdf.save(_pdf_name(current), ContentFile(pdf), save=False)
    try:
        current.save()
        campaign_publish(
            campaign=campaign,
            actor=actor,
            reason=_("Published by decision %(number)s.") % {"number": current.number},
        )
    except BaseException:
        # The database rolls back; the stored file would not.
        current.pdf.storage.delete(current.pdf.name)
        raise
    # This process's public pages show the new decision at once; the others within
    # LATEST_PUBLISHED_MEMO_SECONDS.
    transaction.on_commit(forget_latest_published_at)
    return current
